"""变更记录 (issue 8 §10): who changed what on a firm, its yearly figures and its records, with the old
and new values as the pages show them; read by everyone who reaches the firm, never another firm's."""
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises import models as m
from enterprises.importing import commit, parse_workbook
from enterprises.services import HISTORY_PAGE_SIZE, HISTORY_PANEL_LIMIT, change_history

from ..factories import (EnterpriseFactory, FiscalYearFactory, IPItemFactory, ProductFactory,
                         ProductRevenueFactory, RecognitionFactory, UserFactory)
from .test_import import row, xlsx


def history_text(client, firm):
    """The 变更记录 panel of the firm page as plain text, or None when the page has no panel."""
    html = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    match = re.search(r'id="change-history".*?</table>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))) if match else None


def edit_revenue(client, user, firm, year, value):
    record = m.FiscalYearRecord.objects.get(enterprise=firm, year=year)
    data = {f: getattr(record, f) for f in m.FiscalYearRecord.FIGURES if getattr(record, f) is not None}
    data.update(year=year, operating_revenue=value)
    client.force_login(user)
    response = client.post(reverse("enterprises:fiscal_year_update", args=[firm.pk, year]), data)
    assert response.status_code == 302, response.content.decode()


@pytest.fixture
def named_bob(bob):
    bob.first_name = "张建华"
    bob.save()
    return bob


def test_a_staff_edit_of_revenue_shows_the_old_and_new_amount_and_the_editors_name(client, named_bob, firm):
    FiscalYearFactory(enterprise=firm, year=2023, operating_revenue=Decimal("1000"),
                      main_business_revenue=Decimal("900"))
    edit_revenue(client, named_bob, firm, 2023, "1200.50")

    text = history_text(client, firm)
    assert "2023年度财务数据" in text
    assert "营业收入：1,000.00 → 1,200.50" in text
    assert "张建华" in text and " bob " not in text
    assert "operating_revenue" not in text


def test_choices_links_dates_and_yes_no_read_as_the_pages_show_them(client, bob, firm, other_town):
    firm = m.Enterprise.objects.get(pk=firm.pk)
    firm.town = other_town
    firm.category = m.Category.INNOVATION
    firm.founding_date = date(2015, 3, 9)
    firm.high_tech_certified = True
    firm.save()
    rows = change_history(firm)
    latest = {c["field"]: (c["old"], c["new"]) for c in rows[0]["changes"]}
    assert rows[0]["object"] == "企业信息"
    assert latest["所属镇（街道、开发区）"] == ("甲镇", "乙镇")
    assert latest["类别"] == (m.Category.MANUFACTURING.label, m.Category.INNOVATION.label)
    assert latest["成立日期"] == ("2012-05-01", "2015-03-09")
    assert latest["国家高新技术企业"] == ("—", "是")


def test_records_are_named_and_creations_and_deletions_shown_as_such(client, named_bob, firm):
    client.force_login(named_bob)
    product = ProductFactory(enterprise=firm, name="精密球阀")
    ip = IPItemFactory(enterprise=firm, title="一种密封结构", product=product)
    revenue = ProductRevenueFactory(product=product, year=2024, revenue=Decimal("1500"))
    RecognitionFactory(enterprise=firm)
    ip = m.IPItem.objects.get(pk=ip.pk)
    ip.status = m.IPStatus.APPLIED if ip.status != m.IPStatus.APPLIED else m.IPStatus.GRANTED
    ip.product = None
    ip.save()
    revenue.revenue = Decimal("1650.5")
    revenue.save()
    m.IPItem.objects.get(pk=ip.pk).delete()

    rows = change_history(firm)
    by_object = {}
    for r in rows:
        by_object.setdefault(r["object"], []).append(r)
    ip_rows = by_object["知识产权：一种密封结构"]
    assert [r["history_type"] for r in ip_rows] == ["-", "~", "+"]
    assert ip_rows[0]["type"] != ip_rows[1]["type"] != ip_rows[2]["type"]
    changed = {c["field"]: (c["old"], c["new"]) for c in ip_rows[1]["changes"]}
    assert changed["对应主导产品"] == ("精密球阀", "—")
    assert {c["field"] for c in ip_rows[2]["changes"]} >= {"名称", "对应主导产品"}
    assert by_object["产品销售收入：精密球阀 2024年"][0]["changes"] == [
        {"field": "产品销售收入", "old": "1,500.00", "new": "1,650.50"}]
    assert "主导产品：精密球阀" in by_object
    assert any(o.startswith("认定荣誉：") for o in by_object)

    text = history_text(client, firm)
    assert "知识产权：一种密封结构" in text and "产品销售收入：1,500.00 → 1,650.50" in text


def test_a_change_of_industry_tags_lists_the_tags_before_and_after(firm):
    a = m.IndustryTag.objects.create(taxonomy="county_leading", name="高端装备")
    b = m.IndustryTag.objects.create(taxonomy="county_leading", name="新材料")
    firm.industry_tags.add(a)
    firm.industry_tags.add(b)
    latest = change_history(firm)[0]
    assert {"field": "产业标签", "old": "高端装备", "new": "新材料、高端装备"} in latest["changes"] \
        or {"field": "产业标签", "old": "高端装备", "new": "高端装备、新材料"} in latest["changes"]


def test_an_imported_firm_year_edited_once_shows_the_imported_value_as_old(client, named_bob, firm):
    preview = parse_workbook(xlsx([row(firm, 2024, operating_revenue=2345.6, main_business_revenue=2000)]),
                             years=range(2000, 2026))
    assert not preview.errors
    commit(preview, named_bob)
    edit_revenue(client, named_bob, firm, 2024, "2500")

    text = history_text(client, firm)
    assert "营业收入：2,345.60 → 2,500.00" in text
    assert "Excel导入" in text                         # the import's row says where it came from


def test_a_demo_seeded_firms_first_edit_shows_an_old_value(client, named_bob, reference_data):
    from dashboards.demo import ARCHETYPES, DemoBuilder

    builder = DemoBuilder()
    national = next(a for a in ARCHETYPES if a.code == "national")
    firm = builder.enterprise(national, 0)               # one demo firm, as `build` makes 160
    builder.write_history()                              # as `build` does once the firms are made
    for model in (m.FiscalYearRecord, m.ProductRevenue, m.IPItem):
        path = "product__enterprise" if model is m.ProductRevenue else "enterprise"
        stored = model.objects.filter(**{path: firm})
        assert stored.exists()
        assert model.history.filter(id__in=stored.values("id"), history_type="+").count() == stored.count()

    record = m.FiscalYearRecord.objects.get(enterprise=firm, year=2025)
    edit_revenue(client, named_bob, firm, 2025, "99999")
    old = f"{record.operating_revenue:,.2f}"
    assert f"营业收入：{old} → 99,999.00" in history_text(client, firm)


# ---- who reads it -------------------------------------------------------------------------------

@pytest.fixture
def edited(named_bob, firm, other_firm):
    """A revenue edit on `firm` (dave's town, alice's firm) and a secret one on `other_firm`."""
    for f, value in ((firm, "1111"), (other_firm, "7777")):
        record = FiscalYearFactory(enterprise=f, year=2023, operating_revenue=Decimal("1000"))
        record.operating_revenue = Decimal(value)
        record._history_user = named_bob
        record.save()
    return firm


@pytest.mark.parametrize("who", ["alice", "dave", "bob", "carol", "erin", "root"])
def test_everyone_who_reaches_the_firm_reads_its_history_and_no_other_firms(client, request, edited, who):
    client.force_login(request.getfixturevalue(who))
    text = history_text(client, edited)
    assert text is not None, f"{who} sees no 变更记录"
    assert "营业收入：1,000.00 → 1,111.00" in text and "张建华" in text
    assert "7,777.00" not in text


@pytest.mark.parametrize("who", ["bob", "carol", "erin", "root"])
def test_staff_leaders_and_member_units_read_the_history_of_a_firm_of_any_town(client, request, edited,
                                                                            other_firm, who):
    client.force_login(request.getfixturevalue(who))
    text = history_text(client, other_firm)
    assert "营业收入：1,000.00 → 7,777.00" in text and "1,111.00" not in text


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_a_firm_user_or_town_officer_cannot_open_another_towns_firm_history(client, request, edited,
                                                                            other_firm, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("enterprises:detail", args=[other_firm.pk])).status_code == 404
    assert client.get(reverse("enterprises:history", args=[other_firm.pk])).status_code == 404


# ---- the panel keeps the newest; the history page has them all -----------------------------------

def test_the_panel_shows_the_newest_entries_and_the_history_page_pages_through_all(client, named_bob, firm):
    record = FiscalYearFactory(enterprise=firm, year=2023, operating_revenue=Decimal("1000"))
    total = HISTORY_PAGE_SIZE + 10
    for i in range(1, total):                           # the factory's creation is the first entry
        record.operating_revenue = Decimal(1000 + i)
        record._history_user = named_bob
        record.save()
    total += 1                                          # and the firm's own creation
    client.force_login(named_bob)
    html = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    panel = re.search(r'id="change-history".*?</table>', html, re.S).group(0)
    assert panel.count("<tr>") - 1 == HISTORY_PANEL_LIMIT
    assert f"1,{total - 2:03d}.00 → " not in panel and f"→ 1,{total - 2:03d}.00" in panel   # the newest
    assert reverse("enterprises:history", args=[firm.pk]) in html and "查看全部" in html

    url = reverse("enterprises:history", args=[firm.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert f"共 {total} 条" in first
    assert first.count("营业收入：") == HISTORY_PAGE_SIZE
    assert second.count("营业收入：") == total - HISTORY_PAGE_SIZE - 1      # the firm's creation has none
    assert "→ 1,001.00" in second and "→ 1,001.00" not in first


def test_a_firm_with_few_changes_shows_them_all_with_no_link_to_the_history_page(client, bob, firm):
    client.force_login(bob)
    html = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    assert "查看全部" not in html
    text = history_text(client, firm)
    assert "企业信息" in text and "企业名称：甲镇示范企业" in text      # its creation, with what it was created with


def test_a_deleted_users_and_an_anonymous_writers_changes_still_show(firm):
    ghost = UserFactory(username="ghost", first_name="离职人员")
    firm = m.Enterprise.objects.get(pk=firm.pk)
    firm.main_business = "阀门"
    firm._history_user = ghost
    firm.save()
    ghost.delete()
    firm = m.Enterprise.objects.get(pk=firm.pk)
    firm.contact_person = "王经理"
    firm.save()
    rows = change_history(firm)
    assert [c["field"] for c in rows[0]["changes"]] == ["联系人"] and rows[0]["who"] == ""
    assert [c["new"] for c in rows[1]["changes"]] == ["阀门"]
    other = EnterpriseFactory()
    assert all(r["object"] == "企业信息" for r in change_history(other))


def test_an_approved_declaration_shows_in_the_history_under_the_approvers_name(named_bob, firm):
    from criteria.admission import codec

    FiscalYearFactory(enterprise=firm, year=2024, operating_revenue=Decimal("3000"))
    m.IndustryTag.objects.create(taxonomy="county_leading", name="高端装备")
    data = {"enterprise": {"industry_tags": ["高端装备"]},
            "financials": [{"year": 2024, "operating_revenue": "3200.5"}]}
    codec.to_records(data, firm, named_bob, 2025)       # as the approval writes it, outside any request

    rows = [r for r in change_history(firm) if r["history_type"] == "~"]
    assert {r["who"] for r in rows} == {"张建华"}
    changes = [(r["object"], c["field"], c["old"], c["new"]) for r in rows for c in r["changes"]]
    assert ("2024年度财务数据", "营业收入", "3,000.00", "3,200.50") in changes
    assert ("企业信息", "产业标签", "—", "高端装备") in changes
