"""What each product, title and register metric tells a firm, word for word: its value, the range a
missing record leaves open, and the Chinese reason when it cannot say. The case files reach these
metrics only through pass/fail verdicts; a firm reads the words."""
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from criteria.engine import Award, BadRecord, FiscalYear, Honour, IPItem, Product, Profile, Recognition, Standard
from criteria.metrics import Context, compute, high_tech_validity, shift_years

YEAR = 2024


def read(metric, profile, product=None, **params):
    mv = compute(metric, Context(profile=profile, year=YEAR, product=product), params)
    return mv.value, mv.bounds, mv.detail, mv.open, mv.missing, mv.absent


def firm(**kw):
    return Profile(**kw)


# ---- 进入龙头企业供应链 ------------------------------------------------------------------------

def test_one_product_in_a_leading_firms_supply_chain_is_enough_and_is_named():
    products = (Product("阀门", supplies_leading_enterprise=""), Product("泵", supplies_leading_enterprise="中石化"))
    assert read("supplies_leading_enterprise", firm(products=products)) == (True, None, "泵→中石化", "", "", False)


def test_products_all_outside_supply_chains_answer_no_and_silent_ones_leave_it_open():
    no = (Product("阀门", supplies_leading_enterprise=""), Product("泵", supplies_leading_enterprise="  "))
    assert read("supplies_leading_enterprise", firm(products=no)) == (False, None, "", "", "", False)
    silent = (Product("阀门", supplies_leading_enterprise=""), Product("泵"))
    assert read("supplies_leading_enterprise", firm(products=silent)) == (
        None, None, "", "", "产品“泵”未说明是否进入龙头企业供应链", False)
    assert read("supplies_leading_enterprise", firm()) == (None, None, "", "", "未提供主导产品信息", False)
    assert read("supplies_leading_enterprise", firm(products=())) == (False, None, "", "", "", False)


def test_one_product_judged_alone_answers_for_itself():
    pump = Product("泵", supplies_leading_enterprise="中石化")
    assert read("supplies_leading_enterprise", firm(), product=pump) == (True, None, "中石化", "", "", False)
    assert read("supplies_leading_enterprise", firm(), product=Product("阀", supplies_leading_enterprise="")) == (
        False, None, "", "", "", False)
    assert read("supplies_leading_enterprise", firm(), product=Product("阀")) == (
        None, None, "", "", "产品“阀”未说明是否进入龙头企业供应链", False)


# ---- 重点领域 ----------------------------------------------------------------------------------

def test_one_product_in_a_key_field_is_enough_and_unknown_ones_are_named():
    assert read("key_field", firm(products=(Product("阀", key_field=False), Product("泵", key_field=True))))[0] is True
    assert read("key_field", firm(products=(Product("阀", key_field=False), Product("泵", key_field=False)))) == (
        False, None, "", "", "", False)
    assert read("key_field", firm(products=(Product("阀", key_field=False), Product("泵")))) == (
        None, None, "", "", "产品“泵”未说明是否属于重点领域", False)
    assert read("key_field", firm()) == (None, None, "", "", "未提供主导产品信息", False)
    assert read("key_field", firm(products=())) == (False, None, "", "", "", False)


def test_a_key_field_product_judged_alone():
    assert read("key_field", firm(), product=Product("泵", key_field=True))[0] is True
    assert read("key_field", firm(), product=Product("泵", key_field=False))[0] is False
    assert read("key_field", firm(), product=Product("泵"))[4] == "产品“泵”未说明是否属于重点领域"


def test_more_than_five_silent_products_are_named_five_and_counted():
    products = tuple(Product(f"产品{i}") for i in range(1, 8))
    assert read("key_field", firm(products=products))[4] == (
        "产品“产品1”、“产品2”、“产品3”、“产品4”、“产品5”等7个未说明是否属于重点领域")
    five = tuple(Product(f"产品{i}") for i in range(1, 6))
    assert read("key_field", firm(products=five))[4] == (
        "产品“产品1”、“产品2”、“产品3”、“产品4”、“产品5”未说明是否属于重点领域")


# ---- 注册地 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("registered, met, shown", [
    ("江苏", True, "注册地江苏"), ("江苏省淮安市", True, "注册地江苏省淮安市"), ("  江苏省 ", True, "注册地江苏省"),
    ("浙江省", False, "注册地浙江省"), ("上海市江苏路", False, "注册地上海市江苏路"),
])
def test_the_registered_province_is_read_from_the_start_of_the_address(registered, met, shown):
    assert read("registered_in_province", firm(registered_province=registered)) == (met, None, shown, "", "", False)


def test_another_province_is_a_parameter_and_a_blank_address_is_unknown():
    assert read("registered_in_province", firm(registered_province="浙江省杭州市"), province="浙江")[0] is True
    assert read("registered_in_province", firm(registered_province="江苏省"), province="浙江")[0] is False
    for blank in (None, "", "   "):
        assert read("registered_in_province", firm(registered_province=blank)) == (
            None, None, "", "", "未提供注册地", False)


# ---- 已获认定 ----------------------------------------------------------------------------------

def test_titles_count_up_to_the_declaration_year_and_later_ones_are_said_not_to_count():
    titles = (Recognition("municipal", YEAR + 1), Recognition("municipal", YEAR - 3), Recognition("municipal", None),
              Recognition("municipal", YEAR + 2), Recognition("municipal", YEAR + 4), Recognition("provincial", YEAR))
    assert read("recognition_count", firm(recognitions=titles), tier="municipal") == (
        3, None, f"另有2项晚于{YEAR + 1}年获得，不计", "", "", False)
    assert read("recognition_count", firm(recognitions=titles)) == (
        4, None, f"另有2项晚于{YEAR + 1}年获得，不计", "", "", False)
    assert read("recognition_count", firm(recognitions=titles[:3]), tier="municipal")[:3] == (3, None, "")
    assert read("recognition_count", firm()) == (None, None, "", "", "未提供已获认定信息", False)


# ---- 科技奖励 ----------------------------------------------------------------------------------

def test_science_awards_count_from_the_province_up_within_three_years_by_default():
    awards = (Award(level="province", year=YEAR), Award(level="national", year=YEAR - 2),
              Award(level="province", year=YEAR - 3), Award(level="province", year=YEAR + 1),
              Award(level="city", year=YEAR), Award(level=None, year=YEAR),
              Award(kind="management", level="national", year=YEAR), Award(kind=None, level="province", year=YEAR - 1))
    assert read("award_count", firm(awards=awards)) == (3, None, "", "", "", False)


def test_the_award_floor_window_and_kinds_are_parameters():
    awards = (Award(level="city", year=YEAR), Award(level="province", year=YEAR - 4),
              Award(kind="management", level="national", year=YEAR))
    assert read("award_count", firm(awards=awards), min_level="city")[0] == 1
    assert read("award_count", firm(awards=awards), window=5)[0] == 1
    assert read("award_count", firm(awards=awards), window=5, min_level="national")[0] == 0
    assert read("award_count", firm(awards=awards), kinds=["management"])[0] == 1
    assert read("award_count", firm(awards=awards), kinds=["management", "science"], min_level="city")[0] == 2


def test_an_award_without_its_year_leaves_the_count_open_only_when_nothing_else_counts():
    undated = (Award(level="province"), Award(level="national"), Award(level="city"))
    assert read("award_count", firm(awards=undated)) == (0, (0, 2), "", "2项科技奖励未填写获奖年度", "", False)
    dated = undated + (Award(level="province", year=YEAR),)
    assert read("award_count", firm(awards=dated)) == (1, None, "", "", "", False)
    assert read("award_count", firm()) == (None, None, "", "", "未提供科技奖励信息", False)
    assert read("award_count", firm(awards=())) == (0, None, "", "", "", False)


# ---- 荣誉 --------------------------------------------------------------------------------------

def test_honours_count_when_valid_on_the_first_day_of_the_year_and_of_the_kinds_asked():
    honours = (Honour("ip_demo", date(YEAR, 1, 1)), Honour("ip_demo", date(YEAR - 1, 12, 31)),
               Honour("ip_advantage", date(YEAR + 2, 6, 30)), Honour("tech_innovation_demo", date(YEAR, 5, 1)))
    assert read("honour_count", firm(honours=honours), kinds=["ip_demo", "ip_advantage"]) == (
        2, None, "", "", "", False)
    assert read("honour_count", firm(honours=honours))[0] == 3


def test_an_honour_below_the_level_asked_does_not_count_and_one_without_a_level_does():
    honours = (Honour("ip_demo", date(YEAR, 6, 1), "city"), Honour("ip_demo", date(YEAR, 6, 1), "province"),
               Honour("ip_demo", date(YEAR, 6, 1)))
    assert read("honour_count", firm(honours=honours), min_level="province")[0] == 2
    assert read("honour_count", firm(honours=honours), min_level="national")[0] == 1
    assert read("honour_count", firm(honours=honours))[0] == 3


def test_an_honour_without_its_end_date_leaves_the_count_open_only_when_nothing_else_counts():
    open_ = (Honour("ip_demo"), Honour("ip_demo"), Honour("ip_advantage", None, "city"))
    assert read("honour_count", firm(honours=open_), min_level="province") == (
        0, (0, 2), "", "2项荣誉未填写有效期", "", False)
    assert read("honour_count", firm(honours=open_ + (Honour("ip_demo", date(YEAR, 3, 1)),)))[:2] == (1, None)
    assert read("honour_count", firm()) == (None, None, "", "", "未提供荣誉信息", False)


# ---- 不良记录 and standards: the lists counted by kind and level --------------------------------

def test_bad_records_count_within_the_window_of_their_kinds_and_undated_ones_leave_a_range():
    records = (BadRecord("credit", date(YEAR, 3, 1)), BadRecord("safety", date(YEAR - 2, 1, 1)),
               BadRecord("safety", date(YEAR - 3, 12, 31)), BadRecord("tax", date(YEAR, 1, 1)),
               BadRecord("environment", None), BadRecord("credit", date(YEAR + 1, 1, 1)))
    assert read("bad_record_count", firm(bad_records=records)) == (
        2, (2, 3), "", "1条不良行为记录缺少日期", "", False)
    assert read("bad_record_count", firm(bad_records=records), kinds=["credit"]) == (1, None, "", "", "", False)
    assert read("bad_record_count", firm(bad_records=records), kinds=["safety"], window=4)[0] == 2
    assert read("bad_record_count", firm()) == (None, None, "", "", "未提供不良行为记录信息", False)


def test_standards_count_from_the_level_asked_and_by_the_firms_role():
    standards = (Standard("national", "lead"), Standard("industry", "participant"), Standard("enterprise", "lead"),
                 Standard(None, "lead"))
    assert read("standard_count", firm(standards=standards))[0] == 4
    assert read("standard_count", firm(standards=standards), min_level="industry")[0] == 2
    assert read("standard_count", firm(standards=standards), min_level="industry", roles=["lead"])[0] == 1
    assert read("standard_count", firm(standards=standards), roles=["participant"])[0] == 1
    assert read("standard_count", firm())[4] == "未提供标准信息"


# ---- 战略性新兴产业产品 and the IP grade's details --------------------------------------------------

def test_one_strategic_emerging_product_is_enough_and_is_named():
    products = (Product("阀门", strategic_emerging=False), Product("芯片", strategic_emerging=True),
                Product("电池", strategic_emerging=True))
    assert read("strategic_emerging_product", firm(products=products)) == (
        True, None, "“芯片”属于战略性新兴产业", "", "", False)
    assert read("strategic_emerging_product", firm(products=products[:1])) == (False, None, "", "", "", False)
    assert read("strategic_emerging_product", firm(products=())) == (False, None, "未列主导产品", "", "", False)
    assert read("strategic_emerging_product", firm(products=(Product("阀门", strategic_emerging=False),
                                                             Product("泵")))) == (
        None, None, "", "", "产品“泵”未说明是否属于《战略性新兴产业分类》", False)
    assert read("strategic_emerging_product", firm()) == (None, None, "", "", "未提供主导产品信息", False)


def test_the_ip_grade_counts_second_class_types_as_the_edition_says():
    utility = (IPItem("utility", product="阀门"),)
    assert read("ip_grade", firm(ip=utility, products=(Product("阀门"),)))[:3] == (1, None, "Ⅱ类知识产权1项")
    assert read("ip_grade", firm(ip=utility, products=(Product("阀门"),)), class2=["design"])[:3] == (0, None, "")


def test_the_ip_grade_gives_every_reason_it_is_open():
    items = (IPItem("invention", status=None, product="阀门"),)
    assert read("ip_grade", firm(ip=items)) == (
        0, (0, 2), "", "有知识产权未注明状态；未提供主导产品信息，无法确认知识产权所注明的产品是否为主导产品",
        "", False)


def test_a_product_without_a_name_leaves_no_name_an_ip_item_could_match():
    items = (IPItem("invention", product="阀门"),)
    assert read("ip_grade", firm(ip=items, products=(Product(None), Product("  "))))[:3] == (
        0, None, "另有1项注明的产品不在主导产品名单中，不计")


def test_award_and_honour_levels_outside_the_known_ones_count_only_where_no_level_is_asked():
    awards = (Award(level=None, year=YEAR), Award(level="county", year=YEAR))
    assert read("award_count", firm(awards=awards), min_level="county")[0] == 1     # the one without a level is out
    assert read("award_count", firm(awards=awards), min_level="世界级")[0] == 2       # a floor nobody knows: all count
    odd = (Honour("ip_demo", date(YEAR, 6, 1), "district"), Honour("ip_demo", date(YEAR, 6, 1), "county"))
    assert read("honour_count", firm(honours=odd))[0] == 2
    assert read("honour_count", firm(honours=odd), min_level="county")[0] == 1
    # an honour of another kind listed first does not stop the count
    mixed = (Honour("tech_innovation_demo", date(YEAR, 6, 1)), Honour("ip_demo", date(YEAR, 6, 1)))
    assert read("honour_count", firm(honours=mixed), kinds=["ip_demo"])[0] == 1


# ---- 知识产权数量 and 市场占有率排名 in detail ----------------------------------------------------------

def test_ip_counted_by_type_and_status_with_the_unsure_ones_as_a_range():
    items = (IPItem("invention"), IPItem("invention", status="lapsed"), IPItem("invention", status="applied"),
             IPItem("utility"), IPItem("invention", status=None), IPItem("invention", status=None),
             IPItem("invention"))
    assert read("ip_count", firm(ip=items), types=["invention"]) == (
        2, (2, 4), "", "2项知识产权未注明状态", "", False)
    assert read("ip_count", firm(ip=items), types=["invention"], statuses=["granted", "applied", "lapsed"])[:2] == (
        3, (3, 5))
    assert read("ip_count", firm(ip=items[:4]))[:3] == (2, None, "")
    assert read("ip_count", firm()) == (None, None, "", "", "未提供知识产权信息", False)


def test_ip_tied_to_the_firms_products_counts_only_those_and_says_how_many_name_others():
    items = (IPItem("invention", product="阀门"), IPItem("invention", product="别的"),
             IPItem("invention", product="别的"),
             IPItem("invention", product=" "), IPItem("invention"), IPItem("invention", product="阀门"))
    listed = (Product("阀门"), Product(None))
    assert read("ip_count", firm(ip=items, products=listed), tied="any_product") == (
        2, None, "另有2项注明的产品不在企业主导产品名单中，不计", "", "", False)
    assert read("ip_count", firm(ip=items), tied="any_product") == (
        0, (0, 4), "", "未提供主导产品信息，无法确认4项知识产权所注明的产品是否为主导产品", "", False)
    both = items + (IPItem("invention", status=None, product="阀门"),)
    assert read("ip_count", firm(ip=both), tied="any_product")[3] == (
        "未提供主导产品信息，无法确认4项知识产权所注明的产品是否为主导产品；1项知识产权未注明状态")


def test_ip_tied_to_the_product_judged_counts_its_own_items_only():
    items = (IPItem("invention", product="阀门"), IPItem("invention", product="泵"),
             IPItem("invention", product="阀门"))
    valve = Product(" 阀门 ")
    assert compute("ip_count", Context(profile=firm(ip=items), year=YEAR, product=valve),
                   {"tied": "this_product"}).value == 2
    assert compute("ip_count", Context(profile=firm(ip=items), year=YEAR), {"tied": "this_product"}).value == 0


def test_market_rank_words_for_each_way_it_is_missing():
    assert read("market_rank", firm()) == (None, None, "", "", "未提供主导产品信息", False)
    assert read("market_rank", firm(products=())) == (None, None, "", "", "企业没有主导产品", True)
    silent = (Product("阀门"), Product("泵", market_rank={"province": 2}))
    assert read("market_rank", firm(products=silent)) == (
        None, None, "", "", "主导产品“阀门”、“泵”均未提供国内市场占有率排名", False)
    assert read("market_rank", firm(products=silent), scope="province") == (
        2, (1, 2), "泵", "产品“阀门”未提供省内市场占有率排名", "", False)
    assert read("market_rank", firm(products=silent), scope="county") == (
        None, None, "", "", "主导产品“阀门”、“泵”均未提供county市场占有率排名", False)
    pump = Product("泵", market_rank={"global": 9})
    assert compute("market_rank", Context(profile=firm(), year=YEAR, product=pump), {"scope": "global"}).value == 9
    assert compute("market_rank", Context(profile=firm(), year=YEAR, product=pump), {}).missing == (
        "产品“泵”未提供国内市场占有率排名")


# ---- Averages, growth, sums over years: their defaults and their words when a year is missing --------

def books(figure="operating_revenue", **by_year):
    return firm(financials={int(y[1:]): FiscalYear(int(y[1:]), **{figure: Decimal(v)}) for y, v in by_year.items()})


def test_average_growth_is_the_mean_of_yearly_rates_by_default_and_says_which_year_is_missing():
    firm_books = books(y2021="1000", y2022="1000", y2023="1210", y2024="1331")
    assert read("avg_growth", firm_books)[0] == Fraction(31, 3)        # (0 + 21 + 10) / 3
    assert read("avg_growth", firm_books, method="cagr")[0] == 10     # 1000 → 1331 in 3 years: 10 % a year
    gap = firm(financials={2022: FiscalYear(2022, operating_revenue=Decimal(0)),
                           2023: FiscalYear(2023, operating_revenue=Decimal(5)),
                           2024: FiscalYear(2024, operating_revenue=Decimal(6))})
    assert read("avg_growth", gap, window=2)[4] == "2022年营业收入为0，无法计算增长率"
    assert read("avg_growth", gap, window=2, method="cagr")[4] == "营业收入非正数，无法计算复合增长率"
    assert read("avg_growth", gap, window=3)[4] == "缺少2021年财务数据"
    assert read("avg_growth", gap, window=2, figure="net_profit")[4] == "缺少2022年净利润"


def test_average_ratios_are_the_mean_of_yearly_ratios_by_default_or_the_ratio_of_sums():
    f = firm(financials={2023: FiscalYear(2023, operating_revenue=Decimal(100), rd_expense=Decimal(10)),
                         2024: FiscalYear(2024, operating_revenue=Decimal(300), rd_expense=Decimal(6))})
    assert read("avg_rd_intensity", f, window=2)[0] == 6                       # (10 % + 2 %) / 2
    assert read("avg_rd_intensity", f, window=2, method="ratio_of_sums")[0] == 4   # 16 / 400
    zero = firm(financials={y: FiscalYear(y, operating_revenue=Decimal(0), rd_expense=Decimal(1))
                            for y in (2023, 2024)})
    assert read("avg_rd_intensity", zero, window=2, method="ratio_of_sums")[4] == (
        "2023–2024年营业收入合计为0，无法计算比例")
    assert read("avg_rd_intensity", f, window=3, method="ratio_of_sums")[4] == "缺少2022年财务数据"
    no_rd = firm(financials={y: FiscalYear(y, operating_revenue=Decimal(5)) for y in (2023, 2024)})
    assert read("avg_rd_intensity", no_rd, window=2, method="ratio_of_sums")[4] == "缺少2023年研发费用"


def test_a_sum_over_years_is_of_revenue_over_two_years_by_default():
    f = books(y2022="7", y2023="100", y2024="200")
    assert read("figure_sum", f)[0] == 300
    assert read("figure_sum", books(y2024="5"))[4] == "缺少2023年财务数据"
    equity = books("equity_financing", y2024="50")
    assert read("figure_sum", equity, figure="equity_financing", missing="open") == (
        50, (50, None), "", "缺少2023年财务数据", "", False)


def test_a_certificates_validity_is_three_years_from_either_end():
    assert high_tech_validity(date(2022, 11, 1), None) == (date(2022, 11, 1), date(2025, 10, 31))
    assert high_tech_validity(None, date(2025, 10, 31)) == (date(2022, 11, 1), date(2025, 10, 31))
    assert high_tech_validity(None, None) == (None, None)
    assert high_tech_validity(date(2021, 1, 1), date(2021, 6, 30)) == (date(2021, 1, 1), date(2021, 6, 30))
    assert high_tech_validity(date.min, None)[1] == date(3, 12, 31)
    assert high_tech_validity(None, date.max)[0] == date(9996, 12, 31)
    assert shift_years(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert shift_years(date(2, 5, 1), -3) == date.min and shift_years(date(9998, 5, 1), 3) == date.max


def test_a_firms_own_fields_say_which_is_missing():
    assert read("founding_year", firm())[4] == "未提供成立日期"
    assert read("in_taxonomy", firm(), taxonomy="cluster13")[4] == "未提供所属行业"
    assert read("industry_average_margin", firm())[4] == "未提供同期同行业企业利润率"


def test_titles_of_another_tier_listed_first_do_not_stop_the_count():
    titles = (Recognition("provincial", YEAR), Recognition("municipal", YEAR))
    assert read("recognition_count", firm(recognitions=titles), tier="municipal")[0] == 1


def test_a_date_moved_to_the_calendars_first_or_last_year_keeps_its_day():
    assert shift_years(date(4, 5, 1), -3) == date(1, 5, 1)
    assert shift_years(date(9996, 5, 1), 3) == date(9999, 5, 1)


# ---- Averages and shares: the reason a firm reads when a year or a figure is missing --------------

def accounts(**years):
    """A firm's books given as y2021={"operating_revenue": 100}, ...."""
    return firm(financials={int(k[1:]): FiscalYear(int(k[1:]), **v) for k, v in years.items()})


def test_an_average_growth_names_the_missing_year_or_figure_by_either_method():
    gap_year = accounts(y2021={"operating_revenue": 100}, y2022={"operating_revenue": 110},
                        y2024={"operating_revenue": 130})
    assert read("avg_growth", gap_year, window=3)[4] == "缺少2023年财务数据"
    no_figure = accounts(y2020={"operating_revenue": 90}, y2021={"operating_revenue": 100},
                      y2022={"operating_revenue": 110}, y2023={}, y2024={"operating_revenue": 130})
    assert read("avg_growth", no_figure, window=3)[4] == "缺少2023年营业收入"
    assert read("avg_growth", no_figure, window=3, method="cagr")[0] is not None
    assert read("avg_growth", gap_year, window=1, method="cagr")[4] == "缺少2023年财务数据"
    only_first = accounts(y2021={"operating_revenue": 100})
    assert read("avg_growth", only_first, window=3, method="cagr")[4] == "缺少2024年财务数据"


@pytest.mark.parametrize("first, last", [(0, 130), (1, 0), (Decimal("0.5"), 130)])
def test_a_compound_growth_from_or_to_nothing_cannot_be_reckoned(first, last):
    value, _b, _d, _o, missing, _a = read("avg_growth", accounts(y2021={"operating_revenue": first},
                                                             y2024={"operating_revenue": last}), method="cagr")
    if first > 0 and last > 0:
        assert value is not None and missing == ""
    else:
        assert (value, missing) == (None, "营业收入非正数，无法计算复合增长率")


def test_a_growth_of_a_figure_outside_the_list_is_named_by_its_code():
    assert read("avg_growth", accounts(y2024={}), figure="exports", window=1)[4] == "缺少2023年财务数据"
    assert read("avg_growth", accounts(y2023={"operating_revenue": 0}, y2024={"operating_revenue": 1}),
                window=1)[4] == "2023年营业收入为0，无法计算增长率"


def test_an_average_ratio_names_what_is_missing_and_a_zero_sum_over_the_whole_window():
    two = accounts(y2023={"operating_revenue": 100, "rd_expense": 4}, y2024={"operating_revenue": 200})
    assert read("avg_rd_intensity", two, window=2)[4] == "缺少2024年研发费用"
    assert read("avg_rd_intensity", two, window=2, method="ratio_of_sums")[4] == "缺少2024年研发费用"
    assert read("avg_rd_intensity", two, window=3, method="ratio_of_sums")[4] == "缺少2022年财务数据"
    zeros = accounts(y2022={"operating_revenue": 0, "rd_expense": 0}, y2023={"operating_revenue": 0, "rd_expense": 0},
                  y2024={"operating_revenue": 0, "rd_expense": 0})
    assert read("avg_rd_intensity", zeros, window=3, method="ratio_of_sums")[4] == \
        "2022–2024年营业收入合计为0，无法计算比例"
    mixed = accounts(y2023={"operating_revenue": 100, "rd_expense": 4},
                     y2024={"operating_revenue": 200, "rd_expense": 6})
    assert read("avg_rd_intensity", mixed, window=2)[0] == Fraction(7, 2)              # (4% + 3%) / 2
    assert read("avg_rd_intensity", mixed, window=2, method="ratio_of_sums")[0] == Fraction(10, 3)


def test_a_product_share_reads_operating_revenue_unless_told_and_names_what_is_missing():
    valve = Product("阀门", revenue={YEAR: 600})
    both = accounts(y2024={"operating_revenue": 1000, "main_business_revenue": 800})
    both = Profile(financials=both.financials, products=(valve,))
    assert read("product_revenue_share", both)[0] == 60
    assert read("product_revenue_share", both, denominator="main_business_revenue")[0] == 75
    assert read("product_revenue_share", firm())[4] == "未提供主导产品信息"
    assert read("product_revenue_share", Profile(products=(Product("泵"),)))[4] == "缺少产品“泵”2024年销售收入"
    assert read("product_revenue_share", Profile(products=(valve,)))[4] == "缺少2024年财务数据"
    zero = Profile(financials=accounts(y2024={"operating_revenue": 0}).financials, products=(valve,))
    assert read("product_revenue_share", zero)[4] == "2024年营业收入为0，无法计算比例"


# ---- Sums, counts and the firm's own fields: each reason said in full -----------------------------

def test_profit_plus_tax_names_the_missing_figure():
    assert read("profit_plus_tax", accounts(y2024={"taxes_paid": 10}))[4] == "缺少2024年利润总额"
    assert read("profit_plus_tax", accounts(y2024={"total_profit": 90}))[4] == "缺少2024年纳税总额"
    assert read("profit_plus_tax", accounts(y2024={"total_profit": 90, "taxes_paid": 10}))[0] == 100


def test_an_open_sum_lists_every_missing_year():
    one_year = accounts(y2024={"equity_financing": 500})
    value, bounds, _d, open_, _m, _a = read("figure_sum", one_year, figure="equity_financing", window=3,
                                             missing="open")
    assert (value, bounds, open_) == (500, (500, None), "缺少2022年财务数据；缺少2023年财务数据")


def test_a_count_of_certifications_or_systems_counts_each_record_of_the_kinds_asked():
    from criteria.engine import Certification, InformationSystem

    certs = firm(certifications=(Certification("management_system"), Certification("product"),
                                 Certification("management_system")))
    assert read("certification_count", certs)[0] == 3
    assert read("certification_count", certs, kinds=["management_system"])[0] == 2
    assert read("certification_count", firm(certifications=None))[4] == "未提供认证信息"
    systems = firm(information_systems=(InformationSystem("ERP"), InformationSystem("MES")))
    assert read("information_system_count", systems)[0] == 2
    assert read("information_system_count", firm(information_systems=None))[4] == "未提供信息系统信息"


def test_every_undated_bad_record_widens_the_count():
    recs = firm(bad_records=(BadRecord("environment"), BadRecord("environment"),
                             BadRecord("environment", date(2023, 5, 1))))
    value, bounds, _d, open_, _m, _a = read("bad_record_count", recs)
    assert (value, bounds, open_) == (1, (1, 3), "2条不良行为记录缺少日期")


@pytest.mark.parametrize("metric, what", [("own_brand", "是否拥有自主品牌"), ("years_in_niche", "从事细分市场年限")])
def test_a_field_the_firm_left_empty_is_asked_for_by_name(metric, what):
    assert read(metric, firm())[4] == f"未提供{what}"
