"""What-if on the demo: raising county M1 to 3000 loses exactly the firms it should."""
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from criteria import engine
from criteria.models import Edition
from criteria.profile import build_profiles
from criteria.whatif import what_if
from enterprises.models import FiscalYearRecord


@pytest.fixture
def demo(shared_demo):
    """Every test here reads the demo (seeded once for the module) and changes it only in its own transaction."""


def _raise_m1(draft, value):
    condition = draft.criteria.get(code="M1").conditions.get(metric="main_business_revenue")
    condition.threshold = value
    condition.save()


def test_raising_county_m1_to_3000_loses_exactly_the_firms_between_2000_and_3000(demo):
    county = Edition.objects.get(tier="county_pool", year=2022)
    draft = county.clone(2025)
    _raise_m1(draft, "3000")
    result = what_if(draft)
    year = result.year
    assert year == 2025, "by default the latest year the firms have figures for"

    spec = county.to_spec()
    ids = list(FiscalYearRecord.objects.filter(year=year).values_list("enterprise_id", flat=True))
    profiles = build_profiles(ids, year)
    eligible_before = {pk for pk in ids if engine.evaluate_tier(profiles[pk], spec, year).verdict == "eligible"}
    figures = {r.enterprise_id: r for r in FiscalYearRecord.objects.filter(year=year)}
    expected = {pk for pk in eligible_before
                if Decimal("2000") <= figures[pk].main_business_revenue < Decimal("3000")
                and figures[pk].total_profit + figures[pk].taxes_paid < Decimal("500")}
    assert expected, "the demo must hold firms that this change affects"
    assert {c.enterprise.pk for c in result.lost} == expected
    assert result.gained == []
    assert all(any(f.code == "M1" and (f.before_label, f.after_label) == ("符合", "不符合") for f in c.flips)
               for c in result.lost)
    assert {(c.before_label, c.after_label) for c in result.lost} == {("符合", "不符合")}


def test_whatif_page_and_command_name_the_flipping_criterion(demo, client, django_user_model, capsys):
    county = Edition.objects.get(tier="county_pool", year=2022)
    draft = county.clone(2025)
    _raise_m1(draft, "3000")
    client.force_login(django_user_model.objects.get(username="staff"))
    html = client.get(reverse("criteria:edition_whatif", args=[draft.pk])).content.decode()
    lost = what_if(draft).lost
    assert f'<span id="lost-count">{len(lost)}</span>' in html
    assert lost[0].enterprise.name in html and "M1" in html
    call_command("whatif", "--edition", str(draft.pk))
    out = capsys.readouterr().out
    assert f"失去资格：{len(lost)} 家" in out and lost[0].enterprise.uscc in out
    assert "M1（制造类） 符合→不符合" in out and "not_met" not in out
    assert f"{draft.get_tier_display()}：获得 0 家，失去 {len(lost)} 家" in out


def test_lowering_a_threshold_gains_firms(demo):
    county = Edition.objects.get(tier="county_pool", year=2022)
    draft = county.clone(2025)
    _raise_m1(draft, "0")
    result = what_if(draft)
    assert result.lost == []
    assert all(c.after == "eligible" for c in result.gained)


def test_whatif_page_offers_the_years_with_data_and_defaults_to_the_latest(demo, client, django_user_model):
    county = Edition.objects.get(tier="county_pool", year=2022)
    draft = county.clone(2025)
    _raise_m1(draft, "3000")
    client.force_login(django_user_model.objects.get(username="staff"))
    url = reverse("criteria:edition_whatif", args=[draft.pk])
    html = client.get(url).content.decode()
    years = sorted(set(FiscalYearRecord.objects.values_list("year", flat=True)), reverse=True)
    for y in years:
        assert f'<option value="{y}"' in html
    assert f'<option value="{years[0]}" selected>' in html
    older = client.get(url, {"year": years[1]})
    assert older.context["result"].year == years[1]
    assert f'<option value="{years[1]}" selected>' in older.content.decode()
    wrong = client.get(url, {"year": 1990}, follow=True)
    assert wrong.context["result"].year == years[0] and "1990年度没有企业数据" in wrong.content.decode()


def test_whatif_page_speaks_chinese_and_counts_per_tier_and_town(demo, client, django_user_model):
    county = Edition.objects.get(tier="county_pool", year=2022)
    draft = county.clone(2025)
    _raise_m1(draft, "3000")
    client.force_login(django_user_model.objects.get(username="staff"))
    response = client.get(reverse("criteria:edition_whatif", args=[draft.pk]))
    html, result = response.content.decode(), response.context["result"]
    assert "符合 → <strong" in html and "不符合</strong>" in html and "：符合 → 不符合。" in html
    for word in ("not_met", "eligible", "main_business_revenue"):
        assert word not in html
    assert [(r.name, r.gained, r.lost) for r in result.by_tier][0] == (draft.get_tier_display(), 0, len(result.lost))
    assert sum(r.lost for r in result.by_tier[1:]) == len(result.lost)
    towns = {}
    for c in result.lost:
        towns[c.enterprise.town.name] = towns.get(c.enterprise.town.name, 0) + 1
    assert {r.name: r.lost for r in result.by_town} == towns
    for name, n in towns.items():
        assert f"<tr><td>{name}</td><td class=\"text-end\">0</td><td class=\"text-end\">{n}</td></tr>" in html
