"""The bulk path of evaluate_all (rows inserted as tuples: executemany on SQLite, COPY on
PostgreSQL -- .ci/run runs this file on both) stores exactly what the engine returns, and the
engine's speed-ups (metric cache, shared criteria, integer and display fast paths) change nothing."""
import json
import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.db import connection

from criteria import engine
from criteria.metrics import _two_places, display, fraction_to_decimal
from criteria.models import CriterionOutcome, Edition, TierOutcome
from criteria.profile import build_profiles
from criteria.services import _own_variant, evaluate_all
from enterprises import models as m
from tests.criteria.conftest import YEAR

TIERS = 9    # the 8 pass/fail tiers of the county plan and the scored 创新型中小企业
EDITION_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "editions" / "2022.json"


def _expected_rows(result):
    rows = []
    for v in result.variants:
        rows += [(v.variant, "", c) for c in v.criteria]
    for p in result.products:
        rows += [("", p.name, c) for c in p.criteria]
    return [(variant, product, c.code, c.text, c.result, c.actual or "", c.threshold or "", c.unit, c.gap or "",
             c.explanation) for variant, product, c in rows]


def _assert_stored_matches_engine(run, firms):
    editions = Edition.objects.judging(YEAR)
    assert len(editions) == TIERS
    profiles = build_profiles([f.pk for f in firms], YEAR)
    for firm in firms:
        for edition in editions:
            # A fresh engine call per edition (no cache shared between tiers) is the reference.
            result = engine.evaluate_tier(profiles[firm.pk], edition.to_spec(), YEAR)
            outcome = TierOutcome.objects.get(run=run, enterprise=firm, tier=edition.tier)
            assert (outcome.edition_id, outcome.verdict, outcome.own_variant, outcome.is_latest) == \
                (edition.pk, result.verdict, _own_variant(result), True)
            assert (outcome.met, outcome.missed, outcome.open) == engine.tally(result)
            stored = list(CriterionOutcome.objects.filter(outcome=outcome).order_by("id").values_list(
                "variant", "product", "code", "text", "result", "actual", "threshold", "unit", "gap", "explanation"))
            assert stored == _expected_rows(result), (firm, edition.tier)


def test_stored_rows_equal_engine_output_for_every_firm_and_tier(firms):
    run = evaluate_all(YEAR)
    assert run.firms == len(firms) and run.finished_at is not None
    assert TierOutcome.objects.filter(run=run).count() == len(firms) * TIERS
    assert sum(run.counts.values()) == len(firms) * TIERS
    _assert_stored_matches_engine(run, firms)
    # Every shape above is exercised: products, a judgment decided, a claim pending, missing data.
    results = set(CriterionOutcome.objects.values_list("result", flat=True))
    assert results == {"met", "not_met", "unknown", "needs_review"}
    assert CriterionOutcome.objects.exclude(product="").exists()


def test_a_second_run_replaces_rows_and_keeps_them_tied_to_their_outcome(firms):
    first = evaluate_all(YEAR)
    rows = CriterionOutcome.objects.count()
    second = evaluate_all(YEAR, enterprises=m.Enterprise.objects.filter(pk__in=[f.pk for f in firms[:2]]))
    assert not TierOutcome.objects.filter(run=first, enterprise__in=firms[:2]).exists()
    assert TierOutcome.objects.filter(run=first, is_latest=True).count() == 3 * TIERS
    assert TierOutcome.objects.filter(run=second, is_latest=True).count() == 2 * TIERS
    assert CriterionOutcome.objects.count() == rows
    _assert_stored_matches_engine(second, firms[:2])


def test_insert_path_matches_the_backend(firms, django_assert_max_num_queries):
    """One executemany per table and chunk on SQLite; COPY (not an INSERT) on PostgreSQL."""
    with django_assert_max_num_queries(60) as ctx:
        evaluate_all(YEAR)
    inserts = [q["sql"] for q in ctx.captured_queries if 'INTO "criteria_criterionoutcome"' in q["sql"][:60]]
    rows = CriterionOutcome.objects.count()
    assert rows > 300
    if connection.vendor == "postgresql":
        assert inserts == []                                                            # COPY FROM STDIN
    else:
        assert len(inserts) == 1
        assert inserts[0].startswith(f"{rows} times: INSERT")                          # one executemany


def _case_profiles():
    from criteria.profile_input import profile_from_request
    from tests.criteria.test_cases import CASES

    for param in CASES:
        _tier, case = param.values
        yield int(case["assessment_year"]), profile_from_request(case.get("profile") or {})


def test_shared_metric_cache_changes_no_result():
    """Scoring one profile against all editions with one shared cache equals scoring each edition
    alone, criterion by criterion without any cache, for every engine case profile."""
    editions = engine.editions_from_json(json.loads(EDITION_FILE.read_text(encoding="utf-8")))
    for year, profile in _case_profiles():
        cache = {}
        for edition in editions:
            shared = engine.evaluate_tier(profile, edition, year, cache=cache).to_dict()
            alone = engine.evaluate_tier(profile, edition, year).to_dict()
            assert shared == alone
            for crit in edition.criteria:
                if crit.scope != "product":
                    plain = engine.evaluate_criterion(crit, profile, year, edition.tier).to_dict()
                    found = [c for v in shared["variants"] for c in v["criteria"] if c["code"] == crit.code]
                    assert found and all(c == plain for c in found)


def test_display_fast_path_equals_decimal_rounding():
    rnd = random.Random(7)
    values = [Fraction(0), Fraction(-1, 1000), Fraction(1, 200), Fraction(-1, 200), Fraction(-3, 200),
              Fraction(10 ** 23 + 1, 3), Fraction(2 ** 130, 3), Fraction(10 ** 25)]
    for _ in range(20000):
        k = rnd.choice([1, 3, 6, 12, 30])
        den = rnd.choice([1, 2, 3, 7, 100, 200, 1000, rnd.randint(1, 10 ** k)])
        values.append(Fraction(rnd.randint(-10 ** k, 10 ** k), den))
        values.append(Fraction(2 * rnd.randint(-10 ** k, 10 ** k) + 1, 200))
    for f in values:
        try:
            slow = str(fraction_to_decimal(f).quantize(Decimal("0.01"), ROUND_HALF_UP))
        except ArithmeticError:                       # beyond 28 digits: the fast path must not hide it
            assert _two_places(f) is None
            with pytest.raises(ArithmeticError):
                display(f, "money")
            continue
        fast = _two_places(f)
        assert fast is None or fast == slow, f
        assert display(f, "percent") == slow
        if f.denominator != 1:
            assert display(f, "count") == slow
