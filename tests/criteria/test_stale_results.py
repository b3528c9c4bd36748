"""Results never go stale: an import, an edit (HTML form, API, admin), a judgment or a claim
re-evaluates the firms it touched for the assessment years their data reaches, with nobody running
`evaluate` by hand; other firms' results and every firm's latest year are left alone."""
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from criteria.models import CriterionOutcome, EvaluationRun, TierOutcome
from criteria.services import evaluate_all, reevaluate, years_to_reevaluate
from enterprises import importing
from enterprises.models import FiscalYearRecord

from ..enterprises.test_import import COMMIT_URL, row, upload, xlsx
from ..factories import EnterpriseFactory, FiscalYearFactory, strong_county_firm

YEAR = 2023
# figures that miss county-pool M1 both ways (main business revenue < 2000, profit + tax < 500)
WEAK = {"main_business_revenue": Decimal("1500.00"), "operating_revenue": Decimal("1600.00"),
        "total_profit": Decimal("100.00")}

# every tier with a published edition: the 8 pass/fail tiers and the scored 创新型中小企业
TIERS = 9


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CRITERIA_REEVALUATE = "sync"


@pytest.fixture
def strong(published_editions, town):
    """A firm that meets every county-pool rule for 2023 (M1 by 3000 + 600 of profit and tax)."""
    return strong_county_firm(town=town, name="甲镇强企")


@pytest.fixture
def evaluated(strong):
    """The portal evaluated 2023 once, before the data change."""
    evaluate_all(YEAR)
    assert county(strong).verdict == "eligible"


def county(firm, **filters):
    return TierOutcome.objects.select_related("run").get(enterprise=firm, tier="county_pool", is_latest=True,
                                                         **filters)


def panel_verdict(client, firm):
    """The county-pool verdict the firm's results panel shows (criteria:enterprise_results)."""
    html = client.get(reverse("criteria:enterprise_results", args=[firm.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "实时计算" not in html                         # stored results, not computed on the fly
    section = html.split('data-tier="county_pool"', 1)[1]
    return re.search(r"verdict-(\w+)", section).group(1)


# ------------------------------------------------------------------------------------------------
# The acceptance test: import, and the firm's page shows the new verdict
# ------------------------------------------------------------------------------------------------

def test_importing_new_figures_changes_the_verdict_on_the_firm_page_without_running_evaluate(
        client, bob, strong, evaluated, django_capture_on_commit_callbacks):
    client.force_login(bob)
    assert panel_verdict(client, strong) == "eligible"
    upload(client, xlsx([row(strong, YEAR, main_business_revenue=1500, operating_revenue=1600)]))
    token = client.session["fiscal_year_import"]["token"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(COMMIT_URL, {"token": token}).status_code == 302
    assert len(callbacks) == 1                             # one batch for the whole import
    assert panel_verdict(client, strong) == "not_eligible"
    run = county(strong).run
    assert (run.year, run.firms) == (YEAR, 1)
    assert "评价时间" in client.get(reverse("criteria:enterprise_results", args=[strong.pk]),
                                   HTTP_HX_REQUEST="true").content.decode()


def test_an_import_re_evaluates_all_its_firms_in_one_run_per_year(bob, town, published_editions,
                                                                     django_capture_on_commit_callbacks):
    firms = [strong_county_firm(town=town) for _ in range(3)]
    evaluate_all(2022)
    evaluate_all(YEAR)
    preview = importing.parse_workbook(xlsx([row(f, YEAR, main_business_revenue=1500, operating_revenue=1600) for f in firms]),
                                       years=range(2000, 2026))
    before = set(EvaluationRun.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        importing.commit(preview, bob)
    new = EvaluationRun.objects.exclude(pk__in=before)
    assert [(r.year, r.firms) for r in new] == [(YEAR, 3)]   # 2022 does not read 2023's accounts
    assert {county(f).verdict for f in firms} == {"not_eligible"}


def test_a_rolled_back_import_re_evaluates_nothing(bob, strong, evaluated, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    preview = importing.parse_workbook(xlsx([row(strong, YEAR, main_business_revenue=1500)]), years=range(2000, 2026))
    outcome = county(strong)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing._Writer, "update_records", boom)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        importing.commit(preview, bob)
    assert callbacks == []
    assert list(EvaluationRun.objects.all()) == [outcome.run]
    assert county(strong) == outcome and outcome.verdict == "eligible"


# ------------------------------------------------------------------------------------------------
# Edits: API, HTML form, admin
# ------------------------------------------------------------------------------------------------

def test_an_api_patch_of_a_fiscal_year_re_evaluates_the_firm(client, bob, strong, evaluated,
                                                              django_capture_on_commit_callbacks):
    record = FiscalYearRecord.objects.get(enterprise=strong, year=YEAR)
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(reverse("api:fiscalyear-detail", args=[record.pk]),
                                {k: str(v) for k, v in WEAK.items()}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert county(strong).verdict == "not_eligible"
    assert panel_verdict(client, strong) == "not_eligible"


def test_deleting_a_fiscal_year_through_the_api_re_evaluates_the_firm(client, bob, strong, evaluated,
                                                                      django_capture_on_commit_callbacks):
    record = FiscalYearRecord.objects.get(enterprise=strong, year=YEAR)
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(reverse("api:fiscalyear-detail", args=[record.pk])).status_code == 204
    assert county(strong).verdict != "eligible"


def test_editing_the_yearly_figures_in_the_html_form_re_evaluates_the_firm(client, bob, strong, evaluated,
                                                                           django_capture_on_commit_callbacks):
    record = FiscalYearRecord.objects.get(enterprise=strong, year=YEAR)
    data = {f: getattr(record, f) for f in FiscalYearRecord.FIGURES if getattr(record, f) is not None}
    data.update(year=YEAR, **WEAK)
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enterprises:fiscal_year_update", args=[strong.pk, YEAR]), data)
    assert response.status_code == 302
    assert panel_verdict(client, strong) == "not_eligible"


def test_editing_the_firm_in_the_html_form_re_evaluates_it(client, bob, strong, evaluated,
                                                           django_capture_on_commit_callbacks):
    from enterprises.forms import EnterpriseForm

    form = EnterpriseForm(instance=strong)
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data["industry_tags"] = [t.pk for t in data.get("industry_tags", [])]
    data["own_brand"] = "on" if strong.own_brand else ""
    data["high_tech_certified"] = ""                       # M3a: whether it holds one is no longer known
    data["independent_legal_person"] = "true"
    for key in ("high_tech_valid_from", "high_tech_valid_until"):
        data.pop(key, None)
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enterprises:update", args=[strong.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert county(strong).verdict == "incomplete"                 # certificate now unknown
    assert CriterionOutcome.objects.get(outcome=county(strong), code="M3a", variant="M").result == "unknown"


def test_saving_a_fiscal_year_in_the_admin_re_evaluates_the_firm(client, root, strong, evaluated,
                                                                 django_capture_on_commit_callbacks):
    record = FiscalYearRecord.objects.get(enterprise=strong, year=YEAR)
    data = {f: getattr(record, f) for f in FiscalYearRecord.FIGURES if getattr(record, f) is not None}
    data.update(enterprise=strong.pk, year=YEAR, _save="保存", **WEAK)
    client.force_login(root)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:enterprises_fiscalyearrecord_change", args=[record.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert county(strong).verdict == "not_eligible"


def test_with_re_evaluation_off_an_edit_leaves_the_stored_results(client, bob, strong, evaluated, settings,
                                                                  django_capture_on_commit_callbacks):
    settings.CRITERIA_REEVALUATE = "off"
    record = FiscalYearRecord.objects.get(enterprise=strong, year=YEAR)
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.patch(reverse("api:fiscalyear-detail", args=[record.pk]), {k: str(v) for k, v in WEAK.items()},
                     content_type="application/json")
    assert county(strong).verdict == "eligible"
    assert EvaluationRun.objects.count() == 1


# ------------------------------------------------------------------------------------------------
# Which years, which firms, is_latest, run rows
# ------------------------------------------------------------------------------------------------

def test_a_fiscal_year_reaches_the_evaluated_assessment_years_up_to_three_years_later(published_editions):
    assert years_to_reevaluate({2021}) == []                       # nothing evaluated yet
    for year in (2019, 2020, 2022, 2024, 2025):
        EvaluationRun.objects.create(year=year)
    assert years_to_reevaluate({2021}) == [2024, 2022]             # 2021..2024, newest first
    assert years_to_reevaluate({2019, 2025}) == [2025, 2022, 2020, 2019]
    assert years_to_reevaluate(set()) == [2025, 2024, 2022, 2020, 2019]   # a change not tied to a year


def test_re_evaluating_one_firm_leaves_other_firms_outcomes_and_is_latest_untouched(strong, town):
    other = strong_county_firm(town=town)
    evaluate_all(2022)
    evaluate_all(YEAR)
    others = list(TierOutcome.objects.filter(enterprise=other).order_by("pk").values_list(
        "pk", "run_id", "verdict", "is_latest"))
    FiscalYearRecord.objects.filter(enterprise=strong, year=YEAR).update(**WEAK)
    runs = reevaluate([strong.pk], {YEAR})
    assert [(r.year, r.firms) for r in runs] == [(YEAR, 1)]
    assert list(TierOutcome.objects.filter(enterprise=other).order_by("pk").values_list(
        "pk", "run_id", "verdict", "is_latest")) == others
    assert county(strong).verdict == "not_eligible"
    assert TierOutcome.objects.filter(enterprise=strong, is_latest=True).count() == TIERS


def test_re_evaluating_an_older_year_keeps_the_firms_latest_year(strong):
    evaluate_all(2022)
    evaluate_all(YEAR)
    FiscalYearRecord.objects.filter(enterprise=strong, year=2021).update(**WEAK)
    runs = reevaluate([strong.pk], {2021})
    assert [r.year for r in runs] == [YEAR, 2022]
    latest = TierOutcome.objects.filter(enterprise=strong, is_latest=True)
    assert set(latest.values_list("run__year", flat=True)) == {YEAR}
    assert set(latest.values_list("run", flat=True)) == {runs[0].pk}
    # the 2022 results are renewed too, as history
    assert TierOutcome.objects.filter(enterprise=strong, run=runs[1], is_latest=False).count() == TIERS


def test_a_firm_new_to_the_evaluated_years_gets_results_with_the_newest_year_latest(strong, town):
    evaluate_all(2022)
    evaluate_all(YEAR)
    newcomer = strong_county_firm(town=town)
    reevaluate([newcomer.pk], ())
    assert set(TierOutcome.objects.filter(enterprise=newcomer).values_list("run__year", flat=True)) == {2022, YEAR}
    assert set(TierOutcome.objects.filter(enterprise=newcomer, is_latest=True)
               .values_list("run__year", flat=True)) == {YEAR}


def test_repeated_edits_of_one_firm_do_not_pile_up_runs(strong, town):
    strong_county_firm(town=town)
    evaluate_all(YEAR)
    for profit in ("100", "200", "300"):
        FiscalYearRecord.objects.filter(enterprise=strong, year=YEAR).update(total_profit=Decimal(profit))
        reevaluate([strong.pk], {YEAR})
    assert EvaluationRun.objects.count() == 2              # the full run and the last re-evaluation
    assert TierOutcome.objects.filter(enterprise=strong).count() == TIERS


def test_a_deleted_firm_is_skipped(strong, evaluated):
    gone = EnterpriseFactory()
    gone_pk = gone.pk
    gone.delete()
    runs = reevaluate([strong.pk, gone_pk], {YEAR})
    assert [r.firms for r in runs] == [1]


def test_a_staff_judgment_re_evaluates_only_that_firm_and_year(client, bob, strong, town, published_editions):
    other = strong_county_firm(town=town)
    evaluate_all(YEAR)
    others = list(TierOutcome.objects.filter(enterprise=other).values_list("pk", "run_id", "is_latest"))
    client.force_login(bob)
    response = client.post(reverse("criteria:judgment_create", args=[strong.pk]),
                           {"tier": "county_pool", "year": str(YEAR), "code": "M3e", "product": "", "met": "0",
                            "reason": "现场核实未达到"})
    assert response.status_code == 302
    assert county(strong).verdict == "not_eligible"
    assert county(strong).run.started_by == bob
    assert list(TierOutcome.objects.filter(enterprise=other).values_list("pk", "run_id", "is_latest")) == others


# ------------------------------------------------------------------------------------------------
# The run page: when each firm was last evaluated
# ------------------------------------------------------------------------------------------------

def test_the_run_page_says_when_each_firm_was_last_evaluated(client, bob, strong, town, published_editions):
    never = EnterpriseFactory(town=town, name="甲镇未评价企业")
    evaluate_all(YEAR, enterprises=[strong.pk])
    client.force_login(bob)
    html = client.get(reverse("criteria:runs")).content.decode()
    table = html.split('id="evaluated-firms"', 1)[1]
    assert "评价时间" in table and strong.name in table and never.name in table
    assert table.index(never.name) < table.index(strong.name)    # never evaluated first
    run = EvaluationRun.objects.get()
    from django.utils import timezone
    assert timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M") in table
    assert "尚未评价" in table


def test_the_run_page_is_sortable_and_scoped_to_the_town_officer(client, dave, strong, other_firm):
    evaluate_all(YEAR)
    client.force_login(dave)
    html = client.get(reverse("criteria:runs"), {"sort": "-evaluated_at"}).content.decode()
    table = html.split('id="evaluated-firms"', 1)[1]
    assert strong.name in table and other_firm.name not in table


def _runs_page_queries(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as ctx:
        assert client.get(reverse("criteria:runs")).status_code == 200
    return len(ctx.captured_queries)


def test_the_run_page_does_the_same_queries_for_3_and_60_firms(client, bob, town, published_editions,
                                                                django_assert_max_num_queries):
    for _ in range(3):
        FiscalYearFactory(enterprise=EnterpriseFactory(town=town), year=YEAR)
    evaluate_all(YEAR)
    client.force_login(bob)
    few = _runs_page_queries(client, django_assert_max_num_queries, 12)
    for _ in range(57):
        FiscalYearFactory(enterprise=EnterpriseFactory(town=town), year=YEAR)
    evaluate_all(YEAR)
    evaluate_all(2022)
    assert _runs_page_queries(client, django_assert_max_num_queries, 12) == few
