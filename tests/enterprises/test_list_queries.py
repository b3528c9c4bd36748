"""The enterprise list does the same number of queries for 10 firms and for 1,000."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises.models import Enterprise, FiscalYearRecord, IndustryTag

from ..factories import EnterpriseFactory, valid_uscc

MAX_LIST_QUERIES = 12


def _add_firms(n, town, start):
    tag = IndustryTag.objects.get_or_create(taxonomy="county_leading", name="高端装备")[0]
    firms = Enterprise.objects.bulk_create(
        Enterprise(name=f"批量企业{i}", uscc=valid_uscc(100000 + i), town=town) for i in range(start, start + n))
    Enterprise.industry_tags.through.objects.bulk_create(
        Enterprise.industry_tags.through(enterprise_id=f.pk, industrytag_id=tag.pk) for f in firms)
    FiscalYearRecord.objects.bulk_create(FiscalYearRecord(enterprise=f, year=2023, operating_revenue=100 + i)
                                         for i, f in enumerate(firms))


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["enterprises:list", "api:enterprise-list"])
def test_list_does_the_same_queries_for_10_and_1000_firms(client, bob, town, url_name,
                                                          django_assert_max_num_queries):
    client.force_login(bob)
    url = reverse(url_name) + "?ordering=name&sort=latest_revenue"
    _add_firms(10, town, 0)
    small = _count(client, url)
    _add_firms(990, town, 10)
    assert Enterprise.objects.count() == 1000
    large = _count(client, url)
    assert small == large
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        client.get(url)


def test_list_filters_by_town_and_tag_and_searches_by_uscc(client, bob, town, other_town):
    tag = IndustryTag.objects.create(taxonomy="county_leading", name="新材料")
    a = EnterpriseFactory(town=town, name="甲材料公司")
    a.industry_tags.add(tag)
    b = EnterpriseFactory(town=other_town, name="乙装备公司")
    client.force_login(bob)
    html = client.get(reverse("enterprises:list"), {"town": town.pk}).content.decode()
    assert a.name in html and b.name not in html
    api = client.get(reverse("api:enterprise-list"), {"industry_tag": tag.pk}).json()
    assert [r["name"] for r in api["results"]] == [a.name]
    api = client.get(reverse("api:enterprise-list"), {"q": b.uscc.lower()}).json()
    assert [r["name"] for r in api["results"]] == [b.name]


def test_enterprise_detail_shows_every_yearly_figure(client, bob, firm):
    FiscalYearRecord.objects.create(enterprise=firm, year=2022, operating_revenue="1234.56", rd_expense="78.90")
    client.force_login(bob)
    html = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    assert "1,234.56" in html and "78.90" in html and "2022" in html
