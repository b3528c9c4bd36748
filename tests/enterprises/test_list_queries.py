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


# The firm page's 变更记录 costs one query for the newest entries of every kind, one per kind of
# record on the panel (with the versions before them), one for the firm's tags and one per kind of
# linked record named (town, person, product): never one per entry. MAX is the page with every kind
# (22 for the page itself, two of them the 挂钩帮扶 panel: current links and the last visit; 19 for
# the history).
MAX_DETAIL_QUERIES = 41


def test_the_firm_page_does_the_same_queries_for_3_and_30_history_entries(client, bob, firm):
    from enterprises.models import Enterprise, IPItem, Product

    url = reverse("enterprises:detail", args=[firm.pk])
    product = Product.objects.create(enterprise=firm, name="精密球阀")
    ip = IPItem.objects.create(enterprise=firm, ip_type="invention", status="granted", title="一种阀门0",
                               product=product)
    client.force_login(bob)
    small = _count(client, url)                 # 3 entries: the firm, its product and its patent created
    for i in range(1, 25):
        ip.title = f"一种阀门{i}"
        ip.save()
    product.rank_province = 2
    product.save()
    firm = Enterprise.objects.get(pk=firm.pk)
    firm.main_business = "阀门"
    firm.save()
    ip.title = "一种阀门25"
    ip.save()
    html = client.get(url).content.decode()
    assert "名称：一种阀门24 → 一种阀门25" in html and "查看全部" in html
    assert small == _count(client, url)         # 30 entries, the newest 20 shown


def test_the_firm_page_with_every_kind_of_change_stays_under_its_query_pin(client, bob, firm, other_town,
                                                                          django_assert_max_num_queries):
    from enterprises.models import Enterprise

    from ..factories import (BadRecordFactory, BrandFactory, CertificationFactory, CompetitionFactory,
                             FiscalYearFactory, InformationSystemFactory, IPItemFactory, ProductFactory,
                             ProductRevenueFactory, RDInstitutionFactory, RecognitionFactory, StandardFactory)

    tag = IndustryTag.objects.create(taxonomy="county_leading", name="高端装备")
    product = ProductFactory(enterprise=firm)
    made = [FiscalYearFactory(enterprise=firm), product, ProductRevenueFactory(product=product),
            IPItemFactory(enterprise=firm, product=product), RDInstitutionFactory(enterprise=firm),
            BrandFactory(enterprise=firm), CertificationFactory(enterprise=firm), StandardFactory(enterprise=firm),
            InformationSystemFactory(enterprise=firm), CompetitionFactory(enterprise=firm),
            BadRecordFactory(enterprise=firm), RecognitionFactory(enterprise=firm, product=product)]
    firm = Enterprise.objects.get(pk=firm.pk)
    firm.town, firm.tracking_officer = other_town, bob
    firm.save()
    firm.industry_tags.add(tag)
    for record in made:
        record.save()                           # an entry of every kind among the newest 20
    client.force_login(bob)
    html = client.get(url := reverse("enterprises:detail", args=[firm.pk])).content.decode()
    assert "乙镇" in html and "产业标签：— → 高端装备" in html
    with django_assert_max_num_queries(MAX_DETAIL_QUERIES):
        client.get(url)
