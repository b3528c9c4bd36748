"""Property tests of the criteria engine (hypothesis; no database, no Django)."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria.engine import (ELIGIBLE, INCOMPLETE, MET, NOT_ELIGIBLE, NOT_MET, EditionSpec,
                             FiscalYear, Profile, editions_from_json, evaluate_tier)
from criteria.metrics import FIGURES
from criteria.profile_input import profile_from_request

ROOT = Path(__file__).resolve().parents[2]
EDITIONS = editions_from_json(json.loads((ROOT / "fixtures" / "editions" / "2022.json").read_text("utf-8")))
BY_TIER = {e.tier: e for e in EDITIONS}
Y = 2023
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

money = st.one_of(
    st.none(),
    st.just(Decimal("0")),
    st.decimals(min_value=Decimal("-100000"), max_value=Decimal("1000000"), places=2,
                allow_nan=False, allow_infinity=False),
)
headcount = st.one_of(st.none(), st.integers(min_value=0, max_value=5000))


@st.composite
def fiscal_year(draw, year):
    kw = {k: draw(money) for k in FIGURES if k not in ("employees", "rd_staff")}
    return FiscalYear(year=year, employees=draw(headcount), rd_staff=draw(headcount), **kw)


@st.composite
def financials(draw):
    years = draw(st.sets(st.integers(min_value=Y - 4, max_value=Y), max_size=5))
    return {y: draw(fiscal_year(y)) for y in years}


def _maybe_list(item):
    return st.one_of(st.none(), st.lists(item, max_size=4))


LEVEL = st.sampled_from(["county", "city", "province", "national", "international", "industry", "enterprise"])


@st.composite
def request_body(draw):
    """Arbitrary (valid-typed) self-assessment request bodies, keys possibly missing."""
    body: dict = {}
    ent = {}
    for key, strat in {
        "registered_province": st.sampled_from(["江苏", "江苏省", "浙江"]),
        "independent_legal_person": st.booleans(),
        "founding_date": st.dates().map(str),
        "category": st.sampled_from(["M", "I"]),
        "industry_tags": st.lists(st.sampled_from(["高端装备", "人工智能", "新材料", "集成电路", "其他"]), max_size=3),
        "years_in_niche": st.integers(0, 30),
        "years_in_field": st.integers(0, 30),
        "years_with_new_product": st.integers(0, 30),
        "high_tech_valid_from": st.dates().map(str),
        "high_tech_valid_until": st.dates().map(str),
        "own_brand": st.booleans(),
        "industry_average_margin": st.decimals(-50, 50, places=2).map(str),
    }.items():
        if draw(st.booleans()):
            ent[key] = draw(strat)
    if draw(st.booleans()):
        body["enterprise"] = ent
    if draw(st.booleans()):
        fins = draw(financials())
        body["financials"] = [
            {"year": fy.year, **{k: (None if v is None else str(v))
                                 for k, v in dataclasses.asdict(fy).items() if k != "year"}}
            for fy in fins.values()]
    product = st.fixed_dictionaries(
        {"name": st.sampled_from(["甲", "乙", "丙"])},
        optional={"revenue": st.dictionaries(st.sampled_from([str(Y - 1), str(Y)]),
                                             st.decimals(0, 100000, places=2).map(str)),
                  "market_rank": st.dictionaries(st.sampled_from(["province", "domestic", "global"]),
                                                 st.integers(1, 30)),
                  "supplies_leading_enterprise": st.one_of(st.none(), st.just(""), st.just("某龙头")),
                  "key_field": st.booleans()})
    for key, item in {
        "products": product,
        "ip": st.fixed_dictionaries({"type": st.sampled_from(["invention", "utility", "design", "software", "proprietary"]),
                                     "status": st.sampled_from(["applied", "granted", "lapsed"])},
                                    optional={"product": st.sampled_from(["甲", "乙"])}),
        "rd_institutions": st.fixed_dictionaries({"level": LEVEL, "joint": st.booleans()}),
        "brands": st.fixed_dictionaries({"level": LEVEL}),
        "certifications": st.fixed_dictionaries({"kind": st.sampled_from(["management_system", "foreign", "other"])}),
        "standards": st.fixed_dictionaries({"level": LEVEL, "role": st.sampled_from(["led", "joined"])}),
        "information_systems": st.fixed_dictionaries({"kind": st.sampled_from(["ERP", "MES"])}),
        "competitions": st.fixed_dictionaries({"level": LEVEL}),
        "bad_records": st.fixed_dictionaries({"kind": st.sampled_from(["credit", "safety", "environment"]),
                                              "date": st.dates(min_value=__import__("datetime").date(2018, 1, 1),
                                                               max_value=__import__("datetime").date(2024, 12, 31)).map(str)}),
        "recognitions": st.fixed_dictionaries({"tier": st.sampled_from(["national_giant", "province_giant"]),
                                               "year": st.integers(2015, 2026)}),
    }.items():
        v = draw(_maybe_list(item))
        if v is not None:
            body[key] = v
    codes = [f"{e.tier}.{c.code}" for e in EDITIONS for c in e.criteria]
    body["claims"] = draw(st.lists(st.sampled_from(codes), max_size=6))
    body["judgments"] = draw(st.dictionaries(st.sampled_from(codes), st.booleans(), max_size=6))
    return body


# ---------------------------------------------------------------------------------------------
# results never raise, and verdicts agree with the criteria
# ---------------------------------------------------------------------------------------------

@SETTINGS
@given(request_body())
def test_never_raises_and_verdicts_are_consistent(body):
    profile = profile_from_request(body)
    for tr in (evaluate_tier(profile, e, Y) for e in EDITIONS):
        json.dumps(tr.to_dict(), ensure_ascii=False)
        for part in [*tr.variants, *tr.products]:
            results = [c.result for c in part.criteria]
            if part.verdict == ELIGIBLE:
                assert all(r == MET for r in results)
            elif part.verdict == NOT_ELIGIBLE:
                assert NOT_MET in results
            else:
                assert part.verdict == INCOMPLETE and NOT_MET not in results and set(results) != {MET}
        if tr.verdict == ELIGIBLE:
            # eligible only when every rule of one variant (or of one product) is met
            ent_ok = [v for v in tr.variants if all(c.result == MET for c in v.criteria)]
            prod_ok = [p for p in tr.products if all(c.result == MET for c in p.criteria)]
            edition = BY_TIER[tr.tier]
            has_ent = any(c.scope == "enterprise" for c in edition.criteria)
            has_prod = any(c.scope == "product" for c in edition.criteria)
            if has_ent:
                assert ent_ok
                if profile.category in ("M", "I") and len(tr.variants) > 1:
                    assert any(v.own for v in ent_ok)
            if has_prod:
                assert prod_ok


@SETTINGS
@given(st.dictionaries(st.sampled_from(sorted(FIGURES)), money), st.integers(Y - 3, Y))
def test_arbitrary_financials_never_raise(figs, year):
    fy = FiscalYear(year=year, **{k: (int(v) if k in ("employees", "rd_staff") and v is not None and v >= 0 else
                                     (None if k in ("employees", "rd_staff") else v)) for k, v in figs.items()})
    profile = Profile(financials={year: fy, year - 1: fy, year - 2: fy, year - 3: dataclasses.replace(fy, year=year - 3)},
                      products=(), ip=(), bad_records=())
    for tr in (evaluate_tier(profile, e, Y) for e in EDITIONS):
        tr.to_dict()


# ---------------------------------------------------------------------------------------------
# monotonicity: raising a figure a ">=" rule reads never turns met into not_met
# ---------------------------------------------------------------------------------------------

def _monotone_rules():
    """(tier, code, figure) for criteria whose every condition is '>=' on a plain figure of Y."""
    plain = {**{k: {k} for k in FIGURES}, "profit_plus_tax": {"total_profit", "taxes_paid"}}
    out = []
    for e in EDITIONS:
        for c in e.criteria:
            if c.scope == "enterprise" and all(k.operator == ">=" and k.metric in plain and not k.params
                                               for k in c.conditions):
                for k in c.conditions:
                    for f in plain[k.metric]:
                        out.append((e, c, f))
    return out


MONOTONE = _monotone_rules()


def test_monotone_rules_found():
    assert {(e.tier, c.code) for e, c, _ in MONOTONE} >= {("county_pool", "M1"), ("city_giant", "E1a"),
                                                          ("province_giant", "M1")}


def _criterion_result(profile, edition, code):
    tr = evaluate_tier(profile, edition, Y)
    return tr.criterion(code).result


@SETTINGS
@given(st.sampled_from(MONOTONE), st.builds(lambda: None).flatmap(lambda _: fiscal_year(Y)),
       st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2))
def test_raising_a_figure_never_breaks_a_ge_rule(rule, fy, delta):
    edition, crit, fig = rule
    before = getattr(fy, fig)
    if before is None:
        before = Decimal("0")
    lo = Profile(financials={Y: dataclasses.replace(fy, **{fig: before})})
    hi = Profile(financials={Y: dataclasses.replace(fy, **{fig: before + delta})})
    if _criterion_result(lo, edition, crit.code) == MET:
        assert _criterion_result(hi, edition, crit.code) != NOT_MET


@SETTINGS
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2),
       st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2))
def test_raising_main_business_share_never_breaks_m4(op, extra):
    ed = BY_TIER["county_pool"]
    mbr = op * Decimal("0.4")
    lo = Profile(financials={Y: FiscalYear(Y, operating_revenue=op, main_business_revenue=mbr)})
    hi = Profile(financials={Y: FiscalYear(Y, operating_revenue=op, main_business_revenue=mbr + extra)})
    assert _criterion_result(lo, ed, "M4") == MET
    assert _criterion_result(hi, ed, "M4") == MET


@SETTINGS
@given(request_body(), st.sampled_from(["invention", "utility", "design", "software", "proprietary"]))
def test_adding_ip_never_breaks_a_count_rule(body, kind):
    body = dict(body)
    body.setdefault("ip", [])
    p1 = profile_from_request(body)
    body2 = dict(body, ip=[*body["ip"], {"type": kind, "status": "granted", "product": "甲"}])
    p2 = profile_from_request(body2)
    for e in EDITIONS:
        for c in e.criteria:
            if c.scope == "enterprise" and all(k.metric == "ip_count" and k.operator == ">=" for k in c.conditions):
                if _criterion_result(p1, e, c.code) == MET:
                    assert _criterion_result(p2, e, c.code) == MET


# ---------------------------------------------------------------------------------------------
# exactness at the threshold
# ---------------------------------------------------------------------------------------------

def test_revenue_exactly_2000_meets_m1_and_1999_99_does_not():
    ed = BY_TIER["county_pool"]
    at = profile_from_request({"financials": [{"year": Y, "main_business_revenue": "2000"}]})
    below = profile_from_request({"financials": [{"year": Y, "main_business_revenue": "1999.99",
                                                  "total_profit": "0", "taxes_paid": "0"}]})
    float_at = profile_from_request({"financials": [{"year": Y, "main_business_revenue": 2000.0}]})
    assert _criterion_result(at, ed, "M1") == MET
    assert _criterion_result(float_at, ed, "M1") == MET
    r = evaluate_tier(below, ed, Y).criterion("M1")
    assert r.result == NOT_MET and r.gap == "0.01" and r.actual == "1999.99"


def _with_threshold(edition: EditionSpec, code: str, threshold: str) -> EditionSpec:
    crits = []
    for c in edition.criteria:
        if c.code == code:
            c = dataclasses.replace(c, conditions=tuple(dataclasses.replace(k, threshold=threshold)
                                                        for k in c.conditions))
        crits.append(c)
    return dataclasses.replace(edition, criteria=tuple(crits))


@SETTINGS
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999"), places=2))
def test_money_exactly_on_threshold(t):
    ed = _with_threshold(BY_TIER["city_giant"], "E1a", str(t))
    at = Profile(financials={Y: FiscalYear(Y, main_business_revenue=t)})
    below = Profile(financials={Y: FiscalYear(Y, main_business_revenue=t - Decimal("0.01"))})
    assert _criterion_result(at, ed, "E1a") == MET
    assert _criterion_result(below, ed, "E1a") == NOT_MET


@SETTINGS
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999"), places=2),
       st.integers(min_value=1, max_value=99))
def test_percentage_exactly_on_threshold(den, pct):
    """num/den*100 == pct exactly meets a '>= pct' rule and a '<= pct' rule."""
    num = den * pct / 100   # exact in Decimal (at most 4 places)
    ed = _with_threshold(BY_TIER["national_giant"], "N1", str(pct))
    ed = _with_threshold(ed, "N3b", str(pct))
    p = Profile(financials={Y: FiscalYear(Y, operating_revenue=den, main_business_revenue=num,
                                          total_assets=den, total_liabilities=num)})
    tr = evaluate_tier(p, ed, Y)
    assert tr.criterion("N1").result == MET
    assert tr.criterion("N3b").result == MET
    worse = Profile(financials={Y: FiscalYear(Y, operating_revenue=den, main_business_revenue=num - Decimal("0.0001"),
                                              total_assets=den, total_liabilities=num + Decimal("0.0001"))})
    tr = evaluate_tier(worse, ed, Y)
    assert tr.criterion("N1").result == NOT_MET
    assert tr.criterion("N3b").result == NOT_MET


@SETTINGS
@given(st.integers(min_value=1, max_value=10**6), st.lists(st.integers(min_value=-50, max_value=50), min_size=2, max_size=2))
def test_average_growth_is_exact(base, rates):
    """Two year-on-year rates whose mean is exactly the threshold meet E2a (threshold = the mean)."""
    v0 = Decimal(base)
    v1 = v0 * (100 + rates[0]) / 100
    v2 = v1 * (100 + rates[1]) / 100
    mean = Decimal(rates[0] + rates[1]) / 2
    ed = _with_threshold(BY_TIER["city_giant"], "E2a", str(mean))
    p = Profile(financials={Y - 2: FiscalYear(Y - 2, main_business_revenue=v0),
                            Y - 1: FiscalYear(Y - 1, main_business_revenue=v1),
                            Y: FiscalYear(Y, main_business_revenue=v2)})
    expected = MET if v1 != 0 else "unknown"
    assert _criterion_result(p, ed, "E2a") == expected


def test_growth_from_zero_is_unknown_and_from_negative_uses_absolute_value():
    ed = BY_TIER["national_giant"]
    zero = Profile(financials={Y - 2: FiscalYear(Y - 2, net_profit=Decimal(0), main_business_revenue=Decimal(1)),
                               Y - 1: FiscalYear(Y - 1, net_profit=Decimal(10), main_business_revenue=Decimal(1)),
                               Y: FiscalYear(Y, net_profit=Decimal(20), main_business_revenue=Decimal(1))})
    assert _criterion_result(zero, ed, "N4") == "unknown"
    neg = Profile(financials={Y - 2: FiscalYear(Y - 2, net_profit=Decimal(-100), main_business_revenue=Decimal(1)),
                              Y - 1: FiscalYear(Y - 1, net_profit=Decimal(-95), main_business_revenue=Decimal(1)),
                              Y: FiscalYear(Y, net_profit=Decimal("-90.25"), main_business_revenue=Decimal(1))})
    r = evaluate_tier(neg, ed, Y).criterion("N4")
    assert r.result == MET and r.actual == "5.00"


def test_cagr_method_is_exact():
    ed = BY_TIER["city_giant"]
    crits = tuple(dataclasses.replace(c, conditions=tuple(
        dataclasses.replace(k, params={**k.params, "method": "cagr"}) for k in c.conditions))
        if c.code == "E2a" else c for c in ed.criteria)
    ed = dataclasses.replace(ed, criteria=crits)
    fin = lambda last: Profile(financials={Y - 2: FiscalYear(Y - 2, main_business_revenue=Decimal(1000)),  # noqa: E731
                                           Y: FiscalYear(Y, main_business_revenue=Decimal(last))})
    assert _criterion_result(fin("1102.5"), ed, "E2a") == MET
    assert _criterion_result(fin("1102.49"), ed, "E2a") == NOT_MET


# ---------------------------------------------------------------------------------------------
# request → profile
# ---------------------------------------------------------------------------------------------

def test_profile_from_request_absent_vs_empty_and_taxonomies():
    p = profile_from_request({"ip": [], "enterprise": {"industry_tags": ["机器人"]},
                              "financials": [{"year": Y, "operating_revenue": 12000.5}]})
    assert p.ip == () and p.products is None and p.bad_records is None
    assert p.financials[Y].operating_revenue == Decimal("12000.5")
    assert p.taxonomies == frozenset()
    custom = profile_from_request({"enterprise": {"industry_tags": ["机器人"]}},
                                  taxonomies={"cluster13": {"机器人"}})
    assert custom.taxonomies == frozenset({"cluster13"})
    assert _criterion_result(custom, BY_TIER["province_pool"], "M1") == MET
    assert _criterion_result(p, BY_TIER["province_pool"], "M1") == NOT_MET
    assert _criterion_result(profile_from_request({}), BY_TIER["province_pool"], "M1") == "unknown"


# ---------------------------------------------------------------------------------------------
# edge-case readings (docs/spec/criteria.md "Readings for the edge cases")
# ---------------------------------------------------------------------------------------------

RANK_RULES = [(e, c) for e in EDITIONS for c in e.criteria
              if c.scope == "enterprise" and any(k.metric == "market_rank" for k in c.conditions)]


def test_rank_rules_found():
    assert {(e.tier, c.code) for e, c in RANK_RULES} == {
        ("county_pool", "M2"), ("province_pool", "M5"), ("city_giant", "E1b"), ("province_giant", "M3"),
        ("national_giant", "N2")}


@SETTINGS
@given(request_body(), st.sampled_from(RANK_RULES), st.dictionaries(st.sampled_from(["domestic", "global"]),
                                                                    st.integers(1, 30)))
def test_a_product_without_the_rank_never_makes_a_rank_rule_not_met(body, rule, other_ranks):
    """Rank rules are an "or" over products: adding a product whose rank (in the rule's scope) is
    missing keeps a met rule met and turns a not_met rule into unknown."""
    edition, crit = rule
    scope = next(k.params["scope"] for k in crit.conditions if k.metric == "market_rank")
    if not body.get("products"):
        return
    before = _criterion_result(profile_from_request(body), edition, crit.code)
    extra = {"name": "丁", "market_rank": {s: r for s, r in other_ranks.items() if s != scope}}
    after = _criterion_result(profile_from_request(dict(body, products=[*body["products"], extra])),
                              edition, crit.code)
    if before == MET:
        assert after == MET
    assert after != NOT_MET


@SETTINGS
@given(st.dates(min_value=__import__("datetime").date(2000, 1, 1),
                max_value=__import__("datetime").date(2030, 12, 31)))
def test_a_certificate_with_one_date_reads_as_three_years(d):
    from criteria.metrics import high_tech_validity

    ed = BY_TIER["county_pool"]
    start, end = high_tech_validity(d, None)
    assert high_tech_validity(None, end) == (start, end) or start.month == 2 and start.day == 29
    one = profile_from_request({"enterprise": {"high_tech_valid_from": str(d)}})
    both = profile_from_request({"enterprise": {"high_tech_valid_from": str(start), "high_tech_valid_until": str(end)}})
    assert _criterion_result(one, ed, "M3a") == _criterion_result(both, ed, "M3a")
    only_end = profile_from_request({"enterprise": {"high_tech_valid_until": str(d)}})
    s2, e2 = high_tech_validity(None, d)
    both_end = profile_from_request({"enterprise": {"high_tech_valid_from": str(s2), "high_tech_valid_until": str(e2)}})
    assert _criterion_result(only_end, ed, "M3a") == _criterion_result(both_end, ed, "M3a")
    assert e2 == d and (end - start).days in (1094, 1095, 1096)


@SETTINGS
@given(request_body(), st.integers(Y + 2, 2100))
def test_a_title_granted_after_the_declaration_year_changes_nothing(body, year):
    def results(b):
        return [(tr.verdict, [(c.code, c.result, c.actual, c.gap) for part in [*tr.variants, *tr.products]
                              for c in part.criteria]) for tr in (evaluate_tier(profile_from_request(b), e, Y) for e in EDITIONS)]

    body = dict(body)
    body.setdefault("recognitions", [])
    later = dict(body, recognitions=[*body["recognitions"], {"tier": "national_giant", "year": year}])
    assert results(later) == results(body)


@SETTINGS
@given(request_body())
def test_holding_the_national_giant_title_meets_s4b_whatever_the_revenue(body):
    body = dict(body, recognitions=[{"tier": "national_giant", "year": Y}])
    assert _criterion_result(profile_from_request(body), BY_TIER["national_champion"], "S4b") == MET
