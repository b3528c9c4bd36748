"""The in-app inbox: one's own notifications, newest first, unread highlighted, marked read on POST."""
from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Notification
from enterprises.notify import notify

pytestmark = pytest.mark.django_db


def note(user, title, minutes_ago=0, read=False, link=""):
    n = Notification.objects.create(user=user, title=title, link=link)
    at = timezone.now() - timedelta(minutes=minutes_ago)
    Notification.objects.filter(pk=n.pk).update(created_at=at, read_at=at if read else None)
    n.refresh_from_db()
    return n


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "erin", "root"])
def test_every_role_has_an_inbox_showing_only_its_own(client, request, who, firm):
    user = request.getfixturevalue(who)
    note(user, "给我的通知")
    other = request.getfixturevalue("bob" if who != "bob" else "carol")
    note(other, "给别人的通知")
    client.force_login(user)
    response = client.get(reverse("enterprises:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "给我的通知" in html and "给别人的通知" not in html


def test_anonymous_is_sent_to_login(client):
    for response in (client.get(reverse("enterprises:inbox")), client.post(reverse("enterprises:inbox_read"))):
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_newest_first_and_unread_highlighted(client, alice):
    note(alice, "旧的已读", minutes_ago=30, read=True)
    note(alice, "新的未读", minutes_ago=1)
    note(alice, "中间未读", minutes_ago=10)
    client.force_login(alice)
    response = client.get(reverse("enterprises:inbox"))
    titles = [n.title for n in response.context["page"].object_list]
    assert titles == ["新的未读", "中间未读", "旧的已读"]
    assert response.context["unread"] == 2
    html = response.content.decode()
    assert html.count('list-group-item-warning unread') == 2


def test_paginated(client, alice):
    for i in range(25):
        note(alice, f"通知{i:02d}", minutes_ago=i)
    client.force_login(alice)
    first = client.get(reverse("enterprises:inbox"))
    assert len(first.context["page"].object_list) == 20 and first.context["page"].paginator.num_pages == 2
    second = client.get(reverse("enterprises:inbox"), {"page": 2})
    assert [n.title for n in second.context["page"].object_list] == [f"通知{i:02d}" for i in range(20, 25)]
    assert client.get(reverse("enterprises:inbox"), {"page": "x"}).status_code == 200


def test_mark_one_read(client, alice):
    a, b = note(alice, "甲"), note(alice, "乙")
    client.force_login(alice)
    response = client.post(reverse("enterprises:inbox_read"), {"notification": a.pk})
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:inbox")
    a.refresh_from_db(), b.refresh_from_db()
    assert a.read_at is not None and b.read_at is None


def test_mark_one_read_then_follow_its_link(client, alice, firm):
    a = note(alice, "甲", link=reverse("enterprises:mine"))
    client.force_login(alice)
    response = client.post(reverse("enterprises:inbox_read"), {"notification": a.pk, "next": a.link})
    assert response["Location"] == reverse("enterprises:mine")
    a.refresh_from_db()
    assert a.read_at is not None


def test_next_may_not_leave_the_site(client, alice):
    a = note(alice, "甲")
    client.force_login(alice)
    response = client.post(reverse("enterprises:inbox_read"), {"notification": a.pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("enterprises:inbox")


def test_mark_all_read_touches_only_ones_own(client, alice, bob):
    mine = [note(alice, "甲"), note(alice, "乙")]
    theirs = note(bob, "丙")
    client.force_login(alice)
    client.post(reverse("enterprises:inbox_read"))
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_someone_elses_notification_is_404(client, alice, bob):
    theirs = note(bob, "丙")
    client.force_login(alice)
    assert client.post(reverse("enterprises:inbox_read"), {"notification": theirs.pk}).status_code == 404
    assert client.post(reverse("enterprises:inbox_read"), {"notification": "abc"}).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_read_time_is_kept_when_marked_again(client, alice):
    a = note(alice, "甲", minutes_ago=60, read=True)
    client.force_login(alice)
    client.post(reverse("enterprises:inbox_read"), {"notification": a.pk})
    assert Notification.objects.get(pk=a.pk).read_at == a.read_at


def test_inbox_read_requires_post_and_csrf(client, alice):
    from django.test import Client

    a = note(alice, "甲")
    client.force_login(alice)
    assert client.get(reverse("enterprises:inbox_read")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(reverse("enterprises:inbox_read"), {"notification": a.pk}).status_code == 403
    assert Notification.objects.get(pk=a.pk).read_at is None
    assert "csrfmiddlewaretoken" in client.get(reverse("enterprises:inbox")).content.decode()


def test_notify_writes_the_inbox_and_mails_when_there_is_an_address(alice, bob, mailoutbox):
    alice.email = "alice@example.com"
    alice.save()
    notify(alice, "标题", "内容", "/x/")
    notify(bob, "标题二")
    assert alice.notifications.get().title == "标题" and bob.notifications.count() == 1
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]


# --- {% unread_count %} ------------------------------------------------------------------------

def render_count(user, source="{% load inbox %}{% unread_count %}"):
    request = RequestFactory().get("/")
    request.user = user
    return Template(source).render(Context({"request": request, "user": user}))


def test_unread_count_tag_is_one_query(alice, bob):
    note(alice, "甲"), note(alice, "乙"), note(alice, "丙", read=True), note(bob, "丁")
    with CaptureQueriesContext(connection) as queries:
        assert render_count(alice) == "2"
    assert len(queries) == 1


def test_unread_count_tag_as_variable_and_for_anonymous(alice):
    from django.contrib.auth.models import AnonymousUser

    note(alice, "甲")
    assert render_count(alice, "{% load inbox %}{% unread_count as n %}[{{ n }}]") == "[1]"
    with CaptureQueriesContext(connection) as queries:
        assert render_count(AnonymousUser()) == "0"
    assert len(queries) == 0
