"""一企一册 in Chromium: a firm's dossier at desktop width and on a 390 px phone, with its sections,
its trend charts drawn by ECharts, and a recognition with kind, level, year and document."""
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from criteria import dossier
from enterprises import models as m

from ..factories import FiscalYearFactory, ProductFactory, RecognitionFactory
from ..test_browser import login

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def dossier_firm(firm, bob, published_editions):
    firm.tracking_officer = bob
    firm.liaison_officer = "李联络员"
    firm.save()
    for year, revenue in ((2022, "2600.00"), (2023, "3100.00"), (2024, "3650.50"), (2025, "4210.00")):
        FiscalYearFactory(enterprise=firm, year=year, operating_revenue=Decimal(revenue))
    ProductFactory(enterprise=firm, name="高压球阀")
    RecognitionFactory(enterprise=firm, kind=m.RecognitionKind.CITY_GIANT, level=m.Level.CITY, year=2025,
                       document="淮工信〔2025〕88号")
    return firm


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_staff_open_a_firms_dossier_and_find_every_section(page, live_server, dossier_firm, viewport):
    page.set_viewport_size(viewport)
    login(page, live_server, "bob")
    page.goto(live_server.url + reverse("enterprises:detail", args=[dossier_firm.pk]))
    page.locator("#dossier-link").click()
    expect(page.get_by_role("heading", name=dossier_firm.name)).to_be_visible()
    for key, label in dossier.SECTIONS:
        section = page.locator(f"#dossier-{key}")
        expect(section).to_have_count(1)
        expect(section.locator("h2")).to_contain_text(str(label))
    expect(page.locator("#tracking-officer")).not_to_have_text("—")
    expect(page.locator("#liaison-officer")).to_have_text("李联络员")
    expect(page.locator("#dossier-figures")).to_contain_text("4,210.00")
    # ECharts drew each trend chart into its box (a canvas), from the json_script data
    charts = page.locator('.dossier-chart[data-figure="operating_revenue"] canvas')
    expect(charts).to_have_count(1)
    assert page.locator(".dossier-chart canvas").count() >= 4
    recognition = page.locator('#dossier-recognition-table tr[data-kind="city_giant"]')
    for text in ("市级专精特新小巨人", "市级", "2025", "淮工信〔2025〕88号"):
        expect(recognition).to_contain_text(text)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the dossier is {width}px wide at {viewport['width']}px"
    page.screenshot(path=f"var/test-results/dossier-{viewport['width']}.png", full_page=True)


def test_printing_the_dossier_hides_the_navigation_and_starts_each_section_on_a_page(page, live_server,
                                                                                    dossier_firm):
    login(page, live_server, "bob")
    page.goto(live_server.url + reverse("dossier", args=[dossier_firm.pk]))
    page.emulate_media(media="print")
    assert page.locator("nav.portal-nav").is_hidden()
    assert page.locator(".dossier-toolbar").is_hidden()
    assert page.evaluate("getComputedStyle(document.querySelector('#dossier-figures')).breakBefore") == "page"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
