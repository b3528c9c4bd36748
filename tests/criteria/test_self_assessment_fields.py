"""The self-assessment's fields one by one, as a finance officer filling the calculator meets them: what
each accepts, what it turns it into, and the exact Chinese message, at the exact path, when it refuses."""
from datetime import date
from decimal import Decimal

import pytest

from criteria.selfassess import SelfAssessmentError, flatten_errors, parse_body, validate_request


def errors_of(body):
    with pytest.raises(SelfAssessmentError) as caught:
        validate_request(body)
    return caught.value.errors


def product(**fields):
    return validate_request({"products": [{"name": "阀门", **fields}]})["products"][0]


# ---- 产品收入 by year -------------------------------------------------------------------------

def test_product_revenue_by_year_takes_four_digit_years_and_skips_blank_values():
    assert product(revenue={"2023": "9000.5", " 2022 ": 800, "2021": None, "2020": "  "})["revenue"] == {
        2023: Decimal("9000.5"), 2022: Decimal("800")}


@pytest.mark.parametrize("year", ["23", "20230", "２０２３", "abcd", "1899", "2101", "20.3"])
def test_a_product_revenue_year_that_is_not_a_year_is_refused_by_name(year):
    assert errors_of({"products": [{"name": "阀门", "revenue": {year: "1"}}]}) == {
        "products[0].revenue": [f"年度“{year}”无效，请填写1900—2100之间的年度。"]}


def test_product_revenue_must_be_an_object_of_non_negative_numbers_and_each_bad_year_is_named():
    assert errors_of({"products": [{"name": "阀门", "revenue": ["9000"]}]}) == {
        "products[0].revenue": ["应为 JSON 对象（{...}）。"]}
    assert errors_of({"products": [{"name": "阀门", "revenue": {"2023": "-1", "2022": "abc", "2021": "5"}}]}) == {
        "products[0].revenue.2023": ["不能为负数。"],
        "products[0].revenue.2022": ["请填写数字（可用字符串或数值，如 \"1200.50\"）。"]}
    too_many = {str(1950 + i): "1" for i in range(51)}
    assert errors_of({"products": [{"name": "阀门", "revenue": too_many}]}) == {
        "products[0].revenue": ["年度过多（最多50个）。"]}
    assert product(revenue={str(1950 + i): "1" for i in range(50)})["revenue"][1999] == Decimal(1)


# ---- 进入龙头企业供应链 ---------------------------------------------------------------------------

def test_the_leading_enterprise_supplied_is_a_name_or_yes_or_no():
    assert product(supplies_leading_enterprise="  中石化 ")["supplies_leading_enterprise"] == "中石化"
    assert product(supplies_leading_enterprise=True)["supplies_leading_enterprise"] is True
    assert product(supplies_leading_enterprise=False)["supplies_leading_enterprise"] is False
    assert product(supplies_leading_enterprise="甲" * 200)["supplies_leading_enterprise"] == "甲" * 200
    assert errors_of({"products": [{"name": "阀门", "supplies_leading_enterprise": "甲" * 201}]}) == {
        "products[0].supplies_leading_enterprise": ["不能超过200个字符。"]}
    assert errors_of({"products": [{"name": "阀门", "supplies_leading_enterprise": 3}]}) == {
        "products[0].supplies_leading_enterprise": ["请填写龙头企业名称，或 true/false。"]}
    assert errors_of({"products": [{"name": "阀门", "supplies_leading_enterprise": "中\x00石化"}]}) == {
        "products[0].supplies_leading_enterprise": ["包含无效字符。"]}


# ---- 市场占有率排名 -----------------------------------------------------------------------------

def test_market_ranks_are_whole_numbers_from_one_per_scope():
    assert product(market_rank={"province": "2", "domestic": 7, "global": None, })["market_rank"] == {
        "province": 2, "domestic": 7}
    assert errors_of({"products": [{"name": "阀门", "market_rank": {"province": 0, "global": "x"}}]}) == {
        "products[0].market_rank.province": ["排名应为1及以上的整数。"],
        "products[0].market_rank.global": ["请填写整数。"]}
    assert errors_of({"products": [{"name": "阀门", "market_rank": {"city": 1}}]}) == {
        "products[0].market_rank": ["“city”不是有效的排名范围，可选：province、domestic、global。"]}
    assert errors_of({"products": [{"name": "阀门", "market_rank": 3}]}) == {
        "products[0].market_rank": ["应为 JSON 对象（{...}）。"]}


# ---- Dates ------------------------------------------------------------------------------------

def test_a_date_may_carry_a_time_after_a_t_or_a_space_and_nothing_else():
    for text in ("2023-05-01", " 2023-05-01 ", "2023-05-01T08:00:00", "2023-05-01 08:00"):
        assert validate_request({"enterprise": {"founding_date": text}})["enterprise"]["founding_date"] == date(
            2023, 5, 1)
    for bad in ("2023-05-01X", "2023-05-011", "2023/05/01", "01-05-2023", 20230501):
        assert errors_of({"enterprise": {"founding_date": bad}}) == {
            "enterprise.founding_date": ["请填写日期，格式为 YYYY-MM-DD。"]}


def test_a_validity_that_ends_before_it_starts_is_refused_at_its_end():
    assert errors_of({"enterprise": {"high_tech_valid_from": "2023-05-01", "high_tech_valid_until": "2023-04-30"}}) == {
        "enterprise.high_tech_valid_until": ["有效期截止日期早于起始日期。"]}
    ok = validate_request({"enterprise": {"high_tech_valid_from": "2023-05-01", "high_tech_valid_until": "2023-05-01"}})
    assert ok["enterprise"]["high_tech_valid_until"] == date(2023, 5, 1)


# ---- Whole numbers, money, yes/no, text ---------------------------------------------------------

def test_counts_years_and_money_say_what_is_wrong():
    assert errors_of({"financials": [{"year": 2023, "employees": -1, "operating_revenue": "-5",
                                      "net_profit": "-5.5", "rd_staff": "1.5"}]}) == {
        "financials[0].employees": ["不能为负数。"], "financials[0].operating_revenue": ["不能为负数。"],
        "financials[0].rd_staff": ["请填写整数。"]}
    assert errors_of({"financials": [{"year": 1899}]}) == {"financials[0].year": ["请填写1900—2100之间的年度。"]}
    assert errors_of({"financials": [{"employees": 3}]}) == {"financials[0].year": ["该字段为必填项。"]}
    assert errors_of({"financials": [{"year": None}]}) == {"financials[0].year": ["不能为空（null）。"]}
    row = validate_request({"financials": [{"year": "2023", "employees": "12", "net_profit": "-5.5",
                                            "operating_revenue": ""}]})["financials"][0]
    assert (row["year"], row["employees"], row["net_profit"], row["operating_revenue"]) == (
        2023, 12, Decimal("-5.5"), None)


def test_a_year_given_twice_names_the_row_it_repeats():
    assert errors_of({"financials": [{"year": 2022}, {"year": 2023}, {"year": 2022}, {"year": 2023}]}) == {
        "financials[2].year": ["年度2022重复（与第1条相同）。"],
        "financials[3].year": ["年度2023重复（与第2条相同）。"]}


def test_lists_refuse_null_items_and_too_many_items():
    assert errors_of({"products": [None]}) == {"products[0]": ["不能为空（null）。"]}
    assert errors_of({"products": {"name": "阀门"}}) == {"products": ["应为列表（[...]）。"]}
    assert errors_of({"products": [{"name": str(i)} for i in range(101)]}) == {"products": ["最多100项。"]}
    assert errors_of({"tiers": ["county_pool"] * 21}) == {"tiers": ["最多20项。"]}
    assert errors_of({"tiers": "county_pool"}) == {"tiers": ["应为列表（[...]）。"]}
    assert errors_of({"products": ["阀门"]}) == {"products[0]": ["应为 JSON 对象（{...}）。"]}
    assert validate_request({"products": None, "tiers": None}) == {"products": None, "tiers": None}


def test_a_claim_names_a_tier_and_a_criterion():
    assert validate_request({"claims": [" county_pool.M3e ", "city_product.P1@阀门"]})["claims"] == [
        "county_pool.M3e", "city_product.P1@阀门"]
    for bad in ("county_pool", "county_pool.", "county_pool.@阀门", "county_pool." + "M" * 200):
        assert errors_of({"claims": [bad]}) == {"claims[0]": ["声明的格式应为“层级.条目代码”，如 county_pool.M3e。"]}
    assert errors_of({"claims": ["city.M1"]})["claims[0]"][0].startswith("“city”不是有效的层级，可选：county_pool、")
    assert errors_of({"claims": [None]}) == {"claims[0]": ["不能为空（null）。"]}
    assert errors_of({"claims": [1]}) == {"claims[0]": ["请填写文本。"]}


# ---- The body and the error paths -------------------------------------------------------------

def test_a_body_that_is_not_json_or_not_an_object_is_refused_as_a_whole():
    for raw in (b"{", b"\xff\xfe", b"NaN", b'{"a": Infinity}', "[" * 100000):
        with pytest.raises(SelfAssessmentError) as caught:
            parse_body(raw)
        assert caught.value.errors == {"body": ["请求体不是有效的 JSON。"]}
    assert parse_body(b'{"a": 1.10, "b": 2}') == {"a": Decimal("1.10"), "b": 2}
    assert parse_body('{"a": "金湖"}') == {"a": "金湖"}
    for not_object in ([], "x", 3, None):
        assert errors_of(not_object) == {"body": ["请求体必须是 JSON 对象（{...}）。"]}


def test_nested_errors_flatten_to_paths_a_form_can_show_beside_its_fields():
    detail = {"non_field_errors": ["整体错误"], "financials": {0: {"year": ["年度重复"]}, 2: {"employees": ["整数"]}},
              "products": [{}, {"name": ["太长"]}], "tiers": ["", "最多20项。"], "body": "坏"}
    assert flatten_errors(detail) == {"": ["整体错误"], "financials[0].year": ["年度重复"],
                                      "financials[2].employees": ["整数"], "products[1].name": ["太长"],
                                      "tiers": ["最多20项。"], "body": ["坏"]}
    assert flatten_errors({"a": ["x"]}, path="enterprise") == {"enterprise.a": ["x"]}
    assert flatten_errors({"甲" * 70: ["x"]}) == {"甲" * 60 + "…": ["x"]}
    assert flatten_errors([]) == {} and flatten_errors("") == {}


# ---- Limits exactly at their edge ---------------------------------------------------------------

def figure(value, name="operating_revenue"):
    return validate_request({"financials": [{"year": 2023, name: value}]})["financials"][0][name]


def test_money_is_read_up_to_sixty_characters_and_below_a_trillion():
    assert figure("0" * 59 + "1") == Decimal(1)
    assert errors_of({"financials": [{"year": 2023, "operating_revenue": "0" * 60 + "1"}]}) == {
        "financials[0].operating_revenue": ["数值过大（绝对值须小于1万亿）。"]}
    assert figure("999999999999.999999") == Decimal("999999999999.999999")
    for too_large in ("1000000000000", "-1000000000000"):
        assert errors_of({"financials": [{"year": 2023, "net_profit": too_large}]}) == {
            "financials[0].net_profit": ["数值过大（绝对值须小于1万亿）。"]}


def test_money_takes_six_decimal_places_and_zero_with_any():
    assert figure("1.000001") == Decimal("1.000001")
    assert figure("0.00000000") == 0
    for too_fine in ("1.0000000", "0.0000001"):
        assert errors_of({"financials": [{"year": 2023, "operating_revenue": too_fine}]}) == {
            "financials[0].operating_revenue": ["小数位数不能超过6位。"]}
    for not_a_number in ([1], {"v": 1}, True):
        assert errors_of({"financials": [{"year": 2023, "operating_revenue": not_a_number}]}) == {
            "financials[0].operating_revenue": ["请填写数字（可用字符串或数值，如 \"1200.50\"）。"]}


def test_the_industry_margin_runs_from_zero_to_a_hundred_percent_inclusive():
    for edge in ("0", "100"):
        assert validate_request({"enterprise": {"industry_average_margin": edge}})["enterprise"][
            "industry_average_margin"] == Decimal(edge)
    for outside in ("100.01", "-0.01"):
        assert errors_of({"enterprise": {"industry_average_margin": outside}}) == {
            "enterprise.industry_average_margin": ["利润率应在0—100（%）之间。"]}


@pytest.mark.parametrize("given, read", [(True, True), (False, False), (1, True), (0, False), ("是", True),
                                         ("否", False), (" Yes ", True), ("no", False), ("1", True), ("0", False)])
def test_yes_and_no_are_read_in_the_ways_a_form_sends_them(given, read):
    assert validate_request({"enterprise": {"own_brand": given}})["enterprise"]["own_brand"] is read


def test_text_is_refused_when_it_is_not_text_and_when_it_is_too_long():
    assert validate_request({"enterprise": {"registered_province": "江" * 20}})["enterprise"][
        "registered_province"] == "江" * 20
    assert errors_of({"enterprise": {"registered_province": "江" * 21}}) == {
        "enterprise.registered_province": ["不能超过20个字符。"]}
    for not_text in ([1], {"省": "江苏"}, True):
        assert errors_of({"enterprise": {"registered_province": not_text}}) == {
            "enterprise.registered_province": ["请填写文本。"]}
    assert validate_request({"enterprise": {"registered_province": 32}})["enterprise"]["registered_province"] == "32"


def test_a_date_followed_by_a_bare_t_is_still_the_date():
    assert validate_request({"enterprise": {"founding_date": "2023-05-01T"}})["enterprise"]["founding_date"] == date(
        2023, 5, 1)


def test_product_revenue_years_run_from_1900_to_2100_and_a_blank_year_skips_only_itself():
    assert product(revenue={"2020": "", "1900": "1", "2100": "2", "2021": None, "2022": "3"})["revenue"] == {
        1900: Decimal(1), 2100: Decimal(2), 2022: Decimal(3)}


def test_market_ranks_reach_a_million_and_a_blank_scope_skips_only_itself():
    assert product(market_rank={"province": "", "domestic": 1_000_000, "global": 5})["market_rank"] == {
        "domestic": 1_000_000, "global": 5}
    assert errors_of({"products": [{"name": "阀门", "market_rank": {"domestic": 1_000_001}}]}) == {
        "products[0].market_rank.domestic": ["排名应为1及以上的整数。"]}


def test_a_claim_is_split_at_its_first_dot_and_may_run_to_two_hundred_characters():
    assert validate_request({"claims": ["county_pool.M.1"]})["claims"] == ["county_pool.M.1"]
    longest = "county_pool." + "M" * 188
    assert validate_request({"claims": [longest]})["claims"] == [longest]
    assert errors_of({"claims": [longest + "M"]}) == {
        "claims[0]": ["声明的格式应为“层级.条目代码”，如 county_pool.M3e。"]}


# ---- From the request to the engine's firm ------------------------------------------------------

def engine_product(**fields):
    from criteria.profile_input import profile_from_request

    return profile_from_request(validate_request({"products": [fields]})).products[0]


def test_the_leading_enterprise_supplied_reaches_the_engine_as_yes_no_or_unknown():
    assert engine_product(name="阀门", supplies_leading_enterprise=" 中石化 ").supplies_leading_enterprise == "中石化"
    assert engine_product(name="阀门", supplies_leading_enterprise=True).supplies_leading_enterprise == "是"
    assert engine_product(name="阀门", supplies_leading_enterprise=False).supplies_leading_enterprise == ""
    # the field asks which leading enterprise the product goes to: left empty, it names none (the case
    # files' reading, 附件2 C3); only a product that leaves the key out is unknown
    for none in (None, "", "  "):
        assert engine_product(name="阀门", supplies_leading_enterprise=none).supplies_leading_enterprise == ""
    assert engine_product(name="阀门").supplies_leading_enterprise is None


def test_a_products_name_and_flags_reach_the_engine():
    p = engine_product(name="阀门", key_field=True, strategic_emerging=False)
    assert (p.name, p.key_field, p.strategic_emerging) == ("阀门", True, False)
    nameless = engine_product(strategic_emerging=True)
    assert (nameless.name, nameless.key_field, nameless.strategic_emerging) == ("", None, True)


def test_a_choice_may_differ_in_case_and_a_wrong_one_is_named_with_the_choices():
    for given, read in (("m", "M"), (" i ", "I"), ("M", "M")):
        assert validate_request({"enterprise": {"category": given}})["enterprise"]["category"] == read
    assert errors_of({"enterprise": {"category": "X"}}) == {"enterprise.category": ["“X”不是有效的取值，可选：M、I。"]}
    assert errors_of({"enterprise": {"category": 3}}) == {"enterprise.category": ["“3”不是有效的取值，可选：M、I。"]}
    assert errors_of({"enterprise": {"category": ["M"]}}) == {
        "enterprise.category": ["“list”不是有效的取值，可选：M、I。"]}
    assert errors_of({"ip": [{"type": "Invention"}]}) == {
        "ip[0].type": ["“Invention”不是有效的取值，可选：invention、utility、design、software、proprietary。"]}


def test_blank_figures_and_dates_given_to_the_engine_directly_are_unknown():
    # staff-side callers and the case files hand profile_from_request plain dicts, not validated data
    from datetime import datetime

    from criteria.profile_input import profile_from_request

    firm = profile_from_request({
        "enterprise": {"founding_date": "", "high_tech_valid_from": "2022-11-01T08:00:00",
                       "high_tech_valid_until": datetime(2025, 10, 31, 9, 0)},
        "financials": [{"year": 2023, "operating_revenue": "  ", "net_profit": "-5.5", "total_profit": "",
                        "employees": " ", "rd_staff": "12"}]})
    year = firm.financials[2023]
    assert (firm.founding_date, firm.high_tech_valid_from, firm.high_tech_valid_until) == (
        None, date(2022, 11, 1), date(2025, 10, 31))
    assert (year.operating_revenue, year.net_profit, year.total_profit, year.employees, year.rd_staff) == (
        None, Decimal("-5.5"), None, None, 12)


def test_every_field_of_a_full_request_reaches_the_engines_firm():
    from criteria.engine import (
        Award,
        BadRecord,
        Brand,
        Certification,
        Competition,
        Honour,
        InformationSystem,
        IPItem,
        Product,
        RDInstitution,
        Recognition,
        Standard,
    )
    from criteria.profile_input import profile_from_request

    body = {
        "enterprise": {"registered_province": "江苏", "independent_legal_person": True, "founding_date": "2015-06-01",
                       "category": "m", "industry_tags": ["高端装备", "新材料"], "years_in_niche": 6,
                       "years_in_field": 12, "years_with_new_product": 4, "high_tech_valid_from": "2022-11-01",
                       "high_tech_valid_until": "2025-10-31", "own_brand": False, "industry_average_margin": "6.5"},
        "products": [{"name": "精密阀门", "revenue": {"2023": "9000"}, "market_rank": {"domestic": 3},
                      "supplies_leading_enterprise": "中石化", "key_field": True, "strategic_emerging": False}],
        "ip": [{"type": "invention", "status": "granted", "product": "精密阀门", "high_value": True,
                "self_developed": False}, {"type": "utility", "product": ""}],
        "rd_institutions": [{"level": "province", "joint": True}, {}],
        "brands": [{"level": "city"}], "certifications": [{"kind": "management_system"}],
        "standards": [{"level": "industry", "role": "led"}], "information_systems": [{"kind": "erp"}],
        "competitions": [{"level": "national"}], "bad_records": [{"kind": "safety", "date": "2023-03-01"}],
        "recognitions": [{"tier": "city_giant", "year": 2022}],
        "awards": [{"kind": "science", "level": "province", "year": 2023}, {"level": "national"}],
        "honours": [{"kind": "ip_demo", "valid_until": "2026-12-31"}],
        "claims": ["county_pool.M3e"],
    }
    firm = profile_from_request(validate_request(body), {"T1": {"高端装备"}, "T2": {"生物医药"}})
    assert (firm.registered_province, firm.independent_legal_person, firm.founding_date, firm.category) == (
        "江苏", True, date(2015, 6, 1), "M")
    assert (firm.industry_tags, firm.taxonomies) == (frozenset({"高端装备", "新材料"}), frozenset({"T1"}))
    assert (firm.years_in_niche, firm.years_in_field, firm.years_with_new_product) == (6, 12, 4)
    assert (firm.high_tech_certified, firm.high_tech_valid_from, firm.high_tech_valid_until) == (
        None, date(2022, 11, 1), date(2025, 10, 31))
    assert (firm.own_brand, firm.industry_average_margin) == (False, Decimal("6.5"))
    assert firm.products == (Product("精密阀门", {2023: Decimal(9000)}, {"domestic": 3}, "中石化", True, False),)
    assert firm.ip == (IPItem("invention", "granted", "精密阀门", True, False), IPItem("utility", None, None))
    assert firm.rd_institutions == (RDInstitution("province", True), RDInstitution(None, None))
    assert (firm.brands, firm.certifications) == ((Brand("city"),), (Certification("management_system"),))
    assert (firm.standards, firm.information_systems) == ((Standard("industry", "led"),), (InformationSystem("ERP"),))
    assert firm.competitions == (Competition("national"),)
    assert firm.bad_records == (BadRecord("safety", date(2023, 3, 1)),)
    assert firm.recognitions == (Recognition("city_giant", 2022),)
    assert firm.awards == (Award("science", "province", 2023), Award("science", "national", None))
    assert firm.honours == (Honour("ip_demo", date(2026, 12, 31), None),)
    assert (firm.claims, firm.judgments) == (frozenset({"county_pool.M3e"}), {})


def test_lists_left_out_are_unknown_and_staff_judgments_pass_through():
    from criteria.profile_input import DEFAULT_TAXONOMIES, profile_from_request

    firm = profile_from_request({"enterprise": {"industry_tags": ["高端装备"]}, "products": None,
                                 "judgments": {"county_pool.M3e": 1, "county_pool.M3f": 0, "county_pool.X": None}})
    assert (firm.products, firm.ip, firm.awards, firm.honours, firm.bad_records) == (None,) * 5
    assert firm.judgments == {"county_pool.M3e": True, "county_pool.M3f": False}
    expected = frozenset(code for code, members in DEFAULT_TAXONOMIES.items() if "高端装备" in members)
    assert firm.taxonomies == expected and profile_from_request({}).industry_tags is None
    assert profile_from_request({"enterprise": {"industry_tags": ["高端装备"]}}, {}).taxonomies == frozenset()


def test_data_the_engine_cannot_score_is_one_message_about_the_whole_body(editions, monkeypatch, caplog):
    from criteria import engine
    from criteria.selfassess import run_self_assessment

    def overflows(*args, **kwargs):
        raise ArithmeticError("overflow")

    monkeypatch.setattr(engine, "evaluate_tier", overflows)
    with pytest.raises(SelfAssessmentError) as caught:
        run_self_assessment({"assessment_year": 2023})
    assert caught.value.errors == {"body": ["无法根据所填数据完成评估，请检查输入（ArithmeticError）。"]}
    (record,) = [r for r in caplog.records if r.name == "criteria.selfassess"]
    assert record.getMessage() == "self-assessment failed on input" and record.exc_info[0] is ArithmeticError


def test_the_calculator_reads_the_countys_own_industry_lists(editions):
    """A tag staff added to the 13 clusters counts for 省千企升级培育库 M1, as it does for stored firms."""
    from criteria.selfassess import run_self_assessment
    from enterprises.models import IndustryTag

    body = {"assessment_year": 2023, "tiers": ["province_pool"],
            "enterprise": {"category": "M", "industry_tags": ["金湖县新增集群产业"]}}

    def m1():
        tier = run_self_assessment(body)[0]["tiers"][0]
        return next(c["result"] for v in tier["variants"] for c in v["criteria"] if c["code"] == "M1")

    assert m1() == "not_met"
    IndustryTag.objects.create(taxonomy="cluster13", name="金湖县新增集群产业")
    assert m1() == "met"


def test_tiers_without_an_edition_for_the_year_are_named_together(editions):
    from criteria.selfassess import run_self_assessment

    with pytest.raises(SelfAssessmentError) as caught:
        run_self_assessment({"assessment_year": 2020, "tiers": ["county_pool", "city_giant"]})
    assert caught.value.errors == {"assessment_year": [
        "2020年没有已发布的认定标准：金湖县专精特新小巨人企业培育库、淮安市专精特新小巨人企业"
        "（2022年申报通知起评估2021年及以后的年度）。"]}
