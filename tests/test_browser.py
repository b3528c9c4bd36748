"""Journeys through the real browser (Debian's Chromium driven by Playwright) against live_server."""
import re

import pytest
from playwright.sync_api import expect

from .factories import EnterpriseFactory, FiscalYearFactory

pytestmark = pytest.mark.browser


def login(page, live_server, username, password="pw-123456"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_staff_filters_by_town_and_reads_a_firms_yearly_figures(page, live_server, bob, town, other_town):
    firm = EnterpriseFactory(town=town, name="甲镇精密阀门有限公司")
    EnterpriseFactory(town=other_town, name="乙镇纺织有限公司")
    FiscalYearFactory(enterprise=firm, year=2023, operating_revenue="5432.10")
    login(page, live_server, "bob")
    expect(page.get_by_role("heading", name=re.compile("企业名录"))).to_be_visible()
    page.get_by_label("镇（街道、开发区）").select_option(label="甲镇")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("link", name="乙镇纺织有限公司")).to_have_count(0)
    page.get_by_role("link", name="甲镇精密阀门有限公司").click()
    expect(page.locator("#fiscal-years")).to_contain_text("5,432.10")
    expect(page.locator("#fiscal-years")).to_contain_text("2023")


def test_enterprise_user_lands_on_its_own_firm(page, live_server, alice, firm):
    login(page, live_server, "alice")
    expect(page.get_by_role("heading", name=firm.name)).to_be_visible()
