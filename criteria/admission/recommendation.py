"""Recommendation lists (推荐申报): generate a list for a tier and a year from the stored evaluation,
edit it (add, remove, reorder, each with a note), freeze it, make a new version of a frozen one, and
follow each entry's outcome; 已认定 records the firm's Recognition and re-scores the firm.

Plain functions of ids, models and users, no request objects. Every write is one transaction with
the list row locked and its state checked again inside it, so a bad request changes nothing and
says why in Chinese (`ValidationError`).
"""
from collections import OrderedDict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from criteria import engine
from criteria.models import CriterionOutcome, Edition, Tier, TierOutcome
from criteria.models.evaluations import Result, Verdict
from enterprises import models as m
from enterprises.signals import mark_stale

from .models import (
    Declaration,
    EntrySource,
    ListStatus,
    Outcome,
    RecommendationEntry,
    RecommendationList,
    RoundKind,
    Status,
)

# A list recommends firms to a tier above the county pool (the pool has its own admission rounds).
LIST_TIERS = [t for t in Tier if t != Tier.COUNTY_POOL]
DEFAULT_MAX_MISSED = 1
GAP_KEYS = ("code", "text", "result", "actual", "threshold", "gap", "unit")


def level_of_tier(tier):
    """The level of the title a tier grants: city_* → city, province_* → province, national_* → national."""
    return {"city": m.Level.CITY, "province": m.Level.PROVINCE, "national": m.Level.NATIONAL}[tier.split("_")[0]]


def recognition_kind(tier):
    """A tier's title: RecognitionKind shares the tier codes."""
    return m.RecognitionKind(tier)


# ------------------------------------------------------------------------------------------------
# What an entry snapshots: the verdict, the counts and the rules not met, from stored results
# ------------------------------------------------------------------------------------------------

@dataclass
class Standing:
    verdict: str = ""
    met: int = 0
    missed: int = 0
    open: int = 0
    gaps: list = None

    def fields(self):
        return {"verdict": self.verdict, "met": self.met, "missed": self.missed, "open": self.open,
                "gaps": self.gaps or []}


def decisive_rows(outcome, rows):
    """The rows that decide the tier, as `engine.tally` counts them: the firm's own variant (or the
    only one, or the first when none is its own) plus its best product's rules."""
    variants, products = OrderedDict(), OrderedDict()
    for r in rows:
        (products.setdefault(r.product, []) if r.product else variants.setdefault(r.variant, [])).append(r)
    chosen = []
    if variants:
        groups = list(variants.values())
        chosen = list(variants.get(outcome.own_variant) or groups[0]) if len(groups) > 1 else list(groups[0])
    if products:
        best = min(products.values(),
                   key=lambda rs: engine.VERDICTS.index(engine.verdict_of(r.result for r in rs)))
        chosen += best
    return chosen


def gap_of(row):
    """One rule not met, as numbers and codes (words are made when a page shows them)."""
    gap = {key: getattr(row, key) or "" for key in GAP_KEYS}
    if row.product:
        gap["product"] = row.product
    return gap


def standing_of(outcome, rows):
    return Standing(verdict=outcome.verdict, met=outcome.met, missed=outcome.missed, open=outcome.open,
                    gaps=[gap_of(r) for r in decisive_rows(outcome, rows) if r.result != Result.MET])


def latest_outcomes(tier, year, enterprise_ids=None):
    """firm id → its newest stored outcome of `tier` for assessment `year` (the latest one when it is
    of that year, else the newest run's), with its rows prefetched."""
    qs = (TierOutcome.objects.filter(tier=tier, run__year=year)
          .order_by("enterprise_id", "-is_latest", "-run_id"))
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    best = {}
    for pk, firm_id in qs.values_list("pk", "enterprise_id"):
        best.setdefault(firm_id, pk)
    outcomes = TierOutcome.objects.filter(pk__in=list(best.values()))
    rows = {}
    for row in CriterionOutcome.objects.filter(outcome_id__in=list(best.values())).order_by("outcome_id", "id"):
        rows.setdefault(row.outcome_id, []).append(row)
    return {o.enterprise_id: (o, rows.get(o.pk, [])) for o in outcomes}


def _standing(found, firm_id):
    if firm_id not in found:
        return Standing(gaps=[])
    return standing_of(*found[firm_id])


def order_key(standing, in_pool, name=""):
    """Eligible first, then fewest rules missed, then fewest open; pool members first among equals."""
    return (standing.verdict != Verdict.ELIGIBLE, standing.missed, standing.open, not in_pool, -standing.met, name)


# ------------------------------------------------------------------------------------------------
# Generate
# ------------------------------------------------------------------------------------------------

def default_title(tier, year):
    return _("%(year)s年度%(tier)s推荐名单") % {"year": year, "tier": Tier(tier).label}


def _holders(tier):
    return set(m.Recognition.objects.filter(kind=tier).values_list("enterprise_id", flat=True))


@transaction.atomic
def generate(tier, year, *, user=None, round=None, title="", max_missed=DEFAULT_MAX_MISSED, evaluate=True):
    """A new draft list for `tier` and assessment `year`: from the stored evaluation, every firm that
    meets the tier, waits for data or a decision, or misses at most `max_missed` rules; from
    `round` (a recommendation round of the tier), its approved declarations. Firms already holding
    the tier's title are left out. With nothing stored for the year, the tier is evaluated first."""
    if tier not in {t.value for t in LIST_TIERS}:
        raise ValidationError(_("推荐名单只用于县级培育库以上的层级。"))
    existing = RecommendationList.objects.filter(tier=tier, year=year).order_by("-version").first()
    if existing is not None:
        raise ValidationError(_("%(year)s年度%(tier)s已有推荐名单（第%(v)s版），请打开该名单继续编制，"
                                "或由定稿名单生成新版本。") % {"year": year, "tier": Tier(tier).label,
                                                          "v": existing.version})
    if round is not None and (round.kind != RoundKind.RECOMMENDATION or round.tier != tier or round.year != year):
        raise ValidationError(_("所选申报批次不是本层级、本年度的推荐申报批次。"))
    if not TierOutcome.objects.filter(tier=tier, run__year=year).exists():
        if not evaluate or not Edition.objects.judging(year, [tier]):
            raise ValidationError(_("%(year)s年度没有%(tier)s的评价结果，也没有可用的已发布标准版本。") % {
                "year": year, "tier": Tier(tier).label})
        from criteria.services import evaluate_all

        evaluate_all(year, tiers=[tier], user=user)
    found = latest_outcomes(tier, year)
    holders = _holders(tier)
    sources = {}
    for firm_id, (outcome, _rows) in found.items():
        if firm_id in holders:
            continue
        if outcome.verdict != Verdict.NOT_ELIGIBLE or outcome.missed <= max_missed:
            sources[firm_id] = EntrySource.EVALUATION
    declared = {}
    if round is not None:
        declared = {d.enterprise_id: d for d in Declaration.objects.filter(round=round, status=Status.APPROVED)}
        sources.update(dict.fromkeys(declared, EntrySource.ROUND))
    firms = {f.pk: f for f in m.Enterprise.objects.filter(pk__in=list(sources)).only("pk", "name", "pool_status")}
    standings = {}
    for firm_id in firms:
        if firm_id in found:
            standings[firm_id] = _standing(found, firm_id)
        else:      # a declared firm without a stored result: the declaration's own score
            d = declared[firm_id]
            standings[firm_id] = Standing(verdict=d.verdict, met=d.met, missed=d.missed, gaps=[])
    ordered = sorted(firms.values(), key=lambda f: order_key(standings[f.pk], f.pool_status == m.PoolStatus.IN_POOL,
                                                            f.name))
    try:
        with transaction.atomic():
            lst = RecommendationList.objects.create(tier=tier, year=year, round=round, created_by=user,
                                                    title=title.strip() or default_title(tier, year))
    except IntegrityError:      # someone generated the same list meanwhile
        raise ValidationError(_("%(year)s年度%(tier)s已有推荐名单，请打开该名单继续编制。") % {
            "year": year, "tier": Tier(tier).label}) from None
    RecommendationEntry.objects.bulk_create(
        RecommendationEntry(recommendation_list=lst, enterprise_id=f.pk, position=i, source=sources[f.pk],
                            **standings[f.pk].fields())
        for i, f in enumerate(ordered, start=1))
    return lst


# ------------------------------------------------------------------------------------------------
# Edit a draft
# ------------------------------------------------------------------------------------------------

def _locked(list_id):
    """The list, locked for the rest of the transaction (SQLite: transactions begin IMMEDIATE)."""
    return RecommendationList.objects.select_for_update().get(pk=list_id)


def _editable(list_id):
    lst = _locked(list_id)
    if lst.frozen:
        raise ValidationError(_("名单已定稿，不能再修改；如需调整，请由此名单生成新版本。"))
    return lst


def _note(note, message):
    note = (note or "").strip()
    if not note:
        raise ValidationError(message)
    return note


def _active(lst):
    return list(RecommendationEntry.objects.filter(recommendation_list=lst, removed=False)
                .order_by("position", "pk"))


def _renumber(entries):
    changed = []
    for i, entry in enumerate(entries, start=1):
        if entry.position != i:
            entry.position = i
            changed.append(entry)
    RecommendationEntry.objects.bulk_update(changed, ["position"])


@transaction.atomic
def add(lst, enterprise, note, *, user=None):
    """Put a firm on a draft list (at the end), with the reason; a firm removed earlier comes back."""
    lst = _editable(lst.pk)
    note = _note(note, _("请填写加入名单的说明。"))
    entry = RecommendationEntry.objects.filter(recommendation_list=lst, enterprise=enterprise).first()
    if entry is not None and not entry.removed:
        raise ValidationError(_("%(firm)s已在本名单中，不能重复加入。") % {"firm": enterprise.name})
    last = RecommendationEntry.objects.filter(recommendation_list=lst, removed=False).aggregate(
        n=Max("position"))["n"] or 0
    if entry is not None:
        entry.removed, entry.position = False, last + 1
        entry.note = f"{entry.note}\n{note}".strip() if entry.note else note
        entry.save(update_fields=["removed", "position", "note"])
        return entry
    standing = _standing(latest_outcomes(lst.tier, lst.year, [enterprise.pk]), enterprise.pk)
    try:
        with transaction.atomic():
            return RecommendationEntry.objects.create(recommendation_list=lst, enterprise=enterprise, position=last + 1,
                                                      source=EntrySource.MANUAL, note=note, **standing.fields())
    except IntegrityError:       # added meanwhile by someone else
        raise ValidationError(_("%(firm)s已在本名单中，不能重复加入。") % {"firm": enterprise.name}) from None


@transaction.atomic
def remove(entry, note, *, user=None):
    """Take a firm off a draft list, with the reason; the entry stays (removed) as history."""
    lst = _editable(entry.recommendation_list_id)
    note = _note(note, _("请填写移出名单的说明。"))
    entry = RecommendationEntry.objects.get(pk=entry.pk)
    if entry.removed:
        raise ValidationError(_("该企业已移出本名单。"))
    entry.removed, entry.removed_note = True, note
    entry.save(update_fields=["removed", "removed_note"])
    _renumber(_active(lst))
    return entry


@transaction.atomic
def move(entry, step):
    """Move an entry up (step -1) or down (+1) one place on a draft list."""
    lst = _editable(entry.recommendation_list_id)
    entries = _active(lst)
    index = next((i for i, e in enumerate(entries) if e.pk == entry.pk), None)
    if index is None:
        raise ValidationError(_("该企业已移出本名单，不能调整顺序。"))
    target = index + step
    if 0 <= target < len(entries):
        entries[index], entries[target] = entries[target], entries[index]
    _renumber(entries)


@transaction.atomic
def reorder(lst, entry_ids):
    """Put the active entries of a draft list in the order of `entry_ids` (every one, once)."""
    lst = _editable(lst.pk)
    entries = {e.pk: e for e in _active(lst)}
    ids = [int(i) for i in entry_ids]
    if sorted(ids) != sorted(entries):
        raise ValidationError(_("排序须包含名单中的每家企业各一次，请刷新页面后重试。"))
    _renumber([entries[i] for i in ids])


@transaction.atomic
def freeze(lst, user):
    lst = _editable(lst.pk)
    if not RecommendationEntry.objects.filter(recommendation_list=lst, removed=False).exists():
        raise ValidationError(_("名单中没有企业，不能定稿。"))
    lst.status, lst.frozen_at, lst.frozen_by = ListStatus.FROZEN, timezone.now(), user
    lst.save(update_fields=["status", "frozen_at", "frozen_by"])
    return lst


@transaction.atomic
def new_version(lst, user):
    """A draft copy of a frozen list (entries, notes and removals kept; outcomes start again)."""
    lst = _locked(lst.pk)
    if not lst.frozen:
        raise ValidationError(_("只有已定稿的名单可以生成新版本；编制中的名单可直接修改。"))
    last = RecommendationList.objects.filter(tier=lst.tier, year=lst.year).aggregate(v=Max("version"))["v"]
    try:
        with transaction.atomic():
            copy = RecommendationList.objects.create(tier=lst.tier, year=lst.year, version=last + 1, previous=lst,
                                                     round=lst.round, title=lst.title, note=lst.note,
                                                     created_by=user)
    except IntegrityError:      # another version was made meanwhile
        raise ValidationError(_("刚刚已有人生成了新版本，请刷新页面后查看。")) from None
    RecommendationEntry.objects.bulk_create(
        RecommendationEntry(recommendation_list=copy, enterprise_id=e.enterprise_id, position=e.position,
                            source=e.source, verdict=e.verdict, met=e.met, missed=e.missed, open=e.open,
                            gaps=e.gaps, note=e.note, removed=e.removed, removed_note=e.removed_note)
        for e in lst.entries.order_by("removed", "position", "pk"))
    return copy


@transaction.atomic
def delete_draft(lst):
    lst = _editable(lst.pk)
    lst.delete()


# ------------------------------------------------------------------------------------------------
# Outcomes: pending → recommended → recognised / not passed
# ------------------------------------------------------------------------------------------------

def record_recognition(entry, lst, on, document):
    """The firm's title from a 已认定 outcome (the one already recorded for that kind and year is reused)."""
    kind, year = recognition_kind(lst.tier), on.year
    recognition = m.Recognition.objects.filter(enterprise_id=entry.enterprise_id, kind=kind, year=year).first()
    if recognition is None:
        recognition = m.Recognition.objects.create(
            enterprise_id=entry.enterprise_id, kind=kind, level=level_of_tier(lst.tier), year=year,
            document=document, granted_on=on,
            note=_("由推荐名单“%(title)s”（第%(v)s版）登记") % {"title": lst.title, "v": lst.version})
    entry.recognition = recognition
    # the firm's results read its titles (附件3 S4b): re-score it for every evaluated year, after commit
    mark_stale([entry.enterprise_id], ())
    return ["recognition"]


@dataclass(frozen=True)
class OutcomeMove:
    source: str
    target: str
    effects: tuple = ()


OUTCOME_MOVES = [
    OutcomeMove(Outcome.PENDING, Outcome.RECOMMENDED),
    OutcomeMove(Outcome.RECOMMENDED, Outcome.RECOGNISED, (record_recognition,)),
    OutcomeMove(Outcome.RECOMMENDED, Outcome.NOT_PASSED),
]


def next_outcomes(current):
    return [mv.target for mv in OUTCOME_MOVES if mv.source == current]


def _outcome_move(entry, target):
    found = next((mv for mv in OUTCOME_MOVES if mv.source == entry.outcome and mv.target == target), None)
    if found is None:
        raise ValidationError(_("%(firm)s的结果不能从“%(a)s”改为“%(b)s”。") % {
            "firm": entry.enterprise.name, "a": Outcome(entry.outcome).label, "b": Outcome(target).label})
    return found


def _frozen(list_id):
    lst = _locked(list_id)
    if not lst.frozen:
        raise ValidationError(_("名单尚未定稿，不能登记推荐结果；请先定稿。"))
    return lst


@transaction.atomic
def set_outcome(entry, outcome, on, document="", *, user=None):
    """Move one entry of a frozen list to `outcome` on date `on` with the document number."""
    lst = _frozen(entry.recommendation_list_id)
    entry = RecommendationEntry.objects.select_related("enterprise").get(pk=entry.pk)
    if entry.removed:
        raise ValidationError(_("%(firm)s已移出本名单，不能登记结果。") % {"firm": entry.enterprise.name})
    if on is None:
        raise ValidationError(_("请填写结果日期。"))
    found = _outcome_move(entry, outcome)
    entry.outcome, entry.outcome_date, entry.outcome_document = outcome, on, (document or "").strip()
    fields = ["outcome", "outcome_date", "outcome_document"]
    for effect in found.effects:
        fields += effect(entry, lst, on, entry.outcome_document)
    entry.save(update_fields=fields)
    return entry


@transaction.atomic
def recommend_all(lst, on, document="", *, user=None):
    """Every pending entry of a frozen list becomes 已推荐 (the list went to the higher level)."""
    lst = _frozen(lst.pk)
    if on is None:
        raise ValidationError(_("请填写报送日期。"))
    return RecommendationEntry.objects.filter(recommendation_list=lst, removed=False, outcome=Outcome.PENDING).update(
        outcome=Outcome.RECOMMENDED, outcome_date=on, outcome_document=(document or "").strip())


# ------------------------------------------------------------------------------------------------
# What a submission to the higher level shows: the figures of the window the tier reads
# ------------------------------------------------------------------------------------------------

# Figures a derived metric reads (the metric named after a figure reads that figure).
_METRIC_FIGURES = {
    "profit_plus_tax": ("total_profit", "taxes_paid"),
    "main_business_share": ("main_business_revenue", "operating_revenue"),
    "debt_ratio": ("total_liabilities", "total_assets"),
    "profit_margin": ("total_profit", "operating_revenue"),
    "rd_staff_share": ("rd_staff", "employees"),
    "avg_operating_margin": ("operating_profit", "operating_revenue"),
    "avg_rd_intensity": ("rd_expense", "operating_revenue"),
}
# Always shown, whatever the tier reads: the size of the firm and its R&D effort.
BASE_FIGURES = ("operating_revenue", "main_business_revenue", "total_profit", "rd_expense")
MIN_YEARS = 3


def _condition_figures(metric, params):
    figures = set(_METRIC_FIGURES.get(metric, ()))
    if metric in m.FiscalYearRecord.FIGURES:
        figures.add(metric)
    if metric in ("figure_sum", "avg_growth"):
        figures.add(params.get("figure") or "operating_revenue")
    if metric == "product_revenue_share":
        figures.add(params.get("denominator") or "operating_revenue")
    for guard in params.get("when") or ():
        figures |= _condition_figures(guard.get("metric", ""), guard.get("params") or {})
    return figures


def submission_window(lst):
    """(years, figures): the fiscal years and the yearly figures the list's tier reads (at least the
    last three years and BASE_FIGURES), in FiscalYearRecord.FIGURES order."""
    editions = Edition.objects.judging(lst.year, [lst.tier])
    figures, widest = set(BASE_FIGURES), MIN_YEARS
    for edition in editions:
        for criterion in edition.criteria.all():
            for condition in criterion.conditions.all():
                params = condition.params or {}
                figures |= _condition_figures(condition.metric, params)
                window = int(params.get("window") or 1)
                widest = max(widest, window + 1 if "growth" in condition.metric else window)
    years = list(range(lst.year - widest + 1, lst.year + 1))
    return years, [f for f in m.FiscalYearRecord.FIGURES if f in figures]


def met_codes(lst, entry, edition=None):
    """The rules the firm met when the list was made: the rules that decide the tier for it, less
    the ones its entry records as not met."""
    if not entry.verdict:
        return []
    if edition is None:
        editions = Edition.objects.judging(lst.year, [lst.tier])
        edition = editions[0] if editions else None
    if edition is None:
        return []
    criteria = list(edition.criteria.all())
    variants = list(edition.variants) or sorted({c.variant for c in criteria} - {""})
    ent_variants = [v for v in variants if any(c.variant == v and c.scope != "product" for c in criteria)]
    own = entry.enterprise.category if len(ent_variants) > 1 else None
    if own not in ent_variants:
        own = ent_variants[0] if ent_variants else ""
    open_codes = {g["code"] for g in entry.gaps}
    codes = []
    for c in criteria:
        decides = c.scope == "product" or c.variant in ("", own)
        if decides and c.code not in open_codes and c.code not in codes:
            codes.append(c.code)
    return codes
