"""The review workflow's service, called directly (not through the views, which guard it too): who may
move a declaration from which state, and the two guards against two reviewers at once, each on its own.
The threads share the test database, a file on SQLite (settings/test.py)."""
import dataclasses
import datetime
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from criteria.admission import workflow
from criteria.models import Claim, Declaration, DeclarationEvent, Edition, PoolMembership, Round, Status
from criteria.services import load_editions
from enterprises.models import Notification
from enterprises.services import assign_role
from jinhu_portal.roles import Role

from ..factories import EnterpriseFactory, UserFactory


def make_round():
    load_editions()
    today = timezone.localdate()
    return Round.objects.create(title="服务层测试批次", kind="admission", tier="county_pool", year=2025,
                                opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=5),
                                edition=Edition.objects.get(tier="county_pool", year=2022))


@pytest.fixture
def round_(db):
    return make_round()


def declaration(round_, firm, status):
    return Declaration.objects.create(round=round_, enterprise=firm, data={}, status=status)


def unchanged(d, status):
    d.refresh_from_db()
    return (d.status == status and not DeclarationEvent.objects.filter(declaration=d).exists()
            and not PoolMembership.objects.filter(enterprise=d.enterprise).exists())


# ---------------------------------------------------------------------------------------------
# From which state
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.APPROVED, Status.REJECTED])
def test_county_approval_of_a_declaration_not_approved_by_its_town_is_refused(round_, firm, bob, status):
    d = declaration(round_, firm, status)
    with pytest.raises(workflow.Conflict, match="不能“审核通过”"):
        workflow.perform(d.pk, "approve", bob)
    assert unchanged(d, status)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED])
def test_a_draft_or_returned_declaration_cannot_be_approved_returned_or_rejected_by_anyone(round_, firm, bob, dave,
                                                                                          status):
    d = declaration(round_, firm, status)
    for name, user in [("town_approve", dave), ("town_approve", bob), ("return", bob), ("reject", bob)]:
        with pytest.raises(workflow.Conflict):
            workflow.perform(d.pk, name, user, reason="理由")
        assert not workflow.can(user, d, name)
    assert unchanged(d, status)


def test_a_town_approved_declaration_is_approved_by_the_county_and_admitted(round_, firm, bob):
    d = declaration(round_, firm, Status.TOWN_APPROVED)
    assert workflow.perform(d.pk, "approve", bob).status == Status.APPROVED
    assert PoolMembership.objects.filter(enterprise=firm).count() == 1
    assert list(DeclarationEvent.objects.filter(declaration=d).values_list("from_status", "to_status")) == [
        (Status.TOWN_APPROVED, Status.APPROVED)]


# ---------------------------------------------------------------------------------------------
# Who
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["approve", "reject"])
def test_a_town_officer_cannot_decide_at_county_level_even_in_its_own_town(round_, firm, dave, name):
    d = declaration(round_, firm, Status.TOWN_APPROVED)
    assert not workflow.can(dave, d, name)
    with pytest.raises(PermissionDenied):
        workflow.perform(d.pk, name, dave, reason="理由")
    assert unchanged(d, Status.TOWN_APPROVED)


@pytest.mark.parametrize("name", ["town_approve", "return"])
def test_a_town_officer_cannot_act_on_another_towns_declaration(round_, other_firm, dave, name):
    d = declaration(round_, other_firm, Status.SUBMITTED)
    assert not workflow.can(dave, d, name)
    with pytest.raises(PermissionDenied):
        workflow.perform(d.pk, name, dave, reason="理由")
    assert unchanged(d, Status.SUBMITTED)


@pytest.mark.parametrize("name", ["town_approve", "return"])
def test_a_town_officer_acts_on_its_own_towns_declaration(round_, firm, dave, name):
    d = declaration(round_, firm, Status.SUBMITTED)
    assert workflow.can(dave, d, name)
    assert workflow.perform(d.pk, name, dave, reason="理由").status == workflow.TRANSITIONS[name].target


def test_a_firm_user_cannot_submit_another_firms_declaration(round_, alice, other_firm):
    d = declaration(round_, other_firm, Status.DRAFT)
    assert not workflow.can(alice, d, "submit")
    with pytest.raises(PermissionDenied):
        workflow.perform(d.pk, "submit", alice)
    assert unchanged(d, Status.DRAFT)


@pytest.mark.parametrize("role", [Role.LEADER, Role.MEMBER_UNIT])
def test_readers_of_every_declaration_cannot_move_any(round_, firm, role):
    user = assign_role(UserFactory(), role, **({"member_unit": "keji"} if role == Role.MEMBER_UNIT else {}))
    d = declaration(round_, firm, Status.TOWN_APPROVED)
    with pytest.raises(PermissionDenied):
        workflow.perform(d.pk, "approve", user)
    assert unchanged(d, Status.TOWN_APPROVED)


# ---------------------------------------------------------------------------------------------
# Two reviewers at once: each guard on its own
# ---------------------------------------------------------------------------------------------

def with_guard(monkeypatch, name, guard):
    t = workflow.TRANSITIONS[name]
    monkeypatch.setitem(workflow.TRANSITIONS, name, dataclasses.replace(t, guards=t.guards + (guard,)))


def test_the_conditional_update_refuses_a_declaration_moved_after_it_was_read(round_, firm, bob, monkeypatch):
    """As if the row lock did not hold: the status changes between the read and the update."""
    d = declaration(round_, firm, Status.TOWN_APPROVED)

    def someone_else_returns_it(move):
        Declaration.objects.filter(pk=move.declaration.pk).update(status=Status.RETURNED)

    with_guard(monkeypatch, "approve", someone_else_returns_it)
    with pytest.raises(workflow.Conflict) as refused:
        workflow.perform(d.pk, "approve", bob)
    assert refused.value.messages == ["该申报已被他人处理，请刷新后查看。"]
    assert unchanged(d, Status.TOWN_APPROVED)      # the whole transaction rolled back


@pytest.mark.django_db(transaction=True)
def test_a_second_reviewer_waits_for_the_first_and_then_reads_the_new_status(monkeypatch):
    """The lock on its own: the second reviewer starts while the first is inside its transaction; it
    waits, reads the declaration as the first left it, and is refused by the status check before the
    conditional update is reached."""
    d = declaration(make_round(), EnterpriseFactory(), Status.TOWN_APPROVED)
    first, second = [assign_role(UserFactory(username=f"reviewer{i}"), Role.STAFF) for i in range(2)]
    inside, second_started = threading.Event(), threading.Event()
    outcomes = {}

    def hold(move):
        if move.user == first:
            inside.set()
            second_started.wait(10)
            time.sleep(0.3)           # leaves the second reviewer time to reach the lock (not asserted)

    with_guard(monkeypatch, "approve", hold)
    def run(user, wait_for=None):
        try:
            if wait_for is not None:
                wait_for.wait(10)
                second_started.set()
            workflow.perform(d.pk, "approve", user)
            outcomes[user.username] = "won"
        except workflow.Conflict as exc:
            outcomes[user.username] = exc.messages[0]
        except Exception as exc:  # noqa: BLE001
            outcomes[user.username] = f"failed: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(first,)), threading.Thread(target=run, args=(second, inside))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes["reviewer0"] == "won"
    assert "当前状态为“" in outcomes["reviewer1"] and "不能“审核通过”" in outcomes["reviewer1"], outcomes
    assert DeclarationEvent.objects.filter(declaration=d).count() == 1
    assert PoolMembership.objects.filter(enterprise=d.enterprise).count() == 1


# ---------------------------------------------------------------------------------------------
# What each step says and records
# ---------------------------------------------------------------------------------------------

def test_a_refused_step_says_in_chinese_which_state_the_declaration_is_in(round_, firm, bob):
    d = declaration(round_, firm, Status.DRAFT)
    with pytest.raises(workflow.Conflict) as refused:
        workflow.perform(d.pk, "approve", bob)
    assert refused.value.messages == ["该申报当前状态为“草稿”，不能“审核通过”：可能已被他人处理，请刷新后查看。"]


@pytest.mark.parametrize("reason", ["   ", None])
@pytest.mark.parametrize("name", ["return", "reject"])
def test_returning_or_rejecting_without_a_reason_names_the_reason_field(round_, firm, bob, name, reason):
    d = declaration(round_, firm, Status.TOWN_APPROVED)
    with pytest.raises(workflow.ValidationError) as refused:
        workflow.perform(d.pk, name, bob, **({} if reason is None else {"reason": reason}))
    label = workflow.TRANSITIONS[name].label
    assert refused.value.message_dict == {"reason": [f"“{label}”必须填写原因。"]}
    assert unchanged(d, Status.TOWN_APPROVED)


def test_a_submission_after_the_round_closed_is_refused_with_the_closing_date(round_, firm, alice):
    d = declaration(round_, firm, Status.DRAFT)
    day_after = round_.closes_on + datetime.timedelta(days=1)
    with pytest.raises(workflow.ValidationError) as refused:
        workflow.perform(d.pk, "submit", alice, today=day_after)
    assert refused.value.messages == [f"本批次申报已于{round_.closes_on}截止，不能再提交。"]
    assert unchanged(d, Status.DRAFT)
    assert workflow.perform(d.pk, "submit", alice, today=round_.closes_on).status == Status.SUBMITTED


def test_a_step_moves_only_its_own_declaration_and_records_who_took_it_and_why(round_, firm, other_firm, dave, bob):
    d = declaration(round_, firm, Status.SUBMITTED)
    other = declaration(round_, other_firm, Status.SUBMITTED)
    workflow.perform(d.pk, "return", dave, reason=" 营业收入与报表不符 ", fields=["financials"])
    other.refresh_from_db()
    assert other.status == Status.SUBMITTED
    event = DeclarationEvent.objects.get(declaration=d)
    assert (event.actor, event.action, event.reason, event.fields) == (dave, "return", "营业收入与报表不符",
                                                                        ["financials"])
    d.refresh_from_db()
    assert (d.return_reason, d.return_fields) == ("营业收入与报表不符", ["financials"])


def test_a_resubmission_clears_the_reason_and_fields_it_was_returned_with(round_, firm, alice, dave):
    d = declaration(round_, firm, Status.SUBMITTED)
    workflow.perform(d.pk, "return", dave, reason="请补充证明材料", fields=["attachments"])
    workflow.perform(d.pk, "submit", alice)
    d.refresh_from_db()
    assert (d.status, d.return_reason, d.return_fields) == (Status.SUBMITTED, "", [])


@pytest.mark.parametrize("name, reason, told", [
    ("approve", "", "您的申报“{round}”已审核通过。"),
    ("return", "请补充2024年审计报告", "您的申报“{round}”已被退回修改：请补充2024年审计报告"),
    ("reject", "主营业务不符合入库条件", "您的申报“{round}”未通过：主营业务不符合入库条件"),
])
def test_the_firms_users_are_told_what_became_of_their_declaration(round_, firm, alice, bob, name, reason, told):
    d = declaration(round_, firm, Status.TOWN_APPROVED)
    workflow.perform(d.pk, name, bob, reason=reason)
    note = Notification.objects.get(user=alice)
    assert (note.title, note.link) == (told.format(round=round_), d.get_absolute_url())


def test_a_submission_is_told_to_its_towns_officers_and_county_staff_and_nobody_else(round_, firm, alice, dave, bob,
                                                                                       other_town):
    assign_role(UserFactory(username="other-town"), Role.TOWN_OFFICER, town=other_town)
    former = assign_role(UserFactory(username="former-officer"), Role.TOWN_OFFICER, town=firm.town)
    former.groups.clear()                               # no longer an officer, though the scope names the town
    d = declaration(round_, firm, Status.DRAFT)
    workflow.perform(d.pk, "submit", alice)
    told = dict(Notification.objects.values_list("user__username", "title"))
    assert told == {"dave": f"{firm} 提交了申报“{round_}”，请审核。", "bob": f"{firm} 提交了申报“{round_}”，请审核。"}


def test_the_approval_writes_the_records_in_the_approvers_name_and_the_claims_for_the_rounds_year(round_, firm,
                                                                                                 bob):
    d = Declaration.objects.create(round=round_, enterprise=firm, status=Status.TOWN_APPROVED,
                                   data={"financials": [{"year": 2024, "operating_revenue": "3000"}],
                                         "claims": ["county_pool.M3e"]})
    workflow.perform(d.pk, "approve", bob)
    record = firm.fiscal_years.get(year=2024)
    assert record.history.latest().history_user == bob
    assert list(Claim.objects.filter(enterprise=firm).values_list("tier", "code", "year")) == [
        ("county_pool", "M3e", round_.year)]
    assert DeclarationEvent.objects.get(declaration=d).reason == ""


def test_each_user_is_offered_exactly_the_steps_it_may_take(round_, firm, alice, dave, bob, root):
    d = declaration(round_, firm, Status.DRAFT)

    def offered(user, status):
        d.status = status
        return [t.name for t in workflow.available(user, d)]

    assert offered(alice, Status.DRAFT) == ["submit"]
    assert offered(dave, Status.SUBMITTED) == ["town_approve", "return"]
    assert offered(bob, Status.TOWN_APPROVED) == ["approve", "return", "reject"]
    assert offered(alice, Status.SUBMITTED) == [] and offered(dave, Status.TOWN_APPROVED) == ["return"]
    root.scope.delete()
    root = type(root).objects.get(pk=root.pk)           # an administrator with no scope at all
    assert offered(root, Status.TOWN_APPROVED) == ["approve", "return", "reject"]
