"""Round-opened notices and the three-days-before-closing reminder (sent once per round)."""
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from criteria.models import Declaration, Edition, Round, Status
from criteria.admission.notifications import notify_round_opened, send_deadline_reminders
from criteria.services import load_editions
from enterprises.models import Notification
from jinhu_portal.roles import Role
from enterprises.services import assign_role

from ..factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 10)


@pytest.fixture
def edition(db):
    load_editions()
    return Edition.objects.get(tier="county_pool", year=2022)


def make_round(edition, closes_on, title="2025年县级培育库入库申报", opens_on=date(2025, 6, 1)):
    return Round.objects.create(title=title, kind="admission", tier="county_pool", year=2024,
                                opens_on=opens_on, closes_on=closes_on, edition=edition)


def firm_user(username, town, **user_fields):
    firm = EnterpriseFactory(town=town, name=f"{username}的企业")
    return assign_role(UserFactory(username=username, **user_fields), Role.ENTERPRISE, enterprise=firm)


def titles_for(user):
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_round_opened_tells_every_active_enterprise_user(edition, alice, bob, dave, town):
    sleepy = firm_user("sleepy", town, is_active=False)
    colleague = assign_role(UserFactory(username="colleague"), Role.ENTERPRISE, enterprise=alice.scope.enterprise)
    round_ = make_round(edition, closes_on=date(2025, 6, 30))
    assert notify_round_opened(round_) == 2
    expected = "申报批次“2025年县级培育库入库申报”已开放，截止日期2025-06-30"
    assert titles_for(alice) == [expected] and titles_for(colleague) == [expected]
    assert titles_for(sleepy) == [] and titles_for(bob) == [] and titles_for(dave) == []
    assert alice.notifications.get().link == round_.get_absolute_url()


@pytest.fixture
def world(edition, town, alice, bob, dave):
    """A round closing three days after TODAY, and one firm user per situation."""
    round_ = make_round(edition, closes_on=TODAY + timedelta(days=3))
    users = {"none": alice}
    for status in Status:
        user = firm_user(status.value, town)
        Declaration.objects.create(round=round_, enterprise=user.scope.enterprise, status=status)
        users[status.value] = user
    users["inactive"] = firm_user("inactive", town, is_active=False)
    return round_, users


def test_reminder_goes_to_firms_without_a_declaration_or_with_draft_or_returned(world, bob, dave):
    round_, users = world
    assert send_deadline_reminders(TODAY) == 3
    reminded = {name for name, user in users.items() if titles_for(user)}
    assert reminded == {"none", Status.DRAFT.value, Status.RETURNED.value}
    assert titles_for(bob) == [] and titles_for(dave) == []
    title = titles_for(users["none"])[0]
    assert "2025年县级培育库入库申报" in title and "截止" in title
    round_.refresh_from_db()
    assert round_.reminded


def test_reminder_is_sent_once(world):
    round_, users = world
    assert send_deadline_reminders(TODAY) == 3
    assert send_deadline_reminders(TODAY) == 0
    assert len(titles_for(users["none"])) == 1


def test_already_reminded_round_is_skipped(world):
    round_, _users = world
    Round.objects.filter(pk=round_.pk).update(reminded=True)
    assert send_deadline_reminders(TODAY) == 0
    assert not Notification.objects.exists()


@pytest.mark.parametrize("days", [0, 1, 2, 4, 10])
def test_only_rounds_closing_in_exactly_three_days(edition, alice, days):
    round_ = make_round(edition, closes_on=TODAY + timedelta(days=days))
    assert send_deadline_reminders(TODAY) == 0
    round_.refresh_from_db()
    assert not round_.reminded


def test_every_round_closing_that_day_is_reminded(edition, alice):
    make_round(edition, closes_on=TODAY + timedelta(days=3), title="甲批次")
    make_round(edition, closes_on=TODAY + timedelta(days=3), title="乙批次")
    assert send_deadline_reminders(TODAY) == 2
    assert len(titles_for(alice)) == 2


def test_default_today_is_the_local_date(edition, alice):
    from django.utils import timezone

    make_round(edition, closes_on=timezone.localdate() + timedelta(days=3),
               opens_on=timezone.localdate() - timedelta(days=10))
    assert send_deadline_reminders() == 1


def test_reminder_mails_users_with_an_address(world, mailoutbox):
    _round, users = world
    users["none"].email = "alice@example.com"
    users["none"].save()
    send_deadline_reminders(TODAY)
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]


def test_command_prints_the_count_and_is_idempotent(world):
    out = StringIO()
    call_command("send_reminders", "--date", TODAY.isoformat(), stdout=out)
    assert "已发送 3 条" in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--date", TODAY.isoformat(), stdout=out)
    assert "已发送 0 条" in out.getvalue()
    assert Notification.objects.count() == 3


def test_command_rejects_a_bad_date(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="格式不正确"):
        call_command("send_reminders", "--date", "2025/06/10")


def test_the_beat_sends_the_days_reminders_at_eight_and_a_second_delivery_sends_none(world):
    from django.conf import settings

    from jinhu_portal.celery import app as celery_app

    entry = settings.CELERY_BEAT_SCHEDULE["daily-reminders"]
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {0}
    celery_app.loader.import_default_modules()      # what a worker does as it starts: find every app's tasks
    task = celery_app.tasks[entry["task"]]          # the name the beat sends is a task the worker knows
    assert task.apply(args=(TODAY.isoformat(),)).get() == [3, 0]     # 3 deadline reminders, no overdue request
    assert task.apply(args=(TODAY.isoformat(),)).get() == [0, 0]
    assert Notification.objects.count() == 3
