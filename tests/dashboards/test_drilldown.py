"""The drill-down: the rows behind a target's figure (as many as the figure), filterable by town,
industry and firm name, paginated in a fixed number of queries, and the same rows as XLSX."""
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards import services
from dashboards.models import Target
from enterprises.models import IndustryTag, Level, RecognitionKind as K, Taxonomy
from tests.factories import (AttendanceFactory, EnterpriseFactory, IPItemFactory, PoolMembershipFactory,
                             RecognitionFactory, TownFactory, TrainingFactory)

from .test_board import bulk_firms


def rows_url(code, **query):
    return reverse("dashboards:target_rows", args=[code]), {"year": 2023, **query}


def xlsx(client, code, **query):
    response = client.get(reverse("dashboards:target_rows_xlsx", args=[code]), {"year": 2023, **query})
    assert response.status_code == 200
    return [list(r) for r in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]


@pytest.fixture
def records(town, other_town):
    """Firms, items and people that count in 2023, across two towns."""
    tag = IndustryTag.objects.create(taxonomy=Taxonomy.COUNTY, name="大健康")
    a = EnterpriseFactory(town=town, name="甲镇阀门有限公司")
    b = EnterpriseFactory(town=other_town, name="乙镇医疗器械有限公司")
    b.industry_tags.add(tag)
    for firm in (a, b):
        RecognitionFactory(enterprise=firm, kind=K.CITY_GIANT, level=Level.CITY, year=2023)
        PoolMembershipFactory(enterprise=firm, admitted_on=date(2022, 5, 1))
        IPItemFactory(enterprise=firm, granted_on=date(2023, 3, 1))
    RecognitionFactory(enterprise=a, kind=K.FIRST_SET, level=Level.PROVINCE, year=2022)
    RecognitionFactory(enterprise=a, kind=K.FIRST_SET, level=Level.PROVINCE, year=2023)
    training = TrainingFactory(date=date(2023, 4, 1))
    AttendanceFactory(training=training, name="张三", mobile="13900000001", enterprise=a)
    AttendanceFactory(training=TrainingFactory(date=date(2022, 4, 1)), name="张三", mobile="13900000001",
                      enterprise=a)
    AttendanceFactory(training=training, name="李四", mobile="13900000002", enterprise=b)
    return {"a": a, "b": b, "tag": tag}


@pytest.mark.parametrize("code,expected", [("new_city_giants", 2), ("county_pool_size", 2), ("first_sets", 2),
                                           ("invention_patents", 2), ("people_trained", 2)])
def test_the_unfiltered_rows_are_as_many_as_the_cards_figure(client, carol, plan_targets, records, code, expected):
    client.force_login(carol)
    cards = {c["code"]: c["figure"] for c in client.get(reverse("dashboards:overview"), {"year": 2023})
             .context["board"].cards}
    response = client.get(*rows_url(code))
    assert cards[code] == expected == response.context["page"].paginator.count == len(response.context["rows"])
    assert response.context["figure"] == expected
    assert len(xlsx(client, code)) == expected + 1
    html = response.content.decode()
    assert Target.objects.get(code=code).name in html and "共 2 条，即目标数值" in html


def test_firm_rows_name_the_records_that_count_them_and_link_to_the_firm(client, carol, plan_targets, records):
    client.force_login(carol)
    html = client.get(*rows_url("new_city_giants")).content.decode()
    assert "2023年市级专精特新小巨人（市级）" in html
    assert f'href="{records["a"].get_absolute_url()}"' in html


@pytest.mark.parametrize("code", ["new_city_giants", "invention_patents", "people_trained"])
def test_rows_filter_by_town_industry_and_firm_name_whatever_the_row(client, carol, plan_targets, records,
                                                                     town, code):
    client.force_login(carol)
    by = lambda **q: client.get(*rows_url(code, **q)).context["page"].paginator.count  # noqa: E731
    assert by(town=town.pk) == 1
    assert by(industry_tag=records["tag"].pk) == 1
    assert by(q="医疗") == 1 and by(q=records["a"].uscc) == 1
    assert by(town="not-a-town") == 2                       # ignored, never a 500
    response = client.get(*rows_url(code, town=town.pk))
    assert response.context["figure"] == 2 and response.context["filtered"]


def test_the_xlsx_has_the_pages_columns_in_chinese_with_numbers_as_numbers_and_the_same_filters(
        client, carol, plan_targets, records, town):
    client.force_login(carol)
    sheet = xlsx(client, "first_sets")
    assert sheet[0] == ["企业名称", "所属镇（街道、开发区）", "认定类型", "级别", "认定年度", "认定文件"]
    assert [row[4] for row in sheet[1:]] == [2023, 2022]
    people = xlsx(client, "people_trained", town=town.pk)
    assert people == [["姓名", "手机号码"], ["张三", "139****0001"]]


def test_a_town_officer_drills_down_to_the_firms_of_the_town(client, dave, plan_targets, records):
    client.force_login(dave)
    response = client.get(*rows_url("new_city_giants"))
    assert response.context["figure"] == 1 and records["b"].name not in response.content.decode()


@pytest.mark.parametrize("path,query,message", [
    ("dashboards:target_rows", {"year": 2023}, "没有代码为“no_such_target”的目标"),
    ("dashboards:target_rows", {"year": 2030}, "2030年不在任何规划期内"),
    ("dashboards:target_rows_xlsx", {"year": "20x3"}, "年度“20x3”无效"),
])
def test_an_unknown_target_or_a_year_outside_the_plan_is_a_chinese_404(client, carol, plan_targets, path, query,
                                                                       message):
    client.force_login(carol)
    code = "no_such_target" if "no_such" in message else "new_city_giants"
    response = client.get(reverse(path, args=[code]), query)
    assert response.status_code == 404 and message in response.content.decode()


def test_a_page_of_rows_takes_a_fixed_number_of_queries_for_10_and_for_2000_firms(
        client, carol, plan_targets, django_assert_max_num_queries):
    towns = [TownFactory(code=f"R{i}") for i in range(3)]
    client.force_login(carol)
    for n, start, count in ((10, 0, 4), (1990, 10, 668)):
        bulk_firms(n, towns, start=start)
        for code in ("new_city_giants", "county_pool_size"):
            with django_assert_max_num_queries(13):   # auth 4, period, target, count, page, basis, filters 2…
                response = client.get(*rows_url(code, page=2 if n > 10 else 1))
            assert response.status_code == 200
        assert response.context["page"].paginator.count == (10 if n == 10 else 2000)
        assert services.figure(Target.objects.get(code="new_city_giants"), 2023, carol) == count
