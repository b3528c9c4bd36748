"""Requests (诉求) followed to closure: the workflow, the pages, the API."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enterprises.models import Notification
from services import workflow
from services.models import RequestAction as A
from services.models import RequestEvent, RequestStatus as S, ServiceRequest
from tests.factories import ServiceRequestFactory

def file_request(firm, user, **fields):
    item = ServiceRequest(enterprise=firm, category=fields.pop("category", "financing"),
                          description=fields.pop("description", "申请技改贷款贴息"), **fields)
    return workflow.advance(item, A.FILE, user)


def test_a_request_goes_through_every_state_including_reopen_and_its_history_says_so(firm, alice, bob, erin):
    item = file_request(firm, alice)
    assert item.status == S.SUBMITTED and item.filed_by == alice
    due = timezone.localdate() + datetime.timedelta(days=5)
    workflow.advance(item, A.ROUTE, bob, unit="keji", due_date=due, note="请科技局办理")
    assert (item.status, item.unit, item.due_date) == (S.ROUTED, "keji", due)
    assert not workflow.is_overdue(item, due) and workflow.is_overdue(item, due + datetime.timedelta(days=1))
    workflow.advance(item, A.ANSWER, erin, answer="已对接银行，下周放款")
    assert item.status == S.ANSWERED and item.answered_at
    assert not workflow.is_overdue(item, due + datetime.timedelta(days=30))
    workflow.advance(item, A.REOPEN, alice, note="尚未放款")
    assert item.status == S.ROUTED and item.answered_at is None
    workflow.advance(item, A.ANSWER, erin, answer="已放款 500 万元")
    workflow.advance(item, A.CONFIRM, alice)
    item.refresh_from_db()
    assert item.status == S.CLOSED and item.closed_at and item.answer == "已放款 500 万元"
    assert workflow.closed_on_time(item)
    assert ServiceRequest.objects.filter(workflow.closed_on_time_q()).count() == 1
    history = [(e.action, e.from_status, e.to_status, e.actor.username) for e in item.events.all()]
    assert history == [
        (A.FILE, "", S.SUBMITTED, "alice"), (A.ROUTE, S.SUBMITTED, S.ROUTED, "bob"),
        (A.ANSWER, S.ROUTED, S.ANSWERED, "erin"), (A.REOPEN, S.ANSWERED, S.ROUTED, "alice"),
        (A.ANSWER, S.ROUTED, S.ANSWERED, "erin"), (A.CONFIRM, S.ANSWERED, S.CLOSED, "alice")]
    assert [e.note for e in item.events.all()][3] == "尚未放款"
    assert item.events.get(action=A.ROUTE).unit == "keji"
    # new → staff; routed and reopened → the unit; answered (twice) → the firm
    assert Notification.objects.filter(user=bob).count() == 1
    assert Notification.objects.filter(user=erin).count() == 2
    assert Notification.objects.filter(user=alice).count() == 2


def test_an_answer_after_the_due_date_is_not_closed_on_time(firm, bob):
    item = ServiceRequestFactory(enterprise=firm)
    workflow.advance(item, A.ROUTE, bob, unit="keji", due_date=timezone.localdate())
    ServiceRequest.objects.filter(pk=item.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=3))
    item.refresh_from_db()
    assert workflow.is_overdue(item)
    assert ServiceRequest.objects.filter(workflow.overdue_q()).count() == 1
    workflow.advance(item, A.ANSWER, bob, answer="已办理")
    workflow.advance(item, A.CONFIRM, bob)
    assert not workflow.is_overdue(item) and not workflow.closed_on_time(item)


@pytest.mark.parametrize("action, who, kwargs, field", [
    (A.ROUTE, "bob", {"unit": "keji", "due_date": datetime.date(2000, 1, 1)}, "due_date"),
    (A.ROUTE, "bob", {"unit": "", "due_date": None}, "unit"),
    (A.ROUTE, "alice", {"unit": "keji", "due_date": datetime.date(2999, 1, 1)}, None),
    (A.ROUTE, "carol", {"unit": "keji", "due_date": datetime.date(2999, 1, 1)}, None),
    (A.ANSWER, "bob", {"answer": "x"}, None),  # not routed yet
    (A.CONFIRM, "alice", {}, None),  # closing without an answer
])
def test_a_refused_step_changes_nothing_and_says_why_in_chinese(firm, alice, bob, carol, action, who, kwargs, field):
    users = {"alice": alice, "bob": bob, "carol": carol}
    item = file_request(firm, alice)
    before = (ServiceRequest.objects.values().get(pk=item.pk), RequestEvent.objects.count(),
              Notification.objects.count())
    with pytest.raises(ValidationError) as refused:
        workflow.advance(item, action, users[who], **kwargs)
    message = " ".join(refused.value.messages)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    if field:
        assert field in refused.value.message_dict
    assert before == (ServiceRequest.objects.values().get(pk=item.pk), RequestEvent.objects.count(),
                      Notification.objects.count())


def test_only_the_routed_unit_answers_and_only_the_firm_or_staff_confirm(firm, other_firm, alice, bob, erin):
    from enterprises.services import assign_role
    from jinhu_portal.roles import Role
    from tests.factories import UserFactory

    fagai = assign_role(UserFactory(username="fagai"), Role.MEMBER_UNIT, member_unit="fagai")
    item = ServiceRequestFactory(enterprise=firm)
    workflow.advance(item, A.ROUTE, bob, unit="keji", due_date=timezone.localdate())
    assert [s.action for s in workflow.allowed_actions(item, erin)] == [A.ANSWER]
    assert workflow.allowed_actions(item, fagai) == [] and workflow.allowed_actions(item, alice) == []
    with pytest.raises(workflow.NotAllowed):
        workflow.advance(item, A.ANSWER, fagai, answer="不是我们的")
    workflow.advance(item, A.ANSWER, erin, answer="已答复")
    assert {s.action for s in workflow.allowed_actions(item, alice)} == {A.CONFIRM, A.REOPEN}
    assert workflow.allowed_actions(item, erin) == []
    with pytest.raises(workflow.NotAllowed):
        file_request(other_firm, alice)
    assert workflow.requests_for(erin).count() == 1 and workflow.requests_for(fagai).count() == 0


# --- Pages -------------------------------------------------------------------------------------------

from io import StringIO  # noqa: E402

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.urls import reverse  # noqa: E402

from services.models import RequestAttachment  # noqa: E402


def test_a_firm_files_with_an_attachment_and_a_forbidden_type_is_refused_naming_the_file(
        client, alice, firm, bob, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(alice)
    url = reverse("services:request_create")
    bad = client.post(url, {"category": "land", "description": "扩建用地",
                            "files": [SimpleUploadedFile("a.exe", b"MZ\x90\x00")]})
    assert bad.status_code == 200 and "a.exe" in bad.content.decode() and not ServiceRequest.objects.exists()
    good = client.post(url, {"category": "land", "description": "扩建用地",
                             "files": [SimpleUploadedFile("图.pdf", b"%PDF-1.4 x")]})
    item = ServiceRequest.objects.get()
    assert good.status_code == 302 and item.enterprise == firm and item.filed_by == alice
    assert RequestAttachment.objects.get().original_name == "图.pdf"
    assert client.get(reverse("services:request_attachment", args=[item.attachments.get().pk])).status_code == 200


def test_pages_walk_a_request_to_closure_and_a_unit_officer_of_another_unit_gets_404(
        client, firm, alice, bob, erin, carol):
    from enterprises.services import assign_role
    from jinhu_portal.roles import Role
    from tests.factories import UserFactory

    item = file_request(firm, alice)
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    client.force_login(bob)
    act = lambda action: reverse("services:request_act", args=[item.pk, action])  # noqa: E731
    assert client.post(act("route"), {"route-unit": "keji", "route-due_date": due}).status_code == 302
    fagai = assign_role(UserFactory(username="fagai"), Role.MEMBER_UNIT, member_unit="fagai")
    client.force_login(fagai)
    assert client.get(reverse("services:request_detail", args=[item.pk])).status_code == 404
    assert client.post(act("answer"), {"answer-answer": "越权答复"}).status_code == 404
    client.force_login(erin)
    refused = client.post(act("answer"), {"answer-answer": " "})
    assert refused.status_code == 400 and "请填写答复内容" in refused.content.decode()
    assert client.post(act("answer"), {"answer-answer": "已答复"}).status_code == 302
    client.force_login(carol)
    assert client.post(act("confirm"), {}).status_code == 403
    client.force_login(alice)
    assert client.post(act("confirm"), {}).status_code == 302
    page = client.get(reverse("services:request_detail", args=[item.pk])).content.decode()
    assert "已办结" in page and "已答复" in page and "分办" in page
    item.refresh_from_db()
    assert item.status == S.CLOSED


def test_the_list_is_scoped_filtered_and_counts_overdue_per_unit(
        client, firm, other_firm, alice, bob, dave, erin, carol, django_assert_max_num_queries):
    mine = ServiceRequestFactory(enterprise=firm, description="本企业诉求")
    theirs = ServiceRequestFactory(enterprise=other_firm, description="他镇诉求")
    for item in (mine, theirs):
        workflow.advance(item, A.ROUTE, bob, unit="keji" if item is mine else "fagai", due_date=timezone.localdate())
    ServiceRequest.objects.filter(pk=mine.pk).update(due_date=datetime.date(2020, 1, 1))
    url = reverse("services:request_list")
    for user, sees, hides in [(alice, mine, theirs), (dave, mine, theirs), (erin, mine, theirs)]:
        client.force_login(user)
        html = client.get(url).content.decode()
        assert sees.description in html and hides.description not in html
    client.force_login(carol)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert [(r["unit"], r["overdue"]) for r in response.context["overdue_by_unit"]] == [("县科技局", 1), ("县发改委", 0)]
    html = client.get(url, {"overdue": "true"}).content.decode()
    assert mine.description in html and theirs.description not in html
    export = client.get(reverse("services:request_export"), {"unit": "fagai"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_the_daily_reminders_tell_of_an_overdue_request_once(firm, bob, erin):
    item = ServiceRequestFactory(enterprise=firm)
    workflow.advance(item, A.ROUTE, bob, unit="keji", due_date=timezone.localdate())
    ServiceRequest.objects.filter(pk=item.pk).update(due_date=datetime.date(2020, 1, 1))
    before = Notification.objects.filter(user=erin).count()
    call_command("send_reminders", stdout=StringIO())
    call_command("send_reminders", stdout=StringIO())
    assert Notification.objects.filter(user=erin).count() == before + 1
    assert Notification.objects.filter(user=bob, title__startswith="【逾期").count() == 1


# --- API ---------------------------------------------------------------------------------------------

def test_the_api_files_routes_answers_and_confirms_through_the_workflow_with_history(client, firm, other_firm,
                                                                                    alice, bob, erin):
    client.force_login(alice)
    api = "/api/v1/service-requests/"
    refused = client.post(api, {"enterprise": other_firm.pk, "category": "talent", "description": "x"},
                          content_type="application/json")
    assert refused.status_code == 400 and "本企业" in refused.content.decode()
    created = client.post(api, {"category": "talent", "description": "引进高级工程师"}, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.post(f"{api}{pk}/route/", {"unit": "keji", "due_date": "2999-01-01"},
                       content_type="application/json").status_code == 403
    client.force_login(bob)
    past = client.post(f"{api}{pk}/route/", {"unit": "keji", "due_date": "2000-01-01"},
                       content_type="application/json")
    assert past.status_code == 400 and "due_date" in past.json()
    assert client.post(f"{api}{pk}/route/", {"unit": "keji", "due_date": "2999-01-01"},
                       content_type="application/json").status_code == 200
    client.force_login(erin)
    assert client.post(f"{api}{pk}/answer/", {"answer": "已推荐人才"}, content_type="application/json").status_code == 200
    client.force_login(alice)
    body = client.post(f"{api}{pk}/confirm/", {}, content_type="application/json").json()
    assert body["status"] == "closed" and [e["action"] for e in body["history"]] == [
        "file", "route", "answer", "confirm"]
    assert client.get(api).json()["count"] == 1
