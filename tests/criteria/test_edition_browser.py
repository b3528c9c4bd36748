"""The edition editor in Chromium: staff clone the county edition, change M1's threshold and M3a's
yes/no condition (each saved once, each save succeeds), try the draft on the latest year with data,
see the firms that change, and publish."""
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from criteria.models import Edition, EditionStatus
from criteria.whatif import what_if
from dashboards.demo import DEMO_PASSWORD

from ..test_browser import login
from ..test_phone_width import PHONE, assert_fits_a_phone

pytestmark = pytest.mark.browser


def test_staff_clone_edit_try_and_publish_the_county_edition(page, live_server, demo):
    login(page, live_server, "staff", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/criteria/editions/")
    page.locator("#editions").get_by_role("link", name="金湖县专精特新小巨人企业培育库").click()
    page.get_by_role("button", name="复制为新版本").click()
    expect(page.get_by_role("alert")).to_contain_text("已复制为2023年草稿版本")
    expect(page.locator("#edition-status")).to_have_text("草稿")
    draft = Edition.objects.get(tier="county_pool", year=2023)

    # M1: raise the main-business-revenue threshold; the blank extra row stays blank
    page.get_by_role("link", name="编辑 M1", exact=True).click()
    expect(page.locator("#id_conditions-0-metric")).to_have_value("主营业务收入")
    expect(page.locator("#id_conditions-0-operator")).to_have_value("不低于（以上，含）")
    page.locator("#id_conditions-0-threshold").fill("2500")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("条目 M1 已保存")
    expect(page.locator("body")).to_contain_text("主营业务收入 不低于 2500万元")

    # M3a: a yes/no condition (no comparison, no threshold shown); rename it and add an or-branch
    page.get_by_role("link", name="编辑 M3a", exact=True).click()
    first = page.locator("fieldset.condition").nth(0)
    expect(first.locator("#id_conditions-0-metric")).to_have_value("国家高新技术企业")
    expect(first.locator("#id_conditions-0-threshold")).to_be_hidden()
    expect(first).to_contain_text("无需比较方式和阈值")
    page.locator("#id_conditions-0-label").fill("国家高新技术企业（证书在有效期内）")
    new = page.locator("fieldset.condition").nth(1)
    expect(new.locator("#id_conditions-1-param_min_level")).to_be_hidden()
    new.locator("#id_conditions-1-metric").select_option(label="研发机构数量")
    expect(new.locator("#id_conditions-1-label")).to_have_value("研发机构数量")
    expect(new.locator("#id_conditions-1-unit")).to_have_value("个")
    new.locator("#id_conditions-1-operator").select_option(label="不低于（以上，含）")
    new.locator("#id_conditions-1-threshold").fill("1")
    new.locator("#id_conditions-1-param_min_level").select_option(label="省级")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("条目 M3a 已保存")
    row = page.locator(f"#criterion-{draft.criteria.get(code='M3a').pk}")
    expect(row).to_contain_text("国家高新技术企业（证书在有效期内）：是")
    expect(row).to_contain_text("或 研发机构数量 不低于 1个（最低级别：省级）")

    m1, m3a = draft.criteria.get(code="M1"), draft.criteria.get(code="M3a")
    assert [k.threshold for k in m1.conditions.order_by("order")] == ["2500", "500"]
    assert [(k.metric, k.operator, k.threshold, k.params) for k in m3a.conditions.order_by("order")] == [
        ("high_tech", "", "", {}), ("rd_institution_count", ">=", "1", {"min_level": "province"})]

    # 试算对比: the latest year with data is chosen; the firms that change are listed in Chinese
    page.get_by_role("link", name="试算对比").click()
    expected = what_if(draft)
    assert expected.year == 2025 and expected.lost
    expect(page.locator("#id_year")).to_have_value("2025")
    expect(page.locator("#lost-count")).to_have_text(str(len(expected.lost)))
    expect(page.locator("#gained-count")).to_have_text(str(len(expected.gained)))
    for change in expected.lost:
        expect(page.locator("#lost")).to_contain_text(change.enterprise.name)
    expect(page.locator("#lost")).to_contain_text("M1（制造类）：符合 → 不符合")
    expect(page.locator("#by-tier")).to_contain_text("金湖县专精特新小巨人企业培育库")
    for town in expected.by_town:
        expect(page.locator("#by-town")).to_contain_text(town.name)
    page.locator("#id_year").select_option("2024")
    page.get_by_role("button", name="试算", exact=True).click()
    expect(page).to_have_url(re.compile(r"year=2024"))
    expect(page.locator("#id_year")).to_have_value("2024")
    expect(page.locator("#lost-count")).to_have_text(str(len(what_if(draft, 2024).lost)))

    # publish
    page.get_by_role("link", name="返回版本").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="发布").click()
    expect(page.locator("#edition-status")).to_have_text("已发布")
    draft.refresh_from_db()
    assert draft.status == EditionStatus.PUBLISHED


def test_the_edition_pages_fit_a_phone(page, live_server, demo):
    page.set_viewport_size(PHONE)
    county = Edition.objects.get(tier="county_pool", year=2022)
    draft = county.clone(2023)
    national = Edition.objects.get(tier="national_giant", year=2022).clone(2023)
    login(page, live_server, "staff", DEMO_PASSWORD)
    urls = [reverse("criteria:edition_list"), reverse("criteria:edition_detail", args=[county.pk]),
            reverse("criteria:edition_detail", args=[draft.pk]), reverse("criteria:edition_whatif", args=[draft.pk])]
    urls += [reverse("criteria:criterion_edit", args=[c.pk]) for c in
             (draft.criteria.get(code="M1"), draft.criteria.get(code="M3a"), national.criteria.get(code="N9"))]
    for url in urls:
        assert_fits_a_phone(page, live_server.url + url)
