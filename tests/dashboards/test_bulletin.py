"""季度信息通报: a quarter's bulletin as page, PDF and XLSX, what changed in the quarter, bad quarters,
and who reads it and who picks its notable events."""
import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards import bulletin
from dashboards.models import NotableEvent
from enterprises.models import Level, RecognitionKind as K
from tests.factories import EnterpriseFactory, PoolMembershipFactory, RecognitionFactory


@pytest.fixture
def quarter(plan_targets, firm, other_firm, town, other_town):
    """2024Q2 with a title, an admission and a move out in each town, an undated title (Q4), Q1's
    admissions to compare with, and a notable event."""
    RecognitionFactory(enterprise=firm, kind=K.PROVINCE_GIANT, level=Level.PROVINCE, year=2024,
                       granted_on=date(2024, 5, 20))
    RecognitionFactory(enterprise=other_firm, kind=K.CITY_GIANT, level=Level.CITY, year=2024,
                       granted_on=date(2024, 6, 30))
    undated = EnterpriseFactory(town=town, name="未填日期企业")
    RecognitionFactory(enterprise=undated, kind=K.CITY_GIANT, level=Level.CITY, year=2024, granted_on=None)
    RecognitionFactory(enterprise=firm, kind=K.FIRST_SET, level=Level.PROVINCE, year=2024,
                       granted_on=date(2024, 3, 31))                           # Q1
    PoolMembershipFactory(enterprise=firm, admitted_on=date(2024, 4, 1))
    PoolMembershipFactory(enterprise=other_firm, admitted_on=date(2024, 6, 15))
    leaving = EnterpriseFactory(town=town, name="出库企业")
    PoolMembershipFactory(enterprise=leaving, admitted_on=date(2022, 6, 1), left_on=date(2024, 5, 1),
                          leave_reason="连续两年未按期更新数据")
    for i in range(3):
        PoolMembershipFactory(enterprise=EnterpriseFactory(town=other_town, name=f"一季度入库{i}"),
                              admitted_on=date(2024, 2, 1))
    NotableEvent.objects.create(date=date(2024, 5, 8), title="召开专精特新企业培育联席会议", detail="部署二季度工作")
    NotableEvent.objects.create(date=date(2024, 7, 1), title="三季度的事项")
    return plan_targets


def pdf_text(content, tmp_path):
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def xlsx_text(content):
    book = load_workbook(BytesIO(content))
    return "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                     for v in row if v is not None)


def test_the_page_the_pdf_and_the_xlsx_of_a_quarter_each_name_every_target(client, carol, quarter, tmp_path):
    client.force_login(carol)
    names = list(quarter.targets.values_list("name", flat=True))
    assert len(names) == 18
    page = client.get(reverse("dashboards:bulletin", args=[2024, 2]))
    assert page.status_code == 200
    html = page.content.decode()
    pdf = client.get(reverse("dashboards:bulletin_pdf", args=[2024, 2]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(pdf.content, tmp_path).split())
    xlsx = client.get(reverse("dashboards:bulletin_xlsx", args=[2024, 2]))
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    cells = xlsx_text(xlsx.content)
    for doc in (html, cells):
        assert bulletin.TITLE in doc and "2024年第二季度" in doc
        for name in names:
            assert name in doc
        assert "召开专精特新企业培育联席会议" in doc and "连续两年未按期更新数据" in doc
    assert bulletin.TITLE in text.replace(" ", "") and "2024年第二季度" in text.replace(" ", "")
    squeezed = text.replace(" ", "")
    for name in names:      # pdftotext may break a long name over two lines
        assert name[:10].replace(" ", "") in squeezed


def test_the_quarter_lists_its_new_titles_admissions_and_moves_out_against_the_previous_quarter(
        carol, quarter, firm, other_firm):
    data = bulletin.gather(bulletin.Quarter(2024, 2), quarter, carol)
    changes = data["changes"]
    assert [r["enterprise"] for r in changes["titles"]] == [firm.name, other_firm.name]
    assert [r["enterprise"] for r in changes["admissions"]] == [firm.name, other_firm.name]
    assert [(r["enterprise"], r["reason"]) for r in changes["moves_out"]] == [("出库企业", "连续两年未按期更新数据")]
    summary = {s["key"]: (s["now"], s["previous"], s["change"]) for s in changes["summary"]}
    assert summary == {"titles": (2, 1, 1), "admissions": (2, 3, -1), "moves_out": (1, 0, 1)}
    assert [e["title"] for e in data["events"]] == ["召开专精特新企业培育联席会议"]
    labels = [i["label"] for i in data["towns"]["indicators"]]
    towns = {r["town"]: dict(zip(labels, r["values"])) | {"rank": r["rank"]} for r in data["towns"]["rows"]}
    assert (towns["甲镇"]["在库培育企业数"], towns["甲镇"]["当年新入库企业数"], towns["甲镇"]["当年新获认定数"]) == (1, 1, 2)
    assert (towns["乙镇"]["在库培育企业数"], towns["乙镇"]["当年新入库企业数"], towns["乙镇"]["当年新获认定数"]) == (4, 4, 1)
    assert towns["乙镇"]["rank"] == 1 and towns["甲镇"]["rank"] == 2
    targets = {t["code"]: t for t in data["targets"]}
    assert targets["new_province_giants"]["figure"] == 1 and targets["new_province_giants"]["goal"] == "2–5家"
    assert targets["new_province_giants"]["state_label"] == "未达下限"


def test_a_title_without_a_date_counts_in_the_fourth_quarter_of_its_year(carol, quarter):
    def firms(n):
        return {r.enterprise.name for r in bulletin.titles_in(bulletin.Quarter(2024, n), carol)}

    assert "未填日期企业" in firms(4)
    assert not any("未填日期企业" in firms(n) for n in (1, 2, 3))


def test_a_town_officer_reads_the_bulletin_of_its_own_town_and_the_county_wide_town_ranking(
        client, dave, quarter, firm, other_firm):
    client.force_login(dave)
    html = client.get(reverse("dashboards:bulletin", args=[2024, 2])).content.decode()
    assert firm.name in html and other_firm.name not in html
    assert "范围：甲镇" in html
    ranking = html[html.index('id="bulletin-towns"'):html.index('id="bulletin-events"')]
    assert "甲镇" in ranking and "乙镇" in ranking


@pytest.mark.parametrize("path", ["/dashboards/bulletin/2024Q5/", "/dashboards/bulletin/2024Q0/",
                                  "/dashboards/bulletin/2030Q1/", "/dashboards/bulletin/2024Q5.pdf",
                                  "/dashboards/bulletin/2024Q9.xlsx", "/dashboards/bulletin/99999999999999999999Q1/",
                                  "/dashboards/bulletin/2024Q/"])
def test_a_quarter_that_does_not_exist_is_a_chinese_404(client, carol, plan_targets, path):
    client.force_login(carol)
    response = client.get(path)
    assert response.status_code == 404
    assert "不存在" in response.content.decode() or "不在任何规划期内" in response.content.decode()


def test_the_index_lists_every_quarter_of_the_plan_period(client, erin, plan_targets):
    client.force_login(erin)
    html = client.get(reverse("dashboards:bulletin_index")).content.decode()
    for year in (2022, 2023, 2024):
        for n in range(1, 5):
            assert reverse("dashboards:bulletin", args=[year, n]) in html


def test_readers_cannot_pick_events_and_firms_cannot_read_the_bulletin(client, alice, carol, quarter):
    client.force_login(alice)
    assert client.get(reverse("dashboards:bulletin", args=[2024, 2])).status_code == 403
    assert client.get(reverse("dashboards:bulletin_xlsx", args=[2024, 2])).status_code == 403
    client.force_login(carol)
    assert client.post(reverse("dashboards:event_create"), {"date": "2024-05-01", "title": "x"}).status_code == 403
    event = NotableEvent.objects.first()
    assert client.post(reverse("dashboards:event_delete", args=[event.pk])).status_code == 403
    assert NotableEvent.objects.filter(pk=event.pk).exists()


def test_staff_add_edit_and_delete_an_event_and_it_shows_in_its_quarter(client, bob, carol, quarter,
                                                                         django_assert_max_num_queries):
    client.force_login(bob)
    response = client.post(reverse("dashboards:event_create"),
                           {"date": "2024-06-10", "title": "省级专精特新小巨人企业授牌", "detail": ""})
    assert response.status_code == 302
    event = NotableEvent.objects.get(title="省级专精特新小巨人企业授牌")
    assert event.created_by == bob
    client.post(reverse("dashboards:event_edit", args=[event.pk]), {"date": "2024-06-11", "title": "授牌仪式"})
    with django_assert_max_num_queries(8):
        listing = client.get(reverse("dashboards:event_list")).content.decode()
    assert "授牌仪式" in listing and "2024Q2" in listing
    client.force_login(carol)
    assert "授牌仪式" in client.get(reverse("dashboards:bulletin", args=[2024, 2])).content.decode()
    client.force_login(bob)
    assert client.get(reverse("dashboards:event_delete", args=[event.pk])).status_code == 405
    client.post(reverse("dashboards:event_delete", args=[event.pk]))
    assert not NotableEvent.objects.filter(pk=event.pk).exists()


def test_an_event_with_a_bad_date_is_refused_in_chinese(client, bob, plan_targets):
    client.force_login(bob)
    response = client.post(reverse("dashboards:event_create"), {"date": "2024-13-40", "title": "x"})
    assert response.status_code == 200
    assert "有效的日期" in response.content.decode()
