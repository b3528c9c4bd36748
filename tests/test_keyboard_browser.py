"""Keyboard alone (issue 15 §4): "跳到主要内容" is the first stop of every page and shows when focused;
a firm declares and the town officer and staff approve using Tab, typing, arrows and Enter only, and
every control reached shows where the focus is."""
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from criteria.models import Declaration, Status
from enterprises.models import PoolStatus

from .criteria.test_declaration_browser import admission  # noqa: F401  (the fixture: an open admission round)

pytestmark = pytest.mark.browser

# What has the focus: its accessible name as a person would hear it (label, aria-label or text).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const labels = el.labels && el.labels.length ? [...el.labels].map((l) => l.textContent).join(" ") : "";
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), type: el.type || "",
          name: (el.getAttribute("aria-label") || labels || el.textContent || el.value || "").trim(),
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
          shadow: style.boxShadow !== "none"};
}"""


def tab_to(page, name, tag=None, most=120):
    """Press Tab until the focus is on a control whose name contains `name`; it must show its focus."""
    seen = []
    for _ in range(most):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and name in focused["name"] and (tag is None or focused["tag"] == tag):
            assert focused["outline"] or focused["shadow"], f"the focus on {name} does not show: {focused}"
            return focused
        seen.append(focused and focused["name"][:20])
    raise AssertionError(f"{name} is not reachable by Tab from {page.url}; reached: {seen}")


def enter_and_wait(page):
    """Press Enter on a link or a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def login_by_keyboard(page, live_server, username, password="pw-123456"):
    page.goto(live_server.url + reverse("login"))
    tab_to(page, "用户名", "input")
    page.keyboard.type(username)
    tab_to(page, "密码", "input")
    page.keyboard.type(password)
    enter_and_wait(page)


def logout_by_keyboard(page):
    tab_to(page, "退出", "button")
    enter_and_wait(page)


def test_the_skip_link_is_the_first_stop_and_shows_when_focused(page, live_server, alice, firm):
    page.goto(live_server.url + reverse("self_assessment"))
    skip = page.get_by_role("link", name="跳到主要内容")
    assert skip.bounding_box() is None or skip.bounding_box()["y"] < 0       # out of sight until focused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")                       # the next stop is inside the page, past the menu
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_a_firm_declares_and_the_town_and_staff_approve_by_keyboard_alone(page, live_server, admission, alice,  # noqa: F811
                                                                           dave, bob, firm):
    page.on("dialog", lambda dialog: dialog.accept())          # data-confirm: answered "OK" (Enter)
    login_by_keyboard(page, live_server, "alice")
    expect(page.get_by_role("heading", name=firm.name)).to_be_visible()
    tab_to(page, "开始填报", "button")
    enter_and_wait(page)
    expect(page.get_by_role("link", name="1. 基本信息")).to_be_visible()
    tab_to(page, "企业类别", "select")
    page.keyboard.press("ArrowDown")                           # the first category
    assert page.locator("#id_category").input_value() != ""
    tab_to(page, "保存并继续", "button")
    enter_and_wait(page)
    expect(page.locator(".alert-success")).to_contain_text("基本信息")
    tab_to(page, "7. 确认提交", "a")
    enter_and_wait(page)
    tab_to(page, "提交申报", "button")
    enter_and_wait(page)
    expect(page.locator(".alert-success")).to_contain_text("提交申报")
    declaration = Declaration.objects.get(enterprise=firm)
    assert declaration.status == Status.SUBMITTED
    logout_by_keyboard(page)

    for username, button in (("dave", "初审通过"), ("bob", "审核通过")):
        login_by_keyboard(page, live_server, username)
        page.goto(live_server.url + reverse("criteria:declaration_detail", args=[declaration.pk]))
        tab_to(page, button, "button")
        enter_and_wait(page)
        expect(page.locator(".alert-success")).to_be_visible()
        logout_by_keyboard(page)
    declaration.refresh_from_db()
    firm.refresh_from_db()
    assert declaration.status == Status.APPROVED
    assert firm.pool_status == PoolStatus.IN_POOL
