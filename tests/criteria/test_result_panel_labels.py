"""The firm page's result panel speaks to people: money with separators and units, and a rule only
staff can decide reads 待工作人员判断, not 缺数据."""
from decimal import Decimal

import pytest
from django.urls import reverse

from criteria import services
from criteria.models import StaffJudgment
from tests.factories import FiscalYearFactory, strong_county_firm

pytestmark = pytest.mark.django_db


def _panel(client, user, firm):
    client.force_login(user)
    return client.get(reverse("criteria:enterprise_results", args=[firm.pk]), HTTP_HX_REQUEST="true").content.decode()


def test_a_stored_judgment_rule_nobody_decided_reads_awaiting_staff(client, bob, published_editions, town):
    firm = strong_county_firm(town=town)
    StaffJudgment.objects.filter(enterprise=firm).delete()
    services.evaluate_all(2023, tiers=["county_pool"])
    html = _panel(client, bob, firm)
    row = html[html.index('data-code="M3e"'):]
    row = row[:row.index("</tr>")]
    assert "待工作人员判断" in row and "缺数据" not in row


def test_money_in_the_result_panel_has_thousands_separators_and_its_unit(client, bob, published_editions, town):
    firm = strong_county_firm(town=town)
    for fy in firm.fiscal_years.all():
        fy.main_business_revenue = Decimal("12345.67")
        fy.operating_revenue = Decimal("20000.00")
        fy.save()
    services.evaluate_all(2023, tiers=["county_pool"])
    html = _panel(client, bob, firm)
    assert "12,345.67万元" in html
    assert "2,000万元" in html or "2,000.00万元" in html


def test_the_live_panel_labels_an_undecided_judgment_rule_for_staff(client, alice, published_editions, firm):
    for year in (2020, 2021, 2022, 2023):
        FiscalYearFactory(enterprise=firm, year=year)
    html = _panel(client, alice, firm)
    row = html[html.index('data-code="M3e"'):]
    assert "待工作人员判断" in row[:row.index("</tr>")]
