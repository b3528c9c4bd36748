"""A value of the wrong type in the self-assessment request is a 400 naming the field, never a 200 read
as something else (issue 14): booleans, integers, and the lists and objects around them."""
import pytest

from .test_self_assessment_api import post


def error_of(client, body):
    response = post(client, body)
    assert response.status_code == 400, response.content.decode()
    return response.json()["errors"]


@pytest.mark.parametrize("value", ["maybe", 2, -1, 1.5, [True], {"v": True}], ids=repr)
def test_a_boolean_that_is_not_true_or_false_is_refused(client, published_editions, value):
    errors = error_of(client, {"enterprise": {"own_brand": value}})
    assert "true 或 false" in " ".join(errors["enterprise.own_brand"])


@pytest.mark.parametrize("field", ["independent_legal_person", "high_tech_certified"])
def test_every_enterprise_boolean_refuses_maybe(client, published_editions, field):
    assert f"enterprise.{field}" in error_of(client, {"enterprise": {field: "maybe"}})


@pytest.mark.parametrize("value", [[1], {"n": 1}, True, False, "十", "1.5", 1.5], ids=repr)
def test_an_integer_that_is_not_a_whole_number_is_refused(client, published_editions, value):
    errors = error_of(client, {"financials": [{"year": 2023, "employees": value}]})
    assert "financials[0].employees" in errors


@pytest.mark.parametrize("field", ["years_in_niche", "years_in_field", "years_with_new_product"])
def test_every_enterprise_count_refuses_a_list(client, published_editions, field):
    assert f"enterprise.{field}" in error_of(client, {"enterprise": {field: [1]}})


@pytest.mark.parametrize("body,field", [
    ({"products": [{"name": "甲", "key_field": "maybe"}]}, "products[0].key_field"),
    ({"ip": [{"type": "invention", "status": "granted", "high_value": "maybe"}]}, "ip[0].high_value"),
    ({"rd_institutions": [{"level": "province", "joint": [1]}]}, "rd_institutions[0].joint"),
    ({"recognitions": [{"tier": "county_pool", "year": [2022]}]}, "recognitions[0].year"),
    ({"products": [{"name": "甲", "market_rank": {"province": [1]}}]}, "products[0].market_rank.province"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_nested_booleans_and_integers_of_the_wrong_type_are_refused(client, published_editions, body, field):
    errors = error_of(client, body)
    assert any(k.startswith(field) for k in errors), errors


@pytest.mark.parametrize("value,expected", [("是", True), ("否", False), ("true", True), (0, False), (1, True)])
def test_booleans_written_as_words_or_0_and_1_are_read(client, published_editions, value, expected):
    assert post(client, {"enterprise": {"own_brand": value}}).status_code == 200


def test_whole_numbers_written_as_text_or_with_a_zero_fraction_are_read(client, published_editions):
    for value in ("12", 12.0, "12.00", 0):
        assert post(client, {"financials": [{"year": 2023, "employees": value}]}).status_code == 200, value
