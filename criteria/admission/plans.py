"""Cultivation plans (分类辅导，一企一策): services without request objects.

- `generate_plan(firm, tier)` turns the firm's latest stored result for the tier (evaluated now when
  there is none) into one item per rule not met or unknown: the gap in words and numbers, a
  suggested action and a responsible unit per metric family, an owner (the firm's tracking officer)
  and a due date (the end of the year by default).
- `close_met_items(enterprise_ids)` runs after every evaluation (`criteria.services.evaluate_all`
  calls it): an open item whose rule is now met closes itself (status met, closed today), and each
  active plan records its distance to the tier (`PlanProgress`) when it changed. A fixed number of
  queries for any number of firms.
- `overdue_q(today)` / `annotate_items` mark open items past their due date.

Which rows decide a tier are read as the engine's `tally` reads them: the firm's own variant (or
the only one, or the first when it has none) plus the rules of its best product.
"""
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from criteria.metrics import METRICS
from criteria.models import Criterion, CriterionOutcome, Edition, Tier, TierOutcome
from criteria.models.evaluations import Result
from enterprises.models import Enterprise, MemberUnit, PoolStatus
from jinhu_portal.templatetags.portal_format import format_number, to_decimal

from .models import CultivationPlan, ItemStatus, PlanItem, PlanProgress, PlanStatus

GAP_TEXT_MAX = PlanItem._meta.get_field("gap_text").max_length
CLOSED_STATUSES = (ItemStatus.DONE, ItemStatus.MET)

# ------------------------------------------------------------------------------------------------
# Metric families: what to do about a gap, and which member unit leads it
# ------------------------------------------------------------------------------------------------

FAMILY_OF_METRIC = {
    "main_business_revenue": "revenue", "operating_revenue": "revenue", "main_business_share": "revenue",
    "employees": "revenue",
    "profit_plus_tax": "profit", "total_profit": "profit", "net_profit": "profit", "operating_profit": "profit",
    "taxes_paid": "profit", "avg_operating_margin": "profit", "profit_margin": "profit",
    "market_rank": "market", "supplies_leading_enterprise": "market", "key_field": "market",
    "product_revenue_share": "market",
    "ip_count": "patents",
    "avg_rd_intensity": "rd", "rd_expense": "rd", "rd_staff_share": "rd", "rd_staff": "rd",
    "rd_institution_count": "rd_institution",
    "high_tech": "high_tech",
    "brand_count": "brand", "own_brand": "brand",
    "standard_count": "quality", "certification_count": "quality",
    "competition_count": "competition",
    "information_system_count": "digital",
    "bad_record_count": "credit",
    "debt_ratio": "finance", "total_assets": "finance", "total_liabilities": "finance",
    "equity_financing": "finance",
    "recognition_count": "recognition",
    "years_in_niche": "focus", "years_in_field": "focus", "years_with_new_product": "focus",
    "founding_year": "focus",
    "rd_share": "rd", "ip_grade": "patents", "strategic_emerging_product": "industry",
    "in_taxonomy": "industry", "registered_in_province": "registration",
    "independent_legal_person": "registration",
}
# figure_sum and avg_growth read the figure named in their parameters
FAMILY_OF_FIGURE = {"rd_expense": "rd", "equity_financing": "finance", "net_profit": "profit",
                    "total_profit": "profit", "operating_profit": "profit"}

ACTIONS = {
    "revenue": ("拓展市场、提升主营业务收入", MemberUnit.GONGXIN),
    "profit": ("降本增效、提升盈利水平", MemberUnit.GONGXIN),
    "market": ("聚焦细分市场，提升主导产品市场占有率，对接龙头企业供应链", MemberUnit.SHANGWU),
    "patents": ("加强知识产权布局，申请发明专利", MemberUnit.SHICHANG),
    "rd": ("加大研发投入，提高研发经费占营业收入的比重", MemberUnit.KEJI),
    "rd_institution": ("建设市级以上企业技术中心、工程技术研究中心等研发机构", MemberUnit.KEJI),
    "high_tech": ("申报国家高新技术企业", MemberUnit.KEJI),
    "brand": ("实施品牌战略，培育市级以上品牌", MemberUnit.SHICHANG),
    "quality": ("参与制定行业及以上标准，取得管理体系认证", MemberUnit.SHICHANG),
    "competition": ("组织参加省级以上创新创业大赛", MemberUnit.KEJI),
    "digital": ("推进数字化转型，以信息系统支撑核心业务", MemberUnit.GONGXIN),
    "credit": ("规范经营，整改不良行为并完成信用修复", MemberUnit.FAGAI),
    "finance": ("优化资本结构，拓宽融资渠道", MemberUnit.JINRONG),
    "recognition": ("申报国家级专精特新“小巨人”企业", MemberUnit.GONGXIN),
    "focus": ("持续深耕细分市场、专注主营业务", MemberUnit.GONGXIN),
    "registration": ("核实企业注册信息与法人资格", MemberUnit.SHENPI),
    "industry": ("核实企业所属行业，向重点产业集群聚焦", MemberUnit.GONGXIN),
    "judgment": ("准备佐证材料，组织实地核查，提请工作人员认定", MemberUnit.GONGXIN),
    "data": ("督促企业补充填报相关数据和佐证材料", MemberUnit.TOWN),
}
DEFAULT_ACTION = ("对照条文查找差距，制定改进措施", MemberUnit.GONGXIN)
# Metrics that count records the firm can add (a patent, an R&D centre...): "需新增…".
RECORD_METRICS = {"ip_count", "rd_institution_count", "brand_count", "competition_count", "standard_count",
                  "certification_count", "information_system_count", "recognition_count"}

DUE_BEFORE_PLAN = "完成期限（%(due)s）不能早于计划制定日期（%(made)s）。"


def family_of(condition):
    if condition is None:
        return None
    if condition.metric == "judgment":
        return "judgment"
    figure = (condition.params or {}).get("figure")
    if condition.metric in ("figure_sum", "avg_growth") and figure:
        return FAMILY_OF_FIGURE.get(figure, "revenue")
    return FAMILY_OF_METRIC.get(condition.metric)


def end_of_year(today=None):
    today = today or timezone.localdate()
    return datetime.date(today.year, 12, 31)


def check_due_date(due, made):
    """The bad-input rule of every form and service: a due date before the plan was made."""
    if due is not None and made is not None and due < made:
        raise ValidationError(_(DUE_BEFORE_PLAN) % {"due": due.isoformat(), "made": made.isoformat()},
                              code="due_before_plan")


# ------------------------------------------------------------------------------------------------
# The rows that decide a tier
# ------------------------------------------------------------------------------------------------

_VERDICT_ORDER = {"eligible": 0, "incomplete": 1, "not_eligible": 2}


def _verdict_of(rows):
    results = {r.result for r in rows}
    if Result.NOT_MET in results:
        return "not_eligible"
    if results & {Result.UNKNOWN, Result.NEEDS_REVIEW}:
        return "incomplete"
    return "eligible"


def deciding_rows(outcome):
    """The CriterionOutcome rows that decide `outcome` (uses prefetched rows): the own variant's,
    or the only/first variant's, plus those of the best product (best verdict, then fewest rules
    not met, then the first listed)."""
    variants, products = {}, {}
    for row in outcome.rows.all():
        if row.product:
            products.setdefault(row.product, []).append(row)
        else:
            variants.setdefault(row.variant, []).append(row)
    if outcome.own_variant in variants:
        rows = list(variants[outcome.own_variant])
    elif variants:
        rows = list(next(iter(variants.values())))
    else:
        rows = []
    if products:
        best = min(products.values(), key=lambda rs: (_VERDICT_ORDER[_verdict_of(rs)],
                                                      sum(r.result == Result.NOT_MET for r in rs)))
        rows += best
    return rows


def missing_rows(outcome):
    return [r for r in deciding_rows(outcome) if r.result != Result.MET] if outcome else []


def latest_outcomes(pairs):
    """{(enterprise_id, tier): latest TierOutcome with its run and rows} for these pairs: two queries."""
    pairs = set(pairs)
    if not pairs:
        return {}
    outcomes = (TierOutcome.objects.filter(is_latest=True, enterprise_id__in={e for e, _t in pairs},
                                           tier__in={t for _e, t in pairs})
                .select_related("run")
                .prefetch_related(Prefetch("rows", queryset=CriterionOutcome.objects.order_by("id"))))
    found = {}
    for o in outcomes:
        key = (o.enterprise_id, o.tier)
        if key in pairs and (key not in found or o.run.year > found[key].run.year):
            found[key] = o
    return found


# ------------------------------------------------------------------------------------------------
# The gap in words
# ------------------------------------------------------------------------------------------------

def _primary_condition(criterion, row):
    """The condition the stored row's numbers come from: the numeric one with the row's threshold
    and unit (the engine reports the first condition not met), else the first numeric one."""
    if criterion is None:
        return None
    conds = [c for c in criterion.conditions.all() if c.metric != "judgment"]
    threshold = to_decimal(row.threshold)
    if threshold is not None:
        for c in conds:
            if c.unit == row.unit and to_decimal(c.threshold) == threshold:
                return c
        for c in conds:
            if (c.params or {}).get("threshold_ref") and c.unit == row.unit:
                return c
    return conds[0] if conds else None


def _judgment_label(criterion, row):
    if criterion is not None:
        for c in criterion.conditions.all():
            if c.metric == "judgment" and c.label:
                return c.label
    return row.text


def _amount(value, unit):
    if unit == "%":
        return f"{format_number(value)}个百分点"
    return f"{format_number(value)}{unit}"


def _numeric_words(cond, row):
    """'主营业务收入还差1,200.00万元', '需新增授权发明专利1项'... or None when no number says it."""
    gap, actual = to_decimal(row.gap), to_decimal(row.actual)
    threshold = to_decimal(row.threshold)
    if gap is None or not cond.operator:
        return None
    label = cond.label.removeprefix("已") if cond.label else METRICS.get(cond.metric, {}).get("label", "")
    unit = row.unit or cond.unit
    kind = METRICS.get(cond.metric, {}).get("kind")
    op = cond.operator
    if op in (">=", ">"):
        if kind == "year":
            return f"{label}须不早于{format_number(threshold)}{unit}（现为{format_number(actual)}{unit}）"
        if cond.metric in RECORD_METRICS:
            return f"需新增{label}{_amount(gap, unit)}"
        return f"{label}还差{_amount(gap, unit)}"
    if op in ("<=", "<"):
        if kind == "rank":
            return (f"{label}需提升{format_number(gap)}{unit}（现居第{format_number(actual)}{unit}，"
                    f"须在前{format_number(threshold)}{unit}以内）")
        return f"{label}需降低{_amount(gap, unit)}（现为{format_number(actual)}{unit}）"
    if op == "==":
        return f"{label}须为{format_number(threshold)}{unit}（现为{format_number(actual)}{unit}）"
    return None


def _clip(text):
    return text if len(text) <= GAP_TEXT_MAX else text[:GAP_TEXT_MAX - 1] + "…"


def describe(row, criterion):
    """(gap_text, family) for a stored row that is not met."""
    has_judgment = criterion is not None and any(c.metric == "judgment" for c in criterion.conditions.all())
    explanation = (row.explanation or "").strip()
    if row.result == Result.NEEDS_REVIEW:
        return _clip(f"需工作人员认定：{_judgment_label(criterion, row)}（企业已声明符合）"), "judgment"
    if row.result == Result.UNKNOWN:
        if has_judgment and "需工作人员判断" in explanation:
            return _clip(f"需工作人员认定：{_judgment_label(criterion, row)}"), "judgment"
        why = explanation.replace("，无法判断", "").removesuffix("无法判断") or row.text
        return _clip(f"缺少数据：{why}"), "data"
    cond = _primary_condition(criterion, row)
    if cond is None:
        if has_judgment and "工作人员已认定不符合" in explanation:
            return _clip(f"工作人员认定不符合：{_judgment_label(criterion, row)}"), "judgment"
        return _clip(f"未满足：{row.text}"), "judgment" if has_judgment else None
    words = _numeric_words(cond, row)
    if words:
        return _clip(words), family_of(cond)
    if METRICS.get(cond.metric, {}).get("kind") == "bool":
        return _clip(f"未满足：{cond.label or row.text}"), family_of(cond)
    return _clip(f"未满足：{explanation or row.text}"), family_of(cond)


def _number(text):
    d = to_decimal(text)
    if d is None:
        return None
    try:
        return d.quantize(Decimal("0.0001"))
    except ArithmeticError:
        return None


def item_for_row(row, criterion, *, owner=None, due_date=None, position=0):
    gap_text, family = describe(row, criterion)
    action, unit = ACTIONS.get(family, DEFAULT_ACTION)
    return PlanItem(code=row.code, variant=row.variant, rule_text=row.text, result=row.result,
                    actual=_number(row.actual), threshold=_number(row.threshold), gap=_number(row.gap),
                    unit=row.unit, gap_text=gap_text, action=action, responsible_unit=unit, owner=owner,
                    due_date=due_date, position=position)


# ------------------------------------------------------------------------------------------------
# Generating a plan
# ------------------------------------------------------------------------------------------------

def scored_items(enterprise, outcome, criteria, *, owner=None, due_date=None):
    """A scored tier (创新型中小企业): one item per indicator of the cheapest way to pass, with the
    change in words and numbers ("研发费用占营业收入比重再提高0.80个百分点，可得+5分"); None for a
    pass/fail tier, or when no change of the indicators passes the firm (then the rows below their
    maximum are the items, as for any tier). The firm's profile of the outcome's year is scored again
    under the outcome's edition, as the words are made from numbers the rows do not keep."""
    from criteria import engine
    from criteria.profile import build_profiles

    edition = Edition.objects.prefetch_related("criteria__conditions").get(pk=outcome.edition_id)
    if not edition.is_scored:
        return None
    year = outcome.run.year
    profile = build_profiles([enterprise.pk], year)[enterprise.pk]
    result = engine.evaluate_tier(profile, edition.to_spec(), year)
    if result.verdict == engine.ELIGIBLE:
        return []
    if not result.cheapest_pass:
        return None
    items = []
    for position, step in enumerate(result.cheapest_pass, start=1):
        ind = result.score.indicator(step.indicator)
        criterion = criteria.get(step.indicator)
        cond = next(iter(criterion.conditions.all()), None) if criterion is not None else None
        have = ind.points if ind.points is not None else 0
        target = have + step.points
        if ind.points is None:
            family, now = "data", "现缺数据"
        else:
            family, now = family_of(cond), f"现得{engine.points_value(ind.points)}分"
        action, unit = ACTIONS.get(family, DEFAULT_ACTION)
        nxt = ind.next
        numeric = nxt is not None and nxt.gap is not None and nxt.points == target
        items.append(PlanItem(
            code=ind.code, variant="", rule_text=ind.text,
            result=Result.UNKNOWN if ind.points is None else Result.NOT_MET,
            actual=_number(ind.actual), threshold=_number(nxt.needs) if numeric else None,
            gap=_number(nxt.gap) if numeric else None, unit=ind.unit,
            gap_text=_clip(f"{step.change}，可得+{engine.points_value(step.points)}分"
                           f"（{now}，满分{engine.points_value(ind.max)}分）"),
            action=action, responsible_unit=unit, owner=owner, due_date=due_date, position=position))
    return items


def latest_outcome(enterprise, tier):
    return latest_outcomes({(enterprise.pk, tier)}).get((enterprise.pk, tier))


def _evaluate_now(enterprise, tier):
    from criteria import services

    year = services.default_year()
    editions = Edition.objects.judging(year, [tier])
    if not editions:
        raise ValidationError(_("%(year)s年度没有可用的%(tier)s标准版本，无法生成培育计划。")
                              % {"year": year, "tier": Tier(tier).label})
    services.evaluate_all(year, enterprises=[enterprise.pk], editions=editions, keep_latest=True)
    return latest_outcome(enterprise, tier)


def generate_plan(enterprise, tier, *, user=None, due_date=None, title="", today=None):
    """A new active plan for a pool firm and a target tier, one item per rule of the firm's latest
    result for the tier that is not met or unknown. Raises ValidationError (in Chinese) for a firm
    outside the pool, a tier that already has an active plan, or a due date before today."""
    today = today or timezone.localdate()
    if tier not in Tier.values:
        raise ValidationError(_("未知的目标层级。"))
    if enterprise.pool_status != PoolStatus.IN_POOL:
        raise ValidationError(_("%(firm)s不在培育库中，只能为在库企业制定培育计划。") % {"firm": enterprise})
    if CultivationPlan.objects.filter(enterprise=enterprise, tier=tier, status=PlanStatus.ACTIVE).exists():
        raise ValidationError(_("%(firm)s对“%(tier)s”已有实施中的培育计划，请先结束原计划。")
                              % {"firm": enterprise, "tier": Tier(tier).label})
    due_date = due_date or end_of_year(today)
    check_due_date(due_date, today)
    outcome = latest_outcome(enterprise, tier) or _evaluate_now(enterprise, tier)
    if outcome is None:
        raise ValidationError(_("%(firm)s尚无“%(tier)s”的评价结果，无法生成培育计划。")
                              % {"firm": enterprise, "tier": Tier(tier).label})
    criteria = {c.code: c for c in Criterion.objects.filter(edition_id=outcome.edition_id)
                .prefetch_related("conditions")}
    owner = enterprise.tracking_officer
    items = scored_items(enterprise, outcome, criteria, owner=owner, due_date=due_date)
    if items is None:
        items = [item_for_row(row, criteria.get(row.code), owner=owner, due_date=due_date, position=i)
                 for i, row in enumerate(missing_rows(outcome), start=1)]
    if not items and any(c.scope == "product" for c in criteria.values()) \
            and not any(r.product for r in outcome.rows.all()):
        # no product on file: the product rules cannot be read at all
        action, unit = ACTIONS["data"]
        items = [PlanItem(code=c.code, variant=c.variant, rule_text=c.text, result=Result.UNKNOWN,
                          gap_text=_clip(f"缺少数据：尚未登记主导产品（{c.text}）"), action=action,
                          responsible_unit=unit, owner=owner, due_date=due_date, position=i)
                 for i, c in enumerate(sorted((c for c in criteria.values() if c.scope == "product"),
                                              key=lambda c: (c.order, c.code)), start=1)]
    with transaction.atomic():
        plan = CultivationPlan.objects.create(enterprise=enterprise, tier=tier, year=outcome.run.year,
                                              title=title, created_by=user, created_on=today)
        for item in items:
            item.plan = plan
        PlanItem.objects.bulk_create(items)
        record_progress([plan], {(enterprise.pk, tier): outcome}, items)
    return plan


# ------------------------------------------------------------------------------------------------
# After every evaluation
# ------------------------------------------------------------------------------------------------

def _active_plans(enterprise_ids):
    """Active plans of these firms (None: of every firm), each with the id of its last progress
    row: one query. A long list of firms is matched in Python (plans are few, firms may be 10,000)."""
    last = PlanProgress.objects.filter(plan=OuterRef("pk")).order_by("-evaluated_at", "-pk").values("pk")[:1]
    plans = CultivationPlan.objects.filter(status=PlanStatus.ACTIVE).annotate(last_progress=Subquery(last))
    if enterprise_ids is None:
        return list(plans)
    ids = {int(pk) for pk in enterprise_ids}
    if len(ids) <= 500:
        return list(plans.filter(enterprise_id__in=ids))
    return [p for p in plans if p.enterprise_id in ids]


def close_met_items(enterprise_ids=None, *, today=None):
    """Close every open item of these firms' active plans whose rule their latest result now meets
    (status met, closed today), then record each plan's progress. Returns the items closed.

    Queries: one for the plans, none more when there is none; else two for the latest results,
    one for the items, one update and at most two for the progress, whatever the number of firms."""
    plans = _active_plans(enterprise_ids)
    if not plans:
        return []
    today = today or timezone.localdate()
    outcomes = latest_outcomes({(p.enterprise_id, p.tier) for p in plans})
    items = list(PlanItem.objects.filter(plan__in=[p.pk for p in plans]).order_by("plan", "position", "pk"))
    met_codes = {}
    for plan in plans:
        outcome = outcomes.get((plan.enterprise_id, plan.tier))
        if outcome is not None:
            rows = deciding_rows(outcome)
            met_codes[plan.pk] = {r.code for r in rows if r.result == Result.MET}
            if outcome.score_sure is not None and outcome.verdict == "eligible":
                met_codes[plan.pk] |= {r.code for r in rows}     # a scored tier passed: every indicator item
    closed = []
    for item in items:
        if item.status == ItemStatus.OPEN and item.code and item.code in met_codes.get(item.plan_id, ()):
            item.status, item.closed_on = ItemStatus.MET, today
            closed.append(item)
    with transaction.atomic():
        if closed:
            PlanItem.objects.bulk_update(closed, ["status", "closed_on"])
        record_progress(plans, outcomes, items)
    return closed


def _progress_key(p):
    return (p.year, p.met, p.missed, p.open, p.items_done, p.items_total)


def record_progress(plans, outcomes, items):
    """One PlanProgress row per plan whose distance to its tier (met / missed / open rules of the
    latest result, items done / total) differs from its last row; `outcomes` as `latest_outcomes`
    returns them, `items` every item of these plans."""
    done, total = {}, {}
    for item in items:
        total[item.plan_id] = total.get(item.plan_id, 0) + 1
        if item.status in CLOSED_STATUSES:
            done[item.plan_id] = done.get(item.plan_id, 0) + 1
    last_ids = [p.last_progress for p in plans if getattr(p, "last_progress", None)]
    last = PlanProgress.objects.in_bulk(last_ids) if last_ids else {}
    rows = []
    for plan in plans:
        outcome = outcomes.get((plan.enterprise_id, plan.tier))
        if outcome is None:
            continue
        row = PlanProgress(plan=plan, evaluated_at=outcome.run.finished_at or outcome.run.started_at,
                           year=outcome.run.year, met=outcome.met, missed=outcome.missed, open=outcome.open,
                           items_done=done.get(plan.pk, 0), items_total=total.get(plan.pk, 0))
        previous = last.get(getattr(plan, "last_progress", None))
        if previous is None or _progress_key(previous) != _progress_key(row):
            rows.append(row)
    PlanProgress.objects.bulk_create(rows)
    return rows


# ------------------------------------------------------------------------------------------------
# Overdue items and counts for the lists
# ------------------------------------------------------------------------------------------------

def overdue_q(today=None):
    """Open items of an active plan past their due date."""
    today = today or timezone.localdate()
    return Q(status=ItemStatus.OPEN, due_date__lt=today, plan__status=PlanStatus.ACTIVE)


def annotate_items(items, today=None):
    """PlanItems with `overdue` (open and past due) as a column of the same query."""
    return items.annotate(overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField()))


def annotate_plans(plans, today=None):
    """Plans with items_total, items_done, items_open, items_overdue: one query (filtered counts on
    one join), and `lacking` (rules not met or open in the latest result of the tier) as a subquery."""
    today = today or timezone.localdate()
    lacking = (TierOutcome.objects.filter(enterprise=OuterRef("enterprise"), tier=OuterRef("tier"), is_latest=True)
               .order_by("-run__year").values("missed")[:1])
    lacking_open = (TierOutcome.objects.filter(enterprise=OuterRef("enterprise"), tier=OuterRef("tier"),
                                               is_latest=True).order_by("-run__year").values("open")[:1])
    return plans.annotate(
        items_total=Count("items"),
        items_done=Count("items", filter=Q(items__status__in=CLOSED_STATUSES)),
        items_open=Count("items", filter=Q(items__status=ItemStatus.OPEN)),
        items_overdue=Count("items", filter=Q(items__status=ItemStatus.OPEN, items__due_date__lt=today,
                                               status=PlanStatus.ACTIVE)),
        rules_missed=Subquery(lacking), rules_open=Subquery(lacking_open))


def tracked_firms(officer, today=None):
    """The firms `officer` tracks, with their plan item counts, overdue items first: one query."""
    today = today or timezone.localdate()
    active = Q(cultivation_plans__status=PlanStatus.ACTIVE)
    return (Enterprise.objects.filter(tracking_officer=officer).select_related("town").annotate(
        plans_active=Count("cultivation_plans", filter=active, distinct=True),
        items_total=Count("cultivation_plans__items", filter=active),
        items_done=Count("cultivation_plans__items",
                         filter=active & Q(cultivation_plans__items__status__in=CLOSED_STATUSES)),
        items_open=Count("cultivation_plans__items",
                         filter=active & Q(cultivation_plans__items__status=ItemStatus.OPEN)),
        items_overdue=Count("cultivation_plans__items",
                            filter=active & Q(cultivation_plans__items__status=ItemStatus.OPEN,
                                              cultivation_plans__items__due_date__lt=today)),
    ).order_by("-items_overdue", "-items_open", "name"))


def staff_users():
    """Who may own an item or track a firm: active users of the staff and admin roles."""
    from django.contrib.auth import get_user_model

    from jinhu_portal.roles import GROUP_NAMES, Role

    names = [GROUP_NAMES[Role.STAFF], GROUP_NAMES[Role.ADMIN]]
    return (get_user_model().objects.filter(Q(groups__name__in=names) | Q(is_superuser=True), is_active=True)
            .distinct().order_by("first_name", "username"))
