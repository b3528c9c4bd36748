"""How each firm measures up: its latest results per tier, the firms closest to a tier, runs,
staff judgments and the firm's own claims."""
from itertools import groupby

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from enterprises.models import Enterprise
from jinhu_portal.decorators import perm_required, roles_required
from jinhu_portal.roles import Role, role_of
from jinhu_portal.tables import NOWRAP_ATTRS, TITLE_ATTRS, NumberColumn, stacked_table_attrs

from .. import services
from ..filters import OutcomeFilterSet
from ..forms import JudgmentForm, RunForm
from ..models import Claim, CriterionOutcome, Edition, EvaluationRun, StaffJudgment, Tier, TierOutcome
from ..models.evaluations import Result
from ..uploads import clean_name
from .selfassess import AWAITING_JUDGMENT, AWAITING_JUDGMENT_LABEL, row_status, rule_facts

RESULT_LABELS = dict(Result.choices)
STATUS_LABELS = {**RESULT_LABELS, AWAITING_JUDGMENT: AWAITING_JUDGMENT_LABEL}
VERDICT_LABELS = {"eligible": _("符合条件"), "incomplete": _("待补充"), "not_eligible": _("不符合条件")}


def _stored_tiers(enterprise):
    outcomes = list(TierOutcome.objects.filter(enterprise=enterprise, is_latest=True)
                    .select_related("edition", "run")
                    .prefetch_related(Prefetch("rows", queryset=CriterionOutcome.objects.order_by("id")),
                                      "edition__criteria__conditions"))
    rules = rule_facts({o.edition_id: o.edition for o in outcomes}.values())
    order = {t: i for i, t in enumerate(Tier.values)}
    tiers = []
    for o in sorted(outcomes, key=lambda o: order.get(o.tier, 99)):
        groups = []
        for (variant, product), rows in groupby(o.rows.all(), key=lambda r: (r.variant, r.product)):
            if product:
                title = _("产品：%(name)s") % {"name": product}
            else:
                title = o.edition.variants.get(variant, variant)
            rows = list(rows)
            for r in rows:
                r.status = row_status(o.tier, r, rules)
            groups.append({"title": title, "own": variant == o.own_variant and not product, "rows": rows})
        tiers.append({"tier": o.tier, "name": o.get_tier_display(), "verdict": o.verdict, "edition": o.edition,
                      "year": o.run.year, "groups": groups, "evaluated_at": o.run.finished_at or o.run.started_at})
    return tiers


def _live_tiers(enterprise, year):
    tiers = []
    rules = rule_facts(Edition.objects.judging(year))
    for result in services.assess_enterprise(enterprise, year):
        groups = [{"title": v.name or v.variant, "own": v.own, "rows": _with_status(result.tier, v.criteria, rules)}
                  for v in result.variants]
        groups += [{"title": _("产品：%(name)s") % {"name": p.name}, "own": False,
                    "rows": _with_status(result.tier, p.criteria, rules)} for p in result.products]
        tiers.append({"tier": result.tier, "name": result.name, "verdict": result.verdict,
                      "edition": result.edition, "year": year, "groups": groups})
    return tiers


def _with_status(tier, criteria, rules):
    """Engine results as rows with the status a reader is shown (待工作人员判断 for judgment rules)."""
    return [{"code": c.code, "text": c.text, "result": c.result, "status": row_status(tier, c, rules),
             "actual": c.actual, "threshold": c.threshold, "unit": c.unit, "gap": c.gap,
             "explanation": c.explanation} for c in criteria]


@perm_required("criteria.view_tieroutcome")
def enterprise_results(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    tiers = _stored_tiers(enterprise)
    live = not tiers
    year = tiers[0]["year"] if tiers else services.default_year()
    if live:
        tiers = _live_tiers(enterprise, year)
    template = "criteria/_enterprise_results.html" if request.htmx else "criteria/enterprise_results_page.html"
    return render(request, template, {
        "enterprise": enterprise, "tiers": tiers, "live": live, "year": year,
        "evaluated_at": None if live else max(t["evaluated_at"] for t in tiers),
        "result_labels": STATUS_LABELS, "verdict_labels": VERDICT_LABELS,
        "can_judge": request.user.has_perm("criteria.add_staffjudgment"),
        "can_claim": role_of(request.user) == Role.ENTERPRISE,
    })


class ClosestTable(tables.Table):
    enterprise = tables.LinkColumn("enterprises:detail", args=[tables.A("enterprise_id")],
                                   verbose_name=gettext_lazy("企业"), order_by=("enterprise__name",),
                                   attrs=TITLE_ATTRS)
    town = tables.Column(accessor="enterprise__town__name", verbose_name=gettext_lazy("镇（街道、开发区）"),
                         attrs=NOWRAP_ATTRS)
    verdict = tables.Column(verbose_name=gettext_lazy("结论"), attrs=NOWRAP_ATTRS)
    missed = NumberColumn(verbose_name=gettext_lazy("不符合条数"))
    open = NumberColumn(verbose_name=gettext_lazy("待定条数"))
    met = NumberColumn(verbose_name=gettext_lazy("符合条数"))

    class Meta:
        attrs = stacked_table_attrs()
        empty_text = gettext_lazy("尚无评价结果，请先运行评价。")

    def render_verdict(self, value):
        return VERDICT_LABELS.get(value, value)


@perm_required("criteria.view_tieroutcome")
def closest(request):
    base = (TierOutcome.objects.visible_to(request.user).filter(is_latest=True)
            .select_related("enterprise", "enterprise__town").order_by("missed", "open", "-met", "enterprise__name"))
    filterset = OutcomeFilterSet(request.GET or {"tier": Tier.COUNTY_POOL}, queryset=base)
    table = ClosestTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    return render(request, "criteria/closest.html", {"filter": filterset, "table": table})


class EvaluatedFirmTable(tables.Table):
    """When each firm was last evaluated: the time of the newest run that scored it (a full run,
    or the automatic re-evaluation after its data changed), and the year its page shows."""
    name = tables.LinkColumn("enterprises:detail", args=[tables.A("pk")], verbose_name=gettext_lazy("企业"))
    town = tables.Column(accessor="town__name", verbose_name=gettext_lazy("镇（街道、开发区）"),
                         order_by=("town__order", "town__code"))
    evaluated_at = tables.DateTimeColumn(verbose_name=gettext_lazy("评价时间"), format="Y-m-d H:i",
                                         default=gettext_lazy("尚未评价"))
    latest_year = tables.Column(verbose_name=gettext_lazy("评价年度"), default="—")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle mb-0", "id": "evaluated-firms"}
        empty_text = gettext_lazy("没有企业。")
        order_by = ("evaluated_at",)

    def order_evaluated_at(self, queryset, is_descending):
        # never evaluated first (oldest first), the same on SQLite and PostgreSQL
        key = F("evaluated_at").desc(nulls_last=True) if is_descending else F("evaluated_at").asc(nulls_first=True)
        return queryset.order_by(key, "name"), True


def evaluated_firms(user):
    """The firms the user may see, each with the time of its last evaluation and its latest year:
    two correlated subqueries, so a page of the table is one query whatever the number of firms."""
    outcomes = TierOutcome.objects.filter(enterprise=OuterRef("pk")).order_by()
    at = outcomes.annotate(at=Coalesce("run__finished_at", "run__started_at")).order_by("-at").values("at")[:1]
    return (Enterprise.objects.visible_to(user).select_related("town").annotate(
        evaluated_at=Subquery(at),
        latest_year=Subquery(outcomes.filter(is_latest=True).order_by("-run__year").values("run__year")[:1]),
    ).order_by("name"))


@roles_required(Role.STAFF, Role.ADMIN, Role.LEADER, Role.MEMBER_UNIT, Role.TOWN_OFFICER)
def runs(request):
    form = RunForm(request.POST or None, initial={"year": services.default_year()})
    if request.method == "POST":
        if not request.user.has_perm("criteria.add_evaluationrun"):
            raise PermissionDenied
        if form.is_valid():
            year, tiers = form.cleaned_data["year"], form.cleaned_data["tiers"] or None
            if not services.Edition.objects.judging(year, tiers):
                messages.error(request, _("%(year)s年度没有可用的已发布标准版本。") % {"year": year})
            else:
                run = services.evaluate_all(year, tiers=tiers, user=request.user)
                messages.success(request, _("已完成 %(n)s 家企业的评价。") % {"n": run.firms})
                return redirect("criteria:runs")
    tiers, verdicts = dict(Tier.choices), VERDICT_LABELS
    recent = list(EvaluationRun.objects.select_related("started_by").prefetch_related("editions")[:30])
    for run in recent:
        run.readable_counts = [f"{tiers.get(t, t)}·{verdicts.get(v, v)} {n}" for key, n in sorted(run.counts.items())
                               for t, _sep, v in [key.partition(":")]]
    firms = EvaluatedFirmTable(evaluated_firms(request.user))
    RequestConfig(request, paginate={"per_page": 30}).configure(firms)
    return render(request, "criteria/runs.html", {
        "form": form, "runs": recent, "firms": firms,
        "can_run": request.user.has_perm("criteria.add_evaluationrun")})


@perm_required("criteria.add_staffjudgment")
def judgment_create(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    params = request.POST if request.method == "POST" else request.GET
    existing = StaffJudgment.objects.filter(enterprise=enterprise, tier=params.get("tier"),
                                            year=params.get("year") or 0, code=params.get("code"),
                                            product=params.get("product", "")).first()
    form = JudgmentForm(request.POST or None, request.FILES or None, instance=existing,
                        initial={k: params.get(k) for k in ("tier", "year", "code", "product")})
    form.instance.enterprise = enterprise
    if request.method == "POST" and form.is_valid():
        judgment = form.save(commit=False)
        judgment.decided_by = request.user
        if "evidence" in request.FILES:
            judgment.evidence_name = request.FILES["evidence"].name
        judgment.save()
        services.reevaluate([enterprise.pk], assessed=[judgment.year], user=request.user)
        messages.success(request, _("判断已保存，评价结果已更新。"))
        return redirect(enterprise)
    return render(request, "criteria/judgment_form.html", {"form": form, "enterprise": enterprise, "params": params})


@roles_required(Role.ENTERPRISE)
@require_POST
def claim_create(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    tier, code, year = request.POST.get("tier"), request.POST.get("code", ""), request.POST.get("year", "")
    if tier not in Tier.values or not year.isdigit() or not code:
        messages.error(request, _("声明的层级、条目或年度无效。"))
        return redirect(enterprise)
    Claim.objects.get_or_create(enterprise=enterprise, tier=tier, year=int(year), code=code)
    services.reevaluate([enterprise.pk], assessed=[int(year)], user=request.user)
    messages.success(request, _("已声明符合 %(code)s，待工作人员审核。") % {"code": code})
    return redirect(enterprise)


@perm_required("criteria.view_staffjudgment")
def judgment_evidence(request, pk):
    judgment = get_object_or_404(StaffJudgment.objects.visible_to(request.user), pk=pk)
    if not judgment.evidence:
        raise Http404
    response = FileResponse(judgment.evidence.open("rb"), as_attachment=True,
                            filename=clean_name(judgment.evidence_name) if judgment.evidence_name else "evidence")
    response["X-Content-Type-Options"] = "nosniff"     # whatever SECURE_CONTENT_TYPE_NOSNIFF says
    return response


