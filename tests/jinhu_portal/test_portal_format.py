"""One way to show figures and people on every page (jinhu_portal/templatetags/portal_format.py)."""
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from enterprises.models import Enterprise, FiscalYearRecord
from enterprises.services import assign_role, change_history, enterprise_list_queryset
from enterprises.tables import EnterpriseTable
from jinhu_portal.roles import Role
from jinhu_portal.templatetags.portal_format import (
    format_measure,
    format_money,
    format_number,
    format_percent,
    person_name,
)

from ..factories import FiscalYearFactory, UserFactory


@pytest.mark.parametrize("value, shown", [
    (Decimal("1234.5"), "1,234.50"), ("11000", "11,000.00"), (1234567.891, "1,234,567.89"),
    (Decimal("-6.315"), "-6.32"), (Decimal("-0.001"), "0.00"), (None, "—"), ("", "—"), ("是", "是"),
])
def test_money_has_two_decimals_and_thousands_separators(value, shown):
    assert format_money(value) == shown


@pytest.mark.parametrize("value, places, shown", [
    ("11000.00", None, "11,000.00"), (1234, None, "1,234"), ("2000", None, "2,000"), ("1E+3", None, "1,000"),
    (Decimal("3.14159"), 1, "3.1"), (None, None, "—"),
])
def test_numbers_keep_their_own_decimals_unless_told(value, places, shown):
    assert format_number(value, places) == shown


def test_percentages_carry_the_percent_sign():
    assert format_percent("12.345") == "12.3%"
    assert format_percent(Decimal("87.86"), 2) == "87.86%"
    assert format_percent(None) == "—"


def test_a_measure_shows_its_unit_after_the_figure():
    assert format_measure("11000.00", "万元") == "11,000.00万元"
    assert format_measure("2.50", "%") == "2.50%"
    assert format_measure("3", "项") == "3项"
    assert format_measure(None, "万元") == "—"


def test_the_template_filters_use_the_same_functions():
    html = Template("{% load portal_format %}{{ a|wan }} {{ b|num }} {{ c|pct }} {{ d|measure:'万元' }}").render(
        Context({"a": Decimal("1234567.8"), "b": 12345, "c": "40", "d": "2000"}))
    assert html == "1,234,567.80 12,345 40.0% 2,000万元"


def test_a_person_is_shown_by_full_name_and_by_login_only_without_one(db):
    assert person_name(UserFactory(username="wang", first_name="王工")) == "王工"
    assert person_name(UserFactory(username="li")) == "li"
    assert person_name(None) == ""


def test_the_firm_list_heads_its_money_column_with_the_unit_and_separates_thousands(rf, bob, firm):
    FiscalYearFactory(enterprise=firm, year=2023, operating_revenue="12345.6")
    request = rf.get("/")
    request.user = bob
    table = EnterpriseTable(enterprise_list_queryset(bob))
    html = table.as_html(request)
    assert "最近年度营业收入（万元）" in html
    assert "12,345.60" in html
    assert 'data-label="最近年度营业收入（万元）"' in html      # the label a phone shows beside the figure


def test_the_change_history_names_fields_and_people_as_readers_know_them(client, firm):
    staff = UserFactory(username="zhang", first_name="张审核")
    assign_role(staff, Role.STAFF)
    client.force_login(staff)
    record = FiscalYearRecord.objects.create(enterprise=firm, year=2023, operating_revenue="100")
    record = FiscalYearRecord.objects.get(pk=record.pk)
    record.operating_revenue = Decimal(200)
    record.rd_staff = 3
    record._history_user = staff
    record.save()
    firm = Enterprise.objects.get(pk=firm.pk)
    firm.main_business = "精密阀门"
    firm._history_user = staff
    firm.save()

    rows = change_history(firm)
    changed = {field for row in rows for field in row["fields"]}
    assert {"营业收入", "研发人员数", "主营业务"} <= changed
    assert not changed & {"operating_revenue", "rd_staff", "main_business"}
    assert {row["who"] for row in rows if row["fields"]} == {"张审核"}

    html = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    assert "营业收入" in html and "张审核" in html and "operating_revenue" not in html


def test_amounts_in_the_engines_sentences_get_thousands_separators_but_years_do_not():
    from jinhu_portal.templatetags.portal_format import group_money_in_text

    text = "2025年主营业务收入555.23万元，低于2000万元，差1444.77万元；近2年研发费用12345元"
    assert group_money_in_text(text) == "2025年主营业务收入555.23万元，低于2,000万元，差1,444.77万元；近2年研发费用12,345元"
    assert group_money_in_text("-12000.5万元") == "-12,000.5万元"
    assert group_money_in_text("") == ""
