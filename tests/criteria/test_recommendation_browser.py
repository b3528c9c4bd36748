"""Recommendation lists in Chromium: staff generate the city_giant list, remove one firm with a note,
freeze, export the XLSX, mark one firm 已认定, and find the title on the firm's page; the list and
recognition pages fit a 390 px phone."""
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from criteria.models import Outcome, RecommendationList
from dashboards.demo import DEMO_PASSWORD
from enterprises import models as m

from ..factories import EnterpriseFactory
from ..test_browser import login
from ..test_phone_width import PHONE, assert_fits_a_phone
from .test_recommendation import CREDIT_OPEN, REVENUE_SHORT, Y, known

pytestmark = pytest.mark.browser


@pytest.fixture
def evaluated(published_editions, town, other_town):
    """Four firms whose stored city_giant results for Y are known."""
    firms = {"first": EnterpriseFactory(name="金湖精工阀门有限公司", town=town, pool_status="in_pool"),
             "second": EnterpriseFactory(name="金湖华瑞仪表有限公司", town=other_town),
             "open": EnterpriseFactory(name="金湖恒远新材料有限公司", town=town),
             "short": EnterpriseFactory(name="金湖德泰电子有限公司", town=other_town)}
    known(firms["first"])
    known(firms["second"])
    known(firms["open"], E2c=CREDIT_OPEN)
    known(firms["short"], E1a=REVENUE_SHORT)
    return firms


def row(page, name):
    return page.locator(f'#entries tr[data-firm="{name}"]')


def test_staff_generate_edit_freeze_export_and_record_a_title(page, live_server, bob, evaluated):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "bob")
    page.get_by_role("link", name="推荐名单").click()
    expect(page.get_by_role("heading", name="推荐名单")).to_be_visible()
    page.get_by_role("link", name="生成推荐名单").click()
    page.get_by_label("推荐层级").select_option("city_giant")
    page.get_by_label("评价年度").fill(str(Y))
    page.get_by_role("button", name="生成名单").click()
    expect(page.locator(".alert-success")).to_contain_text("已生成推荐名单，共4家企业")
    expect(page.locator("#entries tbody tr")).to_have_count(4)
    expect(page.locator("#entries tbody tr").first).to_contain_text("金湖精工阀门有限公司")
    expect(row(page, "金湖德泰电子有限公司")).to_contain_text("还差200.00万元")

    # remove one firm with a note
    entry = row(page, "金湖恒远新材料有限公司")
    entry.locator("summary", has_text="移出").click()
    entry.get_by_label("移出说明").fill("信用评价待更新，暂缓推荐")
    entry.get_by_role("button", name="确认移出").click()
    expect(page.locator(".alert-success")).to_contain_text("已将金湖恒远新材料有限公司移出名单")
    expect(page.locator("#entries tbody tr")).to_have_count(3)
    expect(page.locator("#removed-entries")).to_contain_text("信用评价待更新，暂缓推荐")

    # move the firm that misses one rule up, then freeze
    row(page, "金湖德泰电子有限公司").get_by_role("button", name="上移 金湖德泰电子有限公司").click()
    expect(page.locator("#entries tbody tr").nth(1)).to_contain_text("金湖德泰电子有限公司")
    page.get_by_role("button", name="定稿").click()
    expect(page.locator("#list-status")).to_have_text("已定稿")
    expect(page.get_by_role("button", name="确认移出")).to_have_count(0)

    # export the XLSX
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    with open(download.value.path(), "rb") as downloaded:
        sheet = load_workbook(BytesIO(downloaded.read())).active
    names = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["金湖精工阀门有限公司", "金湖德泰电子有限公司", "金湖华瑞仪表有限公司"]
    assert "统一社会信用代码" in [c.value for c in sheet[1]]

    # submit to the city, then record one firm 已认定
    page.get_by_label("报送日期").fill(f"{Y + 1}-03-20")
    page.get_by_label("报送文号").fill("金工信〔2025〕18号")
    page.get_by_role("button", name="报送上级：全部标记为已推荐").click()
    expect(page.locator(".alert-success")).to_contain_text("已将3家企业标记为已推荐")
    page.get_by_role("link", name="登记结果 金湖德泰电子有限公司").click()
    page.get_by_label("结果").select_option("recognised")
    page.get_by_label("日期").fill(f"{Y + 1}-08-28")
    page.get_by_label("文号").fill("淮工信〔2025〕56号")
    page.get_by_role("button", name="登记结果").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记金湖德泰电子有限公司为已认定")
    expect(row(page, "金湖德泰电子有限公司")).to_contain_text("已认定")
    entry = RecommendationList.objects.get().entries.get(enterprise=evaluated["short"])
    assert entry.outcome == Outcome.RECOGNISED and entry.recognition.year == Y + 1

    # the title is on the firm's page
    row(page, "金湖德泰电子有限公司").get_by_role("link", name="金湖德泰电子有限公司").click()
    expect(page.get_by_role("heading", name="金湖德泰电子有限公司")).to_be_visible()
    expect(page.get_by_text(f"{Y + 1}年 市级专精特新小巨人（市级）淮工信〔2025〕56号")).to_be_visible()

    # ... and in its 一企一册 dossier
    page.locator("#dossier-link").click()
    titles = page.locator("#dossier-recognition-table tr[data-kind='city_giant']")
    expect(titles).to_contain_text("淮工信〔2025〕56号")
    expect(titles).to_contain_text(str(Y + 1))


def test_the_list_and_recognition_pages_fit_a_phone(page, live_server, demo):
    page.set_viewport_size(PHONE)
    login(page, live_server, "staff", DEMO_PASSWORD)
    lst = RecommendationList.objects.get(tier="city_giant")
    entry = lst.entries.filter(outcome=Outcome.RECOMMENDED).first()
    recognition = m.Recognition.objects.first()
    for url in (reverse("criteria:recommendation_lists"), reverse("criteria:recommendation_detail", args=[lst.pk]),
                reverse("criteria:recommendation_print", args=[lst.pk]), reverse("criteria:recommendation_generate"),
                reverse("criteria:recommendation_entry_outcome", args=[entry.pk]),
                reverse("enterprises:recognition_list"), reverse("enterprises:recognition_create"),
                reverse("enterprises:recognition_update", args=[recognition.pk]),
                reverse("enterprises:recognition_import")):
        assert_fits_a_phone(page, live_server.url + url)
    page.goto(live_server.url + reverse("criteria:recommendation_detail", args=[lst.pk]))
    first = page.locator("#entries tbody tr").first
    expect(first.locator(".stack-title")).to_be_visible()
