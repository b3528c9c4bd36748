"""Every target of the plan is counted from the records, and its figure equals its drill-down's rows.

Each builder makes records that count for 2023 and records that must not (another year, a lower
level, another kind, a second record of a firm already counted), and returns the figure expected.
"""
from datetime import date

import pytest

from dashboards import services
from dashboards.models import Target, TargetState
from enterprises.models import Level, RecognitionKind as K, StandardLevel, StandardRole
from tests.factories import (AttendanceFactory, EnterpriseFactory, IPItemFactory, PoolMembershipFactory,
                             RDInstitutionFactory, RecognitionFactory, StandardFactory, TrainingFactory)


def firms_recognised(kinds, level=Level.CITY):
    def build():
        a, b = EnterpriseFactory(), EnterpriseFactory()
        RecognitionFactory(enterprise=a, kind=kinds[0], level=level, year=2023)
        RecognitionFactory(enterprise=a, kind=kinds[-1], level=level, year=2023)   # same firm: once
        RecognitionFactory(enterprise=b, kind=kinds[-1], level=level, year=2022)
        RecognitionFactory(enterprise=EnterpriseFactory(), kind=K.QUALITY_AWARD if K.QUALITY_AWARD not in kinds
                           else K.FIRST_SET, level=level, year=2023)                 # another kind
        RecognitionFactory(enterprise=EnterpriseFactory(), kind=kinds[0], level=level, year=2024)  # later
        return a, b
    return build


def annual(kinds, level):
    build = firms_recognised(kinds, level)
    return lambda: (build(), 1)[1]          # 2023 alone: firm a


def cumulative(kinds, level=Level.CITY):
    build = firms_recognised(kinds, level)
    return lambda: (build(), 2)[1]          # 2022–2023: firms a and b


def items_recognised(kind, min_level):
    def build():
        firm = EnterpriseFactory()
        RecognitionFactory(enterprise=firm, kind=kind, level=min_level, year=2022)
        RecognitionFactory(enterprise=firm, kind=kind, level=Level.NATIONAL, year=2023)   # same firm: twice
        RecognitionFactory(enterprise=firm, kind=kind, level=Level.COUNTY, year=2023)     # below the level
        RecognitionFactory(enterprise=firm, kind=kind, level=min_level, year=2021)        # before the plan
        return 2
    return build


def pool_size():
    a = EnterpriseFactory()
    PoolMembershipFactory(enterprise=a, admitted_on=date(2022, 3, 1), left_on=date(2022, 12, 1))
    PoolMembershipFactory(enterprise=a, admitted_on=date(2023, 3, 1))                    # re-admitted: once
    PoolMembershipFactory(admitted_on=date(2023, 12, 31))
    PoolMembershipFactory(admitted_on=date(2024, 1, 1))                                  # after 2023
    return 2


def rd_institutions():
    firm = EnterpriseFactory()
    RDInstitutionFactory(enterprise=firm, level=Level.PROVINCE, recognized_year=2022)
    RDInstitutionFactory(enterprise=firm, level=Level.NATIONAL, recognized_year=2023)
    RDInstitutionFactory(enterprise=firm, level=Level.CITY, recognized_year=2023)        # below provincial
    RDInstitutionFactory(enterprise=firm, level=Level.PROVINCE, recognized_year=None)    # year unknown
    return 2


def patents():
    firm = EnterpriseFactory()
    IPItemFactory(enterprise=firm, granted_on=date(2022, 2, 1))
    IPItemFactory(enterprise=firm, granted_on=date(2023, 11, 1), status="lapsed")        # was granted
    IPItemFactory(enterprise=firm, granted_on=date(2021, 12, 31))
    IPItemFactory(enterprise=firm, ip_type="utility", granted_on=date(2023, 1, 1))
    IPItemFactory(enterprise=firm, status="applied", granted_on=None)
    return 2


def standards():
    firm = EnterpriseFactory()
    StandardFactory(enterprise=firm, level=StandardLevel.NATIONAL, role=StandardRole.LED, year=2022)
    StandardFactory(enterprise=firm, level=StandardLevel.ENTERPRISE, role=StandardRole.JOINED, year=2023)
    StandardFactory(enterprise=firm, level=StandardLevel.CITY, role=StandardRole.LED, year=2023)  # local: no
    StandardFactory(enterprise=firm, level=StandardLevel.INDUSTRY, role=StandardRole.LED, year=2024)
    return 2


def people():
    first, second = TrainingFactory(date=date(2022, 4, 1)), TrainingFactory(date=date(2023, 9, 1))
    AttendanceFactory(training=first, name="张三", mobile="13900000001")
    AttendanceFactory(training=second, name="张三", mobile="13900000001")              # same person
    AttendanceFactory(training=second, name="张三", mobile="13900000002")              # a namesake
    AttendanceFactory(training=TrainingFactory(date=date(2024, 1, 5)), name="李四", mobile="13900000003")
    return 2


BUILDERS = {
    "new_national_giants": annual([K.NATIONAL_GIANT, K.NATIONAL_CHAMPION], Level.NATIONAL),
    "new_province_giants": annual([K.PROVINCE_GIANT], Level.PROVINCE),
    "new_city_giants": annual([K.CITY_GIANT], Level.CITY),
    "county_pool_size": pool_size,
    "province_pool_entries": cumulative([K.PROVINCE_POOL], Level.PROVINCE),
    "city_pool_entries": cumulative([K.CITY_POOL]),
    "new_rd_institutions": rd_institutions,
    "first_sets": items_recognised(K.FIRST_SET, Level.PROVINCE),
    "smart_workshops": items_recognised(K.SMART_WORKSHOP, Level.PROVINCE),
    "iiot_benchmarks": items_recognised(K.IIOT_BENCHMARK, Level.CITY),
    "people_trained": people,
    "energy_retrofits": cumulative([K.ENERGY_RETROFIT]),
    "quality_awards": items_recognised(K.QUALITY_AWARD, Level.CITY),
    "jiangsu_jingpin": items_recognised(K.JIANGSU_JINGPIN, Level.PROVINCE),
    "invention_patents": patents,
    "standards": standards,
    "service_platforms": items_recognised(K.SERVICE_PLATFORM, Level.PROVINCE),
    "innovation_bases": items_recognised(K.INNOVATION_BASE, Level.PROVINCE),
}


def test_every_target_of_the_plan_has_a_builder(plan_targets):
    assert set(plan_targets.targets.values_list("code", flat=True)) == set(BUILDERS)


@pytest.mark.parametrize("code", sorted(BUILDERS))
def test_target_figure_counts_the_records_and_equals_its_drill_down(code, plan_targets, carol):
    expected = BUILDERS[code]()
    target = Target.objects.get(period=plan_targets, code=code)
    assert services.figure(target, 2023, carol) == expected
    assert services.target_rows(target, 2023, carol).count() == expected


def test_a_town_officer_counts_only_the_firms_of_the_town(plan_targets, town, other_town, dave):
    RecognitionFactory(enterprise=EnterpriseFactory(town=town), kind=K.CITY_GIANT, year=2023)
    RecognitionFactory(enterprise=EnterpriseFactory(town=other_town), kind=K.CITY_GIANT, year=2023)
    target = Target.objects.get(period=plan_targets, code="new_city_giants")
    assert services.figure(target, 2023, dave) == 1


def test_a_range_target_reads_below_within_and_above(plan_targets):
    target = Target.objects.get(period=plan_targets, code="new_city_giants")          # 8–15
    assert [target.state(n) for n in (7, 8, 15, 16)] == [
        TargetState.BELOW, TargetState.WITHIN, TargetState.WITHIN, TargetState.ABOVE]
    pool = Target.objects.get(period=plan_targets, code="county_pool_size")            # 超过150
    assert [pool.state(n) for n in (150, 151, 9999)] == [TargetState.BELOW, TargetState.WITHIN, TargetState.WITHIN]


def test_progress_moves_as_soon_as_a_record_is_written(plan_targets, carol):
    codes = lambda: {row["code"]: row for row in services.progress(plan_targets, 2023, carol)}  # noqa: E731
    assert codes()["new_city_giants"]["figure"] == 0
    RecognitionFactory(kind=K.CITY_GIANT, year=2023)
    row = codes()["new_city_giants"]
    assert (row["figure"], row["state"], row["series"]) == (1, "below", [(2022, 0), (2023, 1)])
    assert row["change"] == 1
