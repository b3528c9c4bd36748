"""Stored evaluations: scored in bulk, idempotent, history kept, explained on the firm's page."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from criteria.models import (
    CriterionOutcome,
    Edition,
    EvaluationRun,
    StaffJudgment,
    TierOutcome,
)
from criteria.services import evaluate_all

from ..factories import EnterpriseFactory, FiscalYearFactory


def test_each_stored_row_copies_the_threshold_and_a_new_edition_keeps_history(published_editions, firm):
    FiscalYearFactory(enterprise=firm, year=2023, main_business_revenue="2500", operating_revenue="2600")
    evaluate_all(2023, tiers=["county_pool"])
    old = CriterionOutcome.objects.get(outcome__enterprise=firm, code="M1", variant="M")
    assert old.threshold == "2000" and old.actual == "2500.00"
    county = Edition.objects.get(tier="county_pool", year=2022)
    newer = county.clone(2024)
    condition = newer.criteria.get(code="M1").conditions.get(metric="main_business_revenue")
    condition.threshold = "3000"
    condition.save()
    newer.publish()
    evaluate_all(2023, tiers=["county_pool"])
    old.refresh_from_db()
    assert old.threshold == "2000" and not old.outcome.is_latest
    latest = CriterionOutcome.objects.get(outcome__enterprise=firm, code="M1", variant="M", outcome__is_latest=True)
    assert latest.threshold == "3000" and latest.result == "not_met" and latest.gap == "500.00"


def test_evaluate_refuses_a_year_without_edition(published_editions):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有可用的已发布标准版本"):
        call_command("evaluate", "--year", "2010", "--quiet")


def test_staff_judgment_turns_unknown_into_met_and_a_claim_into_needs_review(published_editions, client, bob,
                                                                             alice, firm):
    FiscalYearFactory(enterprise=firm, year=2023)
    evaluate_all(2023, tiers=["county_pool"])
    row = lambda: CriterionOutcome.objects.get(outcome__enterprise=firm, outcome__is_latest=True,  # noqa: E731
                                               code="M3e")
    assert row().result == "unknown"
    client.force_login(alice)
    client.post(reverse("criteria:claim_create", args=[firm.pk]), {"tier": "county_pool", "code": "M3e",
                                                                   "year": "2023"})
    assert row().result == "needs_review"
    client.force_login(bob)
    response = client.post(reverse("criteria:judgment_create", args=[firm.pk]),
                           {"tier": "county_pool", "year": "2023", "code": "M3e", "product": "", "met": "1",
                            "reason": "经查产品技术水平省内领先"})
    assert response.status_code == 302
    assert row().result == "met"
    assert StaffJudgment.objects.get(enterprise=firm).decided_by == bob


def test_judgment_needs_a_reason_and_refuses_a_renamed_executable(published_editions, client, bob, firm, settings,
                                                                   tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(bob)
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("criteria:judgment_create", args=[firm.pk]),
                           {"tier": "county_pool", "year": "2023", "code": "M3e", "product": "", "met": "1",
                            "reason": "", "evidence": fake})
    html = response.content.decode()
    assert "该字段是必填项" in html and "不是允许的类型" in html
    assert not StaffJudgment.objects.exists()


def test_enterprise_user_cannot_claim_for_another_firm(published_editions, client, alice, other_firm):
    client.force_login(alice)
    response = client.post(reverse("criteria:claim_create", args=[other_firm.pk]),
                           {"tier": "county_pool", "code": "M3e", "year": "2023"})
    assert response.status_code == 404


def test_staff_start_a_run_from_the_browser(published_editions, client, bob):
    EnterpriseFactory.create_batch(3)
    client.force_login(bob)
    response = client.post(reverse("criteria:runs"), {"year": 2023, "tiers": ["county_pool"]})
    assert response.status_code == 302
    run = EvaluationRun.objects.get()
    assert run.firms == 3 and run.started_by == bob
    assert TierOutcome.objects.filter(run=run).count() == 3
