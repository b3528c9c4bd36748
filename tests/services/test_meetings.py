"""Joint meetings (月度联席会议): attendees, minutes, decisions; a decision becomes a task through the
workflow's route step and the meeting page follows its status; the quarterly report by member unit;
the API with decisions. And the firm's services in its 一企一册 dossier."""
import datetime

from django.urls import reverse
from django.utils import timezone

from enterprises.models import Notification
from services import workflow
from services.models import Decision, DecisionEvent, Meeting, RequestAction, RequestStatus

from ..factories import DecisionFactory, LinkFactory, MeetingFactory, ServiceRequestFactory, UserFactory, VisitFactory


def test_staff_record_a_meeting_with_member_units_as_check_boxes(client, bob):
    client.force_login(bob)
    form = client.get(reverse("services:meeting_create")).content.decode()
    assert 'name="attendees" value="keji"' in form and 'type="checkbox"' in form
    response = client.post(reverse("services:meeting_create"), {
        "date": "2024-04-12", "title": "4月联席会议", "attendees": ["keji", "gongxin"], "minutes": "研究融资对接。"})
    meeting = Meeting.objects.get(title="4月联席会议")
    assert response.status_code == 302 and meeting.attendees == ["gongxin", "keji"] and meeting.created_by == bob
    html = client.get(reverse("services:meeting_detail", args=[meeting.pk])).content.decode()
    assert "县工信局、县科技局" in html and "研究融资对接。" in html
    response = client.post(reverse("services:meeting_create"), {"date": "2024-04-12", "title": "无单位",
                                                                 "attendees": ["nobody"]})
    assert response.status_code == 200 and "不是成员单位" in response.content.decode()


def test_a_decision_becomes_a_task_by_routing_and_the_meeting_shows_its_status(client, bob, erin, carol):
    meeting = MeetingFactory()
    client.force_login(bob)
    client.post(reverse("services:decision_add", args=[meeting.pk]), {"text": "科技局牵头组织产学研对接会"})
    decision = Decision.objects.get(meeting=meeting)
    assert decision.status == ""
    due = timezone.localdate() + datetime.timedelta(days=30)
    route = reverse("services:decision_route", args=[decision.pk])
    past = client.post(route, {"unit": "keji", "due_date": "2020-01-01"})
    assert past.status_code == 400 and "办理期限不能早于今天。" in past.content.decode()
    assert Decision.objects.get(pk=decision.pk).status == ""
    response = client.post(route, {"unit": "keji", "due_date": due.isoformat(), "note": "下月底前完成"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.unit, decision.due_date) == (RequestStatus.ROUTED, "keji", due)
    event = DecisionEvent.objects.get(decision=decision)
    assert (event.action, event.actor, event.to_status) == (RequestAction.ROUTE, bob, RequestStatus.ROUTED)
    assert Notification.objects.filter(user=erin, link=reverse("services:task_detail", args=[decision.pk])).exists()
    # The unit answers through the workflow; the meeting page follows.
    workflow.advance(decision, RequestAction.ANSWER, erin, answer="已于本月召开对接会。")
    client.force_login(carol)
    html = client.get(reverse("services:meeting_detail", args=[meeting.pk])).content.decode()
    assert "已答复待确认" in html and "县科技局" in html and reverse("services:task_detail", args=[decision.pk]) in html
    assert "decision_route" not in html and client.get(route).status_code == 403   # leaders read only


def test_the_meeting_list_reports_each_units_tasks_by_quarter(client, carol):
    today = timezone.localdate()
    year = today.year
    DecisionFactory(unit="keji", due_date=datetime.date(year, 2, 1), status=RequestStatus.CLOSED)
    DecisionFactory(unit="keji", due_date=datetime.date(year, 3, 1), status=RequestStatus.ROUTED)
    DecisionFactory(unit="fagai", due_date=datetime.date(year, 11, 1), status=RequestStatus.ANSWERED)
    DecisionFactory(text="尚未交办")
    client.force_login(carol)
    response = client.get(reverse("services:meeting_list"), {"year": year})
    report = {row["unit"]: row for row in response.context["report"]}
    assert set(report) == {"keji", "fagai"}
    keji_q1 = report["keji"]["quarters"][0]
    assert (keji_q1["total"], keji_q1["closed"]) == (2, 1)
    assert keji_q1["overdue"] == (1 if datetime.date(year, 3, 1) < today else 0)
    assert report["fagai"]["quarters"][3]["total"] == 1 and report["fagai"]["label"] == "县发改委"


def test_the_meetings_api_lists_decisions_with_their_task_status(client, carol):
    decision = DecisionFactory(unit="keji", due_date=datetime.date(2020, 1, 1), status=RequestStatus.ROUTED)
    client.force_login(carol)
    body = client.get(reverse("api:meeting-list")).json()
    meeting = body["results"][0]
    assert meeting["attendee_labels"] == ["县工信局", "县科技局"]
    assert meeting["decisions"][0]["id"] == decision.pk
    assert meeting["decisions"][0]["status_label"] == "办理中" and meeting["decisions"][0]["overdue"] is True


def test_the_dossier_shows_the_firms_links_visits_and_requests(client, alice, firm):
    person = UserFactory(username="linked", first_name="县领导甲")
    LinkFactory(person=person, enterprise=firm)
    VisitFactory(enterprise=firm, topics="了解技改项目进度")
    ServiceRequestFactory(enterprise=firm, description="申请技改贷款贴息", status=RequestStatus.ROUTED, unit="keji",
                          due_date=datetime.date(2020, 1, 1))
    client.force_login(alice)
    html = client.get(reverse("dossier", args=[firm.pk])).content.decode()
    assert 'id="dossier-services"' in html and 'href="#dossier-services"' in html
    assert "县领导甲" in html and "了解技改项目进度" in html and "申请技改贷款贴息" in html and "已逾期" in html
