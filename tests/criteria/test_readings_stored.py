"""The edge-case readings (docs/spec/criteria.md, "Readings for the edge cases") hold for stored firms
too: profiles built from the database, the stored evaluation (`evaluate_all`) and the firm's
assessment API — not only the self-assessment API (whose cases are in cases/*_readings.yaml)."""
from datetime import date

import pytest
from django.urls import reverse

from criteria.models import CriterionOutcome
from criteria.services import assess_enterprise, evaluate_all
from enterprises import models as m

from ..factories import EnterpriseFactory, FiscalYearFactory, ProductFactory

Y = 2023


def stored(firm, tier, code):
    """The latest stored result row of a firm's criterion (the firm's own variant)."""
    return CriterionOutcome.objects.get(outcome__enterprise=firm, outcome__is_latest=True, outcome__tier=tier,
                                        code=code, variant=firm.category if tier in ("county_pool", "province_pool")
                                        else "E")


def ip_item(firm, product=None, status=m.IPStatus.GRANTED, ip_type=m.IPType.INVENTION):
    return m.IPItem.objects.create(enterprise=firm, ip_type=ip_type, status=status, title="一种阀门",
                                   product=product)


@pytest.fixture
def firms(published_editions):
    """Firms that each sit on one edge of a reading."""
    tied = EnterpriseFactory(name="知识产权对应本企业产品")
    ip_item(tied, product=ProductFactory(enterprise=tied, name="精密阀门"))

    untied = EnterpriseFactory(name="知识产权未对应产品")
    ProductFactory(enterprise=untied, name="精密阀门")
    ip_item(untied)

    # an item linked to another firm's product of the same name is not tied to this firm's product
    foreign = EnterpriseFactory(name="知识产权对应他企产品")
    ProductFactory(enterprise=foreign, name="精密阀门")
    ip_item(foreign, product=ProductFactory(enterprise=EnterpriseFactory(), name="精密阀门"))

    no_products = EnterpriseFactory(name="没有主导产品")
    ip_item(no_products)

    return {
        "tied": tied, "untied": untied, "foreign": foreign, "no_products": no_products,
        # the high-tech certificate runs three years from whichever end is known
        "ht_old_start": EnterpriseFactory(high_tech_certified=True, high_tech_valid_from=date(2016, 3, 1)),
        "ht_start_edge": EnterpriseFactory(high_tech_valid_from=date(2020, 1, 2)),
        "ht_start_short": EnterpriseFactory(high_tech_valid_from=date(2020, 1, 1)),
        "ht_late_end": EnterpriseFactory(high_tech_valid_until=date(2027, 6, 30)),
        "ht_end_edge": EnterpriseFactory(high_tech_valid_until=date(2026, 12, 30)),
        "ht_none": EnterpriseFactory(),
    }


def test_stored_evaluation_ties_ip_only_to_the_firms_own_listed_products(firms):
    evaluate_all(Y, tiers=["province_pool", "city_giant"])
    assert stored(firms["tied"], "province_pool", "M2").result == "met"
    for key in ("untied", "foreign", "no_products"):
        row = stored(firms[key], "province_pool", "M2")
        assert (row.result, row.actual, row.gap) == ("not_met", "0", "1"), key
    assert stored(firms["tied"], "city_giant", "E3c").result != "not_met"      # own brand still unknown
    assert stored(firms["foreign"], "city_giant", "E3c").result == "not_met"


def test_stored_evaluation_runs_the_high_tech_certificate_three_years(firms):
    evaluate_all(Y, tiers=["county_pool", "city_giant"])
    expected = {"ht_old_start": "not_met", "ht_start_edge": "met", "ht_start_short": "not_met",
                "ht_late_end": "not_met", "ht_end_edge": "met"}
    for key, result in expected.items():
        assert stored(firms[key], "county_pool", "M3a").result == result, key
        assert stored(firms[key], "city_giant", "E3a").result == result, key
    assert "有效期止日按三年推算" in stored(firms["ht_old_start"], "county_pool", "M3a").explanation
    assert "有效期起日按三年推算" in stored(firms["ht_end_edge"], "county_pool", "M3a").explanation
    # nothing known about the certificate: unknown, never not_met
    assert stored(firms["ht_none"], "county_pool", "M3a").result == "unknown"


def test_stored_rank_rule_is_an_or_over_products_and_names_the_unranked_ones(published_editions):
    firm = EnterpriseFactory()
    ProductFactory(enterprise=firm, name="甲阀门", rank_province=6)
    ProductFactory(enterprise=firm, name="乙阀门", rank_province=None)
    evaluate_all(Y, tiers=["county_pool", "national_giant"])
    row = stored(firm, "county_pool", "M2")
    assert row.result == "unknown" and row.gap in ("", None)
    assert "“乙阀门”" in row.explanation and "“甲阀门”" not in row.explanation.split("；")[-1]
    assert stored(firm, "national_giant", "N2").result == "unknown"
    m.Product.objects.filter(enterprise=firm, name="乙阀门").update(rank_province=7)
    evaluate_all(Y, tiers=["county_pool"])
    assert stored(firm, "county_pool", "M2").result == "not_met"


def test_stored_titles_count_by_the_declaration_year_and_or_rules_keep_a_met_branch(published_editions):
    late = EnterpriseFactory()
    FiscalYearFactory(enterprise=late, year=Y, operating_revenue="30000")
    m.Recognition.objects.create(enterprise=late, kind=m.RecognitionKind.NATIONAL_GIANT,
                                 level=m.Level.NATIONAL, year=Y + 2)
    on_time = EnterpriseFactory()
    FiscalYearFactory(enterprise=on_time, year=Y, operating_revenue="30000")
    m.Recognition.objects.create(enterprise=on_time, kind=m.RecognitionKind.NATIONAL_GIANT,
                                 level=m.Level.NATIONAL, year=Y + 1)
    no_revenue = EnterpriseFactory()          # holds the title, no accounts stored
    m.Recognition.objects.create(enterprise=no_revenue, kind=m.RecognitionKind.NATIONAL_GIANT,
                                 level=m.Level.NATIONAL, year=Y - 1)
    evaluate_all(Y, tiers=["national_champion"])
    assert stored(late, "national_champion", "S4b").result == "not_met"
    assert stored(on_time, "national_champion", "S4b").result == "met"
    assert stored(no_revenue, "national_champion", "S4b").result == "met"


def test_the_firms_assessment_api_reads_stored_firms_the_same_way(client, published_editions, bob):
    firm = EnterpriseFactory(high_tech_valid_from=date(2016, 3, 1))
    ProductFactory(enterprise=firm, name="精密阀门", rank_province=4)
    ip_item(firm, product=ProductFactory(enterprise=EnterpriseFactory(), name="精密阀门"))
    m.Standard.objects.create(enterprise=firm, name="某产品标准", level=m.StandardLevel.INDUSTRY,
                              role=m.StandardRole.JOINED)
    client.force_login(bob)
    data = client.get(reverse("api-enterprise-assessment", args=[firm.pk]) + f"?year={Y}").json()
    assert data["tiers"] == [r.to_dict() for r in assess_enterprise(firm, Y)]
    results = {(t["tier"], c["code"]): c["result"] for t in data["tiers"] for v in t.get("variants", ())
               for c in v["criteria"]}
    assert results[("county_pool", "M3a")] == "not_met"
    assert results[("province_pool", "M2")] == "not_met"
    assert results[("national_giant", "N6")] == "met"
