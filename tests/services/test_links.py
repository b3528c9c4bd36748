"""挂钩帮扶 links: staff link a person to several pool firms at once, bad input is refused in Chinese,
the firm's page shows who is linked and the last visit, and 我的挂钩企业 flags firms overdue for a visit."""
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from services import services
from services.models import Link

from ..factories import EnterpriseFactory, LinkFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_staff_link_a_leader_to_several_pool_firms_at_once(client, bob, carol, town):
    firms = [EnterpriseFactory(town=town, pool_status="in_pool") for _ in range(3)]
    client.force_login(bob)
    response = client.post(reverse("services:link_create"), {
        "person": carol.pk, "enterprises": [f.pk for f in firms[:2]], "kind": "county_leader",
        "starts_on": "2024-01-01"})
    assert response.status_code == 302, response.content.decode()
    assert set(Link.objects.filter(person=carol).values_list("enterprise_id", flat=True)) == {f.pk for f in firms[:2]}
    assert services.linked_firm_ids(carol) == {f.pk for f in firms[:2]}


def test_a_link_ending_before_it_starts_is_refused_with_a_chinese_message(client, bob, carol, town):
    pool_firm = EnterpriseFactory(town=town, pool_status="in_pool")
    client.force_login(bob)
    response = client.post(reverse("services:link_create"), {
        "person": carol.pk, "enterprises": [pool_firm.pk], "kind": "county_leader",
        "starts_on": "2024-05-01", "ends_on": "2024-04-01"})
    assert response.status_code == 200
    assert "挂钩结束日期不能早于开始日期。" in response.content.decode()
    assert not Link.objects.exists()


def test_a_firm_outside_the_pool_or_a_department_link_without_unit_is_refused(client, bob, carol, firm):
    client.force_login(bob)
    response = client.post(reverse("services:link_create"), {
        "person": carol.pk, "enterprises": [firm.pk], "kind": "department", "starts_on": "2024-05-01"})
    html = response.content.decode()
    assert "所选企业不在培育库中或不在可选范围内。" in html and "部门挂钩须选择所在部门。" in html
    assert not Link.objects.exists()


def test_ending_a_link_before_its_start_is_refused_and_a_good_end_takes_it_off_my_links(client, bob, carol, firm):
    link = LinkFactory(person=carol, enterprise=firm, starts_on=date(2024, 3, 1))
    client.force_login(bob)
    url = reverse("services:link_end", args=[link.pk])
    assert "挂钩结束日期不能早于开始日期（2024-03-01）。" in client.post(url, {"ends_on": "2024-02-01"}).content.decode()
    link.refresh_from_db()
    assert link.ends_on is None
    yesterday = timezone.localdate() - timedelta(days=1)
    assert client.post(url, {"ends_on": yesterday.isoformat()}).status_code == 302
    assert services.linked_firm_ids(carol) == set()


def test_my_links_flags_a_firm_not_visited_for_longer_than_the_interval(client, carol, town, settings):
    settings.SERVICE_VISIT_INTERVAL_DAYS = 30
    today = timezone.localdate()
    fresh = EnterpriseFactory(town=town, name="近期走访企业", pool_status="in_pool")
    stale = EnterpriseFactory(town=town, name="久未走访企业", pool_status="in_pool")
    for f in (fresh, stale):
        LinkFactory(person=carol, enterprise=f)
    VisitFactory(enterprise=fresh, visited_on=today - timedelta(days=29))
    VisitFactory(enterprise=stale, visited_on=today - timedelta(days=31))
    client.force_login(carol)
    response = client.get(reverse("services:my_links"))
    links = response.context["links"]
    assert [(link.enterprise.name, link.overdue) for link in links] == [("久未走访企业", True), ("近期走访企业", False)]
    assert response.context["overdue"] == 1


def test_the_firm_page_shows_who_is_linked_and_the_last_visit(client, alice, carol, firm):
    carol.first_name = "王县长"
    carol.save()
    LinkFactory(person=carol, enterprise=firm, kind="county_leader")
    LinkFactory(enterprise=firm, starts_on=date(2020, 1, 1), ends_on=date(2021, 1, 1))   # ended: not shown
    VisitFactory(enterprise=firm, visited_on=date(2024, 6, 3))
    client.force_login(alice)
    html = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    panel = html[html.index('id="firm-services"'):]
    assert "王县长" in panel and "县领导" in panel and "2024-06-03" in panel
    assert panel.count("<li>") == 1
    assert reverse("services:visit_create") not in panel      # a firm records no visit to itself


def test_the_link_list_is_scoped_and_its_queries_do_not_grow_with_rows(client, dave, town, other_town,
                                                                      django_assert_max_num_queries):
    for _ in range(3):
        LinkFactory(enterprise=EnterpriseFactory(town=town))
    hidden = LinkFactory(enterprise=EnterpriseFactory(town=other_town, name="他镇企业"))
    client.force_login(dave)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("services:link_list"))
    assert len(response.context["table"].rows) == 3
    assert hidden.enterprise.name not in response.content.decode()
