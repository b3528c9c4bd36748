"""Excel import of yearly figures: template, preview with located Chinese errors, atomic commit."""
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from enterprises import importing
from enterprises.importing import TEMPLATE_COLUMNS, commit, parse_workbook
from enterprises.models import FiscalYearRecord
from jobs.models import Job

from ..factories import EnterpriseFactory, FiscalYearFactory, valid_uscc

YEARS = range(2000, 2026)
IMPORT_URL = reverse("enterprises:fiscal_year_import")
COMMIT_URL = reverse("enterprises:fiscal_year_import_commit")
TEMPLATE_URL = reverse("enterprises:fiscal_year_template")


@pytest.fixture(autouse=True)
def _own_media(media):
    """Every test here keeps its uploads in a folder of its own (the shared `media` fixture)."""


def figures(**overrides):
    base = {"operating_revenue": 3000, "main_business_revenue": 2800, "operating_profit": 200,
            "total_profit": 210, "net_profit": 180, "taxes_paid": 120, "rd_expense": 90.5,
            "total_assets": 4000, "total_liabilities": 1800, "employees": 80, "rd_staff": 12,
            "equity_financing": 0}
    base.update(overrides)
    return base


def row(firm_or_uscc, year, name=None, **overrides):
    uscc = getattr(firm_or_uscc, "uscc", firm_or_uscc)
    name = name if name is not None else getattr(firm_or_uscc, "name", "")
    f = figures(**overrides)
    return [uscc, name, year] + [f[k] for k in importing.FIGURE_FIELDS]


def xlsx(rows, headers=TEMPLATE_COLUMNS, title="年度数据", extra_sheets=None):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(headers))
    for r in rows:
        sheet.append(list(r))
    for name, sheet_rows in (extra_sheets or {}).items():
        extra = book.create_sheet(name)
        for r in sheet_rows:
            extra.append(list(r))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content, name="年度数据.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def only_error(preview):
    assert len(preview.errors) == 1, preview.error_lines()
    return preview.errors[0]


# ------------------------------------------------------------------------------------------------
# Template
# ------------------------------------------------------------------------------------------------

def test_template_downloads_with_the_chinese_headers(client, bob):
    client.force_login(bob)
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content), read_only=True)
    header = next(book.worksheets[0].iter_rows(values_only=True))
    assert list(header) == TEMPLATE_COLUMNS
    assert TEMPLATE_COLUMNS[:3] == ["统一社会信用代码", "企业名称", "年度"]
    assert "股权融资实缴额" in TEMPLATE_COLUMNS and len(TEMPLATE_COLUMNS) == 15


@pytest.mark.parametrize("who", ["alice", "carol", "dave", "erin", "root"])
def test_every_role_may_download_the_template(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(TEMPLATE_URL).status_code == 200


def test_anonymous_template_download_goes_to_login(client, db):
    assert client.get(TEMPLATE_URL).status_code == 302


def test_template_filled_in_imports(firm, bob):
    """The downloaded template, filled in by hand, round-trips; its notes sheet is skipped."""
    book = load_workbook(BytesIO(importing.template_bytes()))
    book.worksheets[0].append(row(firm, 2024))
    buffer = BytesIO()
    book.save(buffer)
    preview = parse_workbook(buffer.getvalue(), years=YEARS)
    assert not preview.errors, preview.error_lines()
    assert preview.skipped_sheets == ["说明"]
    assert commit(preview, bob).created == 1


def test_empty_template_reports_no_data_rows(db):
    preview = parse_workbook(importing.template_bytes(), years=YEARS)
    assert "没有数据行" in only_error(preview).message


def test_a_workbook_without_a_sheet_of_template_headers_says_which_headers_it_needs(db):
    preview = parse_workbook(xlsx([["x", "y"]], headers=["甲", "乙"]), years=YEARS)
    assert preview.error_lines() == ["没有找到数据表：工作表的第1行应为列名（" + "、".join(TEMPLATE_COLUMNS) + "）。"]


# ------------------------------------------------------------------------------------------------
# Good workbooks
# ------------------------------------------------------------------------------------------------

def test_good_workbook_creates_and_updates_with_history(firm, other_firm, bob):
    FiscalYearFactory(enterprise=firm, year=2023)
    content = xlsx([
        # update: new revenue, blanks keep the stored values
        [firm.uscc, firm.name, 2023, 3500, None, None, None, None, None, None, None, None, None, None, None],
        row(firm, 2024, net_profit=-15.5, rd_expense=None),          # create; negative profit is fine
        row(other_firm, "2024", operating_revenue="3,234.567"),      # text figures are parsed
    ])
    preview = parse_workbook(content, years=YEARS)
    assert not preview.errors, preview.error_lines()
    assert (preview.to_create, preview.to_update, preview.unchanged) == (2, 1, 0)

    result = commit(preview, bob)
    assert (result.created, result.updated) == (2, 1)

    updated = FiscalYearRecord.objects.get(enterprise=firm, year=2023)
    assert updated.operating_revenue == Decimal("3500.00")
    assert updated.main_business_revenue == Decimal("2800.00")   # blank cell: unchanged
    assert updated.employees == 80
    created = FiscalYearRecord.objects.get(enterprise=firm, year=2024)
    assert created.net_profit == Decimal("-15.50")
    assert created.rd_expense is None                             # blank cell: NULL
    other = FiscalYearRecord.objects.get(enterprise=other_firm, year=2024)
    assert other.operating_revenue == Decimal("3234.57")

    assert [h.history_type for h in updated.history.order_by("history_date")] == ["+", "~"]
    assert updated.history.latest().history_user == bob
    assert created.history.count() == 1 and created.history.get().history_user == bob
    assert created.history.get().history_type == "+"


def test_history_rows_mirror_the_written_records(firm, other_firm, bob):
    """commit writes plain SQL; its history rows must be what simple-history itself would write."""
    FiscalYearFactory(enterprise=firm, year=2023)
    commit(parse_workbook(xlsx([row(firm, 2023, operating_revenue=4000, employees=None),
                                row(other_firm, 2024, total_profit=-3)]), years=YEARS), bob, change_reason="统计局")
    tracked = [f.attname for f in FiscalYearRecord._meta.concrete_fields]
    for record in FiscalYearRecord.objects.all():
        latest = record.history.latest()
        assert {f: getattr(latest, f) for f in tracked} == {f: getattr(record, f) for f in tracked}
        assert latest.history_user == bob and latest.history_change_reason == "统计局"
        assert latest.history_date == record.updated_at
        assert latest.instance == record
    updated = FiscalYearRecord.objects.get(enterprise=firm, year=2023)
    assert updated.employees == 80 and updated.operating_revenue == 4000
    assert updated.history.latest().prev_record.history_type == "+"
    changed = updated.history.latest().diff_against(updated.history.latest().prev_record).changed_fields
    assert set(changed) == {"operating_revenue", "rd_expense"}   # 90 -> 90.5; blank employees kept


def test_reimporting_the_same_figures_changes_nothing(firm, bob):
    content = xlsx([row(firm, 2024)])
    commit(parse_workbook(content, years=YEARS), bob)
    preview = parse_workbook(content, years=YEARS)
    assert (preview.to_create, preview.to_update, preview.unchanged) == (0, 0, 1)
    assert commit(preview, bob).unchanged == 1
    assert FiscalYearRecord.history.count() == 1


def test_columns_may_be_reordered_and_carry_units_and_extra_columns(firm, bob):
    headers = list(reversed(TEMPLATE_COLUMNS)) + ["备注"]
    headers = [h + "（万元）" if h == "营业收入" else h for h in headers]
    content = xlsx([list(reversed(row(firm, 2024, operating_revenue=5000))) + ["随便写"]], headers=headers)
    preview = parse_workbook(content, years=YEARS)
    assert not preview.errors, preview.error_lines()
    commit(preview, bob)
    assert FiscalYearRecord.objects.get(enterprise=firm, year=2024).operating_revenue == 5000


def test_every_sheet_with_headers_is_read(firm, other_firm, bob):
    content = xlsx([row(firm, 2024)], extra_sheets={"乙镇": [TEMPLATE_COLUMNS, row(other_firm, 2024)],
                                                    "备注": [["这里是说明文字"]]})
    preview = parse_workbook(content, years=YEARS)
    assert not preview.errors
    assert preview.sheets == ["年度数据", "乙镇"] and preview.skipped_sheets == ["备注"]
    assert commit(preview, bob).created == 2


def test_view_preview_then_commit(client, bob, firm, media):
    client.force_login(bob)
    response = upload(client, xlsx([row(firm, 2024)]))
    assert response.status_code == 200
    assert "确认导入" in response.content.decode()
    assert not FiscalYearRecord.objects.exists()            # the preview writes nothing
    token = client.session["fiscal_year_import"]["token"]
    assert (media / "imports" / f"{token}.xlsx").exists()

    response = client.post(COMMIT_URL, {"token": token})
    assert response.status_code == 302
    job = Job.objects.get()                                 # written by a background job
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    record = FiscalYearRecord.objects.get(enterprise=firm, year=2024)
    assert record.history.get().history_user == bob
    assert not (media / "imports" / f"{token}.xlsx").exists()
    assert "fiscal_year_import" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "年度数据导入" in page and "1 / 1 行（100%）" in page
    assert "导入完成：新增1条，更新0条，无变化0条。" in page

    # the same token cannot be committed twice
    response = client.post(COMMIT_URL, {"token": token}, follow=True)
    assert "预览已失效" in response.content.decode()
    assert FiscalYearRecord.history.count() == 1


def test_commit_with_a_foreign_token_is_refused(client, bob, firm):
    client.force_login(bob)
    upload(client, xlsx([row(firm, 2024)]))
    response = client.post(COMMIT_URL, {"token": "../../etc/passwd"}, follow=True)
    assert "预览已失效" in response.content.decode()
    assert not FiscalYearRecord.objects.exists()


# ------------------------------------------------------------------------------------------------
# Acceptance: one bad row among 1,000 -> nothing written, the error named by row and column
# ------------------------------------------------------------------------------------------------

def test_one_bad_row_among_1000_writes_nothing_and_names_row_and_column(client, bob, town):
    firms = EnterpriseFactory.create_batch(250, town=town)
    rows = [row(f, year) for f in firms for year in (2021, 2022, 2023, 2024)]
    assert len(rows) == 1000
    rows[599][3] = "abc"          # Excel row 601 (header is row 1), column D = 营业收入
    client.force_login(bob)
    response = upload(client, xlsx(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert "确认导入" not in html
    assert "<td>601</td>" in html and "D（营业收入）" in html and "“abc”不是数字。" in html
    assert "fiscal_year_import" not in client.session
    assert not FiscalYearRecord.objects.exists()

    error = only_error(parse_workbook(xlsx(rows), years=YEARS))
    assert (error.sheet, error.row, error.column, error.header) == ("年度数据", 601, "D", "营业收入")
    assert str(error) == "工作表“年度数据” 第601行 D列（营业收入）：“abc”不是数字。"


def test_a_failure_while_writing_rolls_everything_back(firm, other_firm, bob, monkeypatch):
    FiscalYearFactory(enterprise=firm, year=2023)
    preview = parse_workbook(xlsx([row(firm, 2023, operating_revenue=9999), row(other_firm, 2024)]), years=YEARS)
    assert not preview.errors

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing._Writer, "update_records", boom)   # runs after the new rows are inserted
    with pytest.raises(RuntimeError):
        commit(preview, bob)
    assert FiscalYearRecord.objects.count() == 1
    assert FiscalYearRecord.objects.get().operating_revenue == Decimal("3000.00")


def test_commit_refuses_a_preview_with_errors(firm, bob):
    preview = parse_workbook(xlsx([row(firm, 2024), row(firm, 1990)]), years=YEARS)
    assert preview.errors
    with pytest.raises(importing.ImportRefused):
        commit(preview, bob)
    assert not FiscalYearRecord.objects.exists()


# ------------------------------------------------------------------------------------------------
# Bad input, each named by sheet, row and column
# ------------------------------------------------------------------------------------------------

def test_missing_column_is_one_error_naming_sheet_and_column(firm):
    headers = [h for h in TEMPLATE_COLUMNS if h != "营业利润"]
    r = row(firm, 2024)
    del r[TEMPLATE_COLUMNS.index("营业利润")]
    error = only_error(parse_workbook(xlsx([r] * 3, headers=headers), years=YEARS))
    assert (error.sheet, error.row, error.column, error.header, error.message) == (
        "年度数据", 1, "", "营业利润", "缺少必填列“营业利润”，请使用导入模板的列名。")
    assert "工作表“年度数据”" in str(error)


def test_a_column_given_twice_is_one_error_naming_both_letters(firm):
    headers = list(TEMPLATE_COLUMNS) + ["营业收入"]
    letter = TEMPLATE_COLUMNS.index("营业收入")
    error = only_error(parse_workbook(xlsx([row(firm, 2024) + [5]], headers=headers), years=YEARS))
    second = chr(ord("A") + len(TEMPLATE_COLUMNS))
    assert (error.sheet, error.row, error.column, error.header, error.message) == (
        "年度数据", 1, second, "营业收入", f"列“营业收入”出现了两次（{chr(ord('A') + letter)}列和{second}列）。")


def test_company_name_column_is_optional(firm, bob):
    r = row(firm, 2024)
    del r[1]
    preview = parse_workbook(xlsx([r], headers=[h for h in TEMPLATE_COLUMNS if h != "企业名称"]), years=YEARS)
    assert not preview.errors


@pytest.mark.parametrize("value, message", [
    ("abc", "“abc”不是数字。"),
    ("12万", "“12万”不是数字。"),
    (True, "“True”不是数字。"),
])
def test_text_in_a_number_cell(firm, value, message):
    error = only_error(parse_workbook(xlsx([row(firm, 2024, taxes_paid=value)]), years=YEARS))
    assert (error.row, error.column, error.header) == (2, "I", "纳税总额")
    assert error.message == message


def test_fractional_head_count_is_refused(firm):
    error = only_error(parse_workbook(xlsx([row(firm, 2024, employees=80.5)]), years=YEARS))
    assert (error.column, error.header) == ("M", "从业人员数")
    assert "必须是整数" in error.message


def test_unknown_uscc(firm):
    stranger = valid_uscc(987654)
    error = only_error(parse_workbook(xlsx([row(firm, 2024), row(stranger, 2024, name="陌生企业")]), years=YEARS))
    assert (error.row, error.column, error.header) == (3, "A", "统一社会信用代码")
    assert error.message == f"统一社会信用代码“{stranger}”在系统中不存在，请先登记该企业或核对代码。"


def test_malformed_uscc_says_why(firm):
    error = only_error(parse_workbook(xlsx([row("12345", 2024)]), years=YEARS))
    assert error.column == "A" and error.message == "统一社会信用代码“12345”格式不正确，应为18位数字或大写字母。"


def test_lower_case_uscc_matches(firm, bob):
    preview = parse_workbook(xlsx([row(f" {firm.uscc.lower()} ", 2024)]), years=YEARS)
    assert not preview.errors, preview.error_lines()


@pytest.mark.parametrize("year", [1999, 2026, 2100])
def test_year_outside_the_window(firm, year):
    error = only_error(parse_workbook(xlsx([row(firm, year)]), years=YEARS))
    assert (error.row, error.column, error.header) == (2, "C", "年度")
    assert f"年度{year}不在允许的范围（2000—2025年）内" in error.message


def test_default_window_ends_this_year(firm):
    from django.utils import timezone

    this_year = timezone.localdate().year
    assert not parse_workbook(xlsx([row(firm, this_year)])).errors
    assert "不在允许的范围" in only_error(parse_workbook(xlsx([row(firm, this_year + 1)]))).message


def test_text_year(firm):
    error = only_error(parse_workbook(xlsx([row(firm, "去年")]), years=YEARS))
    assert error.column == "C" and "不是有效的年度" in error.message


def test_duplicate_firm_and_year(firm):
    error = only_error(parse_workbook(xlsx([row(firm, 2024), row(firm, 2023), row(firm, 2024)]), years=YEARS))
    assert (error.row, error.column, error.header) == (4, "C", "年度")
    assert error.message == f"与第2行重复：同一企业（{firm.uscc}）同一年度（2024）只能有一行。"


def test_negative_where_not_allowed(firm):
    error = only_error(parse_workbook(xlsx([row(firm, 2024, total_assets=-1)]), years=YEARS))
    assert (error.column, error.header) == ("K", "资产总额")
    assert error.message == "资产总额不能为负数。"


def test_main_business_above_operating_revenue(firm):
    error = only_error(parse_workbook(xlsx([row(firm, 2024, main_business_revenue=3100)]), years=YEARS))
    assert error.column == "E" and "主营业务收入不能大于营业收入" in error.message


def test_cross_check_uses_the_stored_value_of_a_blank_cell(firm):
    FiscalYearFactory(enterprise=firm, year=2023, employees=20, rd_staff=5)
    error = only_error(parse_workbook(xlsx([row(firm, 2023, employees=None, rd_staff=30)]), years=YEARS))
    assert error.column == "N" and "研发人员数不能大于从业人员数" in error.message


def test_a_blank_cell_whose_stored_value_contradicts_the_row_is_named_with_a_note_saying_so(firm):
    FiscalYearFactory(enterprise=firm, year=2023, employees=20, rd_staff=5)
    error = only_error(parse_workbook(xlsx([row(firm, 2023, employees=3, rd_staff=None)]), years=YEARS))
    assert (error.row, error.column, error.header) == (2, "N", "研发人员数")
    assert error.message == "研发人员数不能大于从业人员数。（该项未填写，系统中已有的数值与本行其他数据矛盾）"


def test_all_errors_are_listed_in_sheet_row_column_order(firm):
    preview = parse_workbook(xlsx([row(firm, 1990, operating_revenue="x", taxes_paid=-1),
                                   row(valid_uscc(999), 2024)]), years=YEARS)
    assert [(e.row, e.column) for e in preview.errors] == [(2, "C"), (2, "D"), (2, "I"), (3, "A")]


def test_blank_rows_are_skipped(firm, bob):
    preview = parse_workbook(xlsx([row(firm, 2024), [None] * 15, ["  "] + [None] * 14, row(firm, 2023)]),
                             years=YEARS)
    assert not preview.errors and len(preview.rows) == 2
    assert [r.row for r in preview.rows] == [2, 5]


def test_non_xlsx_upload_is_refused(client, bob, media):
    client.force_login(bob)
    response = upload(client, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, name="figures.xlsx")
    assert response.status_code == 200
    assert "不是Excel工作簿" in response.content.decode()
    assert not (media / "imports").exists() or not any((media / "imports").iterdir())
    assert not FiscalYearRecord.objects.exists()


def test_legacy_xls_upload_gets_a_hint(client, bob):
    client.force_login(bob)
    response = upload(client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, name="figures.xls")
    assert "另存为 .xlsx" in response.content.decode()


def test_zip_that_is_not_a_workbook_is_refused(client, bob):
    import zipfile

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    client.force_login(bob)
    assert "不是Excel工作簿" in upload(client, buffer.getvalue()).content.decode()
    assert parse_workbook(buffer.getvalue()).errors


def test_oversized_upload_is_refused(client, bob, monkeypatch):
    from enterprises.views import xlsx as views

    monkeypatch.setattr(views, "MAX_UPLOAD", 100)
    client.force_login(bob)
    response = upload(client, xlsx([]))
    assert "上限为20 MB" in response.content.decode()


# ------------------------------------------------------------------------------------------------
# Who may import
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["alice", "carol", "dave", "erin"])
def test_only_staff_may_import(client, who, request, firm):
    client.force_login(request.getfixturevalue(who))
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, xlsx([row(firm, 2024)])).status_code == 403
    assert client.post(COMMIT_URL, {"token": "x"}).status_code == 403
    assert not FiscalYearRecord.objects.exists()


@pytest.mark.parametrize("who", ["bob", "root"])
def test_staff_and_admin_see_the_import_form(client, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    assert "上传并预览" in response.content.decode()
    assert client.get(COMMIT_URL).status_code == 405


def test_anonymous_import_goes_to_login(client, db):
    assert client.get(IMPORT_URL).status_code == 302
    assert client.post(COMMIT_URL).status_code == 302


# ------------------------------------------------------------------------------------------------
# Results never go stale: a commit announces what it wrote, once committed
# ------------------------------------------------------------------------------------------------

def test_commit_announces_the_firms_and_years_it_wrote_after_the_transaction(firm, other_firm, bob,
                                                                           django_capture_on_commit_callbacks):
    from enterprises.signals import records_changed

    FiscalYearFactory(enterprise=firm, year=2023, rd_expense=Decimal("90.50"))   # re-imported unchanged
    FiscalYearFactory(enterprise=firm, year=2022)
    preview = parse_workbook(xlsx([row(firm, 2023), row(firm, 2022, employees=99), row(other_firm, 2024)]),
                             years=YEARS)
    seen = []

    def listener(sender, enterprise_ids, years, **kwargs):
        seen.append((enterprise_ids, years))

    records_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result = commit(preview, bob)
            assert seen == []                        # nothing announced before the commit
    finally:
        records_changed.disconnect(listener)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert len(callbacks) == 1
    assert seen == [({firm.pk, other_firm.pk}, {2022, 2024})]


# ------------------------------------------------------------------------------------------------
# commit's own refusals and counts, word for word
# ------------------------------------------------------------------------------------------------

def test_commit_refuses_in_chinese_a_preview_with_errors_without_rows_or_not_matched(firm, bob):
    bad = parse_workbook(xlsx([row(firm, 2024, operating_revenue="abc"), row(firm, 2023, employees="x")]),
                        years=YEARS)
    with pytest.raises(importing.ImportRefused, match="^导入内容有2处错误，未写入任何数据。$"):
        commit(bad, bob)
    with pytest.raises(importing.ImportRefused, match="^文件中没有数据行。$"):
        commit(importing.ImportPreview(), bob)
    unmatched = parse_workbook(xlsx([row(firm, 2024)]), years=YEARS)
    unmatched.rows[0].enterprise_id = None
    with pytest.raises(importing.ImportRefused, match="^预览未完成企业核对，请重新上传。$"):
        commit(unmatched, bob)
    assert not FiscalYearRecord.objects.exists()


def test_every_unchanged_row_is_counted_and_history_says_excel_import(firm, bob):
    for year in (2022, 2023):
        FiscalYearFactory(enterprise=firm, year=year, **figures())
    result = commit(parse_workbook(xlsx([row(firm, 2022), row(firm, 2023), row(firm, 2024)]), years=YEARS), bob)
    assert (result.created, result.updated, result.unchanged) == (1, 0, 2)
    assert FiscalYearRecord.objects.get(year=2024).history.get().history_change_reason == "Excel导入"


@pytest.mark.parametrize("text, shown", [("甲" * 30, "甲" * 30), ("甲" * 31, "甲" * 30 + "…")])
def test_a_wrong_value_is_quoted_whole_up_to_thirty_characters(firm, text, shown):
    error = only_error(parse_workbook(xlsx([row(firm, 2024, operating_revenue=text)]), years=YEARS))
    assert f"“{shown}”" in error.message


def test_each_bad_cell_of_a_sheet_is_named_by_row_letter_and_header_in_reading_order(firm):
    rows = [row(firm, 2024), row(firm, 2023), row(firm, "二〇二四"), row(firm, 1999), row(firm, "2022年"),
            row(firm, 2021, operating_revenue=-5), row(firm, 2020, operating_revenue="3000.005")]
    rows[0][0] = ""
    rows[1][2] = None
    preview = parse_workbook(xlsx(rows), years=YEARS)
    revenue = chr(ord("A") + TEMPLATE_COLUMNS.index("营业收入"))
    assert [(e.sheet, e.row, e.column, e.header, e.message) for e in preview.errors] == [
        ("年度数据", 2, "A", "统一社会信用代码", "统一社会信用代码不能为空。"),
        ("年度数据", 3, "C", "年度", "年度不能为空。"),
        ("年度数据", 4, "C", "年度", "“二〇二四”不是有效的年度，应为四位数字的年份。"),
        ("年度数据", 5, "C", "年度", "年度1999不在允许的范围（2000—2025年）内。"),
        ("年度数据", 7, revenue, "营业收入", "营业收入不能为负数。"),
    ]
    assert {r.row: r.values["operating_revenue"] for r in preview.rows} == {6: Decimal("3000"),
                                                                          8: Decimal("3000.01")}


def test_every_bad_figure_of_one_row_is_named_and_the_row_is_left_out(firm):
    bad = row(firm, 2024, operating_revenue="abc", rd_expense=-1, total_assets=10 ** 13, employees="3.5")
    preview = parse_workbook(xlsx([bad, row(firm, 2023)]), years=YEARS)

    def at(header):
        return chr(ord("A") + TEMPLATE_COLUMNS.index(header))

    assert [(e.sheet, e.row, e.column, e.header, e.message) for e in preview.errors] == [
        ("年度数据", 2, at("营业收入"), "营业收入", "“abc”不是数字。"),
        ("年度数据", 2, at("研发费用"), "研发费用", "研发费用不能为负数。"),
        ("年度数据", 2, at("资产总额"), "资产总额", "10000000000000超出允许的范围（绝对值须小于1万亿万元）。"),
        ("年度数据", 2, at("从业人员数"), "从业人员数", "从业人员数必须是整数，“3.5”不是整数。"),
    ]
    assert [r.row for r in preview.rows] == [3]
