"""The leader's journey through the dashboard in Chromium: every target card and chart, another year,
a card's drill-down; screenshots at desktop and phone width under var/screenshots/."""
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from enterprises.models import IndustryTag, Level, RecognitionKind as K, Taxonomy

from .factories import EnterpriseFactory, PoolMembershipFactory, RecognitionFactory, TownFactory
from .test_browser import login

pytestmark = pytest.mark.browser

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def test_the_leader_reads_every_target_switches_the_year_and_drills_down_to_the_firms(
        page, live_server, carol, plan_targets):
    tags = [IndustryTag.objects.get_or_create(taxonomy=Taxonomy.COUNTY, name=n)[0] for n in ("高端装备", "新材料", "大健康")]
    towns = [TownFactory(name=n, code=f"D{i}", order=i) for i, n in enumerate(("黎城街道", "金南镇", "戴楼街道", "银涂镇"))]
    for i in range(24):
        firm = EnterpriseFactory(town=towns[i % 4], name=f"金湖{'阀门仪表新材医疗'[i % 4 * 2:i % 4 * 2 + 2]}示范企业{i + 1:02d}")
        firm.industry_tags.add(tags[i % 3])
        PoolMembershipFactory(enterprise=firm, admitted_on=date(2022 + i % 3, 4, 1))
        if i % 3 == 0:
            RecognitionFactory(enterprise=firm, kind=K.CITY_GIANT, level=Level.CITY, year=2023 if i < 12 else 2024)
        if i % 4 == 0:
            RecognitionFactory(enterprise=firm, kind=K.CITY_POOL, level=Level.CITY, year=2022)
        if i % 8 == 0:
            RecognitionFactory(enterprise=firm, kind=K.PROVINCE_GIANT, level=Level.PROVINCE, year=2024)
            RecognitionFactory(enterprise=firm, kind=K.PROVINCE_POOL, level=Level.PROVINCE, year=2023)
    RecognitionFactory(enterprise=firm, kind=K.NATIONAL_GIANT, level=Level.NATIONAL, year=2024)
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "carol")
    expect(page.get_by_role("heading", name="2024年目标进展")).to_be_visible()       # leaders land here
    expect(page.locator("article.target-card")).to_have_count(18)
    expect(page.locator("[data-sparkline] canvas")).to_have_count(18)
    for chart in ("#funnel-chart", "#towns-chart", "#industries-chart"):
        expect(page.locator(f"{chart} canvas")).to_have_count(1)
    city = page.locator('article[data-target="new_city_giants"]')
    expect(city.locator(".target-figure")).to_contain_text(re.compile(r"^\s*4\s*家"))
    expect(city).to_contain_text("未达下限")
    page.screenshot(path=str(SHOTS / "dashboard-desktop.png"), full_page=True)

    page.get_by_label("年度").select_option("2023")
    expect(page.get_by_role("heading", name="2023年目标进展")).to_be_visible()
    expect(city.locator(".target-figure")).to_contain_text(re.compile(r"^\s*4\s*家"))
    city.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/dashboards/targets/new_city_giants/\?year=2023$"))
    expect(page.locator("#target-rows tbody tr")).to_have_count(4)
    expect(page.get_by_role("link", name="金湖阀门示范企业01")).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dashboards/")
    expect(page.locator("[data-sparkline] canvas")).to_have_count(18)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    canvas_width = page.evaluate("document.querySelector('#towns-chart canvas').getBoundingClientRect().width")
    assert 200 < canvas_width <= 390
    page.screenshot(path=str(SHOTS / "dashboard-phone.png"), full_page=True)
