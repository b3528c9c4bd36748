"""Task follow-up: meeting decisions given to a unit with a due date (made tasks on the meeting pages),
followed like requests through services.workflow. A unit officer sees its unit's tasks only; staff,
admins and leaders (read-only) all; others none (`workflow.tasks_for`)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from jinhu_portal.roles import STAFF_ROLES, Role, role_of

from .. import workflow
from ..models import DecisionEvent, RequestAction
from ..request_filters import TaskFilterSet
from ..request_forms import StepForm
from ..request_tables import TaskTable
from .requests import take_step

TASK_READERS = (*STAFF_ROLES, Role.LEADER, Role.MEMBER_UNIT)


def _task_reader(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if role_of(request.user) not in TASK_READERS:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_task_reader
def task_list(request):
    qs = workflow.tasks_for(request.user).select_related("meeting").order_by("due_date", "pk")
    filterset = TaskFilterSet(request.GET, queryset=qs, request=request)
    table = TaskTable(filterset.qs, today=timezone.localdate())
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    return render(request, "services/task_list.html", {"filter": filterset, "table": table})


def _task_or_404(user, pk):
    events = DecisionEvent.objects.select_related("actor").order_by("at", "pk")
    return get_object_or_404(workflow.tasks_for(user).select_related("meeting")
                             .prefetch_related(Prefetch("events", queryset=events)), pk=pk)


def _step_forms(item, user):
    forms = []
    for step in workflow.allowed_actions(item, user):
        form = StepForm(None, action=step.action, step_label=step.label, prefix=step.action,
                        due_label=_("完成期限"),
                        initial={"answer": item.answer} if step.action == RequestAction.ANSWER else None)
        form.helper.form_action = reverse("services:task_act", args=[item.pk, step.action])
        form.step = step
        forms.append(form)
    return forms


def _detail(request, item, step_forms, status=200):
    return render(request, "services/task_detail.html", {
        "item": item, "events": item.events.all(), "overdue": workflow.is_overdue(item),
        "on_time": workflow.closed_on_time(item), "step_forms": step_forms,
        "show_answer": item.status in ("answered", "closed")}, status=status)


@_task_reader
def task_detail(request, pk):
    item = _task_or_404(request.user, pk)
    return _detail(request, item, _step_forms(item, request.user))


@_task_reader
@require_POST
def task_act(request, pk, action):
    return take_step(request, _task_or_404(request.user, pk), action,
                     reload=lambda: _task_or_404(request.user, pk), step_forms=_step_forms, detail=_detail,
                     names="task", busy=_("当前不能“%(action)s”：可能已被他人处理，请刷新后查看。"),
                     due_label=_("完成期限"))


urlpatterns = [
    path("tasks/", task_list, name="task_list"),
    path("tasks/<int:pk>/", task_detail, name="task_detail"),
    path("tasks/<int:pk>/<str:action>/", task_act, name="task_act"),
]
