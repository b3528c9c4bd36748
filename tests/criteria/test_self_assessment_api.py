"""The self-assessment API (docs/spec/self-assessment-api.md) and the page's plain (no-JS) path."""
import copy
import json
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse
from django.utils.timezone import localdate
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from criteria.models import Edition, Tier
from criteria.services import assess_enterprise, default_year
from tests.factories import FiscalYearFactory, ProductFactory

URL = "/api/v1/self-assessment/"
SPEC_FILE = Path(__file__).resolve().parents[2] / "docs" / "spec" / "self-assessment-api.md"
CASES_DIR = Path(__file__).resolve().parent / "cases"
SPEC_TEXT = SPEC_FILE.read_text(encoding="utf-8")
SPEC_REQUEST = json.loads(SPEC_TEXT.split("```json")[1].split("```")[0])
SPEC_RESPONSE = json.loads(SPEC_TEXT.split("```json")[2].split("```")[0])


def post(client, body, **extra):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body, ensure_ascii=False, default=str)
    return client.post(URL, raw, content_type="application/json", **extra)


def criterion(tier_result, code, product=None):
    if product is not None:
        lists = [p["criteria"] for p in tier_result["products"] if p["name"] == product]
    else:
        lists = [v["criteria"] for v in tier_result["variants"]]
        if not any(c["code"] == code for lst in lists for c in lst) and len(tier_result["products"]) == 1:
            lists = [tier_result["products"][0]["criteria"]]
    for lst in lists:
        for c in lst:
            if c["code"] == code:
                return c
    return None


def tier_of(data, tier):
    return next(t for t in data["tiers"] if t["tier"] == tier)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


# ---------------------------------------------------------------------------------------------
# The contract's example
# ---------------------------------------------------------------------------------------------

def test_spec_example_answers_the_spec_shape(client, editions):
    response = post(client, SPEC_REQUEST)
    assert response.status_code == 200, response.content.decode()
    data = response.json()
    assert set(data) == set(SPEC_RESPONSE) == {"assessment_year", "tiers"}
    assert data["assessment_year"] == 2023
    assert [t["tier"] for t in data["tiers"]] == ["county_pool", "national_giant"]
    county = tier_of(data, "county_pool")
    expected = SPEC_RESPONSE["tiers"][0]
    assert set(county) == set(expected)
    assert county["name"] == expected["name"]
    assert county["edition"] == expected["edition"]
    assert county["products"] == []
    variant = county["variants"][0]
    assert set(variant) == set(expected["variants"][0])
    assert (variant["variant"], variant["own"]) == ("M", True)
    assert [v["own"] for v in county["variants"]] == [True, False]
    m1 = criterion(county, "M1")
    spec_m1 = expected["variants"][0]["criteria"][0]
    assert set(m1) == set(spec_m1)
    for key in ("code", "result", "actual", "threshold", "unit", "gap", "explanation"):
        assert m1[key] == spec_m1[key], key
    # the claimed judgment criterion awaits review; the unclaimed ones are unknown
    assert criterion(county, "M3e")["result"] == "needs_review"
    assert criterion(county, "I1")["result"] == "unknown"
    for t in data["tiers"]:
        assert t["verdict"] in ("eligible", "incomplete", "not_eligible")
        for v in t["variants"]:
            for c in v["criteria"]:
                assert c["result"] in ("met", "not_met", "unknown", "needs_review")


def test_tiers_default_to_every_tier_with_an_edition(client, editions):
    body = {k: v for k, v in SPEC_REQUEST.items() if k != "tiers"}
    data = post(client, body).json()
    assert [t["tier"] for t in data["tiers"]] == list(Tier.values)
    champion = tier_of(data, "national_champion")
    assert [p["name"] for p in champion["products"]] == ["精密阀门"]
    assert criterion(champion, "S7", "精密阀门") is not None


def test_empty_body_is_the_default_year_with_every_result_unknown_or_open(client, editions):
    data = post(client, {}).json()
    assert data["assessment_year"] == default_year()
    county = tier_of(data, "county_pool")
    assert criterion(county, "M1")["result"] == "unknown"
    assert county["verdict"] == "incomplete"


def test_a_tier_that_is_retired_is_left_out_by_default_and_refused_when_asked(client, editions):
    Edition.objects.get(tier="national_giant", year=2022).retire()
    data = post(client, {"assessment_year": 2023}).json()
    assert "national_giant" not in [t["tier"] for t in data["tiers"]]
    response = post(client, {"assessment_year": 2023, "tiers": ["county_pool", "national_giant"]})
    assert response.status_code == 400
    assert "assessment_year" in response.json()["errors"]
    assert "国家级" in response.json()["errors"]["assessment_year"][0]


@pytest.mark.parametrize("year,status", [(2020, 400), (2021, 200), (localdate().year + 1, 200),
                                         (localdate().year + 2, 400), (1900, 400)])
def test_which_years_have_an_edition(client, editions, year, status):
    response = post(client, {"assessment_year": year})
    assert response.status_code == status, response.content.decode()
    if status == 400:
        assert list(response.json()["errors"]) == ["assessment_year"]


def test_no_edition_in_the_database_is_a_400_not_a_500(client, db):
    response = post(client, {"assessment_year": 2023})
    assert response.status_code == 400
    assert "assessment_year" in response.json()["errors"]


# ---------------------------------------------------------------------------------------------
# Known, unknown, decimals, claims
# ---------------------------------------------------------------------------------------------

def test_absent_list_is_unknown_and_empty_list_is_known_empty(client, editions):
    base = {"assessment_year": 2023, "tiers": ["county_pool"]}
    absent = tier_of(post(client, base).json(), "county_pool")
    empty = tier_of(post(client, {**base, "ip": [], "rd_institutions": [], "bad_records": []}).json(),
                    "county_pool")
    assert criterion(absent, "M3c")["result"] == "unknown"
    assert criterion(empty, "M3c")["result"] == "not_met"
    assert criterion(absent, "M3b")["result"] == "unknown"
    assert criterion(empty, "M3b")["result"] == "not_met"
    assert criterion(absent, "M5")["result"] == "unknown"
    assert criterion(empty, "M5")["result"] == "met"
    nulls = tier_of(post(client, {**base, "ip": None, "enterprise": None, "financials": None}).json(),
                    "county_pool")
    assert criterion(nulls, "M3c")["result"] == "unknown"


def test_a_rank_rule_with_an_unranked_product_is_unknown_and_names_it(client, editions):
    body = {"assessment_year": 2023, "tiers": ["county_pool", "national_giant"],
            "products": [{"name": "甲阀门", "market_rank": {"province": 6}},
                         {"name": "乙阀门", "market_rank": {"domestic": 1}}, {"name": "丙阀门"}]}
    data = post(client, body).json()
    for tier, code in (("county_pool", "M2"), ("national_giant", "N2")):
        c = criterion(tier_of(data, tier), code)
        assert c["result"] == "unknown" and c["gap"] is None, c
        assert "“乙阀门”" in c["explanation"] and "“丙阀门”" in c["explanation"], c
    body["products"][0]["market_rank"]["province"] = 3
    data = post(client, body).json()
    assert criterion(tier_of(data, "national_giant"), "N2")["result"] == "met"


def test_ip_naming_a_product_off_the_list_does_not_count(client, editions):
    base = {"assessment_year": 2023, "tiers": ["province_pool"], "enterprise": {"category": "M"},
            "ip": [{"type": "invention", "status": "granted", "product": "精密阀门"}]}
    results = {}
    for label, products in (("listed", [{"name": "精密阀门"}]), ("other", [{"name": "电动执行器"}]),
                            ("empty", []), ("absent", None)):
        body = dict(base, **({"products": products} if products is not None else {}))
        results[label] = criterion(tier_of(post(client, body).json(), "province_pool"), "M2")["result"]
    assert results == {"listed": "met", "other": "not_met", "empty": "not_met", "absent": "unknown"}


@pytest.mark.parametrize("raw", ['"1999.99"', "1999.99", '"1999.990"'])
def test_money_is_decimal_and_a_hair_below_the_threshold_is_not_met(client, editions, raw):
    body = ('{"assessment_year": 2023, "tiers": ["county_pool"], "financials": '
            '[{"year": 2023, "main_business_revenue": %s, "total_profit": "0", "taxes_paid": "0"}]}' % raw)
    response = post(client, body)
    assert response.status_code == 200, response.content.decode()
    m1 = criterion(tier_of(response.json(), "county_pool"), "M1")
    assert (m1["result"], m1["actual"], m1["gap"]) == ("not_met", "1999.99", "0.01")


@pytest.mark.parametrize("main,operating", [("0.7", "1"), ("70.00", "100"), ("6999.99", "10000")])
def test_a_ratio_exactly_on_its_threshold_is_decided_by_the_operator(client, editions, main, operating):
    body = ('{"assessment_year": 2023, "tiers": ["national_giant"], "financials": '
            '[{"year": 2023, "main_business_revenue": %s, "operating_revenue": %s}]}' % (main, operating))
    n1 = criterion(tier_of(post(client, body).json(), "national_giant"), "N1")
    expected = "met" if main != "6999.99" else "not_met"  # 69.9999% shows as 70.00
    assert n1["result"] == expected, n1


def test_claims_need_review_and_staff_judgments_cannot_be_sent(client, editions):
    body = {"assessment_year": 2023, "tiers": ["county_pool"], "claims": ["county_pool.M3e"],
            "judgments": {"county_pool.I1": True, "county_pool.M3e": True}}
    county = tier_of(post(client, body).json(), "county_pool")
    assert criterion(county, "M3e")["result"] == "needs_review"
    assert criterion(county, "I1")["result"] == "unknown"


def test_industry_tags_map_to_the_taxonomies(client, editions):
    body = {"assessment_year": 2023, "tiers": ["province_pool"], "enterprise": {"industry_tags": ["高端装备"]}}
    pool = tier_of(post(client, body).json(), "province_pool")
    assert criterion(pool, "M1")["result"] == "met"
    body["enterprise"]["industry_tags"] = ["餐饮"]
    pool = tier_of(post(client, body).json(), "province_pool")
    assert criterion(pool, "M1")["result"] == "not_met"


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------

ERROR_CASES = [
    ("not json", "{", "body", "请求体不是有效的 JSON"),
    ("empty body", "", "body", "JSON"),
    ("a list", "[]", "body", "JSON 对象"),
    ("a string", '"hello"', "body", "JSON 对象"),
    ("NaN", '{"financials": [{"year": 2023, "operating_revenue": NaN}]}', "body", "JSON"),
    ("year as text", {"financials": [{"year": "二零二三"}]}, "financials[0].year", "整数"),
    ("year missing", {"financials": [{"operating_revenue": "1"}]}, "financials[0].year", "必填"),
    ("revenue as text", {"financials": [{"year": 2023}, {"year": 2022, "operating_revenue": "很多"}]},
     "financials[1].operating_revenue", "数字"),
    ("revenue NaN text", {"financials": [{"year": 2023, "operating_revenue": "NaN"}]},
     "financials[0].operating_revenue", "有限"),
    ("revenue Infinity", {"financials": [{"year": 2023, "operating_revenue": "Infinity"}]},
     "financials[0].operating_revenue", "有限"),
    ("huge", '{"financials": [{"year": 2023, "operating_revenue": 1e400}]}', "financials[0].operating_revenue",
     "过大"),
    ("negative revenue", {"financials": [{"year": 2023, "operating_revenue": "-1"}]},
     "financials[0].operating_revenue", "负数"),
    ("negative assets", {"financials": [{"year": 2023, "total_assets": -5}]}, "financials[0].total_assets", "负数"),
    ("negative staff", {"financials": [{"year": 2023, "employees": -3}]}, "financials[0].employees", "负数"),
    ("fractional staff", {"financials": [{"year": 2023, "employees": 3.5}]}, "financials[0].employees", "整数"),
    ("bool as money", {"financials": [{"year": 2023, "operating_revenue": True}]},
     "financials[0].operating_revenue", "数字"),
    ("duplicate years", {"financials": [{"year": 2023}, {"year": 2022}, {"year": 2023}]}, "financials[2].year",
     "重复"),
    ("margin over 100", {"enterprise": {"industry_average_margin": "100.01"}}, "enterprise.industry_average_margin",
     "0—100"),
    ("margin below 0", {"enterprise": {"industry_average_margin": -1}}, "enterprise.industry_average_margin",
     "0—100"),
    ("rank zero", {"products": [{"name": "甲", "market_rank": {"province": 0}}]}, "products[0].market_rank.province",
     "1及以上"),
    ("rank scope", {"products": [{"name": "甲", "market_rank": {"city": 1}}]}, "products[0].market_rank",
     "排名范围"),
    ("revenue year", {"products": [{"name": "甲", "revenue": {"去年": "1"}}]}, "products[0].revenue", "年度"),
    ("category", {"enterprise": {"category": "X"}}, "enterprise.category", "M、I"),
    ("ip type", {"ip": [{"type": "trademark", "status": "granted"}]}, "ip[0].type", "invention"),
    ("ip status", {"ip": [{"type": "invention", "status": "pending"}]}, "ip[0].status", "granted"),
    ("rd level", {"rd_institutions": [{"level": "town"}]}, "rd_institutions[0].level", "province"),
    ("brand level", {"brands": [{"level": "world"}]}, "brands[0].level", "city"),
    ("standard level", {"standards": [{"level": "club", "role": "led"}]}, "standards[0].level", "industry"),
    ("standard role", {"standards": [{"level": "national", "role": "owner"}]}, "standards[0].role", "led"),
    ("certification kind", {"certifications": [{"kind": "iso"}]}, "certifications[0].kind", "management_system"),
    ("system kind", {"information_systems": [{"kind": "OA"}]}, "information_systems[0].kind", "ERP"),
    ("competition level", {"competitions": [{"level": 3}]}, "competitions[0].level", "province"),
    ("bad record kind", {"bad_records": [{"kind": "tax", "date": "2022-01-01"}]}, "bad_records[0].kind", "credit"),
    ("bad record date", {"bad_records": [{"kind": "tax", "date": "昨天"}]}, "bad_records[0].date", "YYYY-MM-DD"),
    ("recognition", {"recognitions": [{"tier": "world_champion", "year": 2022}]}, "recognitions[0].tier",
     "national_giant"),
    ("unknown tier", {"tiers": ["county_pool", "moon_base"]}, "tiers[1]", "不是有效"),
    ("tiers not a list", {"tiers": "county_pool"}, "tiers", "列表"),
    ("claim tier", {"claims": ["county_pool.M3e", "moon.M1"]}, "claims[1]", "层级"),
    ("claim format", {"claims": ["M3e"]}, "claims[0]", "格式"),
    ("year with no edition", {"assessment_year": 2019}, "assessment_year", "2019"),
    ("year text", {"assessment_year": "明年"}, "assessment_year", "整数"),
    ("enterprise list", {"enterprise": ["江苏"]}, "enterprise", "JSON 对象"),
    ("financials object", {"financials": {"year": 2023}}, "financials", "列表"),
    ("null item", {"ip": [None]}, "ip[0]", "null"),
    ("date type", {"enterprise": {"founding_date": 20150601}}, "enterprise.founding_date", "YYYY-MM-DD"),
    ("lone surrogate", '{"products": [{"name": "\\ud800"}]}', "products[0].name", "无效字符"),
    ("too many decimals", {"financials": [{"year": 2023, "rd_expense": "1e-40"}]}, "financials[0].rd_expense",
     "小数"),
]


@pytest.mark.parametrize("name,body,path,fragment", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors_are_400_with_a_chinese_message_at_the_field_path(client, editions, name, body, path, fragment):
    response = post(client, body)
    assert response.status_code == 400, response.content.decode()
    errors = response.json()["errors"]
    assert path in errors, errors
    assert any(fragment in m for m in errors[path]), errors[path]
    for messages in errors.values():
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages), messages


def test_profits_may_be_negative(client, editions):
    body = {"assessment_year": 2023, "tiers": ["national_giant"],
            "financials": [{"year": 2023, "net_profit": "-100", "operating_profit": -5, "total_profit": "-1.5"}]}
    assert post(client, body).status_code == 200


def test_several_errors_come_back_together(client, editions):
    body = {"enterprise": {"category": "Z"}, "financials": [{"year": 2023, "operating_revenue": "-1"}],
            "tiers": ["nope"]}
    errors = post(client, body).json()["errors"]
    assert {"enterprise.category", "financials[0].operating_revenue", "tiers[0]"} <= set(errors)


def test_a_form_post_is_not_json(client, editions):
    for response in (client.post(URL, {"assessment_year": "2023"}),
                     client.post(URL, "assessment_year=2023", content_type="application/x-www-form-urlencoded")):
        assert response.status_code == 415
        assert "application/json" in response.json()["errors"]["body"][0]


def test_get_is_not_allowed(client, editions):
    assert client.get(URL).status_code == 405


# ---------------------------------------------------------------------------------------------
# Never a 500
# ---------------------------------------------------------------------------------------------

ODD_BODIES = [
    "null", "0", "true", '"{}"', "{}" * 3, '{"a": 1}', "\xff\xfe", b"\xff\xfe\x00",
    "[" * 5000 + "]" * 5000, '{"financials": [[]]}', '{"financials": [null]}', '{"financials": [{"year": null}]}',
    '{"financials": [{"year": 2023, "operating_revenue": {}}]}', '{"products": [{"revenue": []}]}',
    '{"products": [{"revenue": {"2023": {"x": 1}}}]}', '{"products": [{"market_rank": []}]}',
    '{"products": [{"market_rank": {"province": "第一"}}]}', '{"products": [{"supplies_leading_enterprise": 5}]}',
    '{"products": [{"name": {"a": 1}}]}', '{"products": "精密阀门"}', '{"enterprise": {"industry_tags": "高端装备"}}',
    '{"enterprise": {"industry_tags": [null]}}', '{"enterprise": {"industry_tags": [["x"]]}}',
    '{"enterprise": {"founding_date": "2015-02-30"}}', '{"enterprise": {"years_in_niche": 1e400}}',
    '{"enterprise": {"years_in_niche": -1e-400}}', '{"financials": [{"year": 1e400}]}',
    '{"financials": [{"year": 2023, "operating_revenue": -0}]}', '{"assessment_year": 99999999999999999999999}',
    '{"assessment_year": 2023.0}', '{"assessment_year": "2023"}', '{"assessment_year": true}',
    '{"claims": [1, 2]}', '{"claims": "county_pool.M3e"}', '{"claims": ["county_pool."]}', '{"tiers": [null]}',
    '{"tiers": [{}]}', '{"ip": [{"type": null}]}', '{"ip": [{}]}', '{"recognitions": [{"year": "去年"}]}',
    '{"bad_records": [{"date": "2023-13-01"}]}', '{"bad_records": [{}]}',
    '{"enterprise": {"registered_province": "\\u0000"}}', '{"enterprise": {"registered_province": "' + "江" * 500 + '"}}',
    '{"financials": [' + ",".join('{"year": %d}' % y for y in range(1900, 1960)) + "]}",
    '{"financials": [{"year": 2023, "operating_revenue": "0.000001", "rd_expense": "999999999999"}]}',
    '{"financials": [{"year": 2022, "operating_revenue": "0.000001"}, {"year": 2023, "operating_revenue": "999999999999"}]}',
    '{"enterprise": {"high_tech_valid_from": "2025-01-01", "high_tech_valid_until": "2020-01-01"}}',
    '{"\\ud800": 1}', '{"enterprise": {"\\udfff": "x"}}', '{"products": [{"revenue": {"\\ud800": "1"}}]}',
]


@pytest.mark.parametrize("body", ODD_BODIES, ids=[f"odd{i}" for i in range(len(ODD_BODIES))])
def test_odd_bodies_answer_200_or_400(client, editions, body):
    response = post(client, body)
    assert response.status_code in (200, 400), response.content[:500]
    json.loads(response.content)


JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12),
    st.sampled_from(["2023", "1e400", "-1", "0", "2023-01-01", "county_pool", "county_pool.M3e", "M", "invention",
                     "granted", "province", "NaN", "", "  ", "\u00e9", "精密阀门"]))
JSON_VALUE = st.recursive(JSON_LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
KEYS = ["assessment_year", "tiers", "enterprise", "financials", "products", "ip", "rd_institutions", "brands",
        "certifications", "standards", "information_systems", "competitions", "bad_records", "recognitions",
        "claims"]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


SPEC_PATHS = [p for p in _paths(SPEC_REQUEST) if p]


def _replace(doc, path, new):
    doc = copy.deepcopy(doc)
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return doc


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])
@given(path=st.sampled_from(SPEC_PATHS), new=JSON_VALUE)
def test_fuzz_the_spec_example_one_value_at_a_time(client, editions, path, new):
    cache.clear()
    response = post(client, _replace(SPEC_REQUEST, path, new))
    assert response.status_code in (200, 400), response.content[:500]


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])
@given(body=st.one_of(JSON_VALUE, st.dictionaries(st.sampled_from(KEYS), JSON_VALUE, max_size=6)))
def test_fuzz_random_bodies(client, editions, body):
    cache.clear()
    response = post(client, body)
    assert response.status_code in (200, 400), response.content[:500]


# ---------------------------------------------------------------------------------------------
# Stores nothing; public; rate-limited
# ---------------------------------------------------------------------------------------------

def _row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_stores_nothing(client, editions, firm):
    before = _row_counts()
    assert post(client, SPEC_REQUEST).status_code == 200
    assert post(client, {"financials": [{"year": "x"}]}).status_code == 400
    assert before["enterprises.Enterprise"] == 1 and before["criteria.Edition"] > 0
    assert _row_counts() == before


def test_no_login_and_no_csrf_token_needed(editions):
    from django.test import Client

    response = post(Client(enforce_csrf_checks=True), SPEC_REQUEST)
    assert response.status_code == 200


def test_a_logged_in_user_without_csrf_token_still_gets_an_answer(editions, alice):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(alice)
    assert post(c, SPEC_REQUEST).status_code == 200


def test_rate_limit_per_client_address(client, editions, settings):
    settings.SELF_ASSESSMENT_RATE = "3/d"  # a day-long window: a minute boundary must not reset the count mid-test
    cache.clear()
    statuses = [post(client, {"tiers": ["county_pool"]}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = post(client, {})
    assert response.status_code == 429
    assert "频繁" in response.json()["errors"][""][0]
    # another address has its own budget
    assert post(client, {"tiers": ["county_pool"]}, REMOTE_ADDR="10.9.8.7").status_code == 200


# ---------------------------------------------------------------------------------------------
# The stored firm's assessment
# ---------------------------------------------------------------------------------------------

def firm_url(firm, year=None):
    url = reverse("api-enterprise-assessment", args=[firm.pk])
    return f"{url}?year={year}" if year else url


def test_enterprise_user_gets_its_own_firms_assessment(client, editions, alice, firm):
    FiscalYearFactory(enterprise=firm, year=2023, main_business_revenue="2500")
    ProductFactory(enterprise=firm, name="精密阀门", rank_province=3)
    client.force_login(alice)
    response = client.get(firm_url(firm, 2023))
    assert response.status_code == 200
    data = response.json()
    assert data["assessment_year"] == 2023
    assert [t["tier"] for t in data["tiers"]] == list(Tier.values)
    assert data["tiers"] == [r.to_dict() for r in assess_enterprise(firm, 2023)]
    county = tier_of(data, "county_pool")
    assert criterion(county, "M1")["result"] == "met"
    assert criterion(county, "M2")["actual"] == "3"


def test_enterprise_assessment_default_year(client, editions, alice, firm):
    client.force_login(alice)
    response = client.get(firm_url(firm))
    assert response.status_code == 200
    assert response.json()["assessment_year"] == default_year()


def test_enterprise_assessment_is_scoped(client, editions, alice, firm, other_firm):
    client.force_login(alice)
    assert client.get(firm_url(other_firm, 2023)).status_code == 404
    assert client.get(reverse("api-enterprise-assessment", args=[999999])).status_code == 404


def test_town_officer_and_staff(client, editions, dave, bob, firm, other_firm):
    client.force_login(dave)
    assert client.get(firm_url(firm, 2023)).status_code == 200
    assert client.get(firm_url(other_firm, 2023)).status_code == 404
    client.force_login(bob)
    assert client.get(firm_url(other_firm, 2023)).status_code == 200


def test_enterprise_assessment_needs_login(client, editions, firm):
    assert client.get(firm_url(firm, 2023)).status_code in (401, 403)


@pytest.mark.parametrize("query,key", [("year=abc", "year"), ("year=2019", "year"), ("year=2100", "year"),
                                       ("year=2023&tiers=moon", "tiers[0]")])
def test_enterprise_assessment_bad_query(client, editions, alice, firm, query, key):
    client.force_login(alice)
    response = client.get(reverse("api-enterprise-assessment", args=[firm.pk]) + "?" + query)
    assert response.status_code == 400
    assert key in response.json()["errors"]


def test_enterprise_assessment_tiers_filter(client, editions, alice, firm):
    client.force_login(alice)
    data = client.get(firm_url(firm, 2023) + "&tiers=national_giant,county_pool").json()
    assert [t["tier"] for t in data["tiers"]] == ["county_pool", "national_giant"]


# ---------------------------------------------------------------------------------------------
# Every case file through the API
# ---------------------------------------------------------------------------------------------

def _cases():
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc.get("scored"):     # scored tiers: test_scored_cases.py (engine) and test_scored_api.py (API)
            continue
        for i, case in enumerate(doc["cases"], 1):
            out.append(pytest.param(doc["tier"], case, id=f"{path.stem}-{i:03d}"))
    return out


CASES = _cases()


def _margin_out_of_range(profile):
    margin = ((profile.get("enterprise") or {}).get("industry_average_margin"))
    if margin is None:
        return False
    from decimal import Decimal

    from criteria.selfassess import MARGIN_MAX, MARGIN_MIN

    return not (MARGIN_MIN <= Decimal(str(margin)) <= MARGIN_MAX)


@pytest.mark.parametrize("tier,case", CASES)
def test_case_files_through_the_api(client, editions, tier, case):
    profile = case.get("profile") or {}
    if "judgments" in profile:
        pytest.skip("staff judgments cannot be sent to the public API")
    body = {**profile, "assessment_year": int(case["assessment_year"]), "tiers": [tier]}
    response = post(client, body)
    if _margin_out_of_range(profile):
        # the contract refuses a ratio outside 0–100, even an industry's negative average margin
        assert response.status_code == 400
        assert "enterprise.industry_average_margin" in response.json()["errors"]
        return
    assert response.status_code == 200, response.content.decode()
    result = tier_of(response.json(), tier)
    for code, expected in (case.get("expect") or {}).items():
        c = criterion(result, code)
        assert c is not None, code
        assert c["result"] == expected, c
    for product, expectations in (case.get("products") or {}).items():
        for code, expected in expectations.items():
            c = criterion(result, code, product)
            assert c is not None and c["result"] == expected, (product, c)
    for code, expected in (case.get("actual") or {}).items():
        assert criterion(result, code)["actual"] == str(expected)
    for code, expected in (case.get("gap") or {}).items():
        assert criterion(result, code)["gap"] == str(expected)
    if "verdict" in case:
        assert result["verdict"] == case["verdict"]


def test_most_case_files_go_through_the_api():
    usable = [p for p in CASES if "judgments" not in (p.values[1].get("profile") or {})]
    assert len(usable) >= 200, len(usable)


# ---------------------------------------------------------------------------------------------
# The page without JavaScript (the browser journey is in test_self_assessment_page.py)
# ---------------------------------------------------------------------------------------------

PAGE = "/self-assessment/"


def test_page_needs_no_login(client, editions):
    response = client.get(reverse("self_assessment"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "政策计算器" in html and 'hx-post="/self-assessment/"' in html
    assert "county_pool.M3e" in html          # the claim checkboxes come from the published editions


def _page_form(**extra):
    data = {"assessment_year": "2023", "category": "M", "fy0_main_business_revenue": "11000",
            "fy0_operating_revenue": "12000", "p1_name": "精密阀门", "p1_rank_province": "2",
            "ip_invention_granted": "1", "rd_level": "province", "brand_level": "city",
            "bad_records": "no", "claims": ["county_pool.M3e"], "tiers": ["county_pool", "national_giant"]}
    data.update(extra)
    return data


def test_page_plain_post_shows_the_tables(client, editions, firm):
    before = _row_counts()
    response = client.post(PAGE, _page_form())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'class="result-met" data-code="M1"' in html
    assert 'class="result-needs_review" data-code="M3e"' in html
    assert 'class="result-unknown" data-code="I1"' in html
    assert "符合" in html and "待审核" in html and "缺数据" in html
    assert "金湖县专精特新小巨人企业培育库" in html and "国家级" in html
    assert _row_counts() == before


def test_page_htmx_post_answers_only_the_results_panel(client, editions):
    response = client.post(PAGE, _page_form(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'data-code="M1"' in html


def test_page_and_api_agree(client, editions):
    """The page builds the API's request body and runs the same code."""
    from criteria.views.selfassess import SelfAssessmentForm

    form = SelfAssessmentForm(_page_form())
    assert form.is_valid(), form.errors
    body = form.to_request()
    assert body["financials"] == [{"year": 2023, "main_business_revenue": 11000, "operating_revenue": 12000}]
    assert body["ip"] == [{"type": "invention", "status": "granted"}]
    assert body["bad_records"] == [] and body["rd_institutions"] == [{"level": "province", "joint": False}]
    api = post(client, body).json()
    html = client.post(PAGE, _page_form(), HTTP_HX_REQUEST="true").content.decode()
    for t in api["tiers"]:
        for v in t["variants"]:
            for c in v["criteria"]:
                assert f'class="result-{c["result"]}" data-code="{c["code"]}"' in html


def test_page_products_get_their_own_tables(client, editions):
    form = _page_form(tiers=["city_product"], p1_revenue="9000", p2_name="乙产品", p2_rank_province="20")
    html = client.post(PAGE, form, HTTP_HX_REQUEST="true").content.decode()
    assert "产品：精密阀门" in html and "产品：乙产品" in html


def test_page_errors_are_shown(client, editions):
    html = client.post(PAGE, _page_form(assessment_year="2019")).content.decode()
    assert "2019年没有已发布的认定标准" in html
    html = client.post(PAGE, _page_form(fy0_operating_revenue="-5"), HTTP_HX_REQUEST="true").content.decode()
    assert "所填数据有误" in html
    html = client.post(PAGE, _page_form(bad_records="yes")).content.decode()
    assert "请选择不良记录类别" in html


def test_page_is_rate_limited(client, editions, settings):
    settings.SELF_ASSESSMENT_RATE = "2/d"  # a day-long window: a minute boundary must not reset the count mid-test
    cache.clear()
    statuses = [client.post(PAGE, _page_form()).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "请求过于频繁" in client.post(PAGE, _page_form(), HTTP_HX_REQUEST="true").content.decode()
