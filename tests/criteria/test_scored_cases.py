"""Runs the scored tiers' case files (tests/criteria/cases/*.yaml with `scored: true`) through the
engine, without a database; and checks the engine's promises on any data (hypothesis).

Case format, beside the pass/fail files' (name, assessment_year, profile):

    points: {rd_share: 15, ip: null}      # an indicator's points; null: it cannot be scored (unknown)
    actual: {rd_share: "3.50"}
    band: {rd_share: "3%-5%"}
    next: {rd_share: {points: 20, needs: "5.00", gap: "1.50"}}   # or null at the top band
    direct: {honour: met}                 # a direct route's result
    sure: 60, best: 75                    # the total the firm has for sure / could have
    dimensions: {growth: 15}              # a dimension's sure points
    verdict: eligible, route: score       # route null when the firm does not pass
    cheapest: [rd_share]                  # the indicators of the cheapest way to pass
    cheapest_change: {rd_share: "…"}      # its words;  cheapest_points: {rd_share: 5}
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria.engine import ELIGIBLE, editions_from_json, evaluate_tier
from criteria.profile_input import profile_from_request

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = Path(__file__).resolve().parent / "cases"
EDITION_DATA = [json.loads(f.read_text(encoding="utf-8")) for f in sorted((ROOT / "fixtures" / "editions").glob("*.json"))]


def _scored_editions():
    # parsed afresh for each case, so the cases test the parser of bands and scoring too
    return {e.tier: e for data in EDITION_DATA for e in editions_from_json(data) if e.scoring is not None}


EDITIONS = _scored_editions()
SME = EDITIONS["innovative_sme"]


def _load():
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc.get("scored"):
            for i, case in enumerate(doc["cases"], 1):
                out.append(pytest.param(doc["tier"], case, id=f"{path.stem}-{i:03d}-{case['name']}"))
    return out


CASES = _load()


def _points(value):
    return None if value is None else (value if isinstance(value, (int, str)) else int(value))


@pytest.mark.parametrize("tier,case", CASES)
def test_scored_case(tier, case):
    result = evaluate_tier(profile_from_request(case.get("profile") or {}), _scored_editions()[tier],
                           int(case["assessment_year"]))
    body = result.to_dict()
    shown = json.dumps(body, ensure_ascii=False, indent=1)
    indicators = {i["code"]: i for i in body["score"]["indicators"]}
    for code, expected in (case.get("points") or {}).items():
        assert indicators[code]["points"] == _points(expected), shown
        assert indicators[code]["result"] == ("unknown" if expected is None else "scored"), shown
    for key in ("actual", "band", "next"):
        for code, expected in (case.get(key) or {}).items():
            assert indicators[code][key] == expected, shown
    routes = {r["code"]: r for r in body["direct_routes"]}
    for code, expected in (case.get("direct") or {}).items():
        assert routes[code]["result"] == expected, shown
    for key in ("sure", "best"):
        if key in case:
            assert body["score"][key] == case[key], shown
    dims = {d["code"]: d for d in body["score"]["dimensions"]}
    for code, expected in (case.get("dimensions") or {}).items():
        assert dims[code]["sure"] == expected, shown
    for key in ("verdict", "route"):
        if key in case:
            assert body[key] == case[key], shown
    steps = {s["indicator"]: s for s in body["cheapest_pass"]}
    if "cheapest" in case:
        assert sorted(steps) == sorted(case["cheapest"]), shown
    for code, words in (case.get("cheapest_change") or {}).items():
        assert steps[code]["change"] == words, shown
    for code, points in (case.get("cheapest_points") or {}).items():
        assert steps[code]["points"] == points, shown


def test_every_band_edge_of_every_indicator_is_tried_on_both_sides_and_with_its_data_missing():
    seen: dict[str, set] = {}
    for p in CASES:
        _tier, case = p.values
        for code, pts in (case.get("points") or {}).items():
            seen.setdefault(code, set()).add(pts)
    for crit in SME.criteria:
        if crit.role != "indicator":
            continue
        assert None in seen[crit.code], crit.code
        assert {int(b.points) for b in crit.bands} <= seen[crit.code], (crit.code, seen[crit.code])
    routes = {}
    for p in CASES:
        for code, r in (p.values[1].get("direct") or {}).items():
            routes.setdefault(code, set()).add(r)
    for crit in SME.criteria:
        if crit.role == "direct":
            assert {"met", "not_met", "unknown"} <= routes[crit.code], crit.code


# --- Properties -------------------------------------------------------------------------------

money = st.one_of(st.none(), st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False,
                                         allow_infinity=False).map(str))
flag = st.one_of(st.none(), st.booleans())
ip_item = st.fixed_dictionaries({
    "type": st.sampled_from(["invention", "utility", "design", "software", "proprietary"]),
    "status": st.sampled_from(["granted", "applied", "lapsed", None]),
    "product": st.sampled_from(["甲", "乙", None]), "high_value": flag, "self_developed": flag})


@st.composite
def firms(draw):
    years = []
    for year in (2021, 2022, 2023):
        years.append({"year": year, **{k: draw(money) for k in (
            "operating_revenue", "main_business_revenue", "rd_expense", "total_assets", "total_liabilities",
            "equity_financing")}})
    data = {"financials": years}
    if draw(st.booleans()):
        data["products"] = [{"name": n, "strategic_emerging": draw(flag)} for n in draw(
            st.lists(st.sampled_from(["甲", "乙"]), unique=True, max_size=2))]
    if draw(st.booleans()):
        data["ip"] = draw(st.lists(ip_item, max_size=3))
    if draw(st.booleans()):
        data["awards"] = draw(st.lists(st.fixed_dictionaries({
            "kind": st.just("science"), "level": st.sampled_from(["national", "province", "city"]),
            "year": st.one_of(st.none(), st.integers(2018, 2024))}), max_size=2))
    if draw(st.booleans()):
        data["rd_institutions"] = draw(st.lists(st.fixed_dictionaries({
            "level": st.sampled_from(["city", "province", "national"])}), max_size=2))
    if draw(st.booleans()):
        data["enterprise"] = {"high_tech_certified": draw(st.booleans())}
    return data


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(firms())
def test_points_never_exceed_an_indicator_a_dimension_or_the_total_maximum(data):
    score = evaluate_tier(profile_from_request(data), SME, 2023).score
    for i in score.indicators:
        assert i.points is None or 0 <= i.points <= i.max
    for d in score.dimensions:
        assert 0 <= d.sure <= d.best <= d.max
    assert 0 <= score.sure <= score.best <= 100


def _fill(data):
    """The same firm with every missing figure, flag and list supplied (any values)."""
    full = json.loads(json.dumps(data))
    for fy in full["financials"]:
        for k, v in list(fy.items()):
            if v is None:
                fy[k] = "1"
    full.setdefault("products", [{"name": "甲", "strategic_emerging": False}])
    for p in full["products"]:
        if p.get("strategic_emerging") is None:
            p["strategic_emerging"] = False
    full.setdefault("ip", [])
    for item in full["ip"]:
        item["status"] = item.get("status") or "granted"
    full.setdefault("awards", [])
    for a in full["awards"]:
        a["year"] = a.get("year") or 2015
    full.setdefault("rd_institutions", [])
    full.setdefault("honours", [])
    full.setdefault("enterprise", {"high_tech_certified": False})
    return full


@FAST
@given(firms())
def test_a_sure_pass_stays_a_pass_when_the_missing_data_are_added(data):
    before = evaluate_tier(profile_from_request(data), SME, 2023)
    after = evaluate_tier(profile_from_request(_fill(data)), SME, 2023)
    if before.verdict == ELIGIBLE:
        assert after.verdict == ELIGIBLE, json.dumps(after.to_dict(), ensure_ascii=False)
    # and what was sure stays sure: adding data never lowers the sure points nor raises the best
    assert after.score.sure >= before.score.sure and after.score.best <= before.score.best
    for a, b in zip(after.score.indicators, before.score.indicators):
        if b.points is not None:
            assert a.points == b.points


@FAST
@given(firms())
def test_the_cheapest_way_to_pass_does_pass_when_taken(data):
    result = evaluate_tier(profile_from_request(data), SME, 2023)
    if not result.cheapest_pass:
        return
    score = result.score
    added = {s.indicator: s.points for s in result.cheapest_pass}
    total = score.sure + sum(added.values())
    assert total >= score.pass_mark
    by_dim = {i.code: i.dimension for i in score.indicators}
    for d in score.dimensions:
        assert d.sure + sum(p for code, p in added.items() if by_dim[code] == d.code) >= d.minimum


def test_decimal_edges_are_exact_not_floating():
    # 3/10000 of revenue is 0.03%: 1% of 30000000.01 is not reached by 300000.00, by a hair
    data = {"financials": [{"year": 2023, "operating_revenue": "30000000.01", "rd_expense": "300000.00"}]}
    ind = evaluate_tier(profile_from_request(data), SME, 2023).score.indicator("rd_share")
    assert ind.points == 0 and Decimal(ind.actual) == Decimal("1.00")
