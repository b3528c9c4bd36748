"""Visits (走访): who may record one and for which firm, bad input refused in Chinese with nothing
written, files served only within scope, the overdue list, the XLSX export and the scoped API."""
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from services.models import Visit, VisitFile

from ..factories import EnterpriseFactory, LinkFactory, VisitFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _post(client, firm, **extra):
    data = {"enterprise": firm.pk, "visited_on": "2024-06-01", "topics": "了解融资需求", **extra}
    return client.post(reverse("services:visit_create"), data)


def test_a_town_officer_records_a_visit_with_a_photo_and_it_is_served_within_scope(client, dave, alice, firm,
                                                                                    other_firm):
    client.force_login(dave)
    response = _post(client, firm, files=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")])
    assert response.status_code == 302, response.content.decode()
    visit = Visit.objects.get()
    assert (visit.enterprise, visit.visitor, visit.files.get().original_name) == (firm, dave, "现场.png")
    file_url = reverse("services:visit_file", args=[visit.files.get().pk])
    assert client.get(file_url).status_code == 200
    other = VisitFactory(enterprise=other_firm)
    other_file = VisitFile.objects.create(visit=other, file=SimpleUploadedFile("x.png", PNG), original_name="x.png",
                                          size=len(PNG))
    assert client.get(reverse("services:visit_file", args=[other_file.pk])).status_code == 404
    client.force_login(alice)                                   # firms have no visit permission
    assert client.get(file_url).status_code == 403


def test_a_town_officer_cannot_record_a_visit_to_another_towns_firm(client, dave, other_firm):
    client.force_login(dave)
    assert client.get(reverse("services:visit_create") + f"?enterprise={other_firm.pk}").status_code == 404
    assert _post(client, other_firm).status_code == 404
    assert not Visit.objects.exists()


def test_a_linked_leader_records_visits_to_linked_firms_only(client, carol, firm, other_firm):
    client.force_login(carol)
    assert client.get(reverse("services:visit_create")).status_code == 403      # no link yet
    LinkFactory(person=carol, enterprise=firm)
    assert _post(client, other_firm).status_code == 404
    assert _post(client, firm).status_code == 302
    assert Visit.objects.get().visitor == carol


def test_a_future_date_and_a_forbidden_file_type_are_refused_and_nothing_is_written(client, bob, firm):
    client.force_login(bob)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    html = _post(client, firm, visited_on=tomorrow, files=[
        SimpleUploadedFile("名单.docx", b"PK\x03\x04", content_type="application/octet-stream"),
        SimpleUploadedFile("伪装.png", b"%PDF-1.4 x", content_type="image/png")]).content.decode()
    assert "走访日期不能晚于今天。" in html
    assert "文件“名单.docx”不是允许的类型：走访照片或附件只接受 jpg、png、pdf 文件。" in html
    assert "文件“伪装.png”不是允许的类型：扩展名为 .png，内容却是PDF文件" in html
    assert not Visit.objects.exists() and not VisitFile.objects.exists()


def test_the_overdue_list_names_pool_firms_not_visited_in_the_interval(client, carol, town, settings):
    settings.SERVICE_VISIT_INTERVAL_DAYS = 90
    today = timezone.localdate()
    never = EnterpriseFactory(town=town, name="从未走访企业", pool_status="in_pool")
    stale = EnterpriseFactory(town=town, name="久未走访企业", pool_status="in_pool")
    fresh = EnterpriseFactory(town=town, name="近期走访企业", pool_status="in_pool")
    EnterpriseFactory(town=town, name="库外企业")
    VisitFactory(enterprise=stale, visited_on=today - timedelta(days=91))
    VisitFactory(enterprise=fresh, visited_on=today - timedelta(days=90))
    LinkFactory(enterprise=never)
    client.force_login(carol)
    response = client.get(reverse("services:visit_overdue"))
    assert [f.name for f in response.context["firms"]] == [never.name, stale.name]


def test_the_visit_list_filters_by_town_and_date_and_exports_the_same_rows(client, bob, firm, other_firm,
                                                                          django_assert_max_num_queries):
    for day in (1, 2, 3):
        VisitFactory(enterprise=firm, visited_on=date(2024, 5, day))
    VisitFactory(enterprise=other_firm, visited_on=date(2024, 5, 2))
    VisitFactory(enterprise=firm, visited_on=date(2023, 1, 1))
    client.force_login(bob)
    query = f"town={firm.town_id}&visited_after=2024-05-01&visited_before=2024-05-31"
    with django_assert_max_num_queries(14):
        response = client.get(reverse("services:visit_list") + "?" + query)
    assert len(response.context["table"].rows) == 3
    book = load_workbook(BytesIO(client.get(reverse("services:visit_export") + "?" + query).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("走访日期", "走访企业", "统一社会信用代码")
    assert [r[0] for r in rows[1:]] == ["2024-05-03", "2024-05-02", "2024-05-01"]


def test_the_api_is_scoped_filtered_like_the_page_and_only_staff_create(client, dave, bob, carol, firm,
                                                                        other_firm):
    VisitFactory(enterprise=firm, visited_on=date(2024, 5, 1))
    VisitFactory(enterprise=other_firm, visited_on=date(2024, 5, 1))
    url = reverse("api:visit-list")
    client.force_login(dave)
    assert [v["enterprise"] for v in client.get(url).json()["results"]] == [firm.pk]
    body = {"enterprise": firm.pk, "visited_on": "2024-06-01", "topics": "政策宣讲"}
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(carol)
    assert client.get(url + f"?town={other_firm.town_id}").json()["count"] == 1
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(bob)
    future = {**body, "visited_on": (timezone.localdate() + timedelta(days=3)).isoformat()}
    assert client.post(url, future, content_type="application/json").json() == {"visited_on": ["走访日期不能晚于今天。"]}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["visitor"] == bob.pk
