"""The targets API answers as docs/spec/targets.md says: every target with its figure and state, and
the records behind a figure, whose count is the figure; town officers read their town; enterprise
users and anonymous callers are refused; bad years and codes get Chinese answers."""
from datetime import date

import pytest
from django.urls import reverse

from dashboards import services
from dashboards.models import PlanPeriod
from enterprises.models import Level, RecognitionKind as K
from tests.factories import (AttendanceFactory, EnterpriseFactory, IPItemFactory, PoolMembershipFactory,
                             RecognitionFactory, TrainingFactory)

LIST = "/api/v1/targets/"


def records(code, **params):
    return reverse("api:target-records", args=[code]), params


@pytest.fixture
def leader_client(client, carol, plan_targets):
    client.force_login(carol)
    return client


def by_code(response):
    return {t["code"]: t for t in response.json()["targets"]}


def test_the_list_names_every_target_of_the_period_in_order_with_the_spec_s_fields(leader_client, plan_targets):
    assert reverse("api:targets") == LIST
    RecognitionFactory(kind=K.CITY_GIANT, level=Level.CITY, year=2024)
    body = leader_client.get(LIST, {"year": 2024}).json()
    assert (body["year"], body["period"]) == (2024, "2022-2024")
    assert [t["code"] for t in body["targets"]] == list(plan_targets.targets.values_list("code", flat=True))
    city = by_code_of(body)["new_city_giants"]
    assert city == {"code": "new_city_giants", "name": "新增市级专精特新小巨人企业", "kind": "annual",
                    "floor": 8, "ceiling": 15, "unit": "家", "figure": 1, "state": "below",
                    "responsible": ["县工信局"], "records": "/api/v1/targets/new_city_giants/records/?year=2024"}
    pool = by_code_of(body)["county_pool_size"]
    assert (pool["kind"], pool["floor"], pool["ceiling"]) == ("cumulative", 151, None)
    assert by_code_of(body)["people_trained"]["responsible"] == ["县工信局", "县人社局", "县市场监管局", "县应急局",
                                                                 "县人才办"]


def by_code_of(body):
    return {t["code"]: t for t in body["targets"]}


def test_the_state_is_below_within_or_above_and_a_target_over_n_needs_n_plus_one(leader_client, plan_targets):
    for n in range(16):                                                # 16 new city giants: above 8–15
        RecognitionFactory(kind=K.CITY_GIANT, year=2023)
    for n in range(150):                                               # exactly 150: not "超过150"
        PoolMembershipFactory(admitted_on=date(2022, 1, 1 + n % 28))
    RecognitionFactory(kind=K.PROVINCE_GIANT, level=Level.PROVINCE, year=2023)   # 1 of 2–5: below
    for n in range(3):
        RecognitionFactory(kind=K.PROVINCE_GIANT, level=Level.PROVINCE, year=2024)   # 3 of 2–5: within
    got = lambda y: by_code(leader_client.get(LIST, {"year": y}))  # noqa: E731
    y2023 = got(2023)
    assert [y2023[c]["state"] for c in ("new_city_giants", "county_pool_size", "new_province_giants")] == [
        "above", "below", "below"]
    PoolMembershipFactory(admitted_on=date(2023, 5, 5))                # the 151st
    y2023 = got(2023)
    assert (y2023["county_pool_size"]["figure"], y2023["county_pool_size"]["state"]) == (151, "within")
    assert got(2024)["new_province_giants"]["state"] == "within"


@pytest.mark.parametrize("code", ["new_city_giants", "people_trained", "invention_patents"])
def test_the_records_count_equals_the_figure_for_firms_people_and_items(leader_client, plan_targets, code):
    firm = EnterpriseFactory()
    RecognitionFactory(enterprise=firm, kind=K.CITY_GIANT, year=2023)
    RecognitionFactory(enterprise=firm, kind=K.CITY_GIANT, year=2023)            # the same firm: once
    RecognitionFactory(kind=K.CITY_GIANT, year=2023)
    first, second = TrainingFactory(date=date(2022, 3, 1)), TrainingFactory(date=date(2023, 3, 1))
    AttendanceFactory(training=first, name="张三", mobile="13900000001")
    AttendanceFactory(training=second, name="张三", mobile="13900000001")       # the same person: once
    AttendanceFactory(training=second, name="李四", mobile="13900000002")
    for n in range(3):
        IPItemFactory(enterprise=firm, granted_on=date(2023, 1, 1 + n))
    figure = by_code(leader_client.get(LIST, {"year": 2023}))[code]["figure"]
    body = leader_client.get(reverse("api:target-records", args=[code]), {"year": 2023}).json()
    assert body["count"] == figure == {"new_city_giants": 2, "people_trained": 2, "invention_patents": 3}[code]
    assert set(body) == {"count", "next", "previous", "results"} and len(body["results"]) == figure
    row = body["results"][0]
    if code == "people_trained":
        assert set(row) == {"name", "mobile"} and "****" in row["mobile"]
    else:
        ids = {r["enterprise_id"] for r in body["results"]}
        assert firm.pk in ids and row["enterprise"] and row["town"]


def test_records_are_paginated_as_drf_pages_are(leader_client, plan_targets):
    for n in range(55):
        IPItemFactory(granted_on=date(2023, 2, 1))
    url = reverse("api:target-records", args=["invention_patents"])
    first = leader_client.get(url, {"year": 2023}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (55, 50, None)
    second = leader_client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None


def test_a_town_officer_reads_the_figures_and_records_of_its_town(client, dave, plan_targets, town, other_town):
    RecognitionFactory(enterprise=EnterpriseFactory(town=town), kind=K.CITY_GIANT, year=2023)
    RecognitionFactory(enterprise=EnterpriseFactory(town=other_town), kind=K.CITY_GIANT, year=2023)
    client.force_login(dave)
    assert by_code(client.get(LIST, {"year": 2023}))["new_city_giants"]["figure"] == 1
    body = client.get(reverse("api:target-records", args=["new_city_giants"]), {"year": 2023}).json()
    assert body["count"] == 1 and body["results"][0]["town"] == town.name


def test_the_drill_down_filters_narrow_the_records_for_firms_items_and_people(leader_client, plan_targets, town,
                                                                               other_town):
    RecognitionFactory(enterprise=EnterpriseFactory(town=town), kind=K.CITY_GIANT, year=2023)
    there = EnterpriseFactory(town=other_town, name="乙镇精密机械有限公司")
    RecognitionFactory(enterprise=there, kind=K.CITY_GIANT, year=2023)
    IPItemFactory(enterprise=there, granted_on=date(2023, 3, 3))
    AttendanceFactory(enterprise=there, training=TrainingFactory(date=date(2023, 3, 3)))
    AttendanceFactory(enterprise=EnterpriseFactory(town=town), training=TrainingFactory(date=date(2023, 3, 3)))
    url = reverse("api:target-records", args=["new_city_giants"])
    assert leader_client.get(url, {"year": 2023}).json()["count"] == 2
    assert leader_client.get(url, {"year": 2023, "town": other_town.pk}).json()["count"] == 1
    assert leader_client.get(url, {"year": 2023, "q": "精密"}).json()["results"][0]["enterprise_id"] == there.pk
    for code in ("invention_patents", "people_trained"):
        narrowed = leader_client.get(reverse("api:target-records", args=[code]), {"year": 2023, "town": other_town.pk})
        assert narrowed.json()["count"] == 1, code
    response = leader_client.get(url, {"year": 2023, "town": "甲镇"})
    assert response.status_code == 400 and "town" in response.json()


def test_a_year_outside_every_period_and_an_unknown_code_are_404_in_chinese(leader_client, plan_targets):
    for url, params in [(LIST, {"year": 2019}), (reverse("api:target-records", args=["new_city_giants"]),
                                                  {"year": 2030}),
                        (reverse("api:target-records", args=["no_such_target"]), {"year": 2023})]:
        response = leader_client.get(url, params)
        assert response.status_code == 404
        assert "规划期" in response.json()["detail"]


def test_a_year_that_is_not_a_number_is_a_400_naming_the_field(leader_client, plan_targets):
    for bad in ("二〇二四", "2024.5", "-1", "20245"):
        response = leader_client.get(LIST, {"year": bad})
        assert response.status_code == 400
        assert "年度" in response.json()["year"][0]


def test_without_a_year_the_api_answers_for_the_default_year(leader_client, plan_targets):
    body = leader_client.get(LIST).json()
    assert body["year"] == services.default_year()
    assert services.default_year(date(2025, 3, 1)) == 2024
    assert services.default_year(date(2023, 3, 1)) == 2023
    PlanPeriod.objects.create(code="2025-2027", name="新规划", start_year=2025, end_year=2027)
    assert services.default_year(date(2025, 3, 1)) == 2025


def test_an_enterprise_user_is_refused_and_an_anonymous_caller_too(client, alice, plan_targets):
    assert client.get(LIST).status_code in (401, 403)
    client.force_login(alice)
    for url in (LIST, reverse("api:target-records", args=["new_city_giants"])):
        response = client.get(url, {"year": 2023})
        assert response.status_code == 403 and "无权" in response.json()["detail"]
