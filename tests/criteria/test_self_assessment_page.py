"""The public self-assessment page in a real browser: fill it, submit, read the per-criterion table."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


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


def test_visitor_fills_the_calculator_and_reads_the_table(page, live_server, editions):
    page.set_viewport_size({"width": 390, "height": 844})      # a phone
    page.goto(f"{live_server.url}/self-assessment/")
    expect(page.get_by_role("heading", name=re.compile("政策计算器"))).to_be_visible()
    fill_the_calculator(page)
    expect(page.locator(".fy-year[data-offset='1']")).to_have_text("2022年")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="开始评估").click()

    card = page.locator("#tier-county_pool")
    expect(card).to_be_visible()
    expect(card).to_contain_text("金湖县专精特新小巨人企业培育库")
    m1 = card.locator("tr[data-code='M1']").first
    expect(m1).to_have_class(re.compile("result-met"))
    expect(m1).to_contain_text("符合")
    expect(m1).to_contain_text("11000.00")
    expect(card.locator("tr[data-code='M3e']").first).to_have_class(re.compile("result-needs_review"))
    expect(card.locator("tr[data-code='M3e']").first).to_contain_text("待审核")
    expect(card.locator("tr[data-code='I1']").first).to_contain_text("缺数据")
    expect(card.locator("tr[data-code='M3d']").first).to_have_class(re.compile("result-unknown"))
    expect(card.get_by_role("columnheader", name="差距").first).to_be_visible()
    # htmx replaced the results panel: same document, form values kept
    assert page.evaluate("window.__sameDocument === true")
    expect(page.get_by_label("主营业务收入（评估年度）")).to_have_value("11000")
    expect(page.locator(".tier-result")).to_have_count(1)


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
    expect(m1).to_contain_text("0.01")


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


def test_errors_are_shown_in_chinese(page, live_server, editions):
    page.goto(f"{live_server.url}/self-assessment/")
    page.get_by_label("评估年度", exact=True).fill("2019")
    page.get_by_role("button", name="开始评估").click()
    expect(page.locator("#assessment-results")).to_contain_text("2019年没有已发布的认定标准")
