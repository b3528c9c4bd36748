"""The self-assessment API for a scored tier answers exactly the shape of the spec's "Scored tiers"
example (docs/spec/self-assessment-api.md), and refuses bad values of the data the tier reads."""
import json
from pathlib import Path

import pytest
from django.core.cache import cache

URL = "/api/v1/self-assessment/"
SPEC_TEXT = (Path(__file__).resolve().parents[2] / "docs" / "spec" / "self-assessment-api.md").read_text(
    encoding="utf-8")
SCORED = SPEC_TEXT.split("## Scored tiers")[1]
EXAMPLE = json.loads(SCORED.split("```json")[1].split("```")[0])

# A firm whose answer is the example's: 创新能力 20 + 15 = 35, 成长性 10 + 5, 专业化 15 for sure and
# 10 more at best (the field of its product is not said): 65 for sure, 75 at best, passing by score.
FIRM = {
    "assessment_year": 2023, "tiers": ["innovative_sme"],
    "financials": [{"year": 2022, "main_business_revenue": "6000"},
                   {"year": 2023, "operating_revenue": "10500", "main_business_revenue": "6300",
                    "rd_expense": "367.5", "total_assets": "10000", "total_liabilities": "6000"}],
    "products": [{"name": "精密阀门"}],
    "ip": [{"type": "invention", "status": "granted", "product": "精密阀门", "high_value": True}],
    "awards": [], "honours": [], "rd_institutions": [], "enterprise": {"high_tech_certified": False},
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def post(client, body):
    return client.post(URL, json.dumps(body, ensure_ascii=False), content_type="application/json")


def test_the_spec_example_firm_gets_exactly_the_spec_shape_and_numbers(client, editions):
    response = post(client, FIRM)
    assert response.status_code == 200, response.content.decode()
    tier = response.json()["tiers"][0]
    assert set(tier) == set(EXAMPLE)
    assert {k: tier[k] for k in ("tier", "name", "edition", "verdict", "route")} == \
        {k: EXAMPLE[k] for k in ("tier", "name", "edition", "verdict", "route")}
    score = tier["score"]
    assert set(score) == set(EXAMPLE["score"])
    assert (score["sure"], score["best"], score["pass_mark"]) == (65, 75, 60)
    assert score["dimensions"][0] == EXAMPLE["score"]["dimensions"][0]
    assert [d["code"] for d in score["dimensions"]] == ["innovation", "growth", "specialisation"]
    rd_share = next(i for i in score["indicators"] if i["code"] == "rd_share")
    assert rd_share == EXAMPLE["score"]["indicators"][0]
    assert [i["code"] for i in score["indicators"]] == ["ip", "rd_share", "revenue_growth", "debt_ratio",
                                                        "field", "main_share"]
    field = next(i for i in score["indicators"] if i["code"] == "field")
    assert field["result"] == "unknown" and field["points"] is None and field["max"] == 10
    assert [set(r) for r in tier["direct_routes"]] == [set(EXAMPLE["direct_routes"][0])] * 4
    assert [r["code"] for r in tier["direct_routes"]] == ["science_award", "honour", "rd_institution",
                                                          "equity_financing"]
    assert tier["cheapest_pass"] == []


def test_a_firm_short_of_the_mark_is_told_the_cheapest_changes_in_words_and_numbers(client, editions):
    firm = json.loads(json.dumps(FIRM))
    firm["financials"][1]["rd_expense"] = "126"          # 1.20%: 5 points, 创新能力 25
    firm["financials"][1]["main_business_revenue"] = "5250"   # 50%: 5, growth -12.5%: 0
    firm["products"][0]["strategic_emerging"] = False
    firm["financials"] += [{"year": 2021, "equity_financing": "0"}]   # no equity raised: no route open
    for fy in firm["financials"]:
        fy["equity_financing"] = "0"
    tier = post(client, firm).json()["tiers"][0]
    assert tier["verdict"] == "not_eligible" and tier["route"] is None
    assert tier["cheapest_pass"], tier
    for step in tier["cheapest_pass"]:
        assert set(step) == set(EXAMPLE["cheapest_pass"][0])
        assert isinstance(step["points"], int) and step["points"] > 0 and step["change"]
    honour = next(r for r in tier["direct_routes"] if r["code"] == "honour")
    assert honour["result"] == "not_met" and "即可直通" in honour["explanation"]


@pytest.mark.parametrize("body,path", [
    ({"awards": [{"kind": "science", "level": "city", "year": 2023}]}, "awards[0].level"),
    ({"awards": [{"kind": "nobel"}]}, "awards[0].kind"),
    ({"honours": [{"kind": "tech_innovation_demo", "valid_until": "明年"}]}, "honours[0].valid_until"),
    ({"honours": [{"valid_until": "2024-01-01"}]}, "honours[0].kind"),
    ({"ip": [{"type": "invention", "high_value": "也许"}]}, "ip[0].high_value"),
    ({"products": [{"name": "甲", "strategic_emerging": 3}]}, "products[0].strategic_emerging"),
])
def test_bad_values_of_the_scored_data_answer_400_in_chinese(client, editions, body, path):
    response = post(client, {"tiers": ["innovative_sme"], "assessment_year": 2023, **body})
    assert response.status_code == 400
    assert path in response.json()["errors"]
