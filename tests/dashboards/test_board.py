"""The leadership dashboard (目标看板): a card per target, the pool by tier, towns and industries, the
firms newly recognised, a year selector that answers 404 in Chinese outside the plan, and a fixed
number of queries whatever the number of firms, cold or warm."""
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from criteria.models import PoolMembership
from dashboards.views import board
from enterprises.models import Enterprise, IndustryTag, Level, Recognition, RecognitionKind as K, Taxonomy
from tests.factories import EnterpriseFactory, PoolMembershipFactory, RecognitionFactory, TownFactory, valid_uscc

URL = reverse("dashboards:overview")


def bulk_firms(n, towns, start=0, year=2023):
    """n firms in bulk (cheap): each in the county pool since `year`, a tag of the county's leading
    industries, every third a city giant of `year`, every tenth in the municipal pool."""
    tag = IndustryTag.objects.get_or_create(taxonomy=Taxonomy.COUNTY, name="高端装备")[0]
    firms = Enterprise.objects.bulk_create(
        Enterprise(name=f"批量企业{start + i:05d}", uscc=valid_uscc(90000 + start + i), town=towns[i % len(towns)],
                   category="M", founding_date=date(2012, 1, 1), independent_legal_person=True)
        for i in range(n))
    Enterprise.industry_tags.through.objects.bulk_create(
        Enterprise.industry_tags.through(enterprise_id=f.pk, industrytag_id=tag.pk) for f in firms)
    PoolMembership.objects.bulk_create(PoolMembership(enterprise=f, admitted_on=date(year, 3, 1)) for f in firms)
    Recognition.objects.bulk_create(
        [Recognition(enterprise=f, kind=K.CITY_GIANT, level=Level.CITY, year=year) for f in firms[::3]]
        + [Recognition(enterprise=f, kind=K.CITY_POOL, level=Level.CITY, year=year) for f in firms[::10]])
    return firms


def cards(html):
    return re.findall(r'data-target="([a-z_]+)"', html)


def card_text(html, code):
    start = html.index(f'data-target="{code}"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:html.index("</article>", start)]))


def test_the_leader_sees_every_target_as_a_card_with_figure_goal_state_and_change(client, carol, plan_targets):
    for _ in range(3):
        RecognitionFactory(kind=K.CITY_GIANT, level=Level.CITY, year=2023)
    RecognitionFactory(kind=K.CITY_GIANT, level=Level.CITY, year=2022)
    client.force_login(carol)
    html = client.get(URL, {"year": 2023}).content.decode()
    assert cards(html) == list(plan_targets.targets.values_list("code", flat=True))
    city = card_text(html, "new_city_giants")
    assert "新增市级专精特新小巨人企业" in city and "3 家 / 目标 8–15家" in city
    assert "未达下限" in city and "比上年 +2 家" in city and "县工信局" in city
    assert f'href="{reverse("dashboards:target_rows", args=["new_city_giants"])}?year=2023"' in html
    assert 'data-sparkline="new_city_giants"' in html and 'id="dashboard-chart-data"' in html
    first_year = card_text(client.get(URL, {"year": 2022}).content.decode(), "new_city_giants")
    assert "比上年 —" in first_year


def test_the_year_defaults_to_this_year_in_a_plan_else_the_end_of_the_latest_plan_begun(
        client, carol, plan_targets, monkeypatch):
    client.force_login(carol)
    monkeypatch.setattr(board.timezone, "localdate", lambda: date(2023, 6, 1))
    assert client.get(URL).context["year"] == 2023
    monkeypatch.setattr(board.timezone, "localdate", lambda: date(2026, 6, 1))
    assert client.get(URL).context["year"] == 2024


@pytest.mark.parametrize("year,message", [("2030", "2030年不在任何规划期内"), ("abc", "年度“abc”无效"),
                                          ("99999", "年度“99999”无效")])
def test_a_year_outside_every_plan_is_a_chinese_404(client, carol, plan_targets, year, message):
    client.force_login(carol)
    response = client.get(URL, {"year": year})
    assert response.status_code == 404 and message in response.content.decode()


def test_an_enterprise_user_has_no_dashboard_and_a_visitor_goes_to_login(client, alice, plan_targets):
    assert reverse("login") in client.get(URL)["Location"]
    client.force_login(alice)
    assert client.get(URL).status_code == 403


def test_pool_by_tier_towns_industries_and_new_firms_count_what_the_year_holds(client, carol, plan_targets):
    towns = [TownFactory(name="甲镇", code="A1"), TownFactory(name="乙镇", code="B1")]
    firms = bulk_firms(12, towns)                       # 6 per town, 4 city giants, 2 in the city pool
    gone = EnterpriseFactory(town=towns[1])
    PoolMembershipFactory(enterprise=gone, admitted_on=date(2022, 1, 1), left_on=date(2023, 5, 1))  # left
    RecognitionFactory(enterprise=firms[1], kind=K.PROVINCE_POOL, level=Level.PROVINCE, year=2022)
    RecognitionFactory(enterprise=firms[1], kind=K.NATIONAL_GIANT, level=Level.NATIONAL, year=2023)
    RecognitionFactory(enterprise=firms[5], kind=K.PROVINCE_POOL, level=Level.PROVINCE, year=2024)  # later
    client.force_login(carol)
    data = client.get(URL, {"year": 2023}).context["board"]
    assert [t["value"] for t in data.funnel] == [12, 2, 1, 1]
    assert [(t["rank"], t["name"], t["pool"], t["titles"]) for t in data.towns] == [
        (1, "乙镇", 6, 3), (2, "甲镇", 6, 2)]           # giants 0,6 (甲) and 3,9 (乙); firm 1 (乙) national
    assert [(t["name"], t["pool"], t["titles"]) for t in data.industries if t["name"] == "高端装备"] == [
        ("高端装备", 12, 5)]
    assert data.new_firms[0]["name"] == firms[1].name and data.new_firms[0]["titles"] == ["国家级专精特新小巨人"]
    assert len(data.new_firms) == 5
    assert [t["value"] for t in client.get(URL, {"year": 2022}).context["board"].funnel] == [1, 0, 1, 0]


def test_a_town_officer_sees_the_figures_of_the_town(client, dave, town, other_town, plan_targets):
    RecognitionFactory(enterprise=EnterpriseFactory(town=town), kind=K.CITY_GIANT, year=2024)
    RecognitionFactory(enterprise=EnterpriseFactory(town=other_town), kind=K.CITY_GIANT, year=2024)
    RecognitionFactory(enterprise=EnterpriseFactory(town=other_town), kind=K.CITY_GIANT, year=2024)
    client.force_login(dave)
    response = client.get(URL, {"year": 2024})
    assert "1 家 / 目标 8–15家" in card_text(response.content.decode(), "new_city_giants")
    assert [t["name"] for t in response.context["board"].towns] == [town.name]


def test_a_new_recognition_shows_on_the_next_page_though_the_page_is_cached(client, carol, plan_targets):
    client.force_login(carol)
    assert "0 家 / 目标 8–15家" in card_text(client.get(URL, {"year": 2024}).content.decode(), "new_city_giants")
    RecognitionFactory(kind=K.CITY_GIANT, year=2024)
    assert "1 家 / 目标 8–15家" in card_text(client.get(URL, {"year": 2024}).content.decode(), "new_city_giants")


# cold: one count per target and year of the period up to Y (2023: 36), and the rest; warm, another
# session: the cached cards and charts in the page's frame; warm, the same session: its page.
COLD, WARM, SAME_SESSION = 60, 8, 5


def test_the_dashboard_does_a_fixed_number_of_queries_for_10_and_for_2000_firms_cold_and_warm(
        client, carol, plan_targets, django_assert_max_num_queries):
    from django.test import Client

    from enterprises.services import assign_role
    from jinhu_portal.roles import Role
    from tests.factories import UserFactory

    towns = [TownFactory(code=f"Q{i}") for i in range(4)]
    client.force_login(carol)
    client.get(reverse("password_change"))                 # a page with a form: the session's CSRF cookie
    counts = []
    for n, start in ((10, 0), (1990, 10)):
        bulk_firms(n, towns, start=start)
        cache.clear()
        other = Client()
        other.force_login(assign_role(UserFactory(), Role.LEADER))
        with django_assert_max_num_queries(COLD), CaptureQueriesContext(connection) as cold:
            assert client.get(URL, {"year": 2023}).status_code == 200
        with django_assert_max_num_queries(WARM), CaptureQueriesContext(connection) as warm:
            assert other.get(URL, {"year": 2023}).status_code == 200
        with django_assert_max_num_queries(SAME_SESSION), CaptureQueriesContext(connection) as same:
            html = client.get(URL, {"year": 2023}).content.decode()
        counts.append((len(cold), len(warm), len(same)))
    assert counts[0] == counts[1]
    assert "668 家" in card_text(html, "new_city_giants")          # 4 of the first 10, 664 of the rest


def test_the_page_kept_for_a_session_is_never_served_to_another_user(client, carol, plan_targets):
    from django.test import Client

    from enterprises.services import assign_role
    from jinhu_portal.roles import Role
    from tests.factories import UserFactory

    client.force_login(carol)
    client.get(reverse("password_change"))
    first = client.get(URL).content.decode()
    assert client.get(URL).content.decode() == first
    other = Client()
    other.force_login(assign_role(UserFactory(username="leader2"), Role.LEADER))
    html = other.get(URL).content.decode()
    assert "leader2" in html and html != first


def test_a_portal_without_a_plan_period_says_so_rather_than_failing(client, carol):
    client.force_login(carol)
    response = client.get(URL)
    assert response.status_code == 200 and "尚未设置规划期和目标" in response.content.decode()
    assert client.get(URL, {"year": 2024}).status_code == 404
