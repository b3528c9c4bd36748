"""A request followed to closure in the real browser: the firm files, staff route, the unit answers, the
firm confirms, and the page shows it closed with its whole history (at a phone's 390 px too)."""
import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .test_browser import login

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def test_a_request_goes_from_the_firm_to_the_unit_and_back_to_closed(page, live_server, alice, bob, erin, firm):
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/services/requests/new/")
    page.get_by_label("诉求类别").select_option(label="融资")
    page.get_by_label("诉求内容").fill("申请技改项目贷款贴息")
    page.get_by_role("button", name="提交诉求").click()
    expect(page.locator("#request-status")).to_have_text("待分办")
    detail = page.url

    page.context.clear_cookies()
    login(page, live_server, "bob")
    page.goto(detail)
    page.locator("#id_route-unit").select_option(label="县科技局")
    page.locator("#id_route-due_date").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="分办").click()
    expect(page.locator("#request-status")).to_have_text("办理中")

    page.context.clear_cookies()
    login(page, live_server, "erin")
    page.goto(detail)
    page.locator("#id_answer-answer").fill("已对接合作银行，贴息材料已受理")
    page.get_by_role("button", name="答复").click()
    expect(page.locator("#request-status")).to_have_text("已答复待确认")

    page.context.clear_cookies()
    login(page, live_server, "alice")
    page.goto(detail)
    page.locator("summary", has_text="确认办结").click()
    page.get_by_role("button", name="确认办结").click()
    expect(page.locator("#request-status")).to_have_text("已办结")
    history = page.locator("#history")
    for step in ("提交诉求", "分办", "答复", "确认办结"):
        expect(history).to_contain_text(step)
    expect(history).to_contain_text("县科技局")
    expect(page.locator("#answer")).to_contain_text("贴息材料已受理")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "services-request-closed-390.png"), full_page=True)
