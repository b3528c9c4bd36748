"""Every table fits a 390 px wide phone: it stacks its rows, fits its box, or scrolls inside a box
that says overflow-x auto; and the page itself never scrolls sideways."""
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from criteria.models import Declaration
from dashboards.demo import DEMO_PASSWORD
from enterprises.models import Enterprise

from .test_browser import login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# For each table: its id or class, how wide it is, how wide its box is, and whether the box scrolls.
TABLES_CUT_OFF = """() => {
  const cut = [];
  for (const table of document.querySelectorAll('main table')) {
    if (!table.offsetParent) continue;                       // hidden (a collapsed panel)
    const box = table.parentElement;
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
    const fits = table.getBoundingClientRect().width <= box.clientWidth + 1;
    const boxFits = box.getBoundingClientRect().right <= window.innerWidth + 1;
    if (!(fits || scrolls) || !boxFits) {
      cut.push(`${table.id || table.className}: ${Math.round(table.getBoundingClientRect().width)}px in ${box.clientWidth}px`);
    }
  }
  return cut;
}"""


def assert_fits_a_phone(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")              # the htmx panels of the firm page
    assert page.evaluate(TABLES_CUT_OFF) == [], url
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width}px wide"


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_the_demo_pages_of_staff_a_firm_and_a_town_officer_fit_a_phone(phone, live_server, demo):
    # one test, one seeded demo: seeding costs more than the three walks together
    login(phone, live_server, "staff", DEMO_PASSWORD)
    firm = Enterprise.objects.filter(fiscal_years__isnull=False, products__isnull=False).first()
    declaration = Declaration.objects.exclude(submitted_at=None).first()
    for url in (reverse("enterprises:list"), firm.get_absolute_url(), reverse("criteria:review_queue"),
                reverse("criteria:declaration_detail", args=[declaration.pk]), reverse("criteria:pool_roster"),
                reverse("criteria:round_list"), reverse("criteria:closest"), reverse("dashboards:overview")):
        assert_fits_a_phone(phone, live_server.url + url)

    # the firm list shows each firm as a labelled card
    phone.goto(live_server.url + reverse("enterprises:list"))
    first = phone.locator("table.table-stack tbody tr").first
    expect(first.locator("td.stack-title a")).to_be_visible()
    revenue = first.locator("td[data-label='最近年度营业收入（万元）']")
    expect(revenue).to_have_text(re.compile(r"^(\d{1,3}(,\d{3})*\.\d{2}|—)$"))
    assert phone.evaluate("getComputedStyle(document.querySelector('table.table-stack thead')).position") == \
        "absolute"                                        # the header row is for screen readers only
    phone.context.clear_cookies()

    # the firm's own pages: the yearly table scrolls inside its card
    login(phone, live_server, "firm", DEMO_PASSWORD)
    expect(phone.locator("#fiscal-years")).to_be_visible()
    assert_fits_a_phone(phone, phone.url)
    box = phone.locator("#fiscal-years").locator("xpath=..")
    assert box.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert_fits_a_phone(phone, live_server.url + reverse("criteria:round_list"))
    phone.context.clear_cookies()

    # the town officer's pages
    login(phone, live_server, "town", DEMO_PASSWORD)
    for url in (reverse("enterprises:list"), reverse("criteria:review_queue"), reverse("dashboards:overview")):
        assert_fits_a_phone(phone, live_server.url + url)

