"""Declaration journeys in Chromium: register → declare with an upload → town pre-approves → staff
approve → the firm is in the pool; and the return path."""
import datetime
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from criteria.models import Declaration, Edition, Round, Status
from enterprises.models import Enterprise, PoolStatus

from ..factories import valid_uscc
from ..test_browser import login

pytestmark = pytest.mark.browser


@pytest.fixture
def admission(published_editions, bob):
    today = timezone.localdate()
    return Round.objects.create(title="县级培育库入库申报", kind="admission", tier="county_pool", year=2025,
                                opens_on=today - datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=20),
                                edition=Edition.objects.get(tier="county_pool", year=2022), created_by=bob)


def logout(page):
    page.get_by_role("button", name="退出").click()


def fill_and_submit(page, tmp_path):
    page.get_by_role("button", name="开始填报").click()
    expect(page.get_by_role("link", name="1. 基本信息")).to_be_visible()
    page.get_by_label("企业类别").select_option("M")
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator(".alert-success")).to_contain_text("基本信息")
    for i in range(3):
        page.locator(f"#id_fy-{i}-operating_revenue").fill("3200")
        page.locator(f"#id_fy-{i}-main_business_revenue").fill("2900")
        page.locator(f"#id_fy-{i}-total_profit").fill("260")
        page.locator(f"#id_fy-{i}-taxes_paid").fill("110")
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator("#score-panel")).to_contain_text("主营业务收入2,900.00万元")
    page.get_by_role("link", name="6. 申报材料").click()
    pdf = tmp_path / "营业执照.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% test\n")
    page.get_by_label("文件（pdf、jpg、png、xlsx、docx，20MB以内）").set_input_files(str(pdf))
    page.get_by_label("用途说明").fill("营业执照")
    page.get_by_role("button", name="上传").click()
    expect(page.locator("#attachments")).to_contain_text("营业执照.pdf")
    page.get_by_role("link", name="7. 确认提交").click()
    page.get_by_role("button", name="提交申报").click()
    expect(page.locator(".alert-success")).to_contain_text("提交申报")


def review(page, live_server, username, declaration, button, reason=None):
    login(page, live_server, username)
    page.goto(f"{live_server.url}/criteria/declarations/{declaration.pk}/")
    if reason:
        page.get_by_label("原因（退回、不予通过时必填）").fill(reason)
    page.get_by_role("button", name=button).click()
    expect(page.locator(".alert-success")).to_be_visible()
    logout(page)


def test_firm_registers_declares_and_enters_the_pool(page, live_server, admission, dave, bob, town, tmp_path,
                                                     settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    page.goto(f"{live_server.url}/enterprises/register/")
    page.locator("#id_username").fill("newfirm")
    page.locator("#id_password1").fill("Jinhu-2026-pass")
    page.locator("#id_password2").fill("Jinhu-2026-pass")
    page.locator("#id_uscc").fill(valid_uscc(777))
    page.locator("#id_firm_name").fill("金湖示范新注册有限公司")
    page.locator("#id_town").select_option(label=town.name)
    page.locator("#id_contact_person").fill("周经理")
    page.locator("#id_phone").fill("0517-86000000")
    page.get_by_role("button", name="提交注册").click()
    expect(page.get_by_role("heading", name="注册已提交")).to_be_visible()

    login(page, live_server, "dave")
    page.goto(f"{live_server.url}/enterprises/accounts/pending/")
    page.get_by_role("button", name="激活").first.click()
    expect(page.get_by_role("alert")).to_contain_text("已激活")
    logout(page)

    login(page, live_server, "newfirm", "Jinhu-2026-pass")
    expect(page.get_by_role("heading", name="金湖示范新注册有限公司")).to_be_visible()
    fill_and_submit(page, tmp_path)
    logout(page)

    declaration = Declaration.objects.get(enterprise__name="金湖示范新注册有限公司")
    assert declaration.status == Status.SUBMITTED
    review(page, live_server, "dave", declaration, "初审通过")
    review(page, live_server, "bob", declaration, "审核通过")
    assert Enterprise.objects.get(pk=declaration.enterprise_id).pool_status == PoolStatus.IN_POOL

    login(page, live_server, "bob")
    page.goto(f"{live_server.url}/criteria/pool/")
    expect(page.locator("#roster")).to_contain_text("金湖示范新注册有限公司")


def test_staff_return_with_a_reason_and_the_firm_corrects_and_resubmits(page, live_server, admission, alice, dave,
                                                                        bob, firm, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    login(page, live_server, "alice")
    fill_and_submit(page, tmp_path)
    logout(page)
    declaration = Declaration.objects.get(enterprise=firm)
    review(page, live_server, "dave", declaration, "初审通过")
    login(page, live_server, "bob")
    page.goto(f"{live_server.url}/criteria/declarations/{declaration.pk}/")
    page.get_by_label("原因（退回、不予通过时必填）").fill("请补充研发费用")
    page.get_by_label("年度数据").check()
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator("#declaration-status")).to_contain_text("已退回修改")
    logout(page)

    login(page, live_server, "alice")
    page.get_by_role("link", name="已退回修改").first.click()
    expect(page.locator("#return-reason")).to_contain_text("请补充研发费用")
    page.get_by_role("link", name="2. 年度数据").click()
    for i in range(3):
        page.locator(f"#id_fy-{i}-rd_expense").fill("95")
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_role("link", name="7. 确认提交").click()
    page.get_by_role("button", name="提交申报").click()
    expect(page.locator(".alert-success")).to_contain_text("提交申报")
    declaration.refresh_from_db()
    assert declaration.status == Status.SUBMITTED
    assert all(f.get("rd_expense") == "95" for f in declaration.snapshot["financials"])


def test_firm_adds_rows_for_several_brands_and_standards_and_they_reach_the_records(page, live_server, admission,
                                                                                   alice, dave, bob, firm):
    login(page, live_server, "alice")
    page.get_by_role("button", name="开始填报").click()
    page.get_by_role("link", name="4. 知识产权与其他").click()
    brands = page.locator("#records-brands")
    page.locator("button.add-row[data-prefix='brands']").click()
    page.locator("button.add-row[data-prefix='brands']").click()
    expect(brands.locator("tbody tr")).to_have_count(3)
    for i, (name, kind, level, year) in enumerate([("金湖阀门", "brand", "city", "2021"),
                                                    ("淮安市质量奖", "quality_award", "city", "2023"),
                                                    ("江苏精品阀门", "jiangsu_jingpin", "province", "2024")]):
        page.locator(f"#id_brands-{i}-name").fill(name)
        page.locator(f"#id_brands-{i}-kind").select_option(kind)
        page.locator(f"#id_brands-{i}-level").select_option(level)
        page.locator(f"#id_brands-{i}-year").fill(year)
    page.locator("button.add-row[data-prefix='standards']").click()
    for i, (name, code) in enumerate([("工业阀门 压力试验", "GB/T 13927-2022"), ("阀门密封", "JB/T 9092-2023")]):
        page.locator(f"#id_standards-{i}-name").fill(name)
        page.locator(f"#id_standards-{i}-code").fill(code)
        page.locator(f"#id_standards-{i}-level").select_option("industry")
        page.locator(f"#id_standards-{i}-role").select_option("led")
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator(".alert-success")).to_contain_text("知识产权与其他")
    page.get_by_role("link", name="4. 知识产权与其他").click()
    expect(page.locator("#id_brands-2-name")).to_have_value("江苏精品阀门")
    expect(page.locator("#id_standards-1-code")).to_have_value("JB/T 9092-2023")
    page.get_by_role("link", name="7. 确认提交").click()
    page.get_by_role("button", name="提交申报").click()
    expect(page.locator(".alert-success")).to_contain_text("提交申报")
    logout(page)
    declaration = Declaration.objects.get(enterprise=firm)
    review(page, live_server, "dave", declaration, "初审通过")
    review(page, live_server, "bob", declaration, "审核通过")
    assert sorted(firm.brands.values_list("name", "kind", "level", "year")) == [
        ("江苏精品阀门", "jiangsu_jingpin", "province", 2024), ("淮安市质量奖", "quality_award", "city", 2023),
        ("金湖阀门", "brand", "city", 2021)]
    assert sorted(firm.standards.values_list("code", flat=True)) == ["GB/T 13927-2022", "JB/T 9092-2023"]
