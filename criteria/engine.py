"""Criteria engine: scores a firm's Profile against criteria editions (pure Python, no Django).

Public API
----------
- Profile data: `Profile`, `FiscalYear`, `Product`, `IPItem`, `RDInstitution`, `Brand`,
  `Certification`, `Standard`, `InformationSystem`, `Competition`, `BadRecord`, `Recognition`.
- Edition specs: `EditionSpec`, `CriterionSpec`, `ConditionSpec`, `editions_from_json(data)`
  (which edition judges which year is chosen in the database: `criteria.selfassess.editions_for`).
- Evaluation: `evaluate_tier(profile, edition, year) -> TierResult`.
- Results: `TierResult`, `VariantResult`, `ProductResult`, `CriterionResult` (each has `to_dict()`
  in the self-assessment API response shape).
- Registry (re-exported from `criteria.metrics`): `METRICS`, `OPERATORS`, `PARAMS`, `LEVELS`,
  `STANDARD_LEVELS`.

Conditions are in conjunctive normal form: conditions sharing a `group` are OR'ed (branches),
groups are AND'ed.  A condition may carry `params.when` (a guard list); a condition whose guard
is false is not applicable and skipped; a criterion with nothing applicable is met (不适用).  A
guard that cannot be decided leaves its condition unknown, unless the condition is met anyway: "if G
then C" holds when C holds, whatever G is (S4b: a firm holding the title meets it, revenue or not).
A metric may report a range instead of a value when data are missing (`MetricValue.bounds`): the
rule is then met or not met only when every value of the range agrees, otherwise unknown.

Readings chosen (also written in each criterion's `reading` in fixtures/editions/2022.json)
----------------------------------------------------------------------------------------
1. 以上/以下/不低于/不高于/及以上/（含） include the number; 超过/不足/不满 exclude it.
2. Average growth over n years = arithmetic mean of the n year-on-year rates ending at Y (needs
   n+1 years); `method: cagr` is available.  Growth from a zero year is unknown; from a negative
   year it divides by the absolute value.
3. Averaged ratios over n years = mean of the yearly ratios over Y-n+1..Y (`mean_of_ratios`);
   `ratio_of_sums` is available.  A zero denominator is unknown.
4. 附件2 M3's five parts are all required (five criteria M3a–M3e).
5. "申报或授权" counts applied + granted IP; every other IP rule counts granted only; lapsed
   counts nowhere; an item is tied to a leading product when it names a product on the firm's
   product list (a name not on the list, or any name when the list is empty, ties it to none;
   with the list unknown the tie is unknown).  An item without a status may or may not count.
   专有技术 items count like other IP (granted only).
6. Market rank is an "or" over the leading products: the enterprise meets a rank rule when any
   product (in that scope) is within the rank; when none is and some product's rank is missing the
   rule is unknown (the explanation names those products); no products → not met.  The same "or"
   holds for 进入龙头企业供应链 and 重点领域 over the products.  "国内同行业前列" (附件1 M5) and
   "全省乃至全国名列前茅" (附件5 P1a) read as rank <= 10 (province scope for P1a).
7. 附件4 M6 "研究开发费用占销售收入的比重均值" reads as a 3-year average with 销售收入 = 营业收入.
8. 利润率 (S4a) = total profit / operating revenue of Y, strictly above the industry average
   entered by staff.  S4b: 4亿元以下 includes 40000万元; a national_giant recognition counts
   when granted in or before the declaration year Y+1 (titles the firm holds count so); revenue
   above 40000 → not applicable (met); a firm holding the title meets S4b even when its revenue
   is missing.
9. N6's branches: a management-system certification; a standard of industry level or above
   (any role: the firm produces to it); a certification of kind `foreign` (developed country
   or region).  Standards rank enterprise < local (county, city, province) < industry <
   national < international, so a provincial standard is not "行业及以上".  N7: an R&D
   institution of any level, own or joint.
10. N9's R&D-staff share is taken in Y; "近2年" sums/averages use Y-1..Y; the band is chosen by
   operating revenue of Y.
11. Bad records count when their date's year lies in Y-2..Y ("近三年"); an undated record leaves
   the count open (unknown unless the dated ones already decide).
12. The high-tech certificate counts when its validity overlaps calendar year Y; it runs three
   years, so with only its start known it ends three years later minus a day, and with only its
   end known it started three years before.
13. 附件1 M4 and 附件3 S7: leading products' revenue of Y over operating revenue of Y (M4 sums
   every listed product; S7 is per product).  附件5 P1b and 附件4 P1: the product's revenue over
   main business revenue.
14. Product-tier IP rules (附件5 P2, 附件4 P2) count the enterprise's IP (the notice says 企业拥有).
15. 附件1 C1 accepts a registered province equal to or starting with 江苏.
16. Staff decisions (`judgments`, keyed "<tier>.<code>", or "<tier>.<code>@<product>" for one
   product) win over claims; on an `overridable` criterion (附件5 E2b "一般不高于70%") a staff
   decision overrides the computed result.

Arithmetic is exact (Decimal inputs → Fraction, percentages as num*100/den); nothing is
rounded before comparing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, Iterable, Mapping

from . import metrics as _mx
from .metrics import (LEVELS, METRICS, OPERATORS, PARAMS, STANDARD_LEVELS, Context,  # noqa: F401
                      MetricValue, display, to_fraction)

MET, NOT_MET, UNKNOWN, NEEDS_REVIEW = "met", "not_met", "unknown", "needs_review"
ELIGIBLE, INCOMPLETE, NOT_ELIGIBLE = "eligible", "incomplete", "not_eligible"
VERDICTS = (ELIGIBLE, INCOMPLETE, NOT_ELIGIBLE)


# ============================================================================================
# Profile
# ============================================================================================

@dataclass(frozen=True)
class FiscalYear:
    year: int
    operating_revenue: Any = None
    main_business_revenue: Any = None
    operating_profit: Any = None
    total_profit: Any = None
    net_profit: Any = None
    taxes_paid: Any = None
    rd_expense: Any = None
    total_assets: Any = None
    total_liabilities: Any = None
    employees: int | None = None
    rd_staff: int | None = None
    equity_financing: Any = None


@dataclass(frozen=True)
class Product:
    name: str
    revenue: Mapping[int, Any] = field(default_factory=dict)
    market_rank: Mapping[str, int] = field(default_factory=dict)
    supplies_leading_enterprise: str | None = None   # None unknown, "" no, a name yes
    key_field: bool | None = None
    strategic_emerging: bool | None = None          # in 《战略性新兴产业分类》; None unknown


@dataclass(frozen=True)
class IPItem:
    type: str
    status: str | None = "granted"
    product: str | None = None
    high_value: bool | None = None       # Ⅰ类高价值 (None: not recorded, counts as plain)
    self_developed: bool | None = None   # 自主研发 (None: not recorded, counts as plain)


@dataclass(frozen=True)
class RDInstitution:
    level: str | None = None
    joint: bool | None = None


@dataclass(frozen=True)
class Brand:
    level: str | None = None


@dataclass(frozen=True)
class Certification:
    kind: str | None = None


@dataclass(frozen=True)
class Standard:
    level: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class InformationSystem:
    kind: str | None = None


@dataclass(frozen=True)
class Competition:
    level: str | None = None


@dataclass(frozen=True)
class BadRecord:
    kind: str | None = None
    date: date | None = None


@dataclass(frozen=True)
class Recognition:
    tier: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Award:
    """A science and technology award (kind `science`), national or provincial, of a year."""
    kind: str | None = "science"
    level: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Honour:
    """An honour with its validity (tech_innovation_demo, ip_advantage, ip_demo)."""
    kind: str | None = None
    valid_until: date | None = None
    level: str | None = None


@dataclass(frozen=True)
class Profile:
    registered_province: str | None = None
    independent_legal_person: bool | None = None
    founding_date: date | None = None
    category: str | None = None
    industry_tags: frozenset[str] | None = None
    taxonomies: frozenset[str] | None = None
    years_in_niche: int | None = None
    years_in_field: int | None = None
    years_with_new_product: int | None = None
    high_tech_certified: bool | None = None
    high_tech_valid_from: date | None = None
    high_tech_valid_until: date | None = None
    own_brand: bool | None = None
    industry_average_margin: Any = None
    financials: Mapping[int, FiscalYear] = field(default_factory=dict)
    products: tuple[Product, ...] | None = None
    ip: tuple[IPItem, ...] | None = None
    rd_institutions: tuple[RDInstitution, ...] | None = None
    brands: tuple[Brand, ...] | None = None
    certifications: tuple[Certification, ...] | None = None
    standards: tuple[Standard, ...] | None = None
    information_systems: tuple[InformationSystem, ...] | None = None
    competitions: tuple[Competition, ...] | None = None
    bad_records: tuple[BadRecord, ...] | None = None
    recognitions: tuple[Recognition, ...] | None = None
    awards: tuple[Award, ...] | None = None
    honours: tuple[Honour, ...] | None = None
    claims: frozenset[str] = frozenset()
    judgments: Mapping[str, bool] = field(default_factory=dict)


# ============================================================================================
# Edition specs
# ============================================================================================

@dataclass(frozen=True)
class ConditionSpec:
    group: str
    label: str
    metric: str
    operator: str = ""
    threshold: str | None = None
    unit: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BandSpec:
    """One band of a scored indicator: `points` when `value operator edge` holds (operator "" : always,
    the last band).  `label` names the band ("3%-5%"), `notice` is the standard's own words, `reach`
    (optional) says in words what reaching it takes, for a band no figure measures (IP, field)."""
    points: str
    operator: str = ""
    edge: str | None = None
    label: str = ""
    notice: str = ""
    reach: str = ""


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    text: str
    variant: str
    scope: str
    order: int
    conditions: tuple[ConditionSpec, ...]
    overridable: bool = False
    reading: str = ""
    role: str = "rule"                 # rule | indicator | direct (scored editions)
    dimension: str = ""
    max_points: str | None = None
    bands: tuple[BandSpec, ...] = ()


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str
    max: str
    minimum: str = "0"


@dataclass(frozen=True)
class ScoringSpec:
    """A scored edition: pass on `pass_mark` with every dimension's minimum, or by a direct route."""
    pass_mark: str
    dimensions: tuple[DimensionSpec, ...] = ()
    direct_hints: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EditionSpec:
    tier: str
    year: int
    name: str
    notice: str
    variants: Mapping[str, str]
    criteria: tuple[CriterionSpec, ...]
    scoring: ScoringSpec | None = None


def bands_from_json(data) -> tuple[BandSpec, ...]:
    return tuple(BandSpec(points=str(b["points"]), operator=b.get("operator") or "",
                          edge=None if b.get("edge") in (None, "") else str(b["edge"]),
                          label=b.get("label", ""), notice=b.get("notice", ""), reach=b.get("reach", ""))
                 for b in (data or ()))


def scoring_from_json(data) -> ScoringSpec | None:
    if not data:
        return None
    return ScoringSpec(pass_mark=str(data["pass_mark"]),
                       dimensions=tuple(DimensionSpec(code=d["code"], name=d.get("name", d["code"]),
                                                      max=str(d.get("max", "0")), minimum=str(d.get("minimum", "0")))
                                        for d in data.get("dimensions") or ()),
                       direct_hints=dict(data.get("direct_hints") or {}))


def editions_from_json(data: Mapping) -> list[EditionSpec]:
    """Read the neutral edition JSON ({"editions": [...]}) into specs."""
    out = []
    for e in data["editions"]:
        crits = []
        for c in e["criteria"]:
            conds = tuple(
                ConditionSpec(group=str(k.get("group", "a")), label=k.get("label", ""),
                              metric=k["metric"], operator=k.get("operator") or "",
                              threshold=None if k.get("threshold") in (None, "") else str(k["threshold"]),
                              unit=k.get("unit", ""), params=dict(k.get("params") or {}))
                for k in c["conditions"])
            crits.append(CriterionSpec(code=c["code"], text=c["text"], variant=c.get("variant", ""),
                                       scope=c.get("scope", "enterprise"), order=int(c.get("order", 0)),
                                       conditions=conds, overridable=bool(c.get("overridable")),
                                       reading=c.get("reading", ""), role=c.get("role") or "rule",
                                       dimension=c.get("dimension", ""),
                                       max_points=None if c.get("max_points") in (None, "") else str(c["max_points"]),
                                       bands=bands_from_json(c.get("bands"))))
        crits.sort(key=lambda c: c.order)
        out.append(EditionSpec(tier=e["tier"], year=int(e["year"]), name=e["name"],
                               notice=e.get("notice", ""), variants=dict(e.get("variants") or {}),
                               criteria=tuple(crits), scoring=scoring_from_json(e.get("scoring"))))
    return out


# ============================================================================================
# Results
# ============================================================================================

@dataclass(frozen=True)
class CriterionResult:
    code: str
    text: str
    result: str
    actual: str | None = None
    threshold: str | None = None
    unit: str = ""
    gap: str | None = None
    branch: str | None = None
    explanation: str = ""

    def to_dict(self) -> dict:
        return {"code": self.code, "text": self.text, "result": self.result,
                "actual": self.actual, "threshold": self.threshold, "unit": self.unit,
                "gap": self.gap, "explanation": self.explanation}


@dataclass(frozen=True)
class VariantResult:
    variant: str
    name: str
    own: bool
    verdict: str
    criteria: list[CriterionResult]

    def to_dict(self) -> dict:
        return {"variant": self.variant, "own": self.own, "verdict": self.verdict,
                "criteria": [c.to_dict() for c in self.criteria]}


@dataclass(frozen=True)
class ProductResult:
    name: str
    verdict: str
    criteria: list[CriterionResult]

    def to_dict(self) -> dict:
        return {"name": self.name, "verdict": self.verdict,
                "criteria": [c.to_dict() for c in self.criteria]}


@dataclass(frozen=True)
class TierResult:
    tier: str
    name: str
    edition_year: int
    notice: str
    verdict: str
    variants: list[VariantResult]
    products: list[ProductResult]
    # scored editions only: how the firm passes (score | direct | None), its points, the direct
    # routes and the cheapest way to pass (see `evaluate_scored`)
    route: str | None = None
    score: "ScoreResult | None" = None
    direct_routes: list = field(default_factory=list)
    cheapest_pass: list = field(default_factory=list)

    @property
    def edition(self) -> dict:
        return {"year": self.edition_year, "notice": self.notice}

    def criterion(self, code: str, product: str | None = None) -> CriterionResult | None:
        """Find a criterion result by code (in a product's list when `product` is given)."""
        lists = ([p.criteria for p in self.products if p.name == product] if product is not None
                 else [v.criteria for v in self.variants])
        for lst in lists:
            for c in lst:
                if c.code == code:
                    return c
        return None

    def to_dict(self) -> dict:
        if self.score is not None:       # a scored tier: a score block instead of variants
            return {"tier": self.tier, "name": self.name, "edition": self.edition,
                    "verdict": self.verdict, "route": self.route, "score": self.score.to_dict(),
                    "direct_routes": [d.to_dict() for d in self.direct_routes],
                    "cheapest_pass": [c.to_dict() for c in self.cheapest_pass]}
        return {"tier": self.tier, "name": self.name, "edition": self.edition,
                "verdict": self.verdict, "variants": [v.to_dict() for v in self.variants],
                "products": [p.to_dict() for p in self.products]}


def decisive_rows(result: TierResult) -> list:
    """The rules that decide the tier: the firm's own variant (or the only one, or the first when
    none is its own) plus its best product's rules."""
    rows = [c for v in result.variants if v.own or len(result.variants) == 1 for c in v.criteria]
    if not rows and result.variants:
        rows = list(result.variants[0].criteria)
    if result.products:
        best = min(result.products, key=lambda p: VERDICTS.index(p.verdict))
        rows += list(best.criteria)
    return rows


def tally(result: TierResult) -> tuple[int, int, int]:
    """(met, not met, open) over the rules that decide the tier (`decisive_rows`)."""
    rows = decisive_rows(result)
    met = sum(c.result == MET for c in rows)
    missed = sum(c.result == NOT_MET for c in rows)
    return met, missed, len(rows) - met - missed


# ============================================================================================
# Combining
# ============================================================================================

def combine_and(results: Iterable[str]) -> str:
    rs = list(results)
    for r in (NOT_MET, UNKNOWN, NEEDS_REVIEW):
        if r in rs:
            return r
    return MET


def combine_or(results: Iterable[str]) -> str:
    rs = list(results)
    for r in (MET, NEEDS_REVIEW, UNKNOWN):
        if r in rs:
            return r
    return NOT_MET


def verdict_of(results: Iterable[str]) -> str:
    rs = list(results)
    if NOT_MET in rs:
        return NOT_ELIGIBLE
    if UNKNOWN in rs or NEEDS_REVIEW in rs:
        return INCOMPLETE
    return ELIGIBLE


_VERDICT_RANK = {ELIGIBLE: 2, INCOMPLETE: 1, NOT_ELIGIBLE: 0}


def best_verdict(verdicts: Iterable[str]) -> str:
    vs = list(verdicts)
    return max(vs, key=_VERDICT_RANK.__getitem__) if vs else NOT_ELIGIBLE


def and_verdicts(verdicts: Iterable[str]) -> str:
    vs = list(verdicts)
    if NOT_ELIGIBLE in vs:
        return NOT_ELIGIBLE
    if INCOMPLETE in vs:
        return INCOMPLETE
    return ELIGIBLE


# ============================================================================================
# Conditions
# ============================================================================================

_WORDS_MET = {">=": "不低于", ">": "超过", "<=": "不高于", "<": "低于", "==": "等于", "!=": "不等于"}
_WORDS_NOT = {">=": "低于", ">": "未超过", "<=": "高于", "<": "不低于", "==": "不等于", "!=": "等于"}


def compare(value: Fraction, op: str, threshold: Fraction) -> bool:
    if op == ">=":
        return value >= threshold
    if op == ">":
        return value > threshold
    if op == "<=":
        return value <= threshold
    if op == "<":
        return value < threshold
    if op == "==":
        return value == threshold
    if op == "!=":
        return value != threshold
    raise ValueError(f"unknown operator {op!r}")


def _gap(value: Fraction, op: str, threshold: Fraction) -> Fraction:
    if op in (">=", ">"):
        return threshold - value
    if op in ("<=", "<"):
        return value - threshold
    return abs(value - threshold)


@dataclass(frozen=True)
class _Cond:
    spec: ConditionSpec
    result: str            # met / not_met / unknown / needs_review / "n/a"
    actual: str | None = None
    threshold: str | None = None
    gap: str | None = None
    numeric: bool = False
    explanation: str = ""
    guard: str = ""        # explanation of the applicable guard, if any


NA = "n/a"
MET_IF_APPLICABLE = "met_if_applicable"   # met when its guard holds; the guard is unknown


def _kind(metric: str) -> str:
    return METRICS.get(metric, {}).get("kind", "count")


_THRESHOLDS: dict[str, Fraction] = {}   # threshold text -> its exact value (parsed once)


def _threshold_value(text: str) -> Fraction:
    value = _THRESHOLDS.get(text)
    if value is None:
        value = _THRESHOLDS[text] = to_fraction(text)
    return value


def _threshold_of(threshold: str | None, params: Mapping, ctx: Context) -> tuple[Fraction | None, str | None, str]:
    ref = params.get("threshold_ref")
    if ref:
        mv = _mx.compute(ref, ctx, {})
        if not mv.known:
            return None, None, mv.missing
        return to_fraction(mv.value), display(mv.value, _kind(ref)), ""
    if threshold is None:
        return None, None, "未设定门槛"
    return _threshold_value(threshold), threshold, ""


def _numeric_phrase(label, kind, unit, actual, op, thr_s, ok, gap_s, detail=""):
    det = f"（{detail}）" if detail else ""
    if kind == "rank" and op in ("<=", "<"):
        limit = thr_s if op == "<=" else f"{thr_s}（不含）"
        if ok:
            return f"{label}第{actual}{unit}{det}，在前{limit}{unit}以内"
        return f"{label}第{actual}{unit}{det}，不在前{limit}{unit}以内，差{gap_s}{unit}"
    if op == "==":
        if ok:
            return f"{label}{actual}{unit}{det}，符合要求（应为{thr_s}{unit}）"
        return f"{label}{actual}{unit}{det}，不符合要求（应为{thr_s}{unit}）"
    word = (_WORDS_MET if ok else _WORDS_NOT)[op]
    s = f"{label}{actual}{unit}{det}，{word}{thr_s}{unit}"
    if not ok and gap_s is not None and op != "!=":
        s += f"，差{gap_s}{unit}"
    return s


def _settled(lo: Any, hi: Any, op: str, thr: Fraction) -> bool | None:
    """Whether `value op thr` holds for every value in [lo, hi] (True), for none (False), or for some
    only (None); a None bound is open on that side."""
    lo_f = None if lo is None else to_fraction(lo)
    hi_f = None if hi is None else to_fraction(hi)
    if op in (">=", ">"):
        every = lo_f is not None and compare(lo_f, op, thr)
        none = hi_f is not None and not compare(hi_f, op, thr)
    elif op in ("<=", "<"):
        every = hi_f is not None and compare(hi_f, op, thr)
        none = lo_f is not None and not compare(lo_f, op, thr)
    else:                                     # == / !=: only the threshold itself can tell
        inside = (lo_f is None or lo_f <= thr) and (hi_f is None or thr <= hi_f)
        only = inside and lo_f == thr and hi_f == thr
        every, none = (only, not inside) if op == "==" else (not inside, only)
    return True if every else False if none else None


def _check(metric: str, op: str, threshold: Any, params: Mapping, label: str, unit: str,
           ctx: Context) -> tuple[str, str | None, str | None, str | None, str]:
    """Evaluate one comparison; returns (result, actual, threshold_s, gap, explanation)."""
    kind = _kind(metric)
    mv: MetricValue = _mx.compute(metric, ctx, dict(params))
    plain_thr = None if (threshold is None or params.get("threshold_ref")) else str(threshold)
    if mv.absent:
        return NOT_MET, None, plain_thr, None, f"{label}：{mv.missing}"
    if not mv.known:
        return UNKNOWN, None, plain_thr, None, f"{label}：{mv.missing}，无法判断"
    if kind == "bool" or op == "":
        ok = bool(mv.value)
        det = f"（{mv.detail}）" if mv.detail else ""
        return (MET if ok else NOT_MET), display(ok, kind), None, None, \
            f"{label}：{'是' if ok else '否'}{det}"
    thr, thr_s, why = _threshold_of(None if threshold is None else str(threshold), params, ctx)
    actual = display(mv.value, kind)
    if thr is None:
        return UNKNOWN, actual, None, None, f"{label}{actual}{unit}，{why}，无法判断"
    raw = mv.value
    if mv.bounds is not None:                 # missing data leave the value within a range
        ok = _settled(mv.bounds[0], mv.bounds[1], op, thr)
        if ok is None:
            det = f"（{mv.detail}）" if mv.detail else ""
            known = f"已知最好为第{actual}{unit}" if kind == "rank" else f"可确定的为{actual}{unit}"
            return UNKNOWN, actual, thr_s, None, f"{label}{known}{det}；{mv.open}，无法判断"
        # decided whatever the missing data are; a gap is measured from the most favourable value
        far = mv.bounds[1] if op in (">=", ">") else mv.bounds[0] if op in ("<=", "<") else raw
        if far is not None:
            raw = far
    elif type(raw) is int and thr.denominator == 1:     # counts, ranks, years: exact integer comparison
        ok = compare(raw, op, thr.numerator)
    else:
        ok = compare(to_fraction(raw), op, thr)
    gap = None if ok or op == "!=" else display(_gap(to_fraction(raw), op, thr), kind)
    text = _numeric_phrase(label, kind, unit, actual, op, thr_s, ok, gap, mv.detail)
    if mv.bounds is not None and mv.open:
        text += f"（{mv.open}，不影响结论）"
    return (MET if ok else NOT_MET), actual, thr_s, gap, text


def _judgment(cond: ConditionSpec, ctx: Context, key: str, profile: Profile) -> _Cond:
    keys = ([f"{key}@{ctx.product.name}"] if ctx.product is not None else []) + [key]
    label = cond.label or "工作人员判断"
    for k in keys:
        if k in (profile.judgments or {}):
            ok = bool(profile.judgments[k])
            return _Cond(cond, MET if ok else NOT_MET,
                         explanation=f"{label}：工作人员已认定{'符合' if ok else '不符合'}")
    for k in keys:
        if k in (profile.claims or ()):
            return _Cond(cond, NEEDS_REVIEW, explanation=f"{label}：企业自我声明符合，待工作人员审核")
    return _Cond(cond, UNKNOWN, explanation=f"{label}：需工作人员判断（企业未声明）")


def _eval_condition(cond: ConditionSpec, ctx: Context, key: str, profile: Profile) -> _Cond:
    guard_texts, open_texts = [], []
    for g in cond.params.get("when") or ():
        gm = g["metric"]
        glabel = g.get("label") or METRICS.get(gm, {}).get("label", gm)
        gunit = g.get("unit", METRICS.get(gm, {}).get("unit", ""))
        r, _a, _t, _g, text = _check(gm, g.get("operator", ""), g.get("threshold"),
                                     g.get("params") or {}, glabel, gunit, ctx)
        text = text.split("，差")[0]
        if r == UNKNOWN:
            text = text.removesuffix("，无法判断")
            if text not in open_texts:
                open_texts.append(text)
        elif r != MET:
            return _Cond(cond, NA, explanation=text)
        else:
            guard_texts.append(text)
    guard = "，".join(guard_texts)
    if cond.metric == "judgment":
        j = _judgment(cond, ctx, key, profile)
        c = _Cond(cond, j.result, explanation=j.explanation, guard=guard)
    else:
        params = {k: v for k, v in cond.params.items() if k != "when"}
        r, actual, thr_s, gap, text = _check(cond.metric, cond.operator, cond.threshold, params,
                                             cond.label, cond.unit, ctx)
        numeric = _kind(cond.metric) not in ("bool", "judgment") and cond.operator != ""
        c = _Cond(cond, r, actual=actual, threshold=thr_s if numeric else None, gap=gap,
                  numeric=numeric, explanation=text, guard=guard)
    if open_texts:
        why = "；".join(open_texts)
        if c.result == MET:
            # "if G then C" holds when C holds, whatever G is (a guard is an or-branch)
            return _Cond(cond, MET_IF_APPLICABLE, actual=c.actual, threshold=c.threshold,
                         numeric=c.numeric, guard=guard,
                         explanation=f"{c.explanation}（{why}，是否适用本条无法判断；无论是否适用均满足）")
        return _Cond(cond, UNKNOWN, explanation=f"无法判断是否适用（{why}）", guard=guard)
    return c


# ============================================================================================
# Criteria
# ============================================================================================

def evaluate_criterion(crit: CriterionSpec, profile: Profile, year: int, tier: str,
                       product: Product | None = None, *, cache: dict | None = None) -> CriterionResult:
    """`cache`: optional dict memoising metric values; pass the same dict only for the same profile."""
    ctx = Context(profile=profile, year=year, product=product, cache=cache)
    key = f"{tier}.{crit.code}"
    groups: dict[str, list[_Cond]] = {}
    for cond in crit.conditions:
        groups.setdefault(cond.group, []).append(_eval_condition(cond, ctx, key, profile))

    group_results: list[str] = []
    parts: list[str] = []
    guards: list[str] = []
    branch = None
    chosen: list[_Cond] = []          # conditions that speak for the result
    na_texts: list[str] = []
    for conds in groups.values():
        applicable = [c for c in conds if c.result != NA]
        na_texts += [c.explanation for c in conds if c.result == NA]
        if not applicable:
            continue
        for c in applicable:
            if c.guard and c.guard not in guards:
                guards.append(c.guard)
        rs = [c.result for c in applicable]
        if MET_IF_APPLICABLE in rs:
            # met-if-applicable alone: the group is met or does not apply, either way it holds;
            # beside other branches it is as good as unknown
            rs = [MET] if all(r == MET_IF_APPLICABLE for r in rs) else \
                [UNKNOWN if r == MET_IF_APPLICABLE else r for r in rs]
        gr = combine_or(rs)
        group_results.append(gr)
        if gr == MET:
            hit = next((c for c in applicable if c.result == MET), None) or applicable[0]
            if len(conds) > 1 and branch is None:
                branch = hit.spec.label
            parts.append(hit.explanation)
            chosen.append(hit)
        else:
            parts.append("；".join(c.explanation for c in applicable))
            chosen += applicable

    if not group_results:
        why = "；".join(dict.fromkeys(na_texts))
        return CriterionResult(code=crit.code, text=crit.text, result=MET,
                               unit=crit.conditions[0].unit if crit.conditions else "",
                               explanation=f"不适用：{why}" if why else "不适用")

    result = combine_and(group_results)
    explanation = "；".join(dict.fromkeys(parts))
    if guards:
        explanation = "适用：" + "；".join(guards) + "。" + explanation

    numeric = [c for c in chosen if c.numeric]
    primary = None
    if result == NOT_MET:
        primary = next((c for c in numeric if c.result == NOT_MET), None)
    if primary is None:
        primary = next((c for c in numeric if c.result in (MET, MET_IF_APPLICABLE)), None) \
            if result == MET else None
    if primary is None:
        primary = next((c for c in numeric if c.actual is not None), None) or \
            (numeric[0] if numeric else None)
    unit = primary.spec.unit if primary else (crit.conditions[0].unit if crit.conditions else "")

    # staff override of an overridable (non-judgment) criterion
    decision = (profile.judgments or {}).get(
        f"{key}@{product.name}" if product is not None else key,
        (profile.judgments or {}).get(key)) if crit.overridable else None
    if decision is not None:
        computed = {MET: "符合", NOT_MET: "不符合"}.get(result, "无法判断")
        result = MET if decision else NOT_MET
        explanation += (f"（计算结果{computed}；工作人员已认定{'符合' if decision else '不符合'}，"
                        f"覆盖计算结果）")

    gap = primary.gap if (primary is not None and result == NOT_MET and primary.result == NOT_MET) else None
    return CriterionResult(code=crit.code, text=crit.text, result=result,
                           actual=primary.actual if primary else None,
                           threshold=primary.threshold if primary else None,
                           unit=unit, gap=gap, branch=branch, explanation=explanation)


def _unknown_product_result(crit: CriterionSpec) -> CriterionResult:
    c0 = next((c for c in crit.conditions if c.metric != "judgment"), None)
    return CriterionResult(code=crit.code, text=crit.text, result=UNKNOWN,
                           threshold=c0.threshold if c0 else None, unit=c0.unit if c0 else "",
                           explanation="未提供主导产品信息，无法按产品判断")


# ============================================================================================
# Tiers
# ============================================================================================

def evaluate_tier(profile: Profile, edition: EditionSpec, year: int, *, cache: dict | None = None,
                  steps: bool = True) -> TierResult:
    """`cache`: optional dict memoising metric values, which a caller scoring one profile against
    several editions may share between the calls (never between profiles). `steps=False` leaves out
    a scored tier's cheapest way to pass, which bulk evaluation does not store (pages that show it
    score the one firm again)."""
    if cache is None:
        cache = {}
    if edition.scoring is not None:
        return evaluate_scored(profile, edition, year, cache=cache, steps=steps)
    memo: dict[int, CriterionResult] = {}   # criteria shared by several variants are scored once

    def scored(c):
        r = memo.get(id(c))
        if r is None:
            r = memo[id(c)] = evaluate_criterion(c, profile, year, edition.tier, cache=cache)
        return r

    ent = [c for c in edition.criteria if c.scope != "product"]
    prod = [c for c in edition.criteria if c.scope == "product"]
    variant_codes = list(edition.variants) or sorted({c.variant for c in edition.criteria} - {""})
    ent_variants = [v for v in variant_codes if any(c.variant == v for c in ent)]
    if not ent_variants and any(c.variant == "" for c in ent):
        ent_variants = [""]
    prod_variants = [v for v in variant_codes if any(c.variant == v for c in prod)] or \
        (["P"] if prod else [])
    multi = len(ent_variants) > 1

    variants: list[VariantResult] = []
    for v in ent_variants:
        crits = [scored(c) for c in ent if c.variant in ("", v)]
        own = (profile.category == v) if multi else True
        variants.append(VariantResult(variant=v, name=edition.variants.get(v, v), own=own,
                                      verdict=verdict_of(c.result for c in crits), criteria=crits))

    ent_verdict = None
    if variants:
        owned = [vr for vr in variants if vr.own]
        ent_verdict = owned[0].verdict if (owned and (not multi or profile.category)) else \
            best_verdict(vr.verdict for vr in variants)

    products: list[ProductResult] = []
    prod_verdict = None
    if prod:
        if profile.products is None:
            for v in prod_variants:
                crits = [_unknown_product_result(c) for c in prod if c.variant in ("", v) or len(prod_variants) == 1]
                variants.append(VariantResult(variant=v, name=edition.variants.get(v, v), own=True,
                                              verdict=INCOMPLETE, criteria=crits))
            prod_verdict = INCOMPLETE
        else:
            for p in profile.products:
                crits = [evaluate_criterion(c, profile, year, edition.tier, product=p, cache=cache) for c in prod]
                products.append(ProductResult(name=p.name, verdict=verdict_of(c.result for c in crits),
                                              criteria=crits))
            prod_verdict = best_verdict(p.verdict for p in products)

    if ent_verdict is not None and prod_verdict is not None:
        verdict = and_verdicts([ent_verdict, prod_verdict])
    else:
        verdict = ent_verdict or prod_verdict or NOT_ELIGIBLE
    return TierResult(tier=edition.tier, name=edition.name, edition_year=edition.year,
                      notice=edition.notice, verdict=verdict, variants=variants, products=products)


# ============================================================================================
# Scored editions (创新型中小企业 and the like)
# ============================================================================================
#
# A scored edition (`EditionSpec.scoring`) has three kinds of criteria (`CriterionSpec.role`):
# - `indicator`: its first condition names what is measured (metric, params, label, unit); its
#   bands, highest points first, give the points: the first band whose `value operator edge` holds
#   (operator "" always holds).  Exact Fractions decide every edge, so a value on an edge takes the
#   band whose operator includes it (以上 is >=).  A value the data leave open (a metric range) is
#   scored when every value of the range falls in one band, otherwise the indicator is unknown:
#   no points for sure, its maximum at best (never a silent zero).
# - `direct`: a CNF like any rule; met passes the firm whatever its score.  They combine as an "or".
# - `rule`: a pass/fail prerequisite beside the bands; every one must be met.
# The verdict: eligible when the prerequisites are met and either the sure score passes (total >=
# pass mark and every dimension >= its minimum) or a direct route is met; not eligible when a
# prerequisite fails, or when even the best score cannot pass and no direct route is met or open;
# otherwise incomplete.  `route` is "score" when the sure score passes (even with a direct route
# met too), "direct" when only a direct route passes the firm, None when it does not pass.

SCORED, UNSCORED = "scored", "unknown"


def points_value(x: Fraction | None):
    """Points as the API shows them: an int when whole, else a 2-place string; None stays None."""
    if x is None:
        return None
    if type(x) is int:
        return x
    x = to_fraction(x)
    return x.numerator if x.denominator == 1 else display(x, "percent")


@dataclass(frozen=True)
class NextBand:
    points: Fraction
    needs: str | None = None
    gap: str | None = None

    def to_dict(self) -> dict:
        return {"points": points_value(self.points), "needs": self.needs, "gap": self.gap}


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    text: str
    dimension: str
    result: str                       # scored | unknown
    points: Fraction | None
    max: Fraction
    actual: str | None = None
    unit: str = ""
    band: str | None = None
    next: NextBand | None = None
    explanation: str = ""
    band_index: int | None = None     # index into the criterion's bands (None: unknown)
    value: Any = None                 # the exact value measured (None: unknown or categorical)
    missing: str = ""                 # why unknown

    def to_dict(self) -> dict:
        return {"code": self.code, "dimension": self.dimension, "result": self.result,
                "points": points_value(self.points), "max": points_value(self.max), "actual": self.actual,
                "unit": self.unit, "band": self.band,
                "next": self.next.to_dict() if self.next is not None else None,
                "explanation": self.explanation}


@dataclass(frozen=True)
class DimensionResult:
    code: str
    name: str
    sure: Fraction
    best: Fraction
    max: Fraction
    minimum: Fraction

    def to_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "sure": points_value(self.sure),
                "best": points_value(self.best), "max": points_value(self.max),
                "minimum": points_value(self.minimum)}


@dataclass(frozen=True)
class ScoreResult:
    sure: Fraction
    best: Fraction
    pass_mark: Fraction
    dimensions: list[DimensionResult]
    indicators: list[IndicatorResult]

    @property
    def passes(self) -> bool:
        """The sure points already pass (total and every dimension minimum)."""
        return self.sure >= self.pass_mark and all(d.sure >= d.minimum for d in self.dimensions)

    @property
    def cannot_pass(self) -> bool:
        """Even the best points could not pass."""
        return self.best < self.pass_mark or any(d.best < d.minimum for d in self.dimensions)

    @property
    def short(self) -> Fraction:
        """Points short of the pass mark for sure (0 when the total is reached)."""
        return max(Fraction(0), self.pass_mark - self.sure)

    def indicator(self, code: str) -> IndicatorResult | None:
        return next((i for i in self.indicators if i.code == code), None)

    def dimension(self, code: str) -> DimensionResult | None:
        return next((d for d in self.dimensions if d.code == code), None)

    def to_dict(self) -> dict:
        return {"sure": points_value(self.sure), "best": points_value(self.best),
                "pass_mark": points_value(self.pass_mark),
                "dimensions": [d.to_dict() for d in self.dimensions],
                "indicators": [i.to_dict() for i in self.indicators]}


@dataclass(frozen=True)
class DirectRouteResult:
    code: str
    text: str
    result: str
    explanation: str = ""

    def to_dict(self) -> dict:
        return {"code": self.code, "result": self.result, "explanation": self.explanation}


@dataclass(frozen=True)
class CheapestStep:
    indicator: str
    points: Fraction                  # points the change adds to the sure score
    change: str

    def to_dict(self) -> dict:
        return {"indicator": self.indicator, "points": points_value(self.points), "change": self.change}


def _whole(x: Fraction) -> Fraction | int:
    """Points as an int when whole: sums and comparisons of ints cost a fraction of Fraction's."""
    return x.numerator if x.denominator == 1 else x


@dataclass(frozen=True)
class _Plan:
    """A scored indicator compiled once per criterion (editions are frozen data): what scoring one
    firm reads, without re-parsing points and edges or hashing the bands every time."""
    cond: Any
    label: str
    unit: str
    kind: str
    params: dict
    points: tuple                     # per band, exact (int when whole)
    edges: tuple                      # per band, the exact edge (None for the catch-all band)
    max_points: Fraction | int
    catch_all: int                    # index of the band without an operator, -1 when none


def _once_per_spec(memo: dict, spec: Any, make) -> Any:
    """`make(spec)` once per spec object. Keyed by identity (the spec kept beside it, so a reused id
    is not mistaken): hashing a frozen spec field by field on every call costs more than the work."""
    hit = memo.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    if len(memo) > 4096:              # editions edited many times in one process: start afresh
        memo.clear()
    value = make(spec)
    memo[id(spec)] = (spec, value)
    return value


_PLANS: dict[int, tuple[CriterionSpec, _Plan]] = {}


def _plan(crit: CriterionSpec) -> _Plan:
    return _once_per_spec(_PLANS, crit, _make_plan)


def _make_plan(crit: CriterionSpec) -> _Plan:
    cond = crit.conditions[0] if crit.conditions else None
    points = tuple(_whole(to_fraction(b.points)) for b in crit.bands)
    top = max(points, default=0)
    return _Plan(cond=cond, label=(cond.label if cond else "") or crit.text, unit=cond.unit if cond else "",
                 kind=_kind(cond.metric) if cond else "count",
                 params=dict(cond.params) if cond else {},
                 points=points,
                 edges=tuple(_threshold_value(b.edge) if b.operator else None for b in crit.bands),
                 max_points=_whole(to_fraction(crit.max_points)) if crit.max_points is not None else top,
                 catch_all=next((i for i, b in enumerate(crit.bands) if not b.operator), -1))


def _band_index(bands: tuple[BandSpec, ...], edges: tuple, lo: Any, hi: Any) -> int | None:
    """The band every value in [lo, hi] falls in (a None bound is open); None when the range straddles
    an edge; -1 when no band holds (no catch-all band: 0 points)."""
    if lo is not None and lo is hi:            # one exact value: one comparison per band
        for i, b in enumerate(bands):       # ints, bools and exact Fractions compare as they are
            if not b.operator or compare(lo, b.operator, edges[i]):
                return i
        return -1
    for i, b in enumerate(bands):
        if not b.operator:
            return i
        ok = _settled(lo, hi, b.operator, edges[i])
        if ok is True:
            return i
        if ok is None:
            return None
    return -1


def _unit_word(unit: str) -> str:
    return "个百分点" if unit == "%" else unit


def _verb(op: str) -> str:
    return "降低" if op in ("<=", "<") else "提高"


def _move_text(label: str, kind: str, unit: str, value: Any, band: BandSpec,
               with_label: bool = True) -> tuple[str, str | None, Fraction]:
    """(words for reaching `band` from `value`, the gap as displayed, the effort as a fraction of the edge)."""
    if band.operator and band.edge is not None and value is not None and kind not in ("bool", "grade"):
        edge = _threshold_value(band.edge)
        gap = _gap(to_fraction(value), band.operator, edge)
        gap_s = display(gap, kind)
        strict = "以上" if band.operator in (">", "<") else ""
        effort = abs(gap / edge) if edge else Fraction(1)
        return (f"{label if with_label else ''}再{_verb(band.operator)}{gap_s}{_unit_word(unit)}{strict}",
                gap_s, effort)
    return band.reach or f"{label}达到“{band.label}”", None, Fraction(1)


def _score_indicator(crit: CriterionSpec, ctx: Context) -> IndicatorResult:
    plan = _plan(crit)
    cond, label, unit, kind, max_points = plan.cond, plan.label, plan.unit, plan.kind, plan.max_points
    common = dict(code=crit.code, text=crit.text, dimension=crit.dimension, max=max_points, unit=unit)
    if cond is None or not crit.bands:
        return IndicatorResult(result=UNSCORED, points=None, explanation=f"{label}：未设定分档，无法评分",
                               missing="未设定分档", **common)
    mv: MetricValue = _mx.compute(cond.metric, ctx, dict(plan.params))
    if mv.absent:                     # known that nothing exists to measure: the catch-all band
        idx = plan.catch_all
        value = None
    elif not mv.known:
        return IndicatorResult(result=UNSCORED, points=None, missing=mv.missing,
                               explanation=f"{label}：{mv.missing}，暂无法评分（确定得分按0分计，"
                                           f"最高可能得分按满分{points_value(max_points)}分计）", **common)
    else:
        value = mv.value
        lo, hi = mv.bounds if mv.bounds is not None else (value, value)
        idx = _band_index(crit.bands, plan.edges, lo, hi)
        if idx is None:
            shown = display(value, kind) if kind not in ("bool", "grade") else None
            known = f"可确定的为{shown}{unit}；" if shown is not None else ""
            return IndicatorResult(result=UNSCORED, points=None, missing=mv.open,
                                   explanation=f"{label}：{known}{mv.open}，暂无法评分（确定得分按0分计，"
                                               f"最高可能得分按满分{points_value(max_points)}分计）", **common)
    band = crit.bands[idx] if idx >= 0 else None
    points = min(plan.points[idx] if band is not None else 0, max_points)
    # the bands above worth more, at most the indicator's maximum (as `points` is)
    worth = [min(p, max_points) for p in plan.points]
    above = [i for i in range(idx if idx >= 0 else len(crit.bands)) if worth[i] > points]
    nxt = None
    actual = display(value, kind) if value is not None and kind not in ("bool", "grade") else None
    det = f"（{mv.detail}）" if mv.detail else ""
    if kind in ("bool", "grade") or value is None:
        head = f"{label}：{band.label if band else '未达到最低档'}{det}"
    else:
        head = f"{label}{actual}{unit}{det}"
    text = f"{head}，得{points_value(points)}分"
    if above:
        nb = crit.bands[above[-1]]
        move, gap_s, _effort = _move_text(label, kind, unit, value, nb, with_label=False)
        needs = display(_threshold_value(nb.edge), kind) if (gap_s is not None and nb.edge is not None) \
            else (nb.reach or nb.label)
        nxt = NextBand(points=worth[above[-1]], needs=needs, gap=gap_s)
        text += f"；{move}可得{points_value(nxt.points)}分"
    elif points >= max_points:
        text += "（满分）"
    if mv.bounds is not None and mv.open:
        text += f"（{mv.open}，不影响得分）"
    return IndicatorResult(result=SCORED, points=points, actual=actual, band=band.label if band else None,
                           next=nxt, explanation=text, band_index=idx, value=value, **common)


def _indicator_row(ind: IndicatorResult) -> CriterionResult:
    """An indicator as a rule row (stored outcomes, pages reading rows): met at its maximum, not met
    below it (the gap to the next band), unknown when it cannot be scored."""
    if ind.result == UNSCORED:
        result = UNKNOWN
    else:
        result = MET if ind.points >= ind.max else NOT_MET
    nxt = ind.next
    return CriterionResult(code=ind.code, text=ind.text, result=result, actual=ind.actual,
                           threshold=nxt.needs if (nxt is not None and nxt.gap is not None) else None,
                           unit=ind.unit, gap=nxt.gap if (nxt is not None and result == NOT_MET) else None,
                           explanation=ind.explanation)


def _direct_route(crit: CriterionSpec, profile: Profile, year: int, tier: str, hints: Mapping[str, str],
                  cache: dict | None) -> DirectRouteResult:
    r = evaluate_criterion(crit, profile, year, tier, cache=cache)
    text = r.explanation
    hint = hints.get(crit.code, "")
    if r.result == NOT_MET and hint:
        try:
            hint = hint.format(gap=r.gap or "")
        except (KeyError, IndexError, ValueError):
            pass
        text = f"{text}；{hint}" if text else hint
    return DirectRouteResult(code=crit.code, text=crit.text, result=r.result, explanation=text)


_DIMENSIONS: dict[int, tuple[ScoringSpec, dict]] = {}


def _dimension_numbers(scoring: ScoringSpec) -> dict:
    """{dimension code: (name, maximum, minimum)}, exact, made once per scoring spec."""
    return _once_per_spec(_DIMENSIONS, scoring, lambda spec: {
        d.code: (d.name, _whole(to_fraction(d.max)), _whole(to_fraction(d.minimum))) for d in spec.dimensions})


def _tally_dimensions(scoring: ScoringSpec, indicators: list[IndicatorResult]):
    dims = []
    codes = [d.code for d in scoring.dimensions]
    codes += [i.dimension for i in indicators if i.dimension not in codes]
    specs = _dimension_numbers(scoring)
    for code in dict.fromkeys(codes):
        mine = [i for i in indicators if i.dimension == code]
        sure = sum(i.points for i in mine if i.points is not None)
        best = sum(i.points if i.points is not None else i.max for i in mine)
        name, top, minimum = specs.get(code) or (code, sum(i.max for i in mine), 0)
        dims.append(DimensionResult(code=code, name=name, sure=sure, best=best, max=top, minimum=minimum))
    return dims


def cheapest_pass(score: ScoreResult, edition: EditionSpec, *, limit: int | None = None) -> list[CheapestStep]:
    """The fewest indicator changes that lift the sure score over the pass mark and every dimension
    minimum, each with the points it adds; [] when the sure score already passes or nothing can.

    Each indicator may move to any band above the points it has for sure (an unknown indicator, at 0
    for sure, by supplying its data and reaching the band).  Among the fewest changes: the fewest
    points added (the smallest lifts: the cheapest), then the fewest unknown indicators, then the
    smallest effort (a numeric change as a share of its edge, a record as 1), then the notice's order."""
    if score.passes:
        return []
    crits = {c.code: c for c in edition.criteria if c.role == "indicator"}
    options: list[list[tuple]] = []
    for order, ind in enumerate(score.indicators):
        crit = crits[ind.code]            # the score was made from this edition: every indicator is in it
        plan = _plan(crit)
        label, kind = plan.label, plan.kind
        have = ind.points if ind.points is not None else Fraction(0)
        opts = []
        for b, band_points in zip(crit.bands, plan.points):
            pts = min(band_points, ind.max)
            if pts <= have:
                continue
            if ind.result == UNSCORED:
                change = f"补充数据（{ind.missing}），并使{label}达到“{b.label}”"
                effort, unknown_ = Fraction(1), 1
            else:
                change, _gap_s, effort = _move_text(label, kind, ind.unit, ind.value, b)
                unknown_ = 0
            opts.append((pts - have, unknown_, effort, ind.code, change, ind.dimension, order))
        if opts:
            options.append(opts)
    if not options:
        return []
    mins = {d.code: d.minimum for d in score.dimensions}
    base_dims = {d.code: d.sure for d in score.dimensions}

    def feasible(chosen) -> bool:
        total = score.sure + sum(o[0] for o in chosen)
        if total < score.pass_mark:
            return False
        dims = dict(base_dims)            # every indicator's dimension is among the score's
        for o in chosen:
            dims[o[5]] += o[0]
        return all(dims[code] >= minimum for code, minimum in mins.items())

    tops = [max(opts, key=lambda o: o[0]) for opts in options]
    if not feasible(tops):
        return []
    from itertools import combinations
    from itertools import product as cartesian
    n = len(options)
    for k in range(1, (limit or n) + 1):
        best_key, best = None, None
        for subset in combinations(range(n), k):
            # feasibility only grows with the points of each change: a subset whose top bands do
            # not pass cannot pass with lower ones, so its combinations are not tried
            if not feasible([tops[i] for i in subset]):
                continue
            for chosen in cartesian(*(options[i] for i in subset)):
                if not feasible(chosen):
                    continue
                key = (sum(o[0] for o in chosen), sum(o[1] for o in chosen), sum(o[2] for o in chosen),
                       tuple(o[6] for o in chosen))
                if best_key is None or key < best_key:
                    best_key, best = key, chosen
        if best is not None:
            return [CheapestStep(indicator=o[3], points=o[0], change=o[4]) for o in sorted(best, key=lambda o: o[6])]
    return []


def evaluate_scored(profile: Profile, edition: EditionSpec, year: int, *, cache: dict | None = None,
                    steps: bool = True) -> TierResult:
    """A scored edition's result: points per indicator and dimension, the direct routes, the verdict
    and the cheapest way to pass (see the section comment above)."""
    scoring = edition.scoring
    ctx = Context(profile=profile, year=year, cache=cache)
    rules = [c for c in edition.criteria if c.role == "rule"]
    indicators = [_score_indicator(c, ctx) for c in edition.criteria if c.role == "indicator"]
    routes = [_direct_route(c, profile, year, edition.tier, scoring.direct_hints, cache)
              for c in edition.criteria if c.role == "direct"]
    prereq_rows = [evaluate_criterion(c, profile, year, edition.tier, cache=cache) for c in rules]

    dims = _tally_dimensions(scoring, indicators)
    sure = sum(i.points for i in indicators if i.points is not None)
    best = sum(i.points if i.points is not None else i.max for i in indicators)
    score = ScoreResult(sure=sure, best=best, pass_mark=_whole(to_fraction(scoring.pass_mark)), dimensions=dims,
                        indicators=indicators)
    score_verdict = ELIGIBLE if score.passes else NOT_ELIGIBLE if score.cannot_pass else INCOMPLETE
    direct = combine_or(r.result for r in routes)
    direct_verdict = {MET: ELIGIBLE, NOT_MET: NOT_ELIGIBLE}.get(direct, INCOMPLETE)
    prereq_verdict = verdict_of(r.result for r in prereq_rows)
    verdict = and_verdicts([prereq_verdict, best_verdict([score_verdict, direct_verdict])])
    route = None
    if verdict == ELIGIBLE:
        route = "score" if score_verdict == ELIGIBLE else "direct"
    cheapest = [] if verdict == ELIGIBLE or not steps else cheapest_pass(score, edition)

    rows = prereq_rows + [_indicator_row(i) for i in indicators]
    direct_rows = [CriterionResult(code=r.code, text=r.text, result=r.result, explanation=r.explanation)
                   for r in routes]
    variants = [VariantResult(variant="", name=edition.name, own=True, verdict=verdict, criteria=rows)]
    if direct_rows:
        variants.append(VariantResult(variant="D", name="直通条件", own=False, verdict=direct_verdict,
                                      criteria=direct_rows))
    return TierResult(tier=edition.tier, name=edition.name, edition_year=edition.year, notice=edition.notice,
                      verdict=verdict, variants=variants, products=[], route=route, score=score,
                      direct_routes=routes, cheapest_pass=cheapest)


__all__ = [
    "Profile", "FiscalYear", "Product", "IPItem", "RDInstitution", "Brand", "Certification",
    "Standard", "InformationSystem", "Competition", "BadRecord", "Recognition",
    "ConditionSpec", "CriterionSpec", "EditionSpec", "editions_from_json",
    "CriterionResult", "VariantResult", "ProductResult", "TierResult",
    "BandSpec", "DimensionSpec", "ScoringSpec", "bands_from_json", "scoring_from_json", "Award", "Honour",
    "IndicatorResult", "DimensionResult", "ScoreResult", "DirectRouteResult", "CheapestStep",
    "evaluate_scored", "cheapest_pass", "points_value",
    "evaluate_tier", "evaluate_criterion", "combine_and", "combine_or", "verdict_of",
    "METRICS", "OPERATORS", "PARAMS", "LEVELS", "STANDARD_LEVELS",
    "MET", "NOT_MET", "UNKNOWN", "NEEDS_REVIEW", "ELIGIBLE", "INCOMPLETE", "NOT_ELIGIBLE",
]
