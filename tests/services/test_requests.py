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
