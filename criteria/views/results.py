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
from jinhu_portal.templatetags.portal_format import num

from .. import engine, services
from ..filters import OutcomeFilterSet
from ..forms import JudgmentForm, RunForm
from ..jobs import start_evaluation
from ..models import Claim, CriterionOutcome, Edition, EvaluationRun, StaffJudgment, Tier, TierOutcome
from ..models.evaluations import Result
from ..profile import build_profiles
from ..scoreview import score_view
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
                      "year": o.run.year, "groups": groups, "evaluated_at": o.run.finished_at or o.run.started_at,
                      "score": _stored_score(enterprise, o)})
    return tiers


def _stored_score(enterprise, outcome):
    """The score block of a stored scored outcome: the bands, dimensions and the cheapest way to pass
    are words made from numbers, so the firm's profile of that year is scored again under the
    stored edition (one firm, one tier: the page's few queries); None for a pass/fail tier."""
    if not outcome.edition.is_scored:
        return None
    year = outcome.run.year
    profile = build_profiles([enterprise.pk], year)[enterprise.pk]
    return score_view(engine.evaluate_tier(profile, outcome.edition.to_spec(), year))


def _live_tiers(enterprise, year):
    tiers = []
    rules = rule_facts(Edition.objects.judging(year))
    for result in services.assess_enterprise(enterprise, year):
        groups = [{"title": v.name or v.variant, "own": v.own, "rows": _with_status(result.tier, v.criteria, rules)}
                  for v in result.variants]
        groups += [{"title": _("产品：%(name)s") % {"name": p.name}, "own": False,
                    "rows": _with_status(result.tier, p.criteria, rules)} for p in result.products]
        tiers.append({"tier": result.tier, "name": result.name, "verdict": result.verdict,
                      "edition": result.edition, "year": year, "groups": groups, "score": score_view(result)})
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


ROUTE_LABELS = {"score": _("按得分"), "direct": _("按直通条件")}


class ScoredClosestTable(tables.Table):
    """A scored tier's ranking: points short of passing for sure, fewest first (see `points_short`)."""
    enterprise = tables.LinkColumn("enterprises:detail", args=[tables.A("enterprise_id")],
                                   verbose_name=gettext_lazy("企业"), order_by=("enterprise__name",),
                                   attrs=TITLE_ATTRS)
    town = tables.Column(accessor="enterprise__town__name", verbose_name=gettext_lazy("镇（街道、开发区）"),
                         attrs=NOWRAP_ATTRS)
    verdict = tables.Column(verbose_name=gettext_lazy("结论"), attrs=NOWRAP_ATTRS)
    short = NumberColumn(verbose_name=gettext_lazy("差分"))
    score_sure = NumberColumn(verbose_name=gettext_lazy("确定得分"))
    score_best = NumberColumn(verbose_name=gettext_lazy("最高可能得分"))
    dims_short = tables.Column(verbose_name=gettext_lazy("未达最低分的维度"), empty_values=(), orderable=False)

    class Meta:
        attrs = stacked_table_attrs()
        empty_text = gettext_lazy("尚无评价结果，请先运行评价。")

    def __init__(self, *args, dimensions=(), **kwargs):
        self.dimensions = dimensions
        super().__init__(*args, **kwargs)

    def render_verdict(self, value, record):
        label = VERDICT_LABELS.get(value, value)
        route = ROUTE_LABELS.get(record.route)
        return f"{label}（{route}）" if route else label

    def render_dims_short(self, record):
        short = [f"{name}{num(getattr(record, f'dim_{code}').normalize())}/{num(minimum.normalize())}"
                 for code, name, minimum in self.dimensions if getattr(record, f"dim_{code}") < minimum]
        return "、".join(short) or "—"


def scored_ranking(qs, edition):
    """Outcomes of a scored tier with each dimension's sure points (`dim_<code>`, summed from the
    indicator rows) and `short`: the points the firm lacks for sure, the larger of the total's gap
    to the pass mark and the sum of the dimensions' gaps to their minimums (0 once it passes, by
    score or by a direct route); one query, ordered fewest short first."""
    from decimal import Decimal

    from django.db.models import Case, DecimalField, Sum, Value, When
    from django.db.models.functions import Greatest

    money = DecimalField(max_digits=9, decimal_places=2)
    scoring = edition.scoring or {}
    codes = {}
    for c in edition.criteria.all():
        if c.role == "indicator":
            codes.setdefault(c.dimension, []).append(c.code)
    dims = [(d["code"], d.get("name", d["code"]), Decimal(str(d.get("minimum") or 0)))
            for d in scoring.get("dimensions", ())]
    for code, _name, _minimum in dims:
        points = (CriterionOutcome.objects.filter(outcome=OuterRef("pk"), variant="", product="",
                                                  code__in=codes.get(code, ()))
                  .order_by().values("outcome").annotate(s=Sum("points")).values("s"))
        qs = qs.annotate(**{f"dim_{code}": Coalesce(Subquery(points, output_field=money), Value(Decimal(0)),
                                                    output_field=money)})
    zero = Value(Decimal(0), output_field=money)
    total_gap = Greatest(Value(Decimal(str(scoring.get("pass_mark") or 0)), output_field=money)
                         - Coalesce(F("score_sure"), zero), zero, output_field=money)
    dim_gap = zero
    for code, _name, minimum in dims:
        dim_gap = dim_gap + Greatest(Value(minimum, output_field=money) - F(f"dim_{code}"), zero,
                                     output_field=money)
    short = Case(When(verdict="eligible", then=zero), default=Greatest(total_gap, dim_gap, output_field=money),
                 output_field=money)
    return qs.annotate(short=short).order_by("short", "-score_sure", "enterprise__name"), dims


@perm_required("criteria.view_tieroutcome")
def closest(request):
    base = (TierOutcome.objects.visible_to(request.user).filter(is_latest=True)
            .select_related("enterprise", "enterprise__town").order_by("missed", "open", "-met", "enterprise__name"))
    filterset = OutcomeFilterSet(request.GET or {"tier": Tier.COUNTY_POOL}, queryset=base)
    tier = filterset.form.cleaned_data.get("tier") if filterset.is_valid() else None
    scored = next((e for e in Edition.objects.filter(tier=tier or "", status="published").order_by("-year")
                   .prefetch_related("criteria") if e.is_scored), None) if tier else None
    if scored is not None:
        qs, dims = scored_ranking(filterset.qs, scored)
        table = ScoredClosestTable(qs, dimensions=dims)
    else:
        table = ClosestTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    return render(request, "criteria/closest.html", {"filter": filterset, "table": table, "scored": scored})


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


def scored_points(runs, tier_names):
    """`run.readable_points` for each run: per scored tier, the average sure points and how many
    firms pass by score and by a direct route (one query for all the runs)."""
    from django.db.models import Avg, Count, Q

    for run in runs:
        run.readable_points = []
    if not runs:
        return
    by_run = {run.pk: run for run in runs}
    rows = (TierOutcome.objects.filter(run__in=list(by_run), score_sure__isnull=False).order_by()
            .values("run_id", "tier").annotate(avg=Avg("score_sure"), best=Avg("score_best"),
                                               by_score=Count("pk", filter=Q(route="score")),
                                               direct=Count("pk", filter=Q(route="direct")))
            .order_by("run_id", "tier"))
    for row in rows:
        by_run[row["run_id"]].readable_points.append(
            _("%(tier)s：平均确定得分%(avg)s分（最高可能%(best)s分），按得分通过%(score)s家，按直通条件通过%(direct)s家")
            % {"tier": tier_names.get(row["tier"], row["tier"]), "avg": num(row["avg"], 1),
               "best": num(row["best"], 1), "score": row["by_score"], "direct": row["direct"]})


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
                job = start_evaluation(year, tiers=tiers, user=request.user)
                if job.in_request:
                    messages.warning(request, _("后台任务队列暂不可用，评价已在本次请求中完成。"))
                return redirect("jobs:detail", pk=job.pk)
    tiers, verdicts = dict(Tier.choices), VERDICT_LABELS
    recent = list(EvaluationRun.objects.select_related("started_by").prefetch_related("editions")[:30])
    for run in recent:
        run.readable_counts = [f"{tiers.get(t, t)}·{verdicts.get(v, v)} {n}" for key, n in sorted(run.counts.items())
                               for t, _sep, v in [key.partition(":")]]
    scored_points(recent, tiers)
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


