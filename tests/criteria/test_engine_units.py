"""The engine's small pieces on their own, where the case files pass by them: which rows decide a tier
and how they are counted, the API form of points, exact roots, and the metric table's entries."""
import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from criteria import metrics
from criteria.engine import (
    ELIGIBLE,
    INCOMPLETE,
    MET,
    NEEDS_REVIEW,
    NOT_ELIGIBLE,
    NOT_MET,
    UNKNOWN,
    CheapestStep,
    CriterionResult,
    DimensionResult,
    DirectRouteResult,
    FiscalYear,
    IndicatorResult,
    IPItem,
    NextBand,
    Product,
    ProductResult,
    Profile,
    ScoreResult,
    TierResult,
    VariantResult,
    cheapest_pass,
    decisive_rows,
    editions_from_json,
    evaluate_tier,
    points_value,
    tally,
)
from criteria.metrics import Context, compute

ROOT = Path(__file__).resolve().parents[2]


def rows(*results, prefix="R"):
    return [CriterionResult(code=f"{prefix}{i}", text="", result=r) for i, r in enumerate(results, 1)]


def tier(variants, products=()):
    return TierResult(tier="t", name="t", edition_year=2022, notice="", verdict=INCOMPLETE, variants=list(variants),
                      products=list(products))


def codes(result):
    return [c.code for c in decisive_rows(result)]


def test_the_firms_own_variant_and_its_best_products_rules_decide_the_tier():
    own = VariantResult("M", "制造业", True, NOT_ELIGIBLE, rows(MET, NOT_MET, prefix="M"))
    other = VariantResult("S", "服务业", False, ELIGIBLE, rows(MET, MET, MET, prefix="S"))
    products = [ProductResult("甲", NOT_ELIGIBLE, rows(NOT_MET, prefix="P甲")),
                ProductResult("乙", ELIGIBLE, rows(MET, UNKNOWN, prefix="P乙")),
                ProductResult("丙", INCOMPLETE, rows(UNKNOWN, prefix="P丙"))]
    result = tier([other, own], products)
    assert codes(result) == ["M1", "M2", "P乙1", "P乙2"]
    assert tally(result) == (2, 1, 1)


def test_a_single_variant_decides_though_it_is_not_marked_the_firms_own():
    only = VariantResult("", "唯一", False, INCOMPLETE, rows(MET, UNKNOWN, NOT_MET, NOT_MET))
    assert codes(tier([only])) == ["R1", "R2", "R3", "R4"]
    assert tally(tier([only])) == (1, 2, 1)


def test_with_no_own_variant_among_several_the_first_decides():
    first = VariantResult("M", "制造业", False, INCOMPLETE, rows(UNKNOWN, prefix="M"))
    second = VariantResult("S", "服务业", False, ELIGIBLE, rows(MET, prefix="S"))
    assert codes(tier([first, second])) == ["M1"]
    assert tally(tier([first, second])) == (0, 0, 1)
    assert codes(tier([])) == [] and tally(tier([])) == (0, 0, 0)


def test_points_are_whole_numbers_or_two_place_strings_in_the_api():
    assert points_value(None) is None
    assert points_value(5) == 5 and points_value(Fraction(15, 1)) == 15
    assert points_value(Fraction(5, 2)) == "2.50" and points_value(Fraction(1, 3)) == "0.33"


def test_a_scored_results_parts_read_as_the_api_shows_them():
    dim = DimensionResult(code="growth", name="成长性", sure=10, best=Fraction(35, 2), max=30, minimum=15)
    assert dim.to_dict() == {"code": "growth", "name": "成长性", "sure": 10, "best": "17.50", "max": 30,
                             "minimum": 15}
    ind = IndicatorResult(code="rd_share", text="研发费用占比", dimension="innovation", result="scored", points=5,
                          max=10, actual="3.20", unit="%", band="3%-5%",
                          next=NextBand(points=10, needs="5.00", gap="1.80"), explanation="研发……")
    assert ind.to_dict() == {"code": "rd_share", "dimension": "innovation", "result": "scored", "points": 5,
                             "max": 10, "actual": "3.20", "unit": "%", "band": "3%-5%",
                             "next": {"points": 10, "needs": "5.00", "gap": "1.80"}, "explanation": "研发……"}
    route = DirectRouteResult(code="honour", text="高新技术企业", result=MET, explanation="是")
    assert route.to_dict() == {"code": "honour", "result": MET, "explanation": "是"}
    score = ScoreResult(sure=55, best=70, pass_mark=60, dimensions=[dim], indicators=[ind])
    assert score.to_dict()["sure"] == 55 and score.to_dict()["pass_mark"] == 60
    assert score.indicator("rd_share") is ind and score.indicator("none") is None
    assert score.dimension("growth") is dim and score.dimension("none") is None
    assert score.short == 5 and not score.passes


def test_a_pass_fail_tier_reads_in_the_api_as_the_contract_shows_it():
    row = CriterionResult(code="M1", text="营业收入", result=NOT_MET, actual="1800.00", threshold="2000", unit="万元",
                          gap="200.00", branch="a", explanation="营业收入1800.00万元，未达到2000万元")
    product_row = CriterionResult(code="P1", text="市场占有率", result=UNKNOWN, explanation="未提供排名")
    result = TierResult(tier="municipal", name="市级专精特新", edition_year=2022, notice="苏工信〔2022〕1号",
                        verdict=NOT_ELIGIBLE, variants=[VariantResult("M", "制造业", True, NOT_ELIGIBLE, [row])],
                        products=[ProductResult("阀门", INCOMPLETE, [product_row])])
    assert result.to_dict() == {
        "tier": "municipal", "name": "市级专精特新", "edition": {"year": 2022, "notice": "苏工信〔2022〕1号"},
        "verdict": NOT_ELIGIBLE,
        "variants": [{"variant": "M", "own": True, "verdict": NOT_ELIGIBLE, "criteria": [{
            "code": "M1", "text": "营业收入", "result": NOT_MET, "actual": "1800.00", "threshold": "2000",
            "unit": "万元", "gap": "200.00", "explanation": "营业收入1800.00万元，未达到2000万元"}]}],
        "products": [{"name": "阀门", "verdict": INCOMPLETE, "criteria": [{
            "code": "P1", "text": "市场占有率", "result": UNKNOWN, "actual": None, "threshold": None, "unit": "",
            "gap": None, "explanation": "未提供排名"}]}]}
    assert result.criterion("M1") is row and result.criterion("P1", product="阀门") is product_row
    assert result.criterion("P1") is None and result.criterion("M1", product="阀门") is None


def test_a_scored_tier_reads_in_the_api_with_its_score_routes_and_cheapest_way():
    dim = DimensionResult(code="d", name="创新能力", sure=Fraction(10), best=Fraction(20), max=Fraction(20),
                          minimum=Fraction(5))
    ind = IndicatorResult(code="ip", text="知识产权", dimension="d", result="unknown", points=None, max=Fraction(20))
    result = TierResult(tier="innovative_sme", name="创新型中小企业", edition_year=2022,
                        notice="工信部企业〔2022〕63号",
                        verdict=INCOMPLETE, variants=[], products=[], route=None,
                        score=ScoreResult(sure=Fraction(10), best=Fraction(20), pass_mark=Fraction(60),
                                          dimensions=[dim], indicators=[ind]),
                        direct_routes=[DirectRouteResult(code="honour", text="荣誉", result=NOT_MET)],
                        cheapest_pass=[CheapestStep(indicator="ip", points=Fraction(5, 2), change="补充知识产权")])
    assert result.to_dict() == {
        "tier": "innovative_sme", "name": "创新型中小企业",
        "edition": {"year": 2022, "notice": "工信部企业〔2022〕63号"},
        "verdict": INCOMPLETE, "route": None,
        "score": {"sure": 10, "best": 20, "pass_mark": 60,
                  "dimensions": [{"code": "d", "name": "创新能力", "sure": 10, "best": 20, "max": 20, "minimum": 5}],
                  "indicators": [{"code": "ip", "dimension": "d", "result": "unknown", "points": None, "max": 20,
                                  "actual": None, "unit": "", "band": None, "next": None, "explanation": ""}]},
        "direct_routes": [{"code": "honour", "result": NOT_MET, "explanation": ""}],
        "cheapest_pass": [{"indicator": "ip", "points": "2.50", "change": "补充知识产权"}]}


@pytest.mark.parametrize("x, n, root", [
    (Fraction(121, 100), 2, Fraction(11, 10)),          # exact: 1.1² = 1.21
    (Fraction(1331, 1000), 3, Fraction(11, 10)),
    (Fraction(7), 1, Fraction(7)),
    (Fraction(1), 3, Fraction(1)),
    (Fraction(10201, 10000), 2, Fraction(101, 100)),
    (Fraction(1157625, 1000000), 3, Fraction(105, 100)),   # 1.05³
])
def test_an_exact_root_is_exact(x, n, root):
    assert metrics.nth_root(x, n) == root


def test_an_irrational_root_is_close_and_never_equals_a_two_place_threshold():
    r = metrics.nth_root(Fraction(2), 2)
    assert abs(r * r - 2) < Fraction(1, 10 ** 40)
    assert r != Fraction(141, 100) and r != Fraction(1414, 1000)


def test_a_fraction_prints_as_a_decimal_to_sixty_digits():
    assert str(metrics.fraction_to_decimal(Fraction(1, 8))) == "0.125"
    assert str(metrics.fraction_to_decimal(Fraction(2, 3))).startswith("0.6666666666666666666666666666666666")
    assert len(str(metrics.fraction_to_decimal(Fraction(2, 3)))) == 62


def test_a_metric_entry_names_its_label_kind_unit_params_and_scopes():
    fn = metrics.m_debt_ratio
    assert metrics._m("资产负债率", "percent", "%", fn) == {
        "label": "资产负债率", "kind": "percent", "unit": "%", "params": [], "scopes": ["enterprise", "product"],
        "fn": fn}
    assert metrics._m("近n年合计", "money", "万元", fn, ("figure", "window"), ("enterprise",))["params"] == [
        "figure", "window"]
    assert metrics._m("近n年合计", "money", "万元", fn, scopes=("enterprise",))["scopes"] == ["enterprise"]


# ---- The scored tier's IP grade (创新型中小企业 指标一) ------------------------------------------

LEADING = (Product(name="精密阀门"), Product(name="  "), Product(name=None))


def ip_grade(items, products=LEADING, **params):
    mv = compute("ip_grade", Context(profile=Profile(ip=items, products=products), year=2025), params)
    return mv.value, mv.bounds, mv.detail, mv.open, mv.missing


def test_the_best_granted_ip_tied_to_a_leading_product_sets_the_grade_and_is_counted():
    items = (IPItem("invention", product="精密阀门", self_developed=True, high_value=False),
             IPItem("invention", product="精密阀门", self_developed=True, high_value=False),
             IPItem("utility", product="精密阀门"))
    assert ip_grade(items) == (3, None, "自主研发的Ⅰ类知识产权2项", "", "")


def test_applied_or_lapsed_ip_and_ip_without_a_product_do_not_count():
    items = (IPItem("invention", status="applied", product="精密阀门", high_value=True),
             IPItem("invention", status="lapsed", product="精密阀门", high_value=True),
             IPItem("invention", status="rejected", product="精密阀门", high_value=True),
             IPItem("invention", product="  ", high_value=True),
             IPItem("invention", product=None, high_value=True),
             IPItem("utility", product="精密阀门"), IPItem("design", product="精密阀门"))
    assert ip_grade(items) == (1, None, "Ⅱ类知识产权2项", "", "")


def test_ip_naming_another_product_is_named_and_not_counted():
    items = (IPItem("invention", product="别的产品", high_value=True),
             IPItem("invention", product="别的产品", high_value=True),
             IPItem("invention", product="精密阀门", high_value=None, self_developed=False),
             IPItem("invention", product="精密阀门", high_value=False, self_developed=None))
    assert ip_grade(items) == (2, None, "Ⅰ类知识产权2项；其中2项未标注是否高价值或自主研发，按一般Ⅰ类计；"
                                        "另有2项注明的产品不在主导产品名单中，不计", "", "")


def test_flagged_plain_first_class_ip_is_not_called_unflagged():
    items = (IPItem("invention", product="精密阀门", high_value=False, self_developed=False),)
    assert ip_grade(items) == (2, None, "Ⅰ类知识产权1项", "", "")


def test_ip_without_a_status_or_without_a_product_list_leaves_a_range():
    items = (IPItem("invention", status=None, product="精密阀门", high_value=True),
             IPItem("utility", product="精密阀门"))
    assert ip_grade(items) == (1, (1, 4), "Ⅱ类知识产权1项", "有知识产权未注明状态", "")
    assert ip_grade((IPItem("invention", product="精密阀门", self_developed=True),), products=None) == (
        0, (0, 3), "", "未提供主导产品信息，无法确认知识产权所注明的产品是否为主导产品", "")


def test_which_types_are_first_and_second_class_are_parameters():
    items = (IPItem("software", product="精密阀门"), IPItem("utility", product="精密阀门"))
    assert ip_grade(items, class1=["software"], class2=["design"])[:3] == (
        2, None, "Ⅰ类知识产权1项；其中1项未标注是否高价值或自主研发，按一般Ⅰ类计")
    assert ip_grade(items)[:3] == (1, None, "Ⅱ类知识产权2项")


def test_unknown_ip_is_said_in_chinese():
    assert ip_grade(None) == (None, None, "", "", "未提供知识产权信息")


# ---- Bands as staff may edit them: no catch-all band, a range of values within one band --------

def scored_edition(bands):
    return editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "自定评分标准", "variants": {},
        "scoring": {"pass_mark": "10", "dimensions": [{"code": "d", "name": "创新能力", "max": "20", "minimum": "0"}]},
        "criteria": [{"code": "ip", "role": "indicator", "dimension": "d", "max_points": "20", "text": "知识产权",
                      "conditions": [{"metric": "ip_grade", "label": "知识产权", "params": {}}],
                      "bands": bands}]}]})[0]


NO_CATCH_ALL = [{"points": "20", "operator": ">=", "edge": "4", "label": "高价值"},
                {"points": "10", "operator": ">=", "edge": "2", "label": "Ⅰ类"}]


def scored(bands, items, products=LEADING):
    return evaluate_tier(Profile(ip=items, products=products), scored_edition(bands), 2025).score.indicators[0]


def test_a_value_below_every_band_of_an_edition_without_a_catch_all_scores_nothing():
    ind = scored(NO_CATCH_ALL, (IPItem("utility", product="精密阀门"),))
    assert (ind.result, ind.points, ind.band, ind.band_index) == ("scored", 0, None, -1)
    assert ind.explanation.startswith("知识产权：未达到最低档")
    assert (ind.next.points, ind.next.needs) == (10, "Ⅰ类")
    nothing = scored(NO_CATCH_ALL, ())                      # known to hold none: no band either
    assert (nothing.points, nothing.band_index) == (0, -1)


def test_a_range_of_values_inside_one_band_scores_for_sure_and_one_across_an_edge_does_not():
    # status unknown: the grade is somewhere in 2..4; with one band from 2 up, that is 10 points for sure
    unsure = (IPItem("invention", product="精密阀门", high_value=False, self_developed=False),
              IPItem("invention", status=None, product="精密阀门", high_value=True))
    wide = [{"points": "10", "operator": ">=", "edge": "2", "label": "Ⅰ类"}]
    ind = scored(wide, unsure)
    assert (ind.result, ind.points, ind.band_index) == ("scored", 10, 0)
    assert ind.explanation.endswith("（有知识产权未注明状态，不影响得分）")
    across = scored(NO_CATCH_ALL, unsure)                  # 2..4 straddles the edge at 4
    assert (across.result, across.points) == ("unknown", None)
    assert "有知识产权未注明状态" in across.explanation


def rd_edition(operator):
    return editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "自定评分标准", "variants": {},
        "scoring": {"pass_mark": "10", "dimensions": [{"code": "d", "name": "创新能力", "max": "20", "minimum": "0"}]},
        "criteria": [{"code": "rd", "role": "indicator", "dimension": "d", "max_points": "20", "text": "研发费用占比",
                      "conditions": [{"metric": "rd_share", "label": "研发费用占营业收入比重", "unit": "%",
                                      "params": {}}],
                      "bands": [{"points": "20", "operator": operator, "edge": "5", "label": "5%以上"},
                                {"points": "0", "operator": "", "label": "其他"}]}]}]})[0]


@pytest.mark.parametrize("operator, words", [(">=", "再提高1.80个百分点可得20分"), (">", "再提高1.80个百分点以上可得20分")])
def test_the_next_band_says_how_far_and_whether_the_edge_itself_is_enough(operator, words):
    firm = Profile(financials={2025: FiscalYear(2025, operating_revenue=Decimal("1000"), rd_expense=Decimal("32"))})
    result = evaluate_tier(firm, rd_edition(operator), 2025)
    ind = result.score.indicators[0]
    assert ind.explanation == f"研发费用占营业收入比重3.20%，得0分；{words}"
    assert (ind.next.needs, ind.next.gap) == ("5.00", "1.80")


def test_a_field_not_reached_is_told_by_what_it_takes_not_by_a_number():
    sme = editions_from_json(json.loads((ROOT / "fixtures" / "editions" / "innovative_sme_2022.json").read_text("utf-8")))[0]
    firm = Profile(products=(Product(name="精密阀门", strategic_emerging=False),))
    field = evaluate_tier(firm, sme, 2025).score.indicator("field")
    reach = next(b.reach for c in sme.criteria if c.code == "field" for b in c.bands if b.operator)
    assert (field.points, field.band) == (5, "其他领域")
    assert field.next.needs == reach and field.next.gap is None
    assert field.explanation.endswith(f"；{reach}可得10分")


# ---- An edition written by hand with only what it must say: the defaults staff rely on ------------

def test_an_edition_that_leaves_out_the_optional_keys_reads_with_the_documented_defaults():
    spec = editions_from_json({"editions": [{
        "tier": "t", "year": "2024", "name": "最简标准",
        "criteria": [
            {"code": "B", "text": "第二条", "order": "2", "conditions": [
                {"metric": "employees", "operator": ">=", "threshold": 10},
                {"metric": "own_brand", "threshold": "", "operator": None, "params": None}]},
            {"code": "A", "text": "第一条", "conditions": [{"metric": "employees", "group": 2}],
             "overridable": 1, "max_points": "", "bands": None}]}]})[0]
    assert (spec.year, spec.notice, spec.variants, spec.scoring) == (2024, "", {}, None)
    first, second = spec.criteria                       # sorted by order; a missing order is 0
    assert (first.code, second.code) == ("A", "B")
    assert (first.variant, first.scope, first.order, first.role, first.dimension, first.reading) == (
        "", "enterprise", 0, "rule", "", "")
    assert (first.overridable, first.max_points, first.bands, second.overridable) == (True, None, (), False)
    assert second.order == 2
    employees, brand = second.conditions
    assert (employees.group, employees.label, employees.operator, employees.threshold, employees.unit,
            employees.params) == ("a", "", ">=", "10", "", {})
    assert (brand.operator, brand.threshold, brand.params) == ("", None, {})
    assert first.conditions[0].group == "2"


def test_bands_and_dimensions_left_short_read_with_their_defaults():
    spec = editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "评分", "variants": {"M": "制造业"},
        "scoring": {"pass_mark": 60, "dimensions": [{"code": "d"}, {"code": "e", "name": "成长", "max": 30,
                                                                    "minimum": 10}]},
        "criteria": [{"code": "i", "text": "指标", "role": "indicator", "dimension": "d", "max_points": 20,
                      "conditions": [{"metric": "employees"}],
                      "bands": [{"points": 20, "operator": ">=", "edge": 100}, {"points": 0, "edge": ""}]}]}]})[0]
    assert spec.variants == {"M": "制造业"}
    assert spec.scoring.pass_mark == "60" and spec.scoring.direct_hints == {}
    d, e = spec.scoring.dimensions
    assert (d.code, d.name, d.max, d.minimum) == ("d", "d", "0", "0")
    assert (e.name, e.max, e.minimum) == ("成长", "30", "10")
    high, rest = spec.criteria[0].bands
    assert (high.points, high.operator, high.edge) == ("20", ">=", "100")
    assert (high.label, high.notice, high.reach) == ("", "", "")
    assert (rest.points, rest.operator, rest.edge) == ("0", "", None)
    assert spec.criteria[0].max_points == "20"


# ---- The cheapest way to pass a scored tier: its order of preference --------------------------------

def three_indicators(pass_mark, scale_minimum="0", order="ABC", b_middle=True):
    def indicator(code, metric, label, dimension, unit, edges, middle=True):
        bands = [{"points": "10", "operator": ">=", "edge": edges[0], "label": f"{edges[0]}以上"},
                 {"points": "5", "operator": ">=", "edge": edges[1], "label": f"{edges[1]}以上"},
                 {"points": "0", "operator": "", "label": "其他"}]
        return {"code": code, "role": "indicator", "dimension": dimension, "max_points": "10", "text": label,
                "conditions": [{"metric": metric, "label": label, "unit": unit, "params": {}}],
                "bands": bands if middle else [bands[0], bands[2]]}
    indicators = {"A": indicator("A", "employees", "从业人员数", "people", "人", ["100", "50"]),
                  "B": indicator("B", "rd_staff", "研发人员数", "people", "人", ["20", "10"], b_middle),
                  "C": indicator("C", "operating_revenue", "营业收入", "scale", "万元", ["5000", "1000"])}
    return editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "自定评分", "variants": {},
        "scoring": {"pass_mark": pass_mark, "dimensions": [
            {"code": "people", "name": "人才", "max": "20"},
            {"code": "scale", "name": "规模", "max": "10", "minimum": scale_minimum}]},
        "criteria": [indicators[code] for code in order]}]})[0]


def cheapest(pass_mark, scale_minimum="0", employees=60, limit=None, rd_staff=5, **kw):
    edition = three_indicators(pass_mark, scale_minimum, **kw)
    firm = Profile(financials={2025: FiscalYear(2025, employees=employees, rd_staff=rd_staff)})   # revenue unknown
    result = evaluate_tier(firm, edition, 2025)
    return [(s.indicator, s.points, s.change) for s in cheapest_pass(result.score, edition, limit=limit)]


def test_one_change_with_known_data_is_preferred_to_one_that_needs_missing_data():
    # +10 is needed: B to its top band, or C (revenue unknown) to its top band; B needs no new data
    assert cheapest("15") == [("B", 10, "研发人员数再提高15人")]


def test_among_changes_adding_the_same_points_the_known_ones_win_and_steps_follow_the_notice():
    assert cheapest("20") == [("A", 5, "从业人员数再提高40人"), ("B", 10, "研发人员数再提高15人")]


def test_a_dimension_minimum_forces_its_indicator_in_and_the_smaller_effort_wins_the_rest():
    # 规模 must reach 5: C is in; then A (40 of 100 to go) beats B to its middle band (5 of 10)
    assert cheapest("20", scale_minimum="5") == [
        ("A", 5, "从业人员数再提高40人"), ("C", 10, "补充数据（缺少2025年营业收入），并使营业收入达到“5000以上”")]


def test_equal_changes_are_taken_in_the_notices_order():
    # A from 50 to 100 and B from 5 to 10: each +5 for half its edge
    assert cheapest("10", employees=50) == [("A", 5, "从业人员数再提高50人")]


def test_no_way_is_given_when_the_firm_passes_when_too_few_changes_are_allowed_or_when_nothing_reaches():
    assert cheapest("5") == []                     # 5 points for sure already pass
    assert cheapest("20", limit=1) == []           # two changes are needed
    assert cheapest("100") == []                   # all 30 points would not reach 100


# ---- One indicator of a scored edition, every way it can read ------------------------------------

PEOPLE = [{"points": "10", "operator": ">=", "edge": "100", "label": "100人以上"},
          {"points": "5", "operator": ">=", "edge": "50", "label": "50人以上"},
          {"points": "0", "operator": "", "label": "其他"}]


def indicator(metric, bands, firm, label="从业人员数", unit="人", max_points="10", conditions=True, params=None):
    spec = {"code": "x", "role": "indicator", "dimension": "d", "text": "自定指标", "bands": bands,
            "conditions": [{"metric": metric, "label": label, "unit": unit, "params": params or {}}]
            if conditions else []}
    if max_points is not None:
        spec["max_points"] = max_points
    edition = editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "自定评分", "variants": {},
        "scoring": {"pass_mark": "10", "dimensions": [{"code": "d", "name": "维度", "max": "10"}]},
        "criteria": [spec]}]})[0]
    ind = evaluate_tier(firm, edition, 2025).score.indicators[0]
    return ind.to_dict(), ind.missing, ind.band_index, ind.value


def staff(n):
    return Profile(financials={2025: FiscalYear(2025, employees=n)})


def test_an_indicator_without_bands_or_without_a_condition_cannot_be_scored():
    unscored = {"code": "x", "dimension": "d", "result": "unknown", "points": None, "max": 10, "actual": None,
                "unit": "", "band": None, "next": None}
    assert indicator("employees", [], staff(120), unit="") == (
        {**unscored, "explanation": "从业人员数：未设定分档，无法评分"}, "未设定分档", None, None)
    assert indicator("employees", PEOPLE, staff(120), conditions=False) == (
        {**unscored, "explanation": "自定指标：未设定分档，无法评分"}, "未设定分档", None, None)
    # neither bands nor a maximum: worth nothing
    assert indicator("employees", [], staff(120), max_points=None)[0]["max"] == 0


def test_an_indicator_at_its_top_band_reads_full_marks_and_its_maximum_defaults_to_the_top_band():
    top = {"code": "x", "dimension": "d", "result": "scored", "points": 10, "max": 10, "actual": "120", "unit": "人",
           "band": "100人以上", "next": None, "explanation": "从业人员数120人，得10分（满分）"}
    assert indicator("employees", PEOPLE, staff(120), max_points=None) == (top, "", 0, Fraction(120))
    assert indicator("employees", PEOPLE, staff(120)) == (top, "", 0, Fraction(120))


def test_the_next_band_is_the_nearest_worth_more_and_never_more_than_the_maximum():
    assert indicator("employees", PEOPLE, staff(70)) == (
        {"code": "x", "dimension": "d", "result": "scored", "points": 5, "max": 10, "actual": "70", "unit": "人",
         "band": "50人以上", "next": {"points": 10, "needs": "100", "gap": "30"},
         "explanation": "从业人员数70人，得5分；再提高30人可得10分"}, "", 1, Fraction(70))
    # a maximum below the top band caps the points the next band is said to give
    capped = indicator("employees", PEOPLE, staff(70), max_points="8")[0]
    assert (capped["points"], capped["max"], capped["next"]) == (5, 8, {"points": 8, "needs": "100", "gap": "30"})
    assert capped["explanation"] == "从业人员数70人，得5分；再提高30人可得8分"
    # a band worth what the firm has already is no step up
    flat = [PEOPLE[0], {"points": "5", "operator": ">=", "edge": "50", "label": "50人以上"},
            {"points": "5", "operator": "", "label": "其他"}]
    assert indicator("employees", flat, staff(20))[0]["next"] == {"points": 10, "needs": "100", "gap": "80"}


def test_a_missing_figure_leaves_the_indicator_open_up_to_its_maximum():
    assert indicator("employees", PEOPLE, Profile()) == (
        {"code": "x", "dimension": "d", "result": "unknown", "points": None, "max": 10, "actual": None, "unit": "人",
         "band": None, "next": None,
         "explanation": "从业人员数：缺少2025年财务数据，暂无法评分（确定得分按0分计，最高可能得分按满分10分计）"},
        "缺少2025年财务数据", None, None)


RANKS = [{"points": "10", "operator": "<=", "edge": "3", "label": "前3"},
         {"points": "5", "operator": "<=", "edge": "10", "label": "前10"}]


def test_a_firm_with_nothing_to_measure_takes_the_catch_all_band_or_nothing():
    firm = Profile(products=())                      # known to have no leading product
    assert indicator("market_rank", [*RANKS, {"points": "2", "operator": "", "label": "其他"}], firm,
                     label="国内市场排名", unit="位") == (
        {"code": "x", "dimension": "d", "result": "scored", "points": 2, "max": 10, "actual": None, "unit": "位",
         "band": "其他", "next": {"points": 5, "needs": "前10", "gap": None},
         "explanation": "国内市场排名：其他，得2分；国内市场排名达到“前10”可得5分"}, "", 2, None)
    assert indicator("market_rank", RANKS, firm, label="国内市场排名", unit="位") == (
        {"code": "x", "dimension": "d", "result": "scored", "points": 0, "max": 10, "actual": None, "unit": "位",
         "band": None, "next": {"points": 5, "needs": "前10", "gap": None},
         "explanation": "国内市场排名：未达到最低档，得0分；国内市场排名达到“前10”可得5分"}, "", -1, None)


def test_a_range_across_a_band_edge_says_what_is_known_and_what_is_missing():
    firm = Profile(products=(Product("阀门", market_rank={"domestic": 5}), Product("泵")))
    assert indicator("market_rank", RANKS, firm, label="国内市场排名", unit="位") == (
        {"code": "x", "dimension": "d", "result": "unknown", "points": None, "max": 10, "actual": None, "unit": "位",
         "band": None, "next": None,
         "explanation": "国内市场排名：可确定的为5位；产品“泵”未提供国内市场占有率排名，暂无法评分（确定得分按0分计，"
                        "最高可能得分按满分10分计）"},
        "产品“泵”未提供国内市场占有率排名", None, None)


def test_a_sum_known_only_in_part_says_the_known_amount_in_money_with_two_places():
    firm = Profile(financials={2025: FiscalYear(2025, equity_financing=Decimal("500"))})
    bands = [{"points": "10", "operator": ">=", "edge": "800", "label": "800万元以上"},
             {"points": "5", "operator": ">=", "edge": "300", "label": "300万元以上"}]
    result = indicator("figure_sum", bands, firm, label="股权融资", unit="万元",
                       params={"figure": "equity_financing", "window": 2, "missing": "open"})
    assert result[0]["explanation"] == ("股权融资：可确定的为500.00万元；缺少2024年财务数据，暂无法评分（确定得分按0分计，"
                                        "最高可能得分按满分10分计）")


def test_a_yes_no_indicator_reads_its_band_not_a_number():
    brand = [{"points": "10", "operator": "==", "edge": "1", "label": "有自主品牌"},
             {"points": "0", "operator": "", "label": "无"}]
    assert indicator("own_brand", brand, Profile(own_brand=True), label="自主品牌", unit="") == (
        {"code": "x", "dimension": "d", "result": "scored", "points": 10, "max": 10, "actual": None, "unit": "",
         "band": "有自主品牌", "next": None, "explanation": "自主品牌：有自主品牌，得10分（满分）"}, "", 0, True)
    assert indicator("own_brand", brand, Profile(own_brand=False), label="自主品牌", unit="")[0]["explanation"] == (
        "自主品牌：无，得0分；自主品牌达到“有自主品牌”可得10分")


def test_a_graded_indicator_shows_its_band_and_the_records_behind_it():
    items = (IPItem("invention", product="精密阀门", self_developed=True, high_value=False),
             IPItem("invention", product="精密阀门", self_developed=True, high_value=False))
    ind = scored([{"points": "20", "operator": ">=", "edge": "3", "label": "自主研发Ⅰ类"},
                  {"points": "5", "operator": "", "label": "其他"}], items)
    assert (ind.actual, ind.points, ind.band) == (None, 20, "自主研发Ⅰ类")
    assert ind.explanation == "知识产权：自主研发Ⅰ类（自主研发的Ⅰ类知识产权2项），得20分（满分）"
    unsure = (IPItem("invention", product="精密阀门", high_value=False, self_developed=False),
              IPItem("invention", status=None, product="精密阀门", high_value=True))
    across = scored(NO_CATCH_ALL, unsure)
    assert across.explanation == ("知识产权：有知识产权未注明状态，暂无法评分（确定得分按0分计，"
                                  "最高可能得分按满分20分计）")
    assert across.missing == "有知识产权未注明状态"


@pytest.mark.parametrize("root, n", [(Fraction(10), 3), (Fraction(35, 2), 3), (Fraction(177, 10), 3),
                                     (Fraction(1, 3), 2), (Fraction(12345678901, 10 ** 10), 2),
                                     (Fraction(10 ** 40 + 7), 3), (Fraction(0), 2), (Fraction(1, 10 ** 30), 3)])
def test_a_rational_root_is_found_exactly_where_decimal_powers_miss_it(root, n):
    # 1000 ** (1/3) in 60-digit decimals is 9.999…8: the growth rule at an exact threshold needs 10
    assert metrics.nth_root(root ** n, n) == root


def test_the_root_of_a_huge_or_a_non_power_is_a_close_approximation():
    for x, n in ((Fraction(2 * 10 ** 80), 2), (Fraction(3, 7), 3), (Fraction(10 ** 40 + 1), 3)):
        r = metrics.nth_root(x, n)
        assert abs(r ** n - x) / x < Fraction(1, 10 ** 55)


def row_of(metric, bands, firm, **kw):
    """The rule row an indicator leaves (stored with the results, read by the firm's pages)."""
    spec = {"code": "x", "role": "indicator", "dimension": "d", "text": "自定指标", "bands": bands,
            "max_points": kw.pop("max_points", "10"),
            "conditions": [{"metric": metric, "label": kw.pop("label", "从业人员数"), "unit": kw.pop("unit", "人"),
                            "params": {}}]}
    edition = editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "自定评分", "variants": {},
        "scoring": {"pass_mark": "10", "dimensions": [{"code": "d", "name": "维度", "max": "10"}]},
        "criteria": [spec]}]})[0]
    (row,) = evaluate_tier(firm, edition, 2025).variants[0].criteria
    return (row.code, row.text, row.result, row.actual, row.threshold, row.unit, row.gap, row.explanation)


def test_an_indicator_leaves_a_row_met_at_full_marks_not_met_below_and_unknown_when_open():
    assert row_of("employees", PEOPLE, staff(120)) == (
        "x", "自定指标", MET, "120", None, "人", None, "从业人员数120人，得10分（满分）")
    assert row_of("employees", PEOPLE, staff(70)) == (
        "x", "自定指标", NOT_MET, "70", "100", "人", "30", "从业人员数70人，得5分；再提高30人可得10分")
    assert row_of("employees", PEOPLE, Profile())[2:7] == (UNKNOWN, None, None, "人", None)
    # a band no figure measures: the next band is named, with no threshold and no gap
    assert row_of("market_rank", RANKS, Profile(products=()), label="国内市场排名", unit="位")[2:7] == (
        NOT_MET, None, None, "位", None)


DEBT = [{"points": "10", "operator": "<=", "edge": "50", "label": "50%以下"},
        {"points": "0", "operator": "", "label": "其他"}]


@pytest.mark.parametrize("operator, words", [("<=", "再降低10.00个百分点可得10分"),
                                             ("<", "再降低10.00个百分点以上可得10分")])
def test_a_band_below_an_edge_asks_to_lower_the_figure(operator, words):
    bands = [{**DEBT[0], "operator": operator}, DEBT[1]]
    firm = Profile(financials={2025: FiscalYear(2025, total_assets=Decimal(1000), total_liabilities=Decimal(600))})
    explanation = indicator("debt_ratio", bands, firm, label="资产负债率", unit="%")[0]["explanation"]
    assert explanation == f"资产负债率60.00%，得0分；{words}"


def test_half_points_stay_half_points():
    halves = [{"points": "2.5", "operator": ">=", "edge": "100", "label": "100人以上"},
              {"points": "0", "operator": "", "label": "其他"}]
    assert indicator("employees", halves, staff(120), max_points="2.5")[0]["points"] == "2.50"
    assert indicator("employees", halves, staff(20), max_points="2.5")[0]["next"]["points"] == "2.50"


def test_a_range_wholly_inside_or_wholly_below_the_bands_scores_for_sure():
    firm = Profile(products=(Product("阀门", market_rank={"domestic": 5}), Product("泵")))  # rank somewhere in 1..5
    inside = indicator("market_rank", [{"points": "10", "operator": "<=", "edge": "10", "label": "前10"}], firm,
                       label="国内市场排名", unit="位")[0]
    assert (inside["result"], inside["points"]) == ("scored", 10)
    assert inside["explanation"] == ("国内市场排名5位（阀门），得10分（满分）"
                                     "（产品“泵”未提供国内市场占有率排名，不影响得分）")
    # the IP grade is 0..3 without the product list: below a band from 4, and there is no other band
    below = scored([{"points": "20", "operator": ">=", "edge": "4", "label": "高价值"}],
                   (IPItem("invention", product="精密阀门", self_developed=True),), products=None)
    assert (below.result, below.points, below.band_index) == ("scored", 0, -1)


def test_an_indicator_in_a_dimension_the_scoring_does_not_list_gets_a_dimension_of_its_own():
    edition = editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "自定评分", "variants": {},
        "scoring": {"pass_mark": "5", "dimensions": [{"code": "d", "name": "维度", "max": "10", "minimum": "1"}]},
        "criteria": [{"code": "x", "role": "indicator", "dimension": "extra", "text": "额外", "max_points": "10",
                      "conditions": [{"metric": "employees", "label": "从业人员数", "params": {}}],
                      "bands": PEOPLE}]}]})[0]
    dims = evaluate_tier(staff(70), edition, 2025).score.dimensions
    assert [(d.code, d.name, d.sure, d.best, d.max, d.minimum) for d in dims] == [
        ("d", "维度", 0, 0, 10, 1), ("extra", "extra", 5, 5, 10, 0)]


def test_a_judgment_indicator_waits_for_staff():
    ind = indicator("judgment", PEOPLE, staff(70), label="技术水平")[0]
    assert (ind["result"], ind["explanation"]) == (
        "unknown", "技术水平：需工作人员判断，暂无法评分（确定得分按0分计，最高可能得分按满分10分计）")


def direct_edition(hint):
    return editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "自定评分", "variants": {},
        "scoring": {"pass_mark": "100", "dimensions": [{"code": "d", "name": "维度", "max": "10"}],
                    "direct_hints": {"fund": hint}},
        "criteria": [{"code": "fund", "role": "direct", "text": "股权融资", "conditions": [
            {"metric": "equity_financing", "label": "股权融资实缴额", "operator": ">=", "threshold": "500",
             "unit": "万元", "params": {}}]}]}]})[0]


def test_a_direct_route_not_taken_says_what_it_would_take():
    short = Profile(financials={2025: FiscalYear(2025, equity_financing=Decimal("350"))})
    route = evaluate_tier(short, direct_edition("再融资{gap}万元即可直通"), 2025).direct_routes[0]
    assert (route.code, route.text, route.result) == ("fund", "股权融资", NOT_MET)
    assert route.explanation.endswith("；再融资150.00万元即可直通")
    plain = evaluate_tier(short, direct_edition("可直通（{未知}）"), 2025).direct_routes[0]
    assert plain.explanation.endswith("；可直通（{未知}）")          # a hint that cannot be filled is shown as written
    met = evaluate_tier(Profile(financials={2025: FiscalYear(2025, equity_financing=Decimal("600"))}),
                        direct_edition("再融资{gap}万元即可直通"), 2025).direct_routes[0]
    assert met.result == MET and "直通" not in met.explanation
    unknown = evaluate_tier(Profile(), direct_edition("再融资{gap}万元即可直通"), 2025).direct_routes[0]
    assert unknown.result == UNKNOWN and "直通" not in unknown.explanation


def test_an_edition_written_out_in_full_reads_every_key():
    spec = editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "完整标准", "notice": "金政发〔2022〕33号", "variants": {"M": "制造业"},
        "criteria": [{"code": "M1", "text": "营业收入2000万元以上", "variant": "M", "scope": "product", "order": 1,
                      "overridable": False, "reading": "以上含本数", "role": "rule",
                      "conditions": [{"group": "b", "label": "营业收入", "metric": "operating_revenue",
                                      "operator": ">=", "threshold": "2000", "unit": "万元", "params": {"window": 1}}],
                      "bands": [{"points": "1", "operator": ">=", "edge": "1", "label": "档", "notice": "原文",
                                 "reach": "达到"}]}]}]})[0]
    assert (spec.tier, spec.year, spec.name, spec.notice, spec.variants) == (
        "t", 2024, "完整标准", "金政发〔2022〕33号", {"M": "制造业"})
    (c,) = spec.criteria
    assert (c.code, c.text, c.variant, c.scope, c.order, c.overridable, c.reading, c.role) == (
        "M1", "营业收入2000万元以上", "M", "product", 1, False, "以上含本数", "rule")
    (k,) = c.conditions
    assert (k.group, k.label, k.metric, k.operator, k.threshold, k.unit, k.params) == (
        "b", "营业收入", "operating_revenue", ">=", "2000", "万元", {"window": 1})
    (b,) = c.bands
    assert (b.points, b.operator, b.edge, b.label, b.notice, b.reach) == ("1", ">=", "1", "档", "原文", "达到")


def test_fewer_points_added_come_before_known_data():
    # A is full; B can only jump to 10; C (revenue unknown) can reach 5: the smallest lift wins
    assert cheapest("15", employees=120, b_middle=False, rd_staff=0) == [
        ("C", 5, "补充数据（缺少2025年营业收入），并使营业收入达到“1000以上”")]


def test_known_data_comes_before_the_notices_order_even_at_equal_effort():
    # B from 0 to 20 is its whole edge (effort 1, as for data not yet given); C comes first in the notice
    assert cheapest("20", employees=120, b_middle=False, rd_staff=0, order="CAB") == [
        ("B", 10, "研发人员数再提高20人")]


def test_the_steps_are_listed_in_the_notices_order_not_by_their_points():
    assert cheapest("20", order="BAC") == [("B", 10, "研发人员数再提高15人"), ("A", 5, "从业人员数再提高40人")]


def test_a_band_listed_after_the_one_held_is_never_offered_as_the_next_step():
    inverted = [{"points": "5", "operator": ">=", "edge": "100", "label": "100人以上"},
                {"points": "10", "operator": "", "label": "其他"}]
    ind = indicator("employees", inverted, staff(120))[0]
    assert (ind["points"], ind["band"], ind["next"]) == (5, "100人以上", None)


def route_of(edition, firm):
    (route,) = evaluate_tier(firm, edition, 2025).direct_routes
    return route.result, route.explanation


def direct_judgment_edition():
    return editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "自定评分", "variants": {},
        "scoring": {"pass_mark": "100", "dimensions": [{"code": "d", "name": "维度", "max": "10"}]},
        "criteria": [{"code": "fund", "role": "direct", "text": "重大创新", "conditions": [
            {"metric": "judgment", "label": "重大创新成果"}]}]}]})[0]


def test_a_direct_route_that_staff_judge_reads_the_firms_claim_for_its_own_tier():
    assert route_of(direct_judgment_edition(), Profile(claims=frozenset({"t.fund"})))[0] == NEEDS_REVIEW
    assert route_of(direct_judgment_edition(), Profile(claims=frozenset({"other.fund"})))[0] == UNKNOWN


def test_a_direct_route_without_a_hint_or_without_a_gap_reads_plainly():
    short = Profile(financials={2025: FiscalYear(2025, equity_financing=Decimal("350"))})
    no_hint = editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "自定评分", "variants": {},
        "scoring": {"pass_mark": "100", "dimensions": [{"code": "d", "name": "维度", "max": "10"}]},
        "criteria": [{"code": "fund", "role": "direct", "text": "股权融资", "conditions": [
            {"metric": "equity_financing", "label": "股权融资实缴额", "operator": ">=", "threshold": "500",
             "unit": "万元", "params": {}}]}]}]})[0]
    result, explanation = route_of(no_hint, short)
    assert result == NOT_MET and "；" not in explanation
    brand = editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "自定评分", "variants": {},
        "scoring": {"pass_mark": "100", "dimensions": [{"code": "d", "name": "维度", "max": "10"}],
                    "direct_hints": {"brand": "创建自主品牌即可直通{gap}"}},
        "criteria": [{"code": "brand", "role": "direct", "text": "自主品牌", "conditions": [
            {"metric": "own_brand", "label": "自主品牌"}]}]}]})[0]
    assert route_of(brand, Profile(own_brand=False))[1].endswith("；创建自主品牌即可直通")


# ---- Ranges against a threshold, product rules without products, a scored tier's rows ----------------

@pytest.mark.parametrize("lo, hi, op, thr, settled", [
    (5, 8, ">=", 5, True), (4, 8, ">=", 5, None), (1, 4, ">=", 5, False), (None, 8, ">=", 5, None),
    (5, None, ">", 4, True), (5, 8, ">", 5, None), (None, 4, ">", 5, False), (None, 9, ">", 5, None),
    (1, 5, "<=", 5, True), (1, 6, "<=", 5, None), (6, 9, "<=", 5, False), (6, None, "<", 5, False),
    (1, None, "<=", 5, None),
    (5, 5, "==", 5, True), (4, 6, "==", 5, None), (6, 9, "==", 5, False), (None, 4, "==", 5, False),
    (5, 5, "!=", 5, False), (4, 6, "!=", 5, None), (6, 9, "!=", 5, True), (None, 6, "!=", 5, None),
])
def test_a_range_meets_a_threshold_for_every_value_for_none_or_for_some(lo, hi, op, thr, settled):
    from criteria.engine import _settled
    assert _settled(lo, hi, op, Fraction(thr)) is settled


def test_a_product_rule_without_the_product_list_asks_for_it_and_keeps_its_threshold():
    edition = editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "产品标准", "variants": {},
        "criteria": [{"code": "P1", "text": "产品收入占比50%以上", "scope": "product", "conditions": [
            {"metric": "judgment", "label": "技术先进"},
            {"metric": "product_revenue_share", "label": "产品收入占比", "operator": ">=", "threshold": "50",
             "unit": "%"}]}]}]})[0]
    result = evaluate_tier(Profile(), edition, 2025)
    (variant,) = result.variants                  # no product list: the product rules stand as a variant
    assert (result.products, variant.variant, variant.verdict) == ([], "P", INCOMPLETE)
    (row,) = variant.criteria
    assert (row.code, row.text, row.result, row.threshold, row.unit, row.explanation) == (
        "P1", "产品收入占比50%以上", UNKNOWN, "50", "%", "未提供主导产品信息，无法按产品判断")


def test_a_scored_tier_reads_as_its_rules_and_indicators_then_its_direct_routes():
    edition = editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "自定评分", "variants": {},
        "scoring": {"pass_mark": "5", "dimensions": [{"code": "d", "name": "维度", "max": "10"}]},
        "criteria": [
            {"code": "R", "text": "注册在江苏",
             "conditions": [{"metric": "registered_in_province", "label": "注册地"}]},
            {"code": "x", "role": "indicator", "dimension": "d", "text": "人员", "max_points": "10", "bands": PEOPLE,
             "conditions": [{"metric": "employees", "label": "从业人员数", "unit": "人"}]},
            {"code": "D", "role": "direct", "text": "自主品牌", "conditions": [
                {"metric": "own_brand", "label": "自主品牌"}]}]}]})[0]
    firm = Profile(registered_province="江苏", own_brand=False, financials={2025: FiscalYear(2025, employees=70)})
    result = evaluate_tier(firm, edition, 2025)
    assert (result.verdict, result.route, result.products) == (ELIGIBLE, "score", [])
    main, direct = result.variants
    assert (main.variant, main.name, main.own, main.verdict) == ("", "自定评分", True, ELIGIBLE)
    assert [(c.code, c.text, c.result) for c in main.criteria] == [("R", "注册在江苏", MET), ("x", "人员", NOT_MET)]
    assert (direct.variant, direct.name, direct.own, direct.verdict) == ("D", "直通条件", False, NOT_ELIGIBLE)
    assert [(c.code, c.text, c.result, c.explanation) for c in direct.criteria] == [
        ("D", "自主品牌", NOT_MET, result.direct_routes[0].explanation)]
    assert result.direct_routes[0].explanation
    assert result.cheapest_pass == []
    # without the prerequisite the firm is out, whatever its points
    out = evaluate_tier(Profile(registered_province="浙江", own_brand=True,
                                financials={2025: FiscalYear(2025, employees=120)}), edition, 2025)
    assert (out.verdict, out.route) == (NOT_ELIGIBLE, None)
    # short of the mark, the cheapest way is offered unless it is not asked for
    short = Profile(registered_province="江苏", own_brand=False, financials={2025: FiscalYear(2025, employees=10)})
    assert [s.indicator for s in evaluate_tier(short, edition, 2025).cheapest_pass] == ["x"]
    from criteria.engine import evaluate_scored
    assert [s.indicator for s in evaluate_scored(short, edition, 2025).cheapest_pass] == ["x"]
    assert evaluate_scored(short, edition, 2025, steps=False).cheapest_pass == []


def test_a_scored_tiers_prerequisites_read_the_assessment_year_and_the_tiers_claims():
    edition = editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "自定评分", "variants": {},
        "scoring": {"pass_mark": "0", "dimensions": [{"code": "d", "name": "维度", "max": "10"}]},
        "criteria": [
            {"code": "R", "text": "营业收入", "conditions": [
                {"metric": "operating_revenue", "label": "营业收入", "operator": ">=", "threshold": "100"}]},
            {"code": "J", "text": "专注细分市场",
             "conditions": [{"metric": "judgment", "label": "专注细分市场"}]}]}]})[0]
    firm = Profile(financials={2025: FiscalYear(2025, operating_revenue=Decimal(150))},
                   claims=frozenset({"t.J"}))
    rows = evaluate_tier(firm, edition, 2025).variants[0].criteria
    assert [(r.code, r.result) for r in rows] == [("R", MET), ("J", NEEDS_REVIEW)]


def test_a_product_rule_that_staff_judge_keeps_no_unit_without_the_product_list():
    edition = editions_from_json({"editions": [{
        "tier": "t", "year": 2024, "name": "产品标准", "variants": {},
        "criteria": [{"code": "P2", "text": "技术先进", "scope": "product", "conditions": [
            {"metric": "judgment", "label": "技术先进"}]}]}]})[0]
    (row,) = evaluate_tier(Profile(), edition, 2025).variants[0].criteria
    assert (row.threshold, row.unit) == (None, "")


# ---- The words of a numeric rule: what a firm reads beside 符合 / 不符合 ----------------------------

def rule(metric, operator, threshold, label, unit, params=None):
    from criteria.engine import ConditionSpec, CriterionSpec

    return CriterionSpec(code="X1", text="", variant="", scope="firm", order=1, conditions=(
        ConditionSpec(group="a", label=label, metric=metric, operator=operator, threshold=threshold, unit=unit,
                      params=params or {}),))


def said(metric, operator, threshold, firm, label="营业收入", unit="万元", params=None):
    from criteria.engine import evaluate_criterion

    result = evaluate_criterion(rule(metric, operator, threshold, label, unit, params), firm, 2025, "t")
    return result.result, result.explanation


REVENUE = Profile(financials={2025: FiscalYear(2025, operating_revenue=Decimal("1800.50"))})


@pytest.mark.parametrize("operator, threshold, expected", [
    (">=", "1800.50", (MET, "营业收入1800.50万元，不低于1800.50万元")),
    (">=", "2000", (NOT_MET, "营业收入1800.50万元，低于2000万元，差199.50万元")),
    (">", "1800.50", (NOT_MET, "营业收入1800.50万元，未超过1800.50万元，差0.00万元")),
    ("<=", "1800", (NOT_MET, "营业收入1800.50万元，高于1800万元，差0.50万元")),
    ("<", "2000", (MET, "营业收入1800.50万元，低于2000万元")),
    ("==", "1800.50", (MET, "营业收入1800.50万元，符合要求（应为1800.50万元）")),
    ("==", "1000", (NOT_MET, "营业收入1800.50万元，不符合要求（应为1000万元）")),
    ("!=", "1800.50", (NOT_MET, "营业收入1800.50万元，等于1800.50万元")),
])
def test_a_money_rule_says_the_figure_the_threshold_in_words_and_the_shortfall(operator, threshold, expected):
    assert said("operating_revenue", operator, threshold, REVENUE) == expected


def ranked(*ranks):
    return Profile(products=tuple(Product(name=f"产品{i}", market_rank={} if r is None else {"domestic": r})
                                  for i, r in enumerate(ranks, 1)))


@pytest.mark.parametrize("operator, firm, expected", [
    ("<=", ranked(3, 7), (MET, "国内市场占有率第3位（产品1），在前3位以内")),
    ("<=", ranked(5), (NOT_MET, "国内市场占有率第5位（产品1），不在前3位以内，差2位")),
    ("<", ranked(3), (NOT_MET, "国内市场占有率第3位（产品1），不在前3（不含）位以内，差0位")),   # distance to the threshold
    ("<", ranked(2), (MET, "国内市场占有率第2位（产品1），在前3（不含）位以内")),
    (">=", ranked(5), (MET, "国内市场占有率5位（产品1），不低于3位")),
])
def test_a_rank_rule_reads_as_a_place_among_the_first_n(operator, firm, expected):
    assert said("market_rank", operator, "3", firm, label="国内市场占有率", unit="位",
                params={"scope": "domestic"}) == expected


def test_a_rank_known_only_at_best_says_what_is_missing_and_a_settled_one_says_it_does_not_matter():
    assert said("market_rank", "<=", "3", ranked(5, None), label="国内市场占有率", unit="位",
                params={"scope": "domestic"}) == (
        UNKNOWN, "国内市场占有率已知最好为第5位（产品1）；产品“产品2”未提供国内市场占有率排名，无法判断")
    assert said("market_rank", "<=", "3", ranked(2, None), label="国内市场占有率", unit="位",
                params={"scope": "domestic"}) == (
        MET, "国内市场占有率第2位（产品1），在前3位以内（产品“产品2”未提供国内市场占有率排名，不影响结论）")


@pytest.mark.parametrize("operator, threshold, gap", [("==", "1000", "800.50"), ("==", "2000", "199.50"),
                                                     ("<", "1000", "800.50"), ("<=", "1800", "0.50")])
def test_the_gap_of_an_exact_or_a_ceiling_rule_is_how_far_the_figure_is_from_it(operator, threshold, gap):
    from criteria.engine import evaluate_criterion

    result = evaluate_criterion(rule("operating_revenue", operator, threshold, "营业收入", "万元"), REVENUE, 2025, "t")
    assert (result.result, result.actual, result.threshold, result.gap) == (NOT_MET, "1800.50", threshold, gap)


@pytest.mark.parametrize("firm, expected", [
    (Profile(judgments={"t.X1": True}), (MET, "成长潜力：工作人员已认定符合")),
    (Profile(judgments={"t.X1": False}, claims=frozenset({"t.X1"})), (NOT_MET, "成长潜力：工作人员已认定不符合")),
    (Profile(claims=frozenset({"t.X1"})), (NEEDS_REVIEW, "成长潜力：企业自我声明符合，待工作人员审核")),
    (Profile(), (UNKNOWN, "成长潜力：需工作人员判断（企业未声明）")),
])
def test_a_judgment_says_who_decided_it_or_who_must(firm, expected):
    assert said("judgment", "", None, firm, label="成长潜力", unit="") == expected


def test_a_judgment_without_a_label_is_called_a_staff_judgment():
    assert said("judgment", "", None, Profile(), label="", unit="") == (
        UNKNOWN, "工作人员判断：需工作人员判断（企业未声明）")


@pytest.mark.parametrize("start, end, expected", [
    (date(2023, 11, 6), date(2026, 11, 5), (MET, "高新技术企业：是（证书有效期2023-11-06至2026-11-05，覆盖2025年）")),
    (date(2021, 3, 1), date(2024, 2, 28),
     (NOT_MET, "高新技术企业：否（证书有效期2021-03-01至2024-02-28，未覆盖2025年）")),
    (date(2023, 11, 6), None,
     (MET, "高新技术企业：是（证书有效期2023-11-06至2026-11-05，覆盖2025年；有效期止日按三年推算）")),
    (None, date(2026, 11, 5),
     (MET, "高新技术企业：是（证书有效期2023-11-06至2026-11-05，覆盖2025年；有效期起日按三年推算）")),
])
def test_a_high_tech_certificate_says_its_validity_and_which_end_was_reckoned(start, end, expected):
    firm = Profile(high_tech_certified=True, high_tech_valid_from=start, high_tech_valid_until=end)
    assert said("high_tech", "", None, firm, label="高新技术企业", unit="") == expected


def test_a_firm_silent_on_high_tech_is_asked_for_its_certificate():
    assert said("high_tech", "", None, Profile(), label="高新技术企业", unit="") == (
        UNKNOWN, "高新技术企业：未提供高新技术企业证书信息，无法判断")


def test_an_or_rule_met_by_a_staff_judgment_names_that_branch():
    from criteria.engine import ConditionSpec, CriterionSpec, evaluate_criterion

    crit = CriterionSpec(code="X1", text="", variant="", scope="firm", order=1, conditions=(
        ConditionSpec(group="a", label="营业收入", metric="operating_revenue", operator=">=", threshold="5000",
                      unit="万元"),
        ConditionSpec(group="a", label="经认定具有高成长潜力", metric="judgment")))
    result = evaluate_criterion(crit, Profile(judgments={"t.X1": True}, financials=REVENUE.financials), 2025, "t")
    assert (result.result, result.branch, result.explanation) == (MET, "经认定具有高成长潜力",
                                                                  "经认定具有高成长潜力：工作人员已认定符合")


@pytest.mark.parametrize("operator, threshold, expected", [(">", "400", MET), (">", "600", UNKNOWN),
                                                          (">=", "500", MET), ("<", "400", NOT_MET)])
def test_a_sum_open_above_is_decided_when_the_known_years_settle_it(operator, threshold, expected):
    firm = Profile(financials={2025: FiscalYear(2025, equity_financing=Decimal("500"))})
    result, text = said("figure_sum", operator, threshold, firm, label="股权融资", unit="万元",
                        params={"figure": "equity_financing", "window": 2, "missing": "open"})
    assert result == expected
    if expected != UNKNOWN:
        assert text.endswith("（缺少2024年财务数据，不影响结论）")
