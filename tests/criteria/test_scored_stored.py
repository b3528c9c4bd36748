"""Stored evaluations of a scored tier keep its points: the firm's sure and best totals and how it
passes on the tier outcome, each indicator's points and maximum on its row."""
from decimal import Decimal

from criteria.models import CriterionOutcome, TierOutcome
from criteria.services import assess_enterprise, evaluate_all

from ..factories import HonourFactory, scored_firm


def test_a_run_stores_the_points_the_route_and_each_indicators_points(published_editions, firm):
    scored_firm(firm, rd_expense="345")                # 3.00%: 15 of 20
    evaluate_all(2023, tiers=["innovative_sme"])
    outcome = TierOutcome.objects.get(enterprise=firm, tier="innovative_sme")
    assert (outcome.verdict, outcome.route) == ("eligible", "score")
    assert (outcome.score_sure, outcome.score_best) == (Decimal("95"), Decimal("95"))
    rd = CriterionOutcome.objects.get(outcome=outcome, code="rd_share", variant="")
    assert (rd.points, rd.max_points, rd.result, rd.actual) == (Decimal("15"), Decimal("20"), "not_met", "3.00")
    assert "再提高2.00个百分点可得20分" in rd.explanation
    routes = CriterionOutcome.objects.filter(outcome=outcome, variant="D")
    assert sorted(routes.values_list("code", flat=True)) == ["equity_financing", "honour", "rd_institution",
                                                             "science_award"]


def test_a_firm_short_of_the_mark_passing_by_an_honour_is_stored_as_passing_directly(published_editions, firm):
    scored_firm(firm, rd_expense="0", main="5000", operating="10000", liabilities="9000", strategic=False,
                ip_flags={"ip_type": "utility"})
    HonourFactory(enterprise=firm, valid_until="2023-01-01")
    evaluate_all(2023, tiers=["innovative_sme"])
    outcome = TierOutcome.objects.get(enterprise=firm, tier="innovative_sme")
    assert (outcome.verdict, outcome.route) == ("eligible", "direct")
    assert outcome.score_sure < 60


def test_pass_fail_tiers_store_no_points(published_editions, firm):
    scored_firm(firm)
    evaluate_all(2023, tiers=["county_pool"])
    outcome = TierOutcome.objects.get(enterprise=firm, tier="county_pool")
    assert (outcome.score_sure, outcome.score_best, outcome.route) == (None, None, "")
    assert not CriterionOutcome.objects.filter(outcome=outcome, points__isnull=False).exists()


def test_the_live_result_of_a_stored_firm_reads_its_flags_and_honours(published_editions, firm):
    scored_firm(firm, ip_flags={"self_developed": True})
    result = next(r for r in assess_enterprise(firm, 2023, ["innovative_sme"]))
    assert result.score.indicator("ip").points == 15
    assert result.score.indicator("field").points == 10
