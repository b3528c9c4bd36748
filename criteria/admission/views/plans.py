"""Cultivation plans (分类辅导，一企一策), the tracking officer (专人跟踪) and "我的企业".

Everyone reads the plans in their scope (a firm only its own, read-only; a town its firms); staff
generate, edit, add and close. A plan outside one's scope is a 404.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from criteria.models.evaluations import Result
from enterprises.models import Enterprise, PoolStatus
from jinhu_portal.decorators import perm_required, roles_required
from jinhu_portal.redirects import safe_next
from jinhu_portal.roles import STAFF_ROLES, is_staff_role
from jinhu_portal.templatetags.portal_format import person_name

from .. import plans as services
from ..filters import PlanFilterSet
from ..models import CultivationPlan, ItemStatus, PlanItem, PlanStatus
from ..plan_forms import ItemDoneForm, PlanCreateForm, PlanItemForm, TrackingForm
from ..plan_tables import PlanTable

RESULT_LABELS = dict(Result.choices)


def plans_in_scope(user):
    return CultivationPlan.objects.visible_to(user)


def _plan_or_404(user, pk):
    return get_object_or_404(plans_in_scope(user).select_related(
        "enterprise__town", "enterprise__tracking_officer", "created_by"), pk=pk)


# ------------------------------------------------------------------------------------------------
# The list, generating, the plan page
# ------------------------------------------------------------------------------------------------

@perm_required("criteria.view_cultivationplan")
def plan_list(request):
    qs = services.annotate_plans(plans_in_scope(request.user).select_related(
        "enterprise__town", "enterprise__tracking_officer")).order_by("-items_overdue", "enterprise__name", "tier")
    filterset = PlanFilterSet(request.GET, queryset=qs, request=request)
    table = PlanTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    return render(request, "criteria/plan_list.html", {
        "filter": filterset, "table": table, "can_edit": is_staff_role(request.user)})


@roles_required(*STAFF_ROLES)
def plan_create(request):
    initial = {k: request.GET[k] for k in ("enterprise", "tier") if request.GET.get(k)}
    form = PlanCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.generate_plan(data["enterprise"], data["tier"], user=request.user,
                                          due_date=data["due_date"], title=data["title"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已生成培育计划，共 %(n)s 项事项。") % {"n": plan.items.count()})
            return redirect("criteria:plan_detail", pk=plan.pk)
    return render(request, "enterprises/form.html", {"form": form, "title": _("生成培育计划")})


def _progress_chart(progress):
    """The firm's distance to the tier over time, for ECharts: dates, rules lacking, items done."""
    return {"dates": [timezone.localtime(p.evaluated_at).strftime("%Y-%m-%d %H:%M") for p in progress],
            "lacking": [p.missed + p.open for p in progress],
            "done": [p.items_done for p in progress],
            "labels": {"lacking": _("尚缺条目"), "done": _("已完成事项")}}


@perm_required("criteria.view_cultivationplan")
def plan_detail(request, pk):
    plan = _plan_or_404(request.user, pk)
    today = timezone.localdate()
    items = list(services.annotate_items(plan.items.select_related("owner"), today))
    progress = list(plan.progress.order_by("evaluated_at", "pk"))
    outcome = services.latest_outcome(plan.enterprise, plan.tier)
    missing = services.missing_rows(outcome)
    can_edit = is_staff_role(request.user) and plan.status == PlanStatus.ACTIVE
    context = {
        "plan": plan, "enterprise": plan.enterprise, "items": items, "progress": progress, "outcome": outcome,
        "missing": missing, "result_labels": RESULT_LABELS, "today": today,
        "done": sum(i.status in services.CLOSED_STATUSES for i in items), "total": len(items),
        "overdue": sum(bool(i.overdue) for i in items),
        "chart": _progress_chart(progress) if len(progress) > 1 else None,
        "can_edit": can_edit, "is_staff": is_staff_role(request.user),
        "item_form": PlanItemForm(plan=plan, initial={"owner": plan.enterprise.tracking_officer,
                                                      "due_date": services.end_of_year(today)},
                                  prefix="new") if can_edit else None,
    }
    if can_edit:
        context["item_form"].helper.form_action = reverse("criteria:plan_item_create", args=[plan.pk])
    return render(request, "criteria/plan_detail.html", context)


@roles_required(*STAFF_ROLES)
@require_POST
def plan_close(request, pk):
    plan = _plan_or_404(request.user, pk)
    if plan.status != PlanStatus.ACTIVE:
        messages.error(request, _("该培育计划已结束。"))
    else:
        CultivationPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.CLOSED)
        messages.success(request, _("培育计划已结束；如需继续培育，可重新生成计划。"))
    return redirect("criteria:plan_detail", pk=plan.pk)


# ------------------------------------------------------------------------------------------------
# Items
# ------------------------------------------------------------------------------------------------

def _active_plan_or_refuse(request, plan):
    if plan.status != PlanStatus.ACTIVE:
        messages.error(request, _("该培育计划已结束，不能再修改。"))
        return False
    return True


@roles_required(*STAFF_ROLES)
def plan_item_create(request, pk):
    plan = _plan_or_404(request.user, pk)
    if not _active_plan_or_refuse(request, plan):
        return redirect("criteria:plan_detail", pk=plan.pk)
    form = PlanItemForm(request.POST or None, plan=plan, prefix="new",
                        initial={"owner": plan.enterprise.tracking_officer,
                                 "due_date": services.end_of_year()})
    form.helper.form_action = request.path
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.position = (plan.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        item.save()
        messages.success(request, _("已新增事项。"))
        return redirect("criteria:plan_detail", pk=plan.pk)
    return render(request, "enterprises/form.html", {"form": form, "title": _("新增培育事项"),
                                                     "enterprise": plan.enterprise})


def _item_or_404(request, pk):
    return get_object_or_404(PlanItem.objects.visible_to(request.user).select_related(
        "plan__enterprise__tracking_officer"), pk=pk)


@roles_required(*STAFF_ROLES)
def plan_item_edit(request, pk):
    item = _item_or_404(request, pk)
    plan = item.plan
    if not _active_plan_or_refuse(request, plan):
        return redirect("criteria:plan_detail", pk=plan.pk)
    form = PlanItemForm(request.POST or None, instance=item, plan=plan)
    form.helper.form_action = request.path
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("事项已保存。"))
        return redirect("criteria:plan_detail", pk=plan.pk)
    if request.htmx and request.method == "GET":
        return render(request, "criteria/_plan_item_form.html", {"form": form, "item": item})
    return render(request, "enterprises/form.html", {"form": form, "title": _("编辑培育事项"),
                                                     "enterprise": plan.enterprise})


@roles_required(*STAFF_ROLES)
@require_POST
def plan_item_done(request, pk):
    item = _item_or_404(request, pk)
    if not _active_plan_or_refuse(request, item.plan):
        return redirect("criteria:plan_detail", pk=item.plan_id)
    form = ItemDoneForm(request.POST)
    if item.status != ItemStatus.OPEN:
        messages.error(request, _("该事项已完成。"))
    elif not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        item.status, item.closed_on, item.note = ItemStatus.DONE, timezone.localdate(), form.cleaned_data["note"]
        item.save(update_fields=["status", "closed_on", "note"])
        messages.success(request, _("已标记完成：%(item)s") % {"item": item.gap_text})
    return redirect("criteria:plan_detail", pk=item.plan_id)


# ------------------------------------------------------------------------------------------------
# The firm page's panel and the tracking officer
# ------------------------------------------------------------------------------------------------

@perm_required("criteria.view_cultivationplan")
def enterprise_plans(request, pk):
    """The firm page's panel: its plans with their progress, its tracking officer and liaison; for
    staff the forms to generate a plan and to set the tracking officer."""
    firm = get_object_or_404(Enterprise.objects.visible_to(request.user).select_related("tracking_officer"), pk=pk)
    plans = services.annotate_plans(firm.cultivation_plans.all()).order_by("status", "-created_on", "tier")
    staff = is_staff_role(request.user)
    in_pool = firm.pool_status == PoolStatus.IN_POOL
    context = {"enterprise": firm, "plans": plans, "is_staff": staff, "in_pool": in_pool}
    if staff:
        context["tracking_form"] = TrackingForm(instance=firm)
        if in_pool:
            context["create_form"] = form = PlanCreateForm(user=request.user, initial={"enterprise": firm.pk})
            form.fields["due_date"].help_text = ""          # the panel's one-line form
    template = "criteria/_plan_panel.html" if request.htmx else "criteria/plan_panel_page.html"
    return render(request, template, context)


@roles_required(*STAFF_ROLES)
def enterprise_tracking(request, pk):
    firm = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    form = TrackingForm(request.POST or None, instance=firm)
    if request.method == "POST" and form.is_valid():
        firm = form.save(commit=False)
        firm.save(update_fields=["tracking_officer", "liaison_officer", "updated_at"])
        messages.success(request, _("已设置%(firm)s的跟踪责任人：%(who)s；政企联络员：%(liaison)s。") % {
            "firm": firm, "who": person_name(firm.tracking_officer) or _("未指定"),
            "liaison": firm.liaison_officer or _("未指定")})
        return redirect(safe_next(request, firm))
    return render(request, "enterprises/form.html", {"form": form, "title": _("跟踪责任人与政企联络员"),
                                                     "enterprise": firm})


# ------------------------------------------------------------------------------------------------
# 我的企业
# ------------------------------------------------------------------------------------------------

@roles_required(*STAFF_ROLES)
def my_firms(request):
    """The firms a staff member tracks (oneself by default), overdue plan items first, with counts."""
    officers = list(services.staff_users())
    officer = request.user
    wanted = request.GET.get("officer", "")
    if wanted.isdigit():
        officer = next((u for u in officers if u.pk == int(wanted)), None)
        if officer is None:
            raise Http404
    today = timezone.localdate()
    firms = list(services.tracked_firms(officer, today).prefetch_related(Prefetch(
        "cultivation_plans", queryset=CultivationPlan.objects.filter(status=PlanStatus.ACTIVE).order_by("tier"),
        to_attr="active_plans")))
    untracked = Enterprise.objects.filter(pool_status=PoolStatus.IN_POOL, tracking_officer__isnull=True).count()
    return render(request, "criteria/my_firms.html", {
        "officer": officer, "officers": officers, "firms": firms, "untracked": untracked,
        "is_self": officer.pk == request.user.pk,
        "totals": {k: sum(getattr(f, k) for f in firms) for k in ("items_total", "items_done", "items_open",
                                                                   "items_overdue")},
    })
