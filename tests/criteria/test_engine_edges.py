"""Rules that must fail loudly when they break (issue 14): an "and" with one part not met and another
unknown, and editions edited by staff that leave a parameter at its default (docs/spec/criteria.md).
Pure engine: no database."""
import itertools
import json
from pathlib import Path

import pytest

from criteria.engine import (MET, NEEDS_REVIEW, NOT_ELIGIBLE, NOT_MET, UNKNOWN, ConditionSpec, CriterionSpec,
                             combine_and, combine_or, editions_from_json, evaluate_criterion, evaluate_tier)
from criteria.profile_input import profile_from_request

EDITION_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "editions" / "2022.json"
EDITIONS = {e.tier: e for e in editions_from_json(json.loads(EDITION_FILE.read_text(encoding="utf-8")))}
Y = 2023


# ---------------------------------------------------------------------------------------------
# "and" of rule groups
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("parts", list(itertools.permutations([NOT_MET, UNKNOWN, NEEDS_REVIEW, MET])))
def test_an_and_with_any_part_not_met_is_not_met_whatever_the_order(parts):
    assert combine_and(parts) == NOT_MET
    assert combine_and(p for p in parts if p != NOT_MET) == UNKNOWN
    assert combine_and(p for p in parts if p not in (NOT_MET, UNKNOWN)) == NEEDS_REVIEW
    assert combine_and([MET, MET]) == MET


@pytest.mark.parametrize("parts", list(itertools.permutations([NOT_MET, UNKNOWN, NEEDS_REVIEW, MET])))
def test_an_or_with_any_branch_met_is_met_then_needs_review_then_unknown(parts):
    assert combine_or(parts) == MET
    assert combine_or(p for p in parts if p != MET) == NEEDS_REVIEW
    assert combine_or(p for p in parts if p not in (MET, NEEDS_REVIEW)) == UNKNOWN
    assert combine_or([NOT_MET, NOT_MET]) == NOT_MET


@pytest.mark.parametrize("groups", [("a", "b"), ("b", "a")], ids=["province first", "legal person first"])
def test_a_criterion_with_one_group_not_met_and_another_unknown_is_not_met(groups):
    crit = CriterionSpec(code="C1", text="企业在江苏境内注册，具有独立法人资格", variant="", scope="enterprise", order=1,
                         conditions=(
                             ConditionSpec(group=groups[0], label="在江苏境内注册", metric="registered_in_province",
                                           params={"province": "江苏"}),
                             ConditionSpec(group=groups[1], label="具有独立法人资格", metric="independent_legal_person")))
    profile = profile_from_request({"enterprise": {"registered_province": "浙江省"}})
    assert evaluate_criterion(crit, profile, Y, "province_pool").result == NOT_MET


def test_c1_of_annex_1_with_a_province_outside_jiangsu_and_legal_person_status_missing_is_not_eligible():
    profile = profile_from_request({"enterprise": {"registered_province": "浙江省"}})
    result = evaluate_tier(profile, EDITIONS["province_pool"], Y)
    assert result.criterion("C1").result == NOT_MET
    assert result.verdict == NOT_ELIGIBLE        # 不符合, not 待补充


def test_c1_of_annex_1_in_jiangsu_with_legal_person_status_missing_is_unknown():
    profile = profile_from_request({"enterprise": {"registered_province": "江苏省"}})
    assert evaluate_tier(profile, EDITIONS["province_pool"], Y).criterion("C1").result == UNKNOWN


# ---------------------------------------------------------------------------------------------
# Parameters left at their defaults by staff
# ---------------------------------------------------------------------------------------------

def judge(metric, threshold, profile, params=None, op=">="):
    crit = CriterionSpec(code="X1", text="员工编辑的规则", variant="", scope="enterprise", order=1,
                         conditions=(ConditionSpec(group="a", label="规则", metric=metric, operator=op,
                                                   threshold=threshold, unit="%", params=params or {}),))
    return evaluate_criterion(crit, profile_from_request(profile), Y, "county_pool")


def years(field, values, other=None):
    """Financial years from 2023 backwards: values[0] is 2023."""
    return {"financials": [{"year": Y - i, field: str(v), **({k: str(w[i]) for k, w in (other or {}).items()})}
                           for i, v in enumerate(values)]}


# revenue 2020..2023 = 100, 200, 200, 100: year-on-year 100 %, 0 %, -50 % (mean 16.67 %); CAGR 0 %
GROWTH = years("operating_revenue", [100, 200, 200, 100])


def test_an_average_growth_without_a_method_is_the_arithmetic_mean_of_three_yearly_rates():
    met = judge("avg_growth", "16.66", GROWTH)
    assert met.result == MET and met.actual.startswith("16.6")
    assert judge("avg_growth", "16.67", GROWTH).result == NOT_MET
    assert judge("avg_growth", "10", GROWTH, {"method": "cagr"}).result == NOT_MET
    assert judge("avg_growth", "10", GROWTH, {"window": 2}).result == NOT_MET   # 0 %, -50 %


def test_an_average_growth_without_a_window_needs_four_years_of_figures():
    three = years("operating_revenue", [100, 200, 200])
    assert judge("avg_growth", "0", three).result == UNKNOWN
    assert judge("avg_growth", "0", three, {"window": 2}).result == NOT_MET


@pytest.mark.parametrize("metric,numerator", [("avg_rd_intensity", "rd_expense"),
                                              ("avg_operating_margin", "operating_profit")])
def test_an_averaged_ratio_without_a_method_is_the_mean_of_three_yearly_ratios(metric, numerator):
    # 2021..2023 = 19/100, 1/100, 10/1000: mean of ratios 7 %; of two years 1 %; ratio of sums 2.5 %
    profile = years(numerator, [10, 1, 19], other={"operating_revenue": [1000, 100, 100]})
    met = judge(metric, "7", profile)
    assert met.result == MET and met.actual.startswith("7")
    assert judge(metric, "7.01", profile).result == NOT_MET
    assert judge(metric, "5", profile, {"method": "ratio_of_sums"}).result == NOT_MET
    assert judge(metric, "5", profile, {"window": 2}).result == NOT_MET


def ip(*statuses):
    return {"ip": [{"type": "invention", "status": s} for s in statuses]}


def test_a_lapsed_item_counts_nowhere_even_when_staff_list_lapsed_among_the_statuses():
    rule = {"statuses": ["granted", "lapsed"]}
    assert judge("ip_count", "2", ip("granted", "lapsed"), rule).result == NOT_MET
    assert judge("ip_count", "1", ip("granted", "lapsed"), rule).result == MET
    assert judge("ip_count", "1", ip("lapsed", "lapsed"), {"statuses": ["lapsed"]}).result == NOT_MET


def test_an_ip_rule_without_statuses_counts_granted_items_only():
    assert judge("ip_count", "2", ip("granted", "applied")).result == NOT_MET
    assert judge("ip_count", "2", ip("granted", "applied"), {"statuses": ["applied", "granted"]}).result == MET
    assert judge("ip_count", "2", ip("granted", "granted")).result == MET
