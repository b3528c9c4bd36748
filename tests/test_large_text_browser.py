"""长辈模式 in Chromium (issue 15 §5): the header's switch sets text and controls to 150 % of the base
size; the firm page and the dashboard stay usable at that size on a desktop, on a 390 px phone (no
sideways scroll but inside a table's own box) and at 200 % browser zoom (a 1280 px window at 200 % is
a 640 px wide page); axe-core finds nothing there either. Screenshots under var/screenshots/."""
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from dashboards.demo import DEMO_PASSWORD

from .test_accessibility_browser import axe_violations, report
from .test_browser import login
from .test_phone_width import TABLES_CUT_OFF

pytestmark = pytest.mark.browser

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
SIZES = {"1280": {"width": 1280, "height": 900}, "zoom200": {"width": 640, "height": 450},
         "390": {"width": 390, "height": 844}}


def switch_on(page):
    page.set_viewport_size(SIZES["1280"])
    switch = page.locator("#large-text-switch button")
    expect(switch).to_have_attribute("aria-pressed", "false")
    base = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    switch.click()
    expect(page.locator("#large-text-switch button")).to_have_attribute("aria-pressed", "true")
    return base


def check_sizes(page, live_server, url, name, base):
    problems = []
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")             # the htmx panels and the charts
        assert page.evaluate("document.documentElement.classList.contains('large-text')")
        body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        control = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main .btn, main input, "
                                "main select') || document.body).fontSize)")
        assert body >= 1.5 * base, f"{url}: body text {body}px, base {base}px"
        assert control >= 1.5 * base * 0.875, f"{url}: controls {control}px"      # .btn-sm is .875 of the text
        if size != "1280":
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > viewport["width"]:
                problems.append(f"{url} at {size}: the page is {width}px wide")
            problems += [f"{url} at {size}: table {cut}" for cut in page.evaluate(TABLES_CUT_OFF)]
        if size in ("1280", "390"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"large-text-{name}-{size}.png"), full_page=True)
        if size == "390":
            problems += report([(f"{url} at 390", v) for v in [axe_violations(page, live_server.url)] if v])
    return problems


def test_the_firm_page_and_the_leaders_dashboard_in_large_text_mode_which_is_remembered(page, live_server, demo):
    # one test, one seeded demo: seeding costs more than the two walks together
    login(page, live_server, "firm", DEMO_PASSWORD)
    firm_url = page.url.removeprefix(live_server.url)
    base = switch_on(page)
    problems = check_sizes(page, live_server, firm_url, "firm", base)
    page.context.clear_cookies()                  # another person, on another browser

    login(page, live_server, "leader", DEMO_PASSWORD)
    base = switch_on(page)
    page.get_by_role("button", name="退出").click()
    login(page, live_server, "leader", DEMO_PASSWORD)        # the stored choice comes back at login
    expect(page.locator("html")).to_have_class("large-text")
    problems += check_sizes(page, live_server, reverse("dashboards:overview"), "dashboard", base)
    assert not problems, "\n".join(problems)
