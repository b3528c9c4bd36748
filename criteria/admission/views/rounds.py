"""Rounds, the review queue, the pool roster and the yearly re-verification."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from enterprises.models import Enterprise
from enterprises.xlsx_export import xlsx_response
from jinhu_portal.decorators import perm_required, roles_required
from jinhu_portal.redirects import safe_next
from jinhu_portal.roles import Role, own_enterprise_id

from .. import verification, workflow
from ..declaring import in_pool
from ..filters import DeclarationFilterSet
from ..models import Declaration, PoolMembership, Round, RoundKind, Status, Verification
from ..round_forms import RoundForm, VerificationForm
from ..tables import DeclarationTable
from .declarations import DATABASE_DOWN, declarations_in_scope

REVIEWERS = (Role.STAFF, Role.ADMIN, Role.TOWN_OFFICER, Role.LEADER, Role.MEMBER_UNIT)


@perm_required("criteria.view_round")
def round_list(request):
    rounds = Round.objects.select_related("edition").annotate(
        n=Count("declarations", filter=Q(declarations__in=declarations_in_scope(request.user))))
    firm_id = own_enterprise_id(request.user)
    if firm_id and in_pool(firm_id):
        # A firm in the pool is not offered admission rounds, save one it has already declared in.
        declared = Declaration.objects.filter(enterprise_id=firm_id).values("round_id")
        rounds = rounds.exclude(Q(kind=RoundKind.ADMISSION) & ~Q(pk__in=declared))
    return render(request, "criteria/round_list.html", {"rounds": rounds, "today": timezone.localdate()})


@perm_required("criteria.add_round")
def round_create(request):
    form = RoundForm(request.POST or None, initial={"opens_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        round_ = form.save(commit=False)
        round_.created_by = request.user
        round_.save()
        if round_.is_open():
            from ..notifications import notify_round_opened

            notify_round_opened(round_)
        messages.success(request, _("申报批次已开放。"))
        return redirect(round_)
    return render(request, "enterprises/form.html", {"form": form, "title": _("开放申报批次")})


@roles_required(*REVIEWERS)
def round_detail(request, pk):
    round_ = get_object_or_404(Round.objects.select_related("edition"), pk=pk)
    labels = dict(Status.choices)
    counts = {labels[status]: n for status, n in declarations_in_scope(request.user).filter(round=round_)
              .values_list("status").annotate(n=Count("id"))}
    return render(request, "criteria/round_detail.html", {"round": round_, "counts": counts,
                                                          "today": timezone.localdate()})


def _queue(request):
    qs = (declarations_in_scope(request.user).select_related("enterprise__town", "round")
          .order_by("-met", "missed", "enterprise__name"))
    return DeclarationFilterSet(request.GET, queryset=qs)


@roles_required(*REVIEWERS)
def review_queue(request):
    filterset = _queue(request)
    table = DeclarationTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    return render(request, "criteria/review_queue.html", {"filter": filterset, "table": table})


@roles_required(*REVIEWERS)
def review_queue_export(request):
    rows = ([d.enterprise.name, d.enterprise.uscc, d.enterprise.town.name, d.round.title, d.get_status_display(),
             d.verdict, d.met, d.missed, d.submitted_at.strftime("%Y-%m-%d %H:%M") if d.submitted_at else ""]
            for d in _queue(request).qs)
    return xlsx_response("申报审核队列.xlsx", "审核队列",
                         ["企业名称", "统一社会信用代码", "镇（街道、开发区）", "批次", "状态", "评价结论", "符合条数",
                          "不符合条数", "提交时间"], rows)


@roles_required(Role.STAFF, Role.ADMIN)
@require_POST
def batch_approve(request):
    ids = [int(i) for i in request.POST.getlist("selection") if i.isdigit()]
    done, failed = 0, []
    for declaration in declarations_in_scope(request.user).filter(pk__in=ids).select_related("enterprise"):
        try:
            workflow.perform(declaration.pk, "approve", request.user)
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            failed.append(f"{declaration.enterprise.name}：{'；'.join(getattr(exc, 'messages', [_('无权操作')]))}")
        except DatabaseError:   # each approval is its own transaction: the ones before it stand
            failed.append(f"{declaration.enterprise.name}：{DATABASE_DOWN}")
    if done:
        messages.success(request, _("已批量审核通过 %(n)s 份申报。") % {"n": done})
    for message in failed:
        messages.error(request, message)
    return redirect(safe_next(request, "criteria:review_queue"))


def _roster(request):
    return (PoolMembership.objects.visible_to(request.user).select_related("enterprise__town", "round")
            .order_by(F("left_on").asc(nulls_first=True), "enterprise__name"))   # members first, on every database


@roles_required(*REVIEWERS)
def pool_roster(request):
    return render(request, "criteria/pool_roster.html", {"memberships": _roster(request)})


@roles_required(*REVIEWERS)
def pool_roster_export(request):
    rows = ([m.enterprise.name, m.enterprise.uscc, m.enterprise.town.name, m.admitted_on.isoformat(),
             m.round.title if m.round else "", m.left_on.isoformat() if m.left_on else "", m.leave_reason]
            for m in _roster(request))
    return xlsx_response("培育库名册.xlsx", "培育库名册",
                         ["企业名称", "统一社会信用代码", "镇（街道、开发区）", "入库日期", "入库批次", "出库日期", "出库原因"], rows)


@roles_required(Role.STAFF, Role.ADMIN)
@require_POST
def round_verify(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    try:
        rows = verification.verify_pool(round_)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(round_)
    messages.success(request, _("已核查 %(n)s 家在库企业。") % {"n": rows.count()})
    return redirect("criteria:verification_list", pk=round_.pk)


@roles_required(*REVIEWERS)
def verification_list(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    rows = (Verification.objects.visible_to(request.user).filter(round=round_)
            .select_related("enterprise__town", "decided_by").order_by("decision", "enterprise__name"))
    return render(request, "criteria/verification_list.html", {"round": round_, "rows": rows,
                                                               "form": VerificationForm()})


@roles_required(Role.STAFF, Role.ADMIN)
@require_POST
def verification_decide(request, pk):
    row = get_object_or_404(Verification.objects.select_related("round"), pk=pk)
    form = VerificationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        verification.decide(row, form.cleaned_data["decision"], form.cleaned_data["reason"], request.user)
        messages.success(request, _("已记录对%(firm)s的决定。") % {"firm": row.enterprise})
    return redirect("criteria:verification_list", pk=row.round_id)


@perm_required("criteria.view_declaration")
def enterprise_rounds(request, pk):
    """The firm page's panel: open rounds with their deadline, the firm's declarations, pool history."""
    firm = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    today = timezone.localdate()
    declarations = {d.round_id: d for d in firm.declarations.select_related("round")}
    admitted = in_pool(firm.pk)
    # A firm in the pool is not offered an admission round (unless it already declared in it).
    open_rounds = [(r, declarations.get(r.pk)) for r in Round.objects.filter(opens_on__lte=today, closes_on__gte=today)
                   if r.pk in declarations or not (admitted and r.kind == RoundKind.ADMISSION)]
    return render(request, "criteria/_enterprise_rounds.html", {
        "enterprise": firm, "open_rounds": open_rounds, "declarations": declarations.values(),
        "memberships": firm.pool_memberships.select_related("round"), "today": today, "in_pool": admitted,
        "is_firm_user": own_enterprise_id(request.user) == firm.pk})
