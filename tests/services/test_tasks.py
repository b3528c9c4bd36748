"""Meeting decisions made tasks (a unit and a due date) and followed like requests."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enterprises.models import Notification
from services import workflow
from services.models import DecisionEvent
from services.models import RequestAction as A
from services.models import RequestStatus as S
from tests.factories import DecisionFactory


def test_a_decision_becomes_a_task_and_is_followed_to_closure_with_its_history(bob, erin, carol):
    decision = DecisionFactory()
    assert workflow.allowed_actions(decision, bob)[0].action == A.ROUTE
    due = timezone.localdate() + datetime.timedelta(days=10)
    workflow.advance(decision, A.ROUTE, bob, unit="keji", due_date=due)
    assert (decision.status, decision.unit, decision.due_date) == (S.ROUTED, "keji", due)
    assert list(workflow.tasks_for(erin)) == [decision] and list(workflow.tasks_for(carol)) == [decision]
    workflow.advance(decision, A.ANSWER, erin, answer="已完成需求清单")
    workflow.advance(decision, A.REOPEN, bob, note="清单缺少人才需求")
    workflow.advance(decision, A.ANSWER, erin, answer="已补充")
    with pytest.raises(workflow.NotAllowed):
        workflow.advance(decision, A.CONFIRM, erin)
    workflow.advance(decision, A.CONFIRM, bob)
    decision.refresh_from_db()
    assert decision.status == S.CLOSED and workflow.closed_on_time(decision)
    assert [e.to_status for e in DecisionEvent.objects.filter(decision=decision)] == [
        S.ROUTED, S.ANSWERED, S.ROUTED, S.ANSWERED, S.CLOSED]
    assert "县科技局" in DecisionEvent.objects.filter(decision=decision).first().note
    assert Notification.objects.filter(user=erin).count() == 2  # routed, reopened
    assert Notification.objects.filter(user=bob).count() == 2  # answered twice


def test_a_decision_cannot_be_filed_nor_answered_before_it_is_a_task(bob):
    decision = DecisionFactory()
    with pytest.raises(ValidationError):
        workflow.advance(decision, A.FILE, bob)
    with pytest.raises(ValidationError):
        workflow.advance(decision, A.ANSWER, bob, answer="x")
    decision.refresh_from_db()
    assert decision.status == "" and not DecisionEvent.objects.exists()
