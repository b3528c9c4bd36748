"""The public self-assessment page: its summary, its labels, and in a real browser: fill it, submit,
read the per-criterion table."""
import re

import pytest
from playwright.sync_api import expect

from criteria.engine import (
    ELIGIBLE,
    INCOMPLETE,
    MET,
    NEEDS_REVIEW,
    NOT_ELIGIBLE,
    NOT_MET,
    UNKNOWN,
    CriterionResult,
    ProductResult,
    TierResult,
    VariantResult,
)
from criteria.views.selfassess import AWAITING_JUDGMENT, row_status, summarize

PAGE = "/self-assessment/"
browser = pytest.mark.browser


def fill_the_calculator(page):
    page.get_by_label("评估年度", exact=True).fill("2023")
    page.get_by_label("企业类别").select_option(label="制造类")
    page.get_by_label("主营业务收入（评估年度）").fill("11000")
    page.get_by_label("营业收入（评估年度）", exact=True).fill("12000")
    page.get_by_label("产品1名称").fill("精密阀门")
    page.get_by_label("产品1省内市场占有率排名").fill("2")
    page.get_by_label("发明专利已授权数量").fill("1")
    page.get_by_label("研发机构最高级别").select_option(label="省级")
    page.get_by_label("近三年不良行为记录").select_option(label="无")
    page.locator("#div_id_tiers").get_by_label("金湖县专精特新小巨人企业培育库", exact=True).check()
    page.get_by_label(re.compile(r"^M3e ")).first.check()


@browser
def test_visitor_fills_the_calculator_and_reads_the_table(page, live_server, editions):
    page.set_viewport_size({"width": 390, "height": 844})      # a phone
    page.goto(f"{live_server.url}/self-assessment/")
    expect(page.get_by_role("heading", name=re.compile("政策计算器"))).to_be_visible()
    fill_the_calculator(page)
    expect(page.locator(".fy-year[data-offset='1']")).to_have_text("2022年")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="开始评估").click()

    summary = page.locator("#assessment-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("#summary-pending")).to_contain_text("金湖县专精特新小巨人企业培育库")
    card = page.locator("#tier-county_pool")
    expect(card).to_be_visible()
    expect(card).to_contain_text("金湖县专精特新小巨人企业培育库")
    m1 = card.locator("tr[data-code='M1']").first
    expect(m1).to_have_class(re.compile("result-met"))
    expect(m1).to_contain_text("符合")
    expect(m1).to_contain_text("11,000.00万元")
    expect(card.locator("tr[data-code='M3e']").first).to_have_class(re.compile("result-needs_review"))
    expect(card.locator("tr[data-code='M3e']").first).to_contain_text("待审核")
    expect(card.locator("tr[data-code='I1']").first).to_contain_text("待工作人员判断")
    expect(card.locator("tr[data-code='M3d']").first).to_contain_text("缺数据")
    expect(card.locator("tr[data-code='M3d']").first).to_have_class(re.compile("result-unknown"))
    expect(card.get_by_role("columnheader", name="差距").first).to_be_visible()
    # htmx replaced the results panel: same document, form values kept
    assert page.evaluate("window.__sameDocument === true")
    expect(page.get_by_label("主营业务收入（评估年度）")).to_have_value("11000")
    expect(page.locator(".tier-result")).to_have_count(1)


@browser
def test_a_shortfall_shows_its_gap(page, live_server, editions):
    page.goto(f"{live_server.url}/self-assessment/")
    page.get_by_label("评估年度", exact=True).fill("2023")
    page.get_by_label("主营业务收入（评估年度）").fill("1999.99")
    page.get_by_label("利润总额（评估年度）").fill("0")
    page.get_by_label("纳税总额（评估年度）").fill("0")
    page.locator("#div_id_tiers").get_by_label("金湖县专精特新小巨人企业培育库", exact=True).check()
    page.get_by_role("button", name="开始评估").click()
    m1 = page.locator("#tier-county_pool tr[data-code='M1']").first
    expect(m1).to_have_class(re.compile("result-not_met"))
    expect(m1).to_contain_text("不符合")
    expect(m1).to_contain_text("1,999.99万元")
    expect(m1.locator("td[data-label='差距']")).to_have_text("0.01万元")


@browser
def test_the_form_works_without_javascript(browser, live_server, editions):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/self-assessment/")
        fill_the_calculator(page)
        page.get_by_role("button", name="开始评估").click()
        m1 = page.locator("#tier-county_pool tr[data-code='M1']").first
        expect(m1).to_have_class(re.compile("result-met"))
        expect(page.get_by_label("产品1名称")).to_have_value("精密阀门")
    finally:
        context.close()


@browser
def test_errors_are_shown_in_chinese(page, live_server, editions):
    page.goto(f"{live_server.url}/self-assessment/")
    page.get_by_label("评估年度", exact=True).fill("2019")
    page.get_by_role("button", name="开始评估").click()
    expect(page.locator("#assessment-results")).to_contain_text("2019年没有已发布的认定标准")


# -- the summary that opens the answer, and the labels (no browser) ------------------------------

def _rule(code, result, gap=None, threshold=None, actual=None, unit="", explanation=""):
    return CriterionResult(code=code, text=f"{code}的条件", result=result, actual=actual, threshold=threshold,
                           unit=unit, gap=gap, explanation=explanation)


def _tier(tier, verdict, rules, products=()):
    variants = [VariantResult(variant="E", name="", own=True, verdict=verdict, criteria=rules)] if rules else []
    return TierResult(tier=tier, name=f"{tier}层级", edition_year=2022, notice="示范通知", verdict=verdict,
                      variants=variants, products=list(products))


RULES = {("near", "N2"): {"judgment": None, "metric": "main_business_revenue"},
         ("far", "F1"): {"judgment": None, "metric": "main_business_revenue"},
         ("far", "F2"): {"judgment": None, "metric": "ip_count"},
         ("far", "F3"): {"judgment": None, "metric": "debt_ratio"},
         ("pending", "P2"): {"judgment": "only", "metric": "judgment"},
         ("pending", "P3"): {"judgment": "some", "metric": "bad_record_count"}}


def test_the_summary_sorts_tiers_into_met_nearly_met_waiting_and_far():
    results = [
        _tier("done", ELIGIBLE, [_rule("D1", MET)]),
        _tier("near", NOT_ELIGIBLE, [_rule("N1", MET), _rule("N2", NOT_MET, "200.00", "5000", "4800.00", "万元"),
                                     _rule("N3", UNKNOWN, explanation="品牌：未提供品牌信息，无法判断")]),
        _tier("pending", INCOMPLETE, [_rule("P1", MET), _rule("P2", UNKNOWN, explanation="需工作人员判断（企业未声明）"),
                                      _rule("P3", UNKNOWN, explanation="记录：未提供，无法判断；管理规范：需工作人员判断"),
                                      _rule("P4", NEEDS_REVIEW)]),
        _tier("far", NOT_ELIGIBLE, [_rule("F1", NOT_MET, "3000", "10000", "7000", "万元"),
                                    _rule("F2", NOT_MET, "1", "2", "1", "项"), _rule("F3", NOT_MET, "5", "70", "75", "%")]),
    ]
    summary = summarize(results, RULES)
    assert [t["tier"] for t in summary["eligible"]] == ["done"]
    assert [t["tier"] for t in summary["near"]] == ["near"]
    assert [m["code"] for m in summary["near"][0]["missed"]] == ["N2"] and summary["near"][0]["no_data"] == 1
    assert [t["tier"] for t in summary["far"]] == ["far"]
    pending = summary["pending"][0]
    # P2 waits only on staff; P3 also lacks a record, so it is missing data; P4 (claimed) is neither
    assert (pending["tier"], pending["awaiting"], pending["no_data"], pending["met"], pending["total"]) == \
        ("pending", 1, 1, 1, 4)


def test_what_a_firm_lacks_most_is_the_kind_of_rule_missed_in_most_tiers_biggest_gap_first():
    results = [
        _tier("near", NOT_ELIGIBLE, [_rule("N2", NOT_MET, "200.00", "5000", "4800.00", "万元")]),
        _tier("far", NOT_ELIGIBLE, [_rule("F1", NOT_MET, "3000", "10000", "7000", "万元"),
                                    _rule("F2", NOT_MET, "1", "2", "1", "项"), _rule("F3", NOT_MET, "5", "70", "75", "%")]),
    ]
    lacking = summarize(results, RULES)["lacking"]
    assert lacking[0]["label"] == "主营业务收入"
    assert [m["code"] for m in lacking[0]["misses"]] == ["F1", "N2"]     # 3000 of 10000 before 200 of 5000
    assert [t["label"] for t in lacking[1:]] == ["知识产权数量", "资产负债率"]   # gap 1/2 before 5/70


def test_a_product_tier_counts_its_best_products_rules():
    product = ProductResult(name="阀门", verdict=NOT_ELIGIBLE, criteria=[_rule("P1", MET), _rule("P2", NOT_MET, "1", "2")])
    summary = summarize([_tier("product", NOT_ELIGIBLE, [], products=[product])], {})
    assert summary["near"][0]["total"] == 2 and [m["code"] for m in summary["near"][0]["missed"]] == ["P2"]


def test_an_open_judgment_rule_awaits_staff_and_a_rule_lacking_figures_lacks_data():
    assert row_status("pending", _rule("P2", UNKNOWN, explanation="需工作人员判断（企业未声明）"), RULES) == \
        AWAITING_JUDGMENT
    assert row_status("pending", _rule("P3", UNKNOWN, explanation="记录：未提供，无法判断；管理规范：需工作人员判断"),
                      RULES) == UNKNOWN
    assert row_status("pending", _rule("P3", UNKNOWN, explanation="记录0条，符合；管理规范：需工作人员判断"),
                      RULES) == AWAITING_JUDGMENT
    assert row_status("near", _rule("N2", NOT_MET), RULES) == NOT_MET


def _near_form(**extra):
    """A manufacturer short of 淮安市 小巨人's 5000万元 by 200 and missing IP tied to its product."""
    data = {"assessment_year": "2024", "category": "M", "p1_name": "精密阀门", "p1_rank_province": "2",
            "ip_invention_granted": "1", "rd_level": "province", "bad_records": "no",
            "tiers": ["county_pool", "city_giant"]}
    for offset, (main, revenue, profit, tax) in enumerate([("4800", "5200", "600", "300"), ("4300", "4700", "500", "260"),
                                                           ("3900", "4200", "420", "220")]):
        data.update({f"fy{offset}_main_business_revenue": main, f"fy{offset}_operating_revenue": revenue,
                     f"fy{offset}_total_profit": profit, f"fy{offset}_taxes_paid": tax})
    data.update(extra)
    return data


def test_the_page_opens_its_answer_with_the_summary(client, editions):
    html = client.post(PAGE, _near_form(), HTTP_HX_REQUEST="true").content.decode()
    assert html.index('id="assessment-summary"') < html.index('class="card mb-3 tier-result"')
    near = html.split('id="summary-near"')[1].split("</dd>")[0]
    assert "淮安市专精特新小巨人企业" in near and "E1a" in near and "差200.00万元" in near
    pending = html.split('id="summary-pending"')[1].split("</dd>")[0]
    assert "金湖县专精特新小巨人企业培育库" in pending and "待工作人员判断" in pending
    lacking = html.split('id="summary-lacking"')[1].split("</dd>")[0]
    assert "主营业务收入" in lacking and "实际4,800.00万元，要求5,000万元" in lacking
    assert "暂无符合全部条件的层级" in html.split('id="summary-eligible"')[1].split("</dd>")[0]


def test_the_page_labels_an_unclaimed_judgment_rule_as_awaiting_staff(client, editions):
    html = client.post(PAGE, _near_form(), HTTP_HX_REQUEST="true").content.decode()
    row = html.split('data-code="M3e" data-status="awaiting_judgment"')[1].split("</tr>")[0]
    assert "待工作人员判断" in row and "缺数据" not in row
    html = client.post(PAGE, _near_form(claims=["county_pool.M3e"]), HTTP_HX_REQUEST="true").content.decode()
    assert "待审核" in html.split('data-code="M3e"')[1].split("</tr>")[0]
    assert "未勾选的显示为“待工作人员判断”" in client.get(PAGE).content.decode()


def test_figures_in_the_table_carry_separators_and_units(client, editions):
    html = client.post(PAGE, _near_form(), HTTP_HX_REQUEST="true").content.decode()
    row = html.split('data-code="M1"')[1].split("</tr>")[0]
    assert "4,800.00万元" in row and "2,000万元" in row
    m4 = html.split('data-code="M4"')[1].split("</tr>")[0]
    assert re.search(r"\d+\.\d+%", m4)
