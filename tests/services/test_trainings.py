"""Trainings (培训) and their attendance: entered by hand or imported from XLSX (atomic, errors by row
and column), scoped as the firms are, mobile numbers masked for all but staff, and the distinct people
trained feeding the target people_trained."""
import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dashboards import services as dashboards
from dashboards.models import Target
from services import services
from services.models import Attendance, Training

from ..factories import AttendanceFactory, EnterpriseFactory, TrainingFactory

HEADERS = ("姓名", "手机号码", "所在企业", "职务")


@pytest.fixture(autouse=True)
def _own_media(media):
    """Every test here keeps its uploads in a folder of its own (the shared `media` fixture)."""


def workbook(*rows, headers=HEADERS):
    book = Workbook()
    sheet = book.active
    sheet.title = "参训人员"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, training_pk, content):
    return client.post(reverse("services:attendance_import", args=[training_pk]),
                       {"file": SimpleUploadedFile("名单.xlsx", content)})


def import_file(client, training, content):
    """Upload, then commit what the preview offers; returns the preview response."""
    preview = upload(client, training.pk, content)
    token = preview.context["token"]
    if token:
        client.post(reverse("services:attendance_import_commit", args=[training.pk]), {"token": token})
    return preview


def test_an_import_with_a_bad_row_writes_nothing_and_lists_every_error_by_row_and_column(client, bob, firm):
    training = TrainingFactory()
    AttendanceFactory(training=training, name="老学员", mobile="13900000009", enterprise=firm)
    client.force_login(bob)
    content = workbook(("张三", "13900000001", firm.uscc, "总经理"),
                       ("李四", "1390000", "", ""),                        # mobile too short
                       ("王五", "13900000003", "不存在的企业", "技术总监"),  # unknown firm
                       ("张三", "13900000001", "", ""),                    # twice in the file
                       ("老学员", "13900000009", firm.name, ""),           # already on the training
                       ("", "13900000005", "", ""))                        # no name
    response = upload(client, training.pk, content)
    assert response.status_code == 200 and response.context["token"] is None
    lines = response.context["preview"].error_lines()
    assert any("第3行 B列（手机号码）" in line and "11 位数字" in line for line in lines)
    assert any("第4行 C列（所在企业）" in line and "不存在的企业" in line for line in lines)
    assert any("第5行 B列（手机号码）" in line and "与第2行重复" in line for line in lines)
    assert any("第6行 B列（手机号码）" in line and "已在本次培训的名单中" in line for line in lines)
    assert any("第7行 A列（姓名）" in line and "姓名不能为空" in line for line in lines)
    assert len(lines) == 5
    html = response.content.decode()
    assert "发现5处错误，未写入任何数据" in html and "第3行" in html and "第B列" in html
    assert Attendance.objects.filter(training=training).count() == 1


def test_a_good_import_moves_people_trained_by_the_distinct_new_people(client, bob, firm, plan_targets):
    target = Target.objects.get(code="people_trained", period=plan_targets)
    earlier = TrainingFactory(date=datetime.date(2023, 3, 1))
    AttendanceFactory(training=earlier, name="老学员", mobile="13900000009", enterprise=firm)
    before = dashboards.figure(target, 2024, bob)
    training = TrainingFactory(date=datetime.date(2024, 5, 10))
    client.force_login(bob)
    preview = import_file(client, training, workbook(
        ("老学员", "13900000009", firm.name, "董事长"),        # trained before: no new person
        ("新学员甲", 13900000011, firm.uscc.lower(), "车间主任"),  # a number cell; the USCC in lower case
        ("新学员乙", "13900000012", None, None)))
    assert preview.context["preview"].ok
    assert Attendance.objects.filter(training=training).count() == 3
    assert dashboards.figure(target, 2024, bob) == before + 2
    row = Attendance.objects.get(training=training, name="新学员甲")
    assert (row.mobile, row.enterprise, row.role) == ("13900000011", firm, "车间主任")


def test_attendance_for_an_unknown_training_is_a_404(client, bob):
    client.force_login(bob)
    assert upload(client, 999999, workbook(("张三", "13900000001", "", ""))).status_code == 404
    response = client.post(reverse("services:attendance_add", args=[999999]), {"name": "张三", "mobile": "13900000001"})
    assert response.status_code == 404


def test_a_duplicate_attendee_entered_by_hand_is_refused_in_chinese(client, bob, firm):
    training = TrainingFactory()
    url = reverse("services:attendance_add", args=[training.pk])
    client.force_login(bob)
    assert client.post(url, {"name": "张三", "mobile": "13900000001", "enterprise": firm.pk}).status_code == 302
    response = client.post(url, {"name": "张三", "mobile": "13900000001"})
    assert response.status_code == 400
    assert "张三（13900000001）已在本次培训的名单中。" in response.content.decode()
    response = client.post(url, {"name": "李四", "mobile": "12345"})
    assert "手机号码须为以 1 开头的 11 位数字。" in response.content.decode()
    assert Attendance.objects.filter(training=training).count() == 1


def test_the_template_has_the_four_columns(client, bob):
    client.force_login(bob)
    book = load_workbook(BytesIO(client.get(reverse("services:attendance_template")).content))
    assert tuple(c.value for c in book.worksheets[0][1]) == HEADERS


def test_one_person_is_the_same_name_and_mobile_across_trainings(firm):
    a, b = TrainingFactory(), TrainingFactory()
    AttendanceFactory(training=a, name="张三", mobile="13900000001", enterprise=firm)
    AttendanceFactory(training=b, name="张三", mobile="13900000001", enterprise=firm)
    AttendanceFactory(training=b, name="张三", mobile="13900000002", enterprise=firm)
    assert services.distinct_people(Attendance.objects.all()) == 2


def test_a_town_officer_sees_its_towns_attendees_and_masked_mobiles(client, dave, bob, firm, other_firm):
    training = TrainingFactory()
    AttendanceFactory(training=training, name="本镇学员", mobile="13900000001", enterprise=firm)
    AttendanceFactory(training=training, name="外镇学员", mobile="13900000002", enterprise=other_firm)
    client.force_login(dave)
    html = client.get(reverse("services:training_detail", args=[training.pk])).content.decode()
    assert "本镇学员" in html and "外镇学员" not in html and "139****0001" in html and "13900000001" not in html
    rows = client.get(reverse("api:trainingattendance-list")).json()["results"]
    assert [(r["name"], r["mobile"]) for r in rows] == [("本镇学员", "139****0001")]
    client.force_login(bob)
    rows = client.get(reverse("api:trainingattendance-list"), {"training": training.pk}).json()["results"]
    assert sorted(r["mobile"] for r in rows) == ["13900000001", "13900000002"]


def test_staff_create_a_training_and_the_list_filters_and_exports_it(client, bob, carol):
    client.force_login(bob)
    response = client.post(reverse("services:training_create"), {
        "title": "创新人才研修班", "date": "2024-09-01", "organiser": "keji", "kind": "innovators"})
    training = Training.objects.get(title="创新人才研修班")
    assert response.status_code == 302 and training.organiser == "keji"
    TrainingFactory(title="往年培训", date=datetime.date(2022, 1, 5))
    client.force_login(carol)
    html = client.get(reverse("services:training_list"), {"year": 2024, "organiser": "keji"}).content.decode()
    assert "创新人才研修班" in html and "往年培训" not in html
    export = client.get(reverse("services:training_export"), {"year": 2024})
    sheet = load_workbook(BytesIO(export.content)).active
    assert [c.value for c in sheet[2]][:3] == ["2024-09-01", "创新人才研修班", "县科技局"]
    api = client.get(reverse("api:training-list"), {"kind": "innovators"}).json()
    assert [t["title"] for t in api["results"]] == ["创新人才研修班"]


def test_the_training_list_costs_the_same_queries_for_many_trainings(client, carol, django_assert_max_num_queries):
    firm = EnterpriseFactory()
    for _ in range(25):
        AttendanceFactory(training=TrainingFactory(), enterprise=firm)
    client.force_login(carol)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("services:training_list"))
    assert response.status_code == 200 and response.context["people"]["shown"] == 25
