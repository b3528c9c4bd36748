"""Requests (诉求): filed by a firm, or staff on its behalf; routed, answered, confirmed or reopened
through services.workflow. Who sees which request is `workflow.requests_for(user)`: one outside it is
a 404 (a unit officer cannot even see a request routed to another unit)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from criteria.uploads import clean_name
from enterprises.models.choices import MemberUnit
from enterprises.xlsx_export import xlsx_response
from jinhu_portal.roles import STAFF_ROLES, Role, role_of
from jinhu_portal.templatetags.portal_format import person_name

from .. import workflow
from ..models import RequestAction, RequestAttachment, RequestEvent, RequestStatus, ServiceRequest
from ..request_filters import RequestFilterSet
from ..request_forms import RequestFileForm, StepForm
from ..request_tables import RequestTable

FILERS = (Role.ENTERPRISE, *STAFF_ROLES)


def _reader(view):
    """Any user with a role that reaches requests (everyone but the role-less)."""
    @login_required
    def wrapped(request, *args, **kwargs):
        if role_of(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _requests(request):
    qs = (workflow.requests_for(request.user).select_related("enterprise__town", "filed_by")
          .order_by("-filed_at", "-pk"))
    return RequestFilterSet(request.GET, queryset=qs, request=request)


def _overdue_by_unit(user):
    """Routed requests past due, counted per unit (staff, admins and leaders see the table)."""
    if role_of(user) not in (*STAFF_ROLES, Role.LEADER):
        return None
    today = timezone.localdate()
    rows = (workflow.requests_for(user).exclude(unit="").values("unit")
            .annotate(open=Count("pk", filter=Q(status=RequestStatus.ROUTED)),
                      overdue=Count("pk", filter=workflow.overdue_q(today)))
            .filter(open__gt=0).order_by("-overdue", "unit"))
    labels = dict(MemberUnit.choices)
    return [{"unit": labels.get(r["unit"], r["unit"]), "code": r["unit"], "open": r["open"],
             "overdue": r["overdue"]} for r in rows]


@_reader
def request_list(request):
    filterset = _requests(request)
    table = RequestTable(filterset.qs, today=timezone.localdate())
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    return render(request, "services/request_list.html", {
        "filter": filterset, "table": table, "overdue_by_unit": _overdue_by_unit(request.user),
        "can_file": role_of(request.user) in FILERS})


@_reader
def request_export(request):
    today = timezone.localdate()
    rows = ([r.pk, r.enterprise.name, r.enterprise.town.name, r.get_category_display(), r.description,
             r.get_status_display(), r.get_unit_display() if r.unit else "",
             r.due_date.isoformat() if r.due_date else "", "是" if workflow.is_overdue(r, today) else "否",
             timezone.localtime(r.filed_at).strftime("%Y-%m-%d %H:%M"), person_name(r.filed_by), r.answer,
             timezone.localtime(r.answered_at).strftime("%Y-%m-%d %H:%M") if r.answered_at else "",
             timezone.localtime(r.closed_at).strftime("%Y-%m-%d %H:%M") if r.closed_at else "",
             "是" if workflow.closed_on_time(r) else "否"]
            for r in _requests(request).qs)
    return xlsx_response("企业诉求.xlsx", "企业诉求",
                         ["编号", "企业名称", "镇（街道、开发区）", "诉求类别", "诉求内容", "状态", "承办单位",
                          "办理期限", "是否逾期", "提交时间", "提交人", "答复内容", "答复时间", "办结时间",
                          "按期办结"], rows)


@_reader
def request_create(request):
    if role_of(request.user) not in FILERS:
        raise PermissionDenied
    initial = {"enterprise": request.GET["enterprise"]} if request.GET.get("enterprise", "").isdigit() else {}
    form = RequestFileForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        try:
            with transaction.atomic():
                workflow.advance(item, RequestAction.FILE, request.user)
                for attachment in form.attachments(item):
                    attachment.save()
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("诉求已提交，工信局将尽快分办。"))
            return redirect("services:request_detail", pk=item.pk)
    return render(request, "services/request_form.html", {"form": form, "title": _("提交诉求")})


def _errors_to_form(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _request_or_404(user, pk):
    events = RequestEvent.objects.select_related("actor").order_by("at", "pk")
    return get_object_or_404(workflow.requests_for(user).select_related("enterprise__town", "filed_by")
                             .prefetch_related(Prefetch("events", queryset=events), "attachments"), pk=pk)


def _step_forms(item, user, data=None, failed=None):
    forms = []
    for step in workflow.allowed_actions(item, user):
        bound = data if failed == step.action else None
        form = StepForm(bound, action=step.action, step_label=step.label, prefix=step.action,
                        initial={"answer": item.answer} if step.action == RequestAction.ANSWER else None)
        form.helper.form_action = reverse("services:request_act", args=[item.pk, step.action])
        form.step = step
        forms.append(form)
    return forms


@_reader
def request_detail(request, pk):
    item = _request_or_404(request.user, pk)
    return _detail(request, item, _step_forms(item, request.user))


def _detail(request, item, step_forms, status=200):
    return render(request, "services/request_detail.html", {
        "item": item, "events": item.events.all(), "attachments": item.attachments.all(),
        "overdue": workflow.is_overdue(item), "on_time": workflow.closed_on_time(item), "step_forms": step_forms,
        "show_answer": item.status in (RequestStatus.ANSWERED, RequestStatus.CLOSED)}, status=status)


def take_step(request, item, action, *, reload, step_forms, detail, names, busy, **form_kwargs):
    """One workflow step posted from a detail page, for requests and tasks alike: an unknown step is a
    404, a step not the user's a 403, a step no longer possible a message; a refused step re-shows the
    page with the form's errors (400) and changes nothing."""
    if action not in workflow.STEPS or action == RequestAction.FILE:
        raise Http404
    step = workflow.STEPS[action]
    if not step.who(item, request.user):
        raise PermissionDenied
    if not workflow.may(item, action, request.user):
        messages.error(request, busy % {"action": step.label})
        return redirect(f"services:{names}_detail", pk=item.pk)
    form = StepForm(request.POST, action=action, step_label=step.label, prefix=action, **form_kwargs)
    if form.is_valid():
        try:
            workflow.advance(item, action, request.user, **form.step_kwargs())
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已%(action)s。") % {"action": step.label})
            return redirect(f"services:{names}_detail", pk=item.pk)
    item = reload()
    form.step = step
    form.helper.form_action = reverse(f"services:{names}_act", args=[item.pk, action])
    forms = [form if f.step.action == action else f for f in step_forms(item, request.user)]
    return detail(request, item, forms, status=400)


@_reader
@require_POST
def request_act(request, pk, action):
    return take_step(request, _request_or_404(request.user, pk), action,
                     reload=lambda: _request_or_404(request.user, pk), step_forms=_step_forms, detail=_detail,
                     names="request", busy=_("当前不能“%(action)s”：可能已被他人处理，或您无此权限。"))


@_reader
def request_attachment(request, pk):
    attachment = get_object_or_404(RequestAttachment.objects.filter(
        request__in=workflow.requests_for(request.user)), pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=clean_name(attachment.original_name))


urlpatterns = [
    path("requests/", request_list, name="request_list"),
    path("requests/export/", request_export, name="request_export"),
    path("requests/new/", request_create, name="request_create"),
    path("requests/<int:pk>/", request_detail, name="request_detail"),
    path("requests/<int:pk>/<str:action>/", request_act, name="request_act"),
    path("requests/attachments/<int:pk>/", request_attachment, name="request_attachment"),
]
