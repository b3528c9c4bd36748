"""Staff edit targets and add a plan period without code; leaders read the list and change nothing;
bad params, bad JSON and overlapping years are refused in Chinese."""
import json

import pytest
from django.urls import reverse

from dashboards import services
from dashboards.models import PlanPeriod, Target
from enterprises.models import RecognitionKind as K
from tests.factories import RecognitionFactory


def target_post(target, **changes):
    data = {"name": target.name, "kind": target.kind, "floor": target.floor, "ceiling": target.ceiling or "",
            "unit": target.unit, "responsible": target.responsible, "counter": target.counter,
            "params": json.dumps(target.params), "order": target.order}
    data.update(changes)
    return data


@pytest.fixture
def city(plan_targets):
    return Target.objects.get(period=plan_targets, code="new_city_giants")


def test_staff_change_a_target_s_goal_units_and_counting_and_figures_follow(client, bob, carol, city):
    RecognitionFactory(kind=K.CITY_GIANT, year=2023)
    RecognitionFactory(kind=K.CITY_PRODUCT, year=2023)
    assert services.figure(city, 2023, carol) == 1
    client.force_login(bob)
    page = client.get(reverse("dashboards:target_edit", args=[city.pk])).content.decode()
    assert "县工信局" in page and "city_giant" in page and 'type="checkbox"' in page
    response = client.post(reverse("dashboards:target_edit", args=[city.pk]), target_post(
        city, floor=1, ceiling=3, responsible=["gongxin", "keji"],
        params=json.dumps({"kinds": ["city_giant", "city_product"]})))
    assert response.status_code == 302
    city.refresh_from_db()
    assert (city.floor, city.ceiling, city.responsible_labels) == (1, 3, ["县工信局", "县科技局"])
    row = next(r for r in services.progress(city.period, 2023, carol) if r["code"] == "new_city_giants")
    assert (row["figure"], row["state"]) == (2, "within")


@pytest.mark.parametrize("params,message", [
    ("{\"kinds\": [\"no_such_kind\"]}", "认定类型"),
    ("{}", "kinds"),
    ("{not json", "有效的 JSON"),
])
def test_bad_params_are_refused_with_a_chinese_message(client, bob, city, params, message):
    client.force_login(bob)
    response = client.post(reverse("dashboards:target_edit", args=[city.pk]), target_post(city, params=params))
    assert response.status_code == 200 and message in response.content.decode()
    city.refresh_from_db()
    assert city.params.get("kinds") == ["city_giant"]


def test_a_ceiling_below_the_floor_is_refused(client, bob, city):
    client.force_login(bob)
    response = client.post(reverse("dashboards:target_edit", args=[city.pk]), target_post(city, floor=9, ceiling=3))
    assert "目标上限不能小于目标下限" in response.content.decode()


def test_staff_add_a_plan_period_copying_the_targets_and_weights(client, bob, plan_targets):
    client.force_login(bob)
    form = client.get(reverse("dashboards:period_create")).content.decode()
    assert "复制目标自" in form and "2025-2027" in form
    response = client.post(reverse("dashboards:period_create"), {
        "code": "2025-2027", "name": "新一轮三年行动计划", "document": "", "start_year": 2025, "end_year": 2027,
        "copy_from": plan_targets.pk})
    assert response.status_code == 302
    new = PlanPeriod.objects.get(code="2025-2027")
    assert new.targets.count() == 18 and new.weights.count() == plan_targets.weights.count()
    assert services.current_target("new_city_giants", 2026).period == new
    listing = client.get(reverse("dashboards:target_manage")).content.decode()
    assert "2025—2027" in listing


def test_overlapping_years_are_refused_with_the_model_s_message(client, bob, plan_targets):
    client.force_login(bob)
    response = client.post(reverse("dashboards:period_create"), {
        "code": "2024-2026", "name": "重叠", "start_year": 2024, "end_year": 2026})
    assert response.status_code == 200 and "年度重叠" in response.content.decode()
    assert not PlanPeriod.objects.filter(code="2024-2026").exists()


def test_staff_add_a_target_to_a_period_and_a_duplicate_code_is_refused(client, bob, plan_targets, city):
    client.force_login(bob)
    url = reverse("dashboards:target_create", args=[plan_targets.pk])
    data = target_post(city, code="new_province_products", name="新增省级专精特新产品",
                       params=json.dumps({"kinds": ["province_product"]}))
    assert client.post(url, data).status_code == 302
    assert Target.objects.filter(period=plan_targets, code="new_province_products").exists()
    response = client.post(url, {**data, "code": "new_city_giants"})
    assert "该规划期已有同代码的目标" in response.content.decode()


def test_only_staff_may_post_the_forms_and_leaders_read_the_list(client, carol, dave, erin, alice, city):
    posts = [(reverse("dashboards:target_edit", args=[city.pk]), target_post(city, floor=0)),
             (reverse("dashboards:target_create", args=[city.period_id]), target_post(city, code="x")),
             (reverse("dashboards:period_create"), {"code": "2030", "name": "x", "start_year": 2030, "end_year": 2030}),
             (reverse("dashboards:assessment_weights"), {"pool_firms": 100})]
    for user in (carol, dave, erin, alice):
        client.force_login(user)
        for url, data in posts:
            assert client.post(url, data).status_code == 403, (user, url)
    city.refresh_from_db()
    assert city.floor == 8 and PlanPeriod.objects.count() == 1 and Target.objects.count() == 18
    client.force_login(carol)
    page = client.get(reverse("dashboards:target_manage")).content.decode()
    assert city.name in page and "县工信局" in page and reverse("dashboards:target_edit", args=[city.pk]) not in page


def test_the_list_takes_a_fixed_number_of_queries(client, bob, plan_targets, django_assert_max_num_queries):
    client.force_login(bob)
    client.post(reverse("dashboards:period_create"), {"code": "2025-2027", "name": "新规划", "start_year": 2025,
                                                      "end_year": 2027, "copy_from": plan_targets.pk})
    with django_assert_max_num_queries(9):
        page = client.get(reverse("dashboards:target_manage")).content.decode()
    assert page.count("新增市级专精特新小巨人企业") == 2
