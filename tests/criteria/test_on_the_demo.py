"""Stored results, the dossier and recommendation lists on the demo itself (seeded once for this
module, see `demo_module` in tests/conftest.py; each test's changes roll back)."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from criteria.models import CriterionOutcome, ListStatus, Outcome, RecommendationList, TierOutcome
from enterprises import models as m
from enterprises.models import Enterprise
from jinhu_portal.templatetags.portal_format import group_money_in_text

from .test_dossier import pdf_pages, pdf_text


@pytest.fixture
def demo(shared_demo):
    """Every test here reads the demo (seeded once for the module) and changes it only in its own transaction."""


TIERS = ["county_pool", "city_giant", "province_giant", "national_giant"]


def test_demo_last_year_has_an_eligible_firm_for_each_main_tier(demo):
    for tier in TIERS:
        assert TierOutcome.objects.filter(tier=tier, is_latest=True, verdict="eligible").exists(), tier


def test_evaluate_command_is_idempotent(demo):
    before = sorted(TierOutcome.objects.filter(is_latest=True).values_list("enterprise_id", "tier", "verdict"))
    rows = CriterionOutcome.objects.count()
    call_command("evaluate", "--year", "2025", "--quiet")
    call_command("evaluate", "--year", "2025", "--quiet")
    assert sorted(TierOutcome.objects.filter(is_latest=True).values_list("enterprise_id", "tier", "verdict")) == before
    assert TierOutcome.objects.count() == len(before)
    assert CriterionOutcome.objects.count() == rows


def test_firm_page_explains_every_criterion_of_every_tier(demo, client, django_user_model):
    firm = Enterprise.objects.get(pk=TierOutcome.objects.filter(tier="national_giant", verdict="eligible")
                                  .values_list("enterprise_id", flat=True).first())
    client.force_login(django_user_model.objects.get(username="staff"))
    html = client.get(reverse("criteria:enterprise_results", args=[firm.pk]), HTTP_HX_REQUEST="true").content.decode()
    for row in CriterionOutcome.objects.filter(outcome__enterprise=firm, outcome__is_latest=True):
        assert f'data-code="{row.code}"' in html
        assert group_money_in_text(row.explanation) in html   # amounts shown with separators
    assert "符合条件" in html and "主营业务收入" in html


def test_closest_list_ranks_by_fewest_missed_rules_in_fixed_queries(demo, client, django_user_model,
                                                                      django_assert_max_num_queries):
    client.force_login(django_user_model.objects.get(username="staff"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("criteria:closest"), {"tier": "city_giant"})
    rows = list(response.context["table"].page.object_list)
    missed = [r.record.missed for r in rows]
    assert missed == sorted(missed) and rows[0].record.verdict == "eligible"


def test_the_dossier_pdf_of_a_demo_firm_has_pages_with_its_name_and_figures_as_text(client, demo, tmp_path):
    from dashboards.demo import DEMO_PASSWORD

    firm = (m.Enterprise.objects.filter(pool_status=m.PoolStatus.IN_POOL, fiscal_years__isnull=False)
            .distinct().order_by("pk").first())
    latest = firm.fiscal_years.order_by("-year").first()
    assert client.login(username="staff", password=DEMO_PASSWORD)
    response = client.get(reverse("dossier_pdf", args=[firm.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    assert pdf_pages(response.content, tmp_path) >= 10                  # a cover and a page per section
    text = pdf_text(response.content, tmp_path)
    assert firm.name in text and firm.uscc in text
    assert f"{latest.operating_revenue:,.2f}" in text and str(latest.year) in text
    assert "年度财务数据" in text and "对标评价结果" in text and "1 / " in text


def test_the_demo_has_a_frozen_city_giant_list_with_outcomes_and_every_kind_of_title_the_targets_count(demo):
    from dashboards.demo import LAST_YEAR

    lst = RecommendationList.objects.get(tier="city_giant", year=LAST_YEAR)
    assert lst.status == ListStatus.FROZEN and lst.frozen_by.username == "staff"
    assert lst.entries.filter(removed=True).exclude(removed_note="").count() == 1
    outcomes = set(lst.entries.filter(removed=False).values_list("outcome", flat=True))
    assert {Outcome.RECOGNISED, Outcome.NOT_PASSED} <= outcomes
    for entry in lst.entries.filter(outcome=Outcome.RECOGNISED):
        assert (entry.recognition.kind, entry.recognition.level, entry.recognition.year) == (
            "city_giant", "city", LAST_YEAR + 1)
    counted = {"national_giant", "national_champion", "province_giant", "city_giant", "province_pool", "city_pool",
               "rd_institution", "first_set", "smart_workshop", "iiot_benchmark", "energy_retrofit", "quality_award",
               "jiangsu_jingpin", "service_platform", "innovation_base"}
    assert counted <= set(m.Recognition.objects.values_list("kind", flat=True))
    assert m.Recognition.objects.filter(kind="smart_workshop", level__in=["province", "national"]).exists()
    # the titles count in the results: a national_giant holder under 4亿 meets 附件3 S4b
    holder = m.Recognition.objects.filter(kind="national_giant").first().enterprise
    row = CriterionOutcome.objects.get(outcome__enterprise=holder, outcome__tier="national_champion",
                                       outcome__is_latest=True, code="S4b", variant="E")
    assert row.result == "met"
