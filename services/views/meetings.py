"""Joint meetings (月度联席会议): the list with each year's quarterly report of tasks by member unit,
staff's meeting form (attendees as check boxes of member units, minutes), the meeting page with its
decisions; a decision becomes a task when staff route it to a unit with a due date, which is the
workflow's ROUTE step (`services.workflow.advance`), and is then followed on its task page."""
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models.choices import MemberUnit
from jinhu_portal.decorators import perm_required, roles_required
from jinhu_portal.roles import STAFF_ROLES, is_staff_role

from .. import workflow
from ..filters import MeetingFilter
from ..forms import DecisionForm, DecisionRouteForm, MeetingForm
from ..models import Decision, Meeting, RequestAction, RequestStatus

UNIT_LABELS = dict(MemberUnit.choices)
QUARTERS = (1, 2, 3, 4)


def meetings_in_scope():
    return Meeting.objects.annotate(
        decision_count=Count("decisions", distinct=True),
        task_count=Count("decisions", filter=~Q(decisions__status=""), distinct=True),
    ).order_by("-date", "-pk")


def task_state(decision, today):
    """(css key, label) of a decision's task state: not a task, overdue, or its status."""
    if not decision.status:
        return "none", _("未交办")
    if workflow.is_overdue(decision, today):
        return "overdue", _("已逾期")
    return decision.status, decision.get_status_display()


def quarterly_report(year, today=None):
    """The tasks due in `year`, by member unit and quarter of their due date: for each unit and quarter
    the number of tasks, closed and overdue (member units report quarterly: 金政发〔2022〕33号 四)."""
    today = today or timezone.localdate()
    cells = defaultdict(lambda: {q: {"total": 0, "closed": 0, "overdue": 0} for q in QUARTERS})
    tasks = (Decision.objects.exclude(status="").exclude(unit="").filter(due_date__year=year)
             .values_list("unit", "due_date", "status"))
    for unit, due, status in tasks:
        cell = cells[unit][(due.month - 1) // 3 + 1]
        cell["total"] += 1
        cell["closed"] += status == RequestStatus.CLOSED
        cell["overdue"] += status == RequestStatus.ROUTED and due < today
    order = {code: i for i, code in enumerate(MemberUnit.values)}
    return [{"unit": unit, "label": UNIT_LABELS.get(unit, unit), "quarters": [cells[unit][q] for q in QUARTERS],
             "total": sum(c["total"] for c in cells[unit].values()),
             "closed": sum(c["closed"] for c in cells[unit].values()),
             "overdue": sum(c["overdue"] for c in cells[unit].values())}
            for unit in sorted(cells, key=lambda u: order.get(u, 99))]


def _report_year(request):
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@perm_required("services.view_meeting")
def meeting_list(request):
    filterset = MeetingFilter(request.GET, queryset=meetings_in_scope())
    year = _report_year(request)
    return render(request, "services/meeting_list.html", {
        "filter": filterset, "meetings": filterset.qs, "can_edit": is_staff_role(request.user),
        "report_year": year, "report": quarterly_report(year), "quarters": QUARTERS})


@roles_required(*STAFF_ROLES)
def meeting_create(request):
    return _meeting_form(request, Meeting(), _("新增联席会议"))


@roles_required(*STAFF_ROLES)
def meeting_edit(request, pk):
    return _meeting_form(request, get_object_or_404(Meeting, pk=pk), _("编辑联席会议"))


def _meeting_form(request, meeting, title):
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if saved.created_by_id is None:
            saved.created_by = request.user
        saved.save()
        messages.success(request, _("已保存联席会议：%(t)s。") % {"t": saved.title})
        return redirect("services:meeting_detail", pk=saved.pk)
    return render(request, "services/meeting_form.html", {"form": form, "title": title, "meeting": meeting})


@perm_required("services.view_meeting")
def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("created_by"), pk=pk)
    return _meeting_page(request, meeting, DecisionForm(parent=meeting) if is_staff_role(request.user) else None)


def _meeting_page(request, meeting, form, status=200):
    today = timezone.localdate()
    decisions = list(meeting.decisions.order_by("pk"))
    for d in decisions:
        d.state, d.state_label = task_state(d, today)
        d.may_route = is_staff_role(request.user) and workflow.may(d, RequestAction.ROUTE, request.user)
    return render(request, "services/meeting_detail.html", {
        "meeting": meeting, "decisions": decisions, "form": form, "can_edit": is_staff_role(request.user),
        "attendee_labels": [UNIT_LABELS.get(code, code) for code in meeting.attendees or []]}, status=status)


@roles_required(*STAFF_ROLES)
@require_POST
def decision_add(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = DecisionForm(request.POST, parent=meeting)
    if form.is_valid():
        form.save()
        messages.success(request, _("已添加议定事项。"))
        return redirect("services:meeting_detail", pk=meeting.pk)
    return _meeting_page(request, meeting, form, status=400)


@roles_required(*STAFF_ROLES)
def decision_edit(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    form = DecisionForm(request.POST or None, instance=decision, parent=decision.meeting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存议定事项。"))
        return redirect("services:meeting_detail", pk=decision.meeting_id)
    return render(request, "services/meeting_decision_form.html", {
        "form": form, "decision": decision, "meeting": decision.meeting, "title": _("编辑议定事项")})


@roles_required(*STAFF_ROLES)
@require_POST
def decision_delete(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    if decision.status:
        messages.error(request, _("该议定事项已交办，不能删除。"))
    else:
        decision.delete()
        messages.success(request, _("已删除议定事项。"))
    return redirect("services:meeting_detail", pk=decision.meeting_id)


@roles_required(*STAFF_ROLES)
def decision_route(request, pk):
    """Make a decision a task (or give it another unit or due date): the workflow's ROUTE step."""
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    if not workflow.may(decision, RequestAction.ROUTE, request.user):
        raise Http404
    initial = {"unit": decision.unit, "due_date": decision.due_date}
    form = DecisionRouteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workflow.advance(decision, RequestAction.ROUTE, request.user, unit=data["unit"],
                             due_date=data["due_date"], note=data["note"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("已交办%(unit)s，完成期限%(due)s。") % {
                "unit": decision.get_unit_display(), "due": decision.due_date.isoformat()})
            return redirect("services:meeting_detail", pk=decision.meeting_id)
    return render(request, "services/meeting_decision_form.html", {
        "form": form, "decision": decision, "meeting": decision.meeting, "title": _("交办议定事项"),
        "routing": True}, status=400 if form.errors else 200)


urlpatterns = [
    path("meetings/", meeting_list, name="meeting_list"),
    path("meetings/new/", meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/decisions/add/", decision_add, name="decision_add"),
    path("meetings/decisions/<int:pk>/edit/", decision_edit, name="decision_edit"),
    path("meetings/decisions/<int:pk>/delete/", decision_delete, name="decision_delete"),
    path("meetings/decisions/<int:pk>/route/", decision_route, name="decision_route"),
]
