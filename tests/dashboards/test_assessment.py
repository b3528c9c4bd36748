"""专项考核: each town's values are counted from the records, the ranking follows the weights staff set,
the page takes a fixed number of queries, and the XLSX opens with every town in it."""
from datetime import date, datetime
from io import BytesIO

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dashboards import assessment
from dashboards.models import AssessmentWeight
from enterprises.models import Level, RecognitionKind as K
from services.models import ServiceRequest, Visit
from tests.factories import (EnterpriseFactory, PlanItemFactory, PoolMembershipFactory, RecognitionFactory,
                             TownFactory)


@pytest.fixture
def towns(plan_targets, town, other_town):
    """甲镇: a big pool, no titles; 乙镇: a small pool, two titles and an item done on time."""
    a = [EnterpriseFactory(town=town) for _ in range(4)]
    b = [EnterpriseFactory(town=other_town) for _ in range(2)]
    PoolMembershipFactory(enterprise=a[0], admitted_on=date(2022, 5, 1))
    PoolMembershipFactory(enterprise=a[1], admitted_on=date(2023, 5, 1))
    PoolMembershipFactory(enterprise=a[2], admitted_on=date(2023, 6, 1))
    PoolMembershipFactory(enterprise=a[3], admitted_on=date(2022, 5, 1), left_on=date(2023, 3, 1))  # left in 2023
    PoolMembershipFactory(enterprise=EnterpriseFactory(town=town), admitted_on=date(2024, 1, 2))     # after 2023
    PoolMembershipFactory(enterprise=b[0], admitted_on=date(2023, 7, 1))
    PoolMembershipFactory(enterprise=b[1], admitted_on=date(2021, 7, 1), left_on=date(2024, 6, 1))  # still in on 12-31
    RecognitionFactory(enterprise=b[0], kind=K.CITY_GIANT, year=2023)
    RecognitionFactory(enterprise=b[0], kind=K.PROVINCE_PRODUCT, level=Level.PROVINCE, year=2023)
    RecognitionFactory(enterprise=b[1], kind=K.QUALITY_AWARD, year=2023)                          # not a tier title
    RecognitionFactory(enterprise=a[0], kind=K.CITY_GIANT, year=2022)                             # another year
    PlanItemFactory(plan__enterprise=b[0], status="done", due_date=date(2023, 9, 30), closed_on=date(2023, 9, 1))
    PlanItemFactory(plan__enterprise=a[0], status="done", due_date=date(2023, 3, 31), closed_on=date(2023, 4, 2))  # late
    PlanItemFactory(plan__enterprise=a[1], status="open", due_date=date(2023, 9, 30))
    for day in (date(2023, 3, 1), date(2023, 8, 1)):
        Visit.objects.create(enterprise=b[0], visited_on=day, topics="走访")
    Visit.objects.create(enterprise=a[0], visited_on=date(2022, 8, 1), topics="走访")              # another year
    request(b[0], due=date(2023, 6, 30), answered=date(2023, 6, 20), closed=date(2023, 7, 2))
    request(a[0], due=date(2023, 6, 30), answered=date(2023, 7, 20), closed=date(2023, 7, 22))   # answered late
    return town, other_town


def request(firm, due, answered, closed):
    at = lambda d: datetime(d.year, d.month, d.day, 10, tzinfo=timezone.get_current_timezone())  # noqa: E731
    ServiceRequest.objects.create(enterprise=firm, category="financing", description="融资", status="closed",
                                  unit="gongxin", due_date=due, answered_at=at(answered), closed_at=at(closed))


def values(data, town):
    row = next(r for r in data["rows"] if r["town"] == town)
    return dict(zip([i["code"] for i in data["indicators"]], row["values"])), row


def test_each_town_s_values_are_counted_from_the_records(towns, carol, plan_targets):
    town, other_town = towns
    data = assessment.table(plan_targets, 2023, carol)
    assert values(data, town)[0] == {"pool_firms": 3, "new_admissions": 2, "new_titles": 0, "plan_items_on_time": 0,
                                     "visits": 0, "requests_closed_on_time": 0}
    assert values(data, other_town)[0] == {"pool_firms": 2, "new_admissions": 1, "new_titles": 2,
                                           "plan_items_on_time": 1, "visits": 2, "requests_closed_on_time": 1}


def test_the_ranking_follows_the_weights_and_ties_share_a_rank(towns, carol, plan_targets):
    town, other_town = towns
    empty = TownFactory(name="丙街道", code="C001", kind="street")
    weights = {w.indicator: w for w in plan_targets.weights.all()}       # 1, 2, 5, 1, 0.5, 1: 甲 7, 乙 17
    data = assessment.table(plan_targets, 2023, carol)
    assert [(r["town"], r["rank"]) for r in data["rows"]] == [(other_town, 1), (town, 2), (empty, 3)]
    assert values(data, other_town)[1]["score"] == 2 * 1 + 1 * 2 + 2 * 5 + 1 * 1 + 2 * 0.5 + 1 * 1
    for code, w in (("new_titles", 0), ("new_admissions", 10), ("plan_items_on_time", 0)):
        weights[code].weight = w
        weights[code].save()                                             # the cache is bumped by the save
    data = assessment.table(plan_targets, 2023, carol)
    assert [(r["town"], r["rank"]) for r in data["rows"]] == [(town, 1), (other_town, 2), (empty, 3)]
    assert assessment.rank([5, 7, 5, 1]) == [2, 1, 2, 4]


def test_staff_set_the_weights_on_a_form(client, bob, towns, plan_targets):
    client.force_login(bob)
    url = reverse("dashboards:assessment_weights")
    assert "在库培育企业数" in client.get(url).content.decode()
    data = {"pool_firms": "3", "new_admissions": "0", "new_titles": "0", "plan_items_on_time": "0",
            "visits": "0.5", "requests_closed_on_time": "1"}
    assert client.post(url, {**data, "pool_firms": "很多"}).status_code == 200
    assert client.post(url, data).status_code == 302
    assert AssessmentWeight.objects.get(period=plan_targets, indicator="pool_firms").weight == 3


def test_a_town_officer_sees_every_town_s_counts_but_no_firm_name(client, dave, towns):
    town, other_town = towns
    client.force_login(dave)
    page = client.get(reverse("dashboards:assessment"), {"year": 2023}).content.decode()
    assert town.name in page and other_town.name in page
    assert "测试企业" not in page


def test_the_page_takes_a_fixed_number_of_queries_whatever_the_number_of_firms(client, carol, towns):
    town, _other = towns
    client.force_login(carol)

    def queries():
        cache.clear()                       # count the uncached page, as after a write
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dashboards:assessment"), {"year": 2023}).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(30):
        firm = EnterpriseFactory(town=TownFactory())
        PoolMembershipFactory(enterprise=firm, admitted_on=date(2023, 2, 2))
        RecognitionFactory(enterprise=firm, kind=K.CITY_GIANT, year=2023)
    assert queries() == few <= 16


def test_bad_years_get_a_chinese_answer(client, carol, plan_targets):
    client.force_login(carol)
    response = client.get(reverse("dashboards:assessment"), {"year": "二〇二三"})
    assert response.status_code == 400 and "年度须为四位数字" in response.content.decode()
    response = client.get(reverse("dashboards:assessment_xlsx"), {"year": 2019})
    assert response.status_code == 404 and "不在任何规划期内" in response.content.decode()


def test_the_xlsx_opens_with_chinese_headers_and_every_town(client, bob, towns):
    TownFactory(name="丙街道", code="C001", kind="street")
    client.force_login(bob)
    response = client.get(reverse("dashboards:assessment_xlsx"), {"year": 2023})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("排名", "镇（街道、开发区）", "类型") and rows[0][-1] == "得分"
    assert {"甲镇", "乙镇", "丙街道"} <= {r[1] for r in rows[1:] if r and r[1]}
    second = next(r for r in rows if r[1] == "乙镇")
    assert second[0] == 1 and second[-3:-1] == (2, 1) and second[-1] == 17
