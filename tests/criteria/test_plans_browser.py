"""Cultivation plans in Chromium: staff generate a plan from the firm page and mark an item done;
the firm logs in and reads its plan, read-only, on a wide screen and on a 390 px phone."""
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from criteria.admission.models import CultivationPlan, ItemStatus
from criteria.services import evaluate_all

from ..test_browser import login
from ..test_phone_width import PHONE, TABLES_CUT_OFF
from .test_plans import YEAR, strengthen

pytestmark = pytest.mark.browser


@pytest.fixture
def pool_firm(published_editions, firm, bob, alice):
    strengthen(firm, officer=bob)
    evaluate_all(YEAR)
    return firm


def logout(page):
    page.get_by_role("button", name="退出").click()


def test_staff_make_a_plan_and_the_firm_reads_it_on_a_desktop_and_a_phone(page, live_server, pool_firm):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "bob")
    page.goto(live_server.url + pool_firm.get_absolute_url())
    panel = page.locator("#plans-panel")
    expect(panel).to_contain_text("尚无培育计划")
    expect(panel.locator("#panel-tracking-officer")).to_have_text("bob")
    panel.get_by_label("目标层级").select_option("city_giant")
    panel.get_by_role("button", name="生成培育计划").click()
    expect(page.locator(".alert-success")).to_contain_text("已生成培育计划")
    items = page.locator("#plan-items")
    expect(items).to_contain_text("主营业务收入还差2,000.00万元")
    expect(items).to_contain_text("需工作人员认定：管理规范")

    row = items.locator("tr[data-code='E4']")
    row.get_by_placeholder("完成说明").fill("已完成内控制度建设")
    row.get_by_role("button", name="标记完成").click()
    expect(page.locator(".alert-success")).to_contain_text("已标记完成")
    expect(items.locator("tr[data-code='E4'] .item-status")).to_have_text("已完成")

    items.locator("tr[data-code='E1a']").get_by_role("link", name="编辑").click()      # htmx: the form opens in place
    expect(page.locator(".plan-item-form")).to_be_visible()
    page.locator(".plan-item-form").get_by_label("建议措施").fill("开拓华东市场，扩大主导产品销量")
    page.locator(".plan-item-form").get_by_role("button", name="保存").click()
    expect(items.locator("tr[data-code='E1a']")).to_contain_text("开拓华东市场")
    logout(page)

    plan = CultivationPlan.objects.get(enterprise=pool_firm)
    assert plan.items.get(code="E4").status == ItemStatus.DONE

    # the firm logs in, finds its plan on its own page and reads it
    login(page, live_server, "alice")
    expect(page.get_by_role("heading", name=pool_firm.name)).to_be_visible()
    page.locator("#plan-list").get_by_role("link", name="淮安市专精特新小巨人企业").click()
    expect(page.locator("#plan-items")).to_contain_text("主营业务收入还差2,000.00万元")
    expect(page.locator("#read-only-note")).to_be_visible()
    expect(page.get_by_role("button", name="标记完成")).to_have_count(0)
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)
    expect(page.locator("#items-progress")).to_have_text("1 / 6")

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#plan-items")).to_be_visible()
    assert page.evaluate(TABLES_CUT_OFF) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(live_server.url + reverse("criteria:plan_list"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_staff_pages_of_plans_fit_a_phone(page, live_server, pool_firm, bob):
    from criteria.admission.plans import generate_plan

    plan = generate_plan(pool_firm, "city_giant", user=bob)
    page.set_viewport_size(PHONE)
    login(page, live_server, "bob")
    for url in (reverse("criteria:plan_detail", args=[plan.pk]), reverse("criteria:plan_list"),
                reverse("criteria:my_firms"), pool_firm.get_absolute_url()):
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(TABLES_CUT_OFF) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
