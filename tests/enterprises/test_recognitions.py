"""Recognitions (认定荣誉) of every kind: one staff form, one XLSX import (template, preview with
Chinese errors by row and column, atomic commit), the list and the API with one FilterSet and the
same scope; every write re-scores the firms it touched."""
import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from enterprises import recognitions
from enterprises.models import Recognition
from enterprises.signals import records_changed

from ..factories import RecognitionFactory, valid_uscc

LIST_URL = reverse("enterprises:recognition_list")
CREATE_URL = reverse("enterprises:recognition_create")
IMPORT_URL = reverse("enterprises:recognition_import")
COMMIT_URL = reverse("enterprises:recognition_import_commit")
API_URL = reverse("api:recognition-list")


@pytest.fixture(autouse=True)
def _own_media(media):
    """Every test here keeps its uploads in a folder of its own (the shared `media` fixture)."""


@pytest.fixture
def stale():
    """The (firm ids, years) each write announced, once committed, as needing a new evaluation."""
    seen = []

    def receiver(sender, enterprise_ids, years, **kwargs):
        seen.append((set(enterprise_ids), set(years)))

    records_changed.connect(receiver, dispatch_uid="test-recognitions")
    yield seen
    records_changed.disconnect(dispatch_uid="test-recognitions")


# ------------------------------------------------------------------------------------------------
# The form
# ------------------------------------------------------------------------------------------------

def test_staff_record_a_recognition_of_any_kind_with_one_form_and_the_firm_is_rescored(
        client, bob, firm, stale, django_capture_on_commit_callbacks):
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE_URL, {"enterprise": firm.pk, "kind": "smart_workshop", "level": "province",
                                            "year": 2024, "granted_on": "2024-11-08",
                                            "document": "苏工信数字〔2024〕91号", "note": "省级智能制造示范车间"})
    assert response.status_code == 302 and response["Location"] == LIST_URL
    recognition = Recognition.objects.get()
    assert (recognition.enterprise, recognition.kind, recognition.level, recognition.year, recognition.granted_on,
            recognition.document) == (firm, "smart_workshop", "province", 2024, datetime.date(2024, 11, 8),
                                      "苏工信数字〔2024〕91号")
    assert stale == [({firm.pk}, set())]
    html = client.get(LIST_URL).content.decode()
    assert "智能车间（工厂）" in html and "苏工信数字〔2024〕91号" in html and firm.name in html
    assert "2024年 智能车间（工厂）（省级）" in client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()

    client.post(reverse("enterprises:recognition_update", args=[recognition.pk]),
                {"enterprise": firm.pk, "kind": "smart_workshop", "level": "national", "year": 2024,
                 "granted_on": "", "document": "工信部", "note": ""})
    recognition.refresh_from_db()
    assert recognition.level == "national" and recognition.granted_on is None


@pytest.mark.parametrize("data,field,message", [
    ({"kind": "city_giant", "level": "province"}, "level", "市级专精特新小巨人的级别应为市级。"),
    ({"kind": "first_set", "level": "province", "granted_on": "2023-12-31"}, "granted_on",
     "认定日期2023-12-31不在认定年度2024年内。"),
    ({"kind": "quality_award", "level": "city", "year": 1990}, "year", "认定年度须在2000年至"),
    ({"kind": "jiangsu_jingpin", "level": "province"}, "kind", "已有2024年的江苏精品认定记录。"),
    ({"kind": "", "level": "city"}, "kind", "该字段是必填项。"),
])
def test_the_form_refuses_a_recognition_that_contradicts_itself_or_repeats_one(client, bob, firm, data, field,
                                                                               message):
    RecognitionFactory(enterprise=firm, kind="jiangsu_jingpin", level="province", year=2024)
    client.force_login(bob)
    before = list(Recognition.objects.values_list("pk", "kind", "level", "year"))
    response = client.post(CREATE_URL, {"enterprise": firm.pk, "year": 2024, "granted_on": "", "document": "",
                                        "note": "", **data})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert list(Recognition.objects.values_list("pk", "kind", "level", "year")) == before


def test_a_recognition_recorded_by_a_recommendation_list_is_not_deleted_here(client, bob, firm, published_editions):
    from criteria.admission import recommendation as rec
    from criteria.models import RecommendationList

    lst = RecommendationList.objects.create(tier="city_giant", year=2024, title="名单")
    rec.add(lst, firm, "推荐")
    rec.freeze(lst, bob)
    rec.recommend_all(lst, datetime.date(2025, 3, 1))
    entry = rec.set_outcome(lst.entries.get(), "recognised", datetime.date(2025, 8, 1), "淮工信〔2025〕5号")
    client.force_login(bob)
    response = client.post(reverse("enterprises:recognition_delete", args=[entry.recognition_id]), follow=True)
    assert "由推荐名单的“已认定”结果登记，不能在此删除" in response.content.decode()
    assert Recognition.objects.filter(pk=entry.recognition_id).exists()
    other = RecognitionFactory(enterprise=firm, kind="energy_retrofit", level="county", year=2023)
    client.post(reverse("enterprises:recognition_delete", args=[other.pk]))
    assert not Recognition.objects.filter(pk=other.pk).exists()


# ------------------------------------------------------------------------------------------------
# List and API: one FilterSet, one scope
# ------------------------------------------------------------------------------------------------

@pytest.fixture
def spread(firm, other_firm):
    return [RecognitionFactory(enterprise=firm, kind="first_set", level="province", year=2023),
            RecognitionFactory(enterprise=firm, kind="city_giant", level="city", year=2024),
            RecognitionFactory(enterprise=other_firm, kind="iiot_benchmark", level="city", year=2024),
            RecognitionFactory(enterprise=other_firm, kind="first_set", level="national", year=2024)]


def api(client, **params):
    return sorted((r["enterprise_name"], r["kind"], r["year"]) for r in client.get(API_URL, params).json()["results"])


def test_the_api_filters_by_kind_level_year_and_town_as_the_list_does(client, bob, spread, firm, other_firm, town):
    client.force_login(bob)
    assert api(client, kind="first_set") == sorted([(firm.name, "first_set", 2023),
                                                    (other_firm.name, "first_set", 2024)])
    assert api(client, kind="first_set", level="national") == [(other_firm.name, "first_set", 2024)]
    assert api(client, year=2024, town=town.pk) == [(firm.name, "city_giant", 2024)]
    row = client.get(API_URL, {"kind": "iiot_benchmark"}).json()["results"][0]
    assert (row["kind_label"], row["level_label"], row["town"], row["uscc"]) == (
        "工业互联网标杆工厂", "市级", other_firm.town.name, other_firm.uscc)
    html = client.get(LIST_URL, {"kind": "first_set", "level": "national"}).content.decode()
    table = html.split('id="recognitions"', 1)[1]
    assert other_firm.name in table and firm.name not in table
    assert client.get(API_URL, {"kind": "无此类型"}).status_code == 400
    assert client.post(API_URL, {"enterprise": firm.pk, "kind": "first_set", "level": "city", "year": 2024},
                       content_type="application/json").status_code == 405


def test_a_town_officer_and_a_firm_see_only_their_own_recognitions(client, dave, alice, spread, firm, other_firm):
    for user in (dave, alice):
        client.force_login(user)
        assert {name for name, _k, _y in api(client)} == {firm.name}
        table = client.get(LIST_URL).content.decode().split('id="recognitions"', 1)[1]
        assert firm.name in table and other_firm.name not in table
        assert "新增认定" not in client.get(LIST_URL).content.decode()
        assert client.get(reverse("api:recognition-detail", args=[spread[3].pk])).status_code == 404


# ------------------------------------------------------------------------------------------------
# The XLSX import
# ------------------------------------------------------------------------------------------------

def workbook(rows, headers=recognitions.TEMPLATE_COLUMNS):
    book = Workbook()
    sheet = book.active
    sheet.title = "认定荣誉"
    sheet.append(list(headers))
    for r in rows:
        sheet.append(list(r))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("认定.xlsx", content)})


def test_the_template_has_the_columns_and_the_chinese_choices(client, bob):
    client.force_login(bob)
    response = client.get(reverse("enterprises:recognition_template"))
    book = load_workbook(BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == ["统一社会信用代码", "企业名称", "认定类型", "级别", "认定年度",
                                                        "认定日期", "认定文件", "备注"]
    notes = "\n".join(str(c.value) for c in book["说明"]["A"] if c.value)
    assert "首台（套）重大装备" in notes and "工业互联网标杆工厂" in notes and "国家级" in notes
    assert {str(v.sqref) for v in book.worksheets[0].data_validations.dataValidation} == {"C2:C2000", "D2:D2000"}


def test_a_bad_workbook_is_previewed_with_errors_by_row_and_column_and_nothing_is_written(client, bob, firm):
    client.force_login(bob)
    content = workbook([
        [firm.uscc, firm.name, "首台（套）重大装备", "省级", 2024, "2024-05-06", "苏工信装备〔2024〕3号", ""],
        [valid_uscc(4242), "不存在的企业", "质量奖", "市级", 2024, None, "", ""],
        [firm.uscc, firm.name, "金牌企业", "省级", 2024, None, "", ""],
        [firm.uscc, firm.name, "质量奖", "", 2024, None, "", ""],
        [firm.uscc, firm.name, "江苏精品", "省级", "二〇二四", None, "", ""],
        [firm.uscc, firm.name, "智能车间（工厂）", "省级", 2024, "2023-12-01", "", ""],
        [firm.uscc, firm.name, "市级专精特新小巨人", "省级", 2024, None, "", ""],
        [firm.uscc, firm.name, "首台（套）重大装备", "国家级", 2024, None, "", ""],
    ])
    response = upload(client, content)
    html = response.content.decode()
    assert "发现7处错误，未写入任何数据" in html
    errors = [(e.row, e.column, e.header, e.message) for e in response.context["errors"]]
    assert (3, "A", "统一社会信用代码", f"统一社会信用代码“{valid_uscc(4242)}”在系统中不存在，请先登记该企业或核对代码。") in errors
    assert (4, "C", "认定类型", "“金牌企业”不是有效的认定类型，请从模板“说明”中的名称里选择。") in errors
    assert (5, "D", "级别", "请填写级别（质量奖的级别不随类型确定）。") in errors
    assert (6, "E", "认定年度", "“二〇二四”不是有效的年度，应为四位数字的年份。") in errors
    assert (7, "F", "认定日期", "认定日期2023-12-01不在认定年度2024年内。") in errors
    assert (8, "D", "级别", "市级专精特新小巨人的级别应为市级。") in errors
    assert (9, "C", "认定类型", "与第2行重复：同一企业同一认定类型同一年度只能有一行。") in errors
    assert 'name="token"' not in html
    assert not Recognition.objects.exists()


def test_a_good_workbook_is_previewed_then_committed_at_once_and_the_firms_are_rescored(
        client, bob, firm, other_firm, stale, django_capture_on_commit_callbacks):
    stored = RecognitionFactory(enterprise=other_firm, kind="quality_award", level="city", year=2023)
    client.force_login(bob)
    content = workbook([
        [firm.uscc, "名称可以不同", "首台（套）重大装备", "省级", 2024, "2024-05-06", "苏工信装备〔2024〕3号", "示范"],
        [firm.uscc, firm.name, "市级专精特新小巨人", "", "2025年", datetime.datetime(2025, 9, 20), "淮工信〔2025〕88号",
         ""],
        [other_firm.uscc.lower(), other_firm.name, "quality_award", "省级", 2023, "2023/10/1", "苏政发〔2023〕1号", ""],
    ])
    response = upload(client, content)
    html = response.content.decode()
    assert "共3行通过检查：将新增2条、更新1条" in html and "名称可以不同" in html
    assert not Recognition.objects.filter(enterprise=firm).exists()
    token = response.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(COMMIT_URL, {"token": token}, follow=True)
    assert "导入完成：新增2条，更新1条认定荣誉。" in response.content.decode()
    city = Recognition.objects.get(enterprise=firm, kind="city_giant")
    assert (city.level, city.year, city.granted_on, city.document) == ("city", 2025, datetime.date(2025, 9, 20),
                                                                      "淮工信〔2025〕88号")
    stored.refresh_from_db()
    assert (stored.level, stored.granted_on, stored.document) == ("province", datetime.date(2023, 10, 1),
                                                                  "苏政发〔2023〕1号")
    assert stale == [({firm.pk, other_firm.pk}, set())]

    response = upload(client, content)          # the same file again changes nothing
    assert "将新增0条、更新0条，3条与系统中已有记录相同" in response.content.decode()
    assert client.post(COMMIT_URL, {"token": "not-the-token"}, follow=True).status_code == 200
    assert Recognition.objects.count() == 3


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese(client, bob):
    client.force_login(bob)
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("a.xlsx", b"not a zip")})
    assert "上传的文件不是Excel工作簿（.xlsx），请使用导入模板。" in response.content.decode()
    response = upload(client, workbook([], headers=["甲", "乙"]))
    assert "没有找到数据表" in response.content.decode()


# ---- The checks every template import shares (template_rows), read through this one --------------

def good_row(firm, year=2024):
    return [firm.uscc, firm.name, "质量奖", "市级", year, None, "", ""]


def test_a_sheet_without_a_required_column_names_it_and_reads_no_row(firm):
    headers = [h for h in recognitions.TEMPLATE_COLUMNS if h != "认定类型"]
    content = workbook([[firm.uscc, firm.name, "市级", 2024, None, "", ""]], headers=headers)
    preview = recognitions.parse_workbook(content)
    [error] = preview.errors
    assert (error.sheet, error.row, error.column, error.header, error.message) == (
        "认定荣誉", 1, "", "认定类型", "缺少必填列“认定类型”，请使用导入模板的列名。")
    assert str(error) == "工作表“认定荣誉” 第1行 （认定类型）：缺少必填列“认定类型”，请使用导入模板的列名。"
    assert preview.rows == []


def test_every_missing_required_column_is_named(firm):
    headers = [h for h in recognitions.TEMPLATE_COLUMNS if h not in ("统一社会信用代码", "认定年度")]
    preview = recognitions.parse_workbook(workbook([[firm.name, "质量奖", "市级", None, "", ""]], headers=headers))
    assert [(e.row, e.header) for e in preview.errors] == [(1, "统一社会信用代码"), (1, "认定年度")]


def test_a_level_the_sheet_has_no_column_for_is_asked_for_first_in_its_row(firm):
    headers = [h for h in recognitions.TEMPLATE_COLUMNS if h != "级别"]
    preview = recognitions.parse_workbook(workbook([["", firm.name, "质量奖", 2024, None, "", ""],
                                                    [firm.uscc, firm.name, "市级专精特新小巨人", 2024, None, "", ""]],
                                                   headers=headers))
    assert [(e.row, e.column, e.header, e.message) for e in preview.errors] == [
        (2, "", "级别", "请填写级别（质量奖的级别不随类型确定）。"),
        (2, "A", "统一社会信用代码", "统一社会信用代码不能为空。"),
    ]
    assert [(r.row, r.kind, r.level) for r in preview.rows] == [(3, "city_giant", "city")]


def test_a_sheet_with_no_rows_at_all_is_passed_over(firm):
    book = Workbook()
    book.active.title = "空表"
    sheet = book.create_sheet("认定荣誉")
    sheet.append(list(recognitions.TEMPLATE_COLUMNS))
    sheet.append(good_row(firm))
    buffer = BytesIO()
    book.save(buffer)
    preview = recognitions.parse_workbook(buffer.getvalue())
    assert not preview.errors and [r.row for r in preview.rows] == [2]


@pytest.mark.parametrize("rows, refused", [(3, False), (4, True)])
def test_rows_past_the_limit_refuse_the_workbook_even_when_its_dimension_is_missing(firm, settings, rows, refused):
    from .test_import_limits import limit_message, with_dimension

    settings.IMPORT_MAX_ROWS = 3
    content = with_dimension(workbook([good_row(firm, 2020 + i) for i in range(rows)]), None)
    preview = recognitions.parse_workbook(content)
    if refused:
        assert [str(e) for e in preview.errors] == [f"工作表“认定荣誉”：{limit_message('认定荣誉', 3)}"]
        assert preview.rows == []
    else:
        assert not preview.errors and len(preview.rows) == 3


def test_a_formula_without_a_value_is_its_cells_only_message_and_blank_rows_are_skipped(firm):
    book = Workbook()
    sheet = book.active
    sheet.title = "认定荣誉"
    sheet.append(list(recognitions.TEMPLATE_COLUMNS))
    sheet.append(good_row(firm, 2023))
    sheet.append([None] * 8)
    sheet.append(good_row(firm, 2024))
    sheet["E4"] = "=2000+24"
    buffer = BytesIO()
    book.save(buffer)
    errors = recognitions.parse_workbook(buffer.getvalue()).errors
    [error] = errors                    # the formula, not also "认定年度不能为空"
    assert (error.sheet, error.row, error.column, error.header) == ("认定荣誉", 4, "E", "认定年度")
    assert error.message == "该单元格是公式，没有计算结果，请在表格软件中另存为数值后再导入。"


def test_a_formula_without_a_value_in_an_optional_column_leaves_its_row_out(firm):
    book = Workbook()
    sheet = book.active
    sheet.append(list(recognitions.TEMPLATE_COLUMNS))
    sheet.append(good_row(firm, 2023))
    sheet.append(good_row(firm, 2024))
    sheet["H3"] = '=A3&"备注"'
    buffer = BytesIO()
    book.save(buffer)
    preview = recognitions.parse_workbook(buffer.getvalue())
    assert [(e.row, e.column, e.header) for e in preview.errors] == [(3, "H", "备注")]
    assert [r.year for r in preview.rows] == [2023]


def test_a_workbook_the_template_import_cannot_use_gets_one_message_and_no_row(firm, settings):
    from .test_import_limits import SHEET, bomb, rewrite

    def only(content):
        preview = recognitions.parse_workbook(content)
        assert preview.rows == []
        return [str(e) for e in preview.errors]

    assert only(b"not a workbook") == ["无法读取该文件：它不是有效的Excel工作簿（.xlsx），或者文件已损坏。"
                                       "请使用导入模板，在Excel或WPS中另存为 .xlsx 后再上传。"]
    rows = workbook([good_row(firm, 2000 + i) for i in range(25)])
    broken = rewrite(rows, SHEET, lambda xml: xml[: len(xml) * 2 // 3])
    assert only(broken) == ["读取工作簿时出错：文件可能已损坏，请在Excel中重新保存后再上传。"]
    assert only(workbook([], headers=["甲", "乙"])) == [
        "没有找到数据表：工作表的第1行应为列名（" + "、".join(recognitions.TEMPLATE_COLUMNS) + "）。"]
    assert only(workbook([])) == ["文件中没有数据行。"]
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 1
    assert only(bomb(2)) == ["文件解压后为2.0 MB，超过了1 MB的上限，未导入任何数据。"
                             "请删除不需要的工作表、图片等内容，或分成几个文件分别导入。"]


def test_a_year_stored_as_a_decimal_number_reads_as_typed(firm):
    from .test_import_limits import SHEET, rewrite

    # as some spreadsheet programs store a whole number: <v>2024.0</v>, which openpyxl reads as a float
    content = rewrite(workbook([good_row(firm, 2024)]), SHEET,
                      lambda xml: xml.replace(b"<v>2024</v>", b"<v>2024.0</v>"))
    preview = recognitions.parse_workbook(content)
    assert not preview.errors and [r.year for r in preview.rows] == [2024]
