"""Bounded imports (issue 8 §8): row and unpacked-size limits checked on the zip before openpyxl
parses, corrupt files, at most 200 errors listed, formulas without a cached value."""
import re
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader

from enterprises import importing
from enterprises.importing import TEMPLATE_COLUMNS, commit, parse_workbook
from enterprises.models import FiscalYearRecord

from .test_import import IMPORT_URL, YEARS, row, upload, xlsx

SHEET = "xl/worksheets/sheet1.xml"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(autouse=True)
def _own_media(media):
    """Every test here keeps its uploads in a folder of its own (the shared `media` fixture)."""


@pytest.fixture
def openpyxl_reads(monkeypatch):
    """The times openpyxl began to read a workbook's contents (ExcelReader.read: strings, sheets)."""
    calls, read = [], ExcelReader.read

    def spy(self):
        calls.append(self)
        return read(self)

    monkeypatch.setattr(ExcelReader, "read", spy)
    return calls


def rewrite(content, part, change, *, stored=False):
    """The package `content` with member `part` replaced by change(old bytes) (None: left out)."""
    source = zipfile.ZipFile(BytesIO(content))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                data = change(data)
                if data is None:
                    continue
            package.writestr(info.filename, data,
                             compress_type=zipfile.ZIP_STORED if stored and info.filename == part else None)
    return out.getvalue()


def with_dimension(content, ref):
    """The workbook with its first sheet's <dimension> set to `ref` (None: removed)."""
    def change(xml):
        new = b"" if ref is None else f'<dimension ref="{ref}"/>'.encode()
        xml, n = re.subn(rb"<dimension [^>]*/>", new, xml)
        assert n == 1
        return xml
    return rewrite(content, SHEET, change)


def sheet_xml(n_rows, dimension, tail=b""):
    """A worksheet written by hand: a header row and `n_rows` one-cell rows, fast to build."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, n_rows + 2))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<worksheet xmlns="{NS}">{dim}<sheetData>'
            f'<row r="1"><c r="A1" t="inlineStr"><is><t>统一社会信用代码</t></is></c></row>{rows}'
            f'</sheetData></worksheet>').encode() + tail


def limit_message(sheet, limit):
    return (f"工作表“{sheet}”的数据超过了{limit}行的上限（表头以外，每个工作表最多{limit}行），"
            "未导入任何数据。请分成几个文件分别导入；如果表格末尾有大量空行，请先删除。")


# ------------------------------------------------------------------------------------------------
# Rows per sheet: the <dimension> before parsing, and again while reading
# ------------------------------------------------------------------------------------------------

def test_a_sheet_of_50001_rows_is_refused_from_its_dimension_before_openpyxl_reads_it(db, openpyxl_reads):
    content = rewrite(xlsx([]), SHEET, lambda xml: sheet_xml(50_001, "A1:O50002"))
    preview = parse_workbook(content, years=YEARS)
    assert preview.error_lines() == [f"工作表“年度数据”：{limit_message('年度数据', 50000)}"]
    assert preview.errors[0].sheet == "年度数据"
    assert preview.rows == [] and preview.sheets == []
    assert openpyxl_reads == []

    # a dimension of exactly 50,000 rows below the header passes (the sheet itself holds three)
    content = rewrite(xlsx([]), SHEET, lambda xml: sheet_xml(3, "A1:O50001"))
    assert "上限" not in " ".join(parse_workbook(content, years=YEARS).error_lines())
    assert len(openpyxl_reads) == 1


def test_the_dimension_is_read_from_the_start_of_the_sheet_without_parsing_the_rest(db):
    """Broken XML far after <dimension> is never reached: the element is streamed, not the whole part."""
    garbage = b"<<<" + b"x" * 200_000
    content = rewrite(xlsx([]), SHEET, lambda xml: sheet_xml(2_000, "A1:O60001", tail=garbage))
    assert parse_workbook(content, years=YEARS).error_lines() == [
        f"工作表“年度数据”：{limit_message('年度数据', 50000)}"]


@pytest.mark.parametrize("xml, last", [
    ('<dimension ref="A1:O60001"/><sheetData/>', 60001),
    ('<dimension ref="B7"/><sheetData/>', 7),
    ("<dimension/><sheetData/>", None),                           # no ref
    ('<dimension ref="A1:O"/><sheetData/>', None),                # no row number
    ('<sheetData/><dimension ref="A1:O60001"/>', None),           # after the rows: never read
])
def test_the_last_row_is_taken_only_from_a_dimension_before_the_rows(xml, last):
    package = BytesIO()
    with zipfile.ZipFile(package, "w") as z:
        z.writestr(SHEET, f'<worksheet xmlns="{NS}">{xml}</worksheet>')
    assert importing._dimension_last_row(zipfile.ZipFile(package), SHEET) == last


@pytest.mark.parametrize("dimension", [None, "A1:O3"], ids=["without dimension", "dimension that lies"])
def test_a_sheet_over_the_row_limit_is_refused_while_reading_when_its_dimension_does_not_say(
        firm, settings, dimension):
    settings.IMPORT_MAX_ROWS = 100
    rows = [row(firm, 2000 + i % 26, employees=i) for i in range(101)]
    preview = parse_workbook(with_dimension(xlsx(rows), dimension), years=YEARS)
    assert preview.error_lines() == [f"工作表“年度数据”：{limit_message('年度数据', 100)}"]
    assert preview.rows == []


def test_the_limit_applies_to_each_sheet_and_names_the_one_over_it(firm, other_firm, settings):
    settings.IMPORT_MAX_ROWS = 5
    content = xlsx([row(firm, 2024)], extra_sheets={"乙镇": [TEMPLATE_COLUMNS] + [
        row(other_firm, 2015 + i) for i in range(6)]})
    assert parse_workbook(content, years=YEARS).error_lines() == [f"工作表“乙镇”：{limit_message('乙镇', 5)}"]


def test_rows_past_a_dimension_that_lies_low_are_read_not_dropped(firm, bob):
    rows = [row(firm, year) for year in (2020, 2021, 2022, 2023, 2024)]
    preview = parse_workbook(with_dimension(xlsx(rows), "A1:O2"), years=YEARS)
    assert not preview.errors, preview.error_lines()
    assert [r.year for r in preview.rows] == [2020, 2021, 2022, 2023, 2024]


def test_the_view_shows_the_row_limit_and_keeps_nothing(client, bob, firm, settings, media):
    settings.IMPORT_MAX_ROWS = 3
    client.force_login(bob)
    response = upload(client, xlsx([row(firm, 2020 + i) for i in range(4)]))
    assert response.status_code == 200
    html = response.content.decode()
    assert limit_message("年度数据", 3) in html and "确认导入" not in html
    assert not any((media / "imports").iterdir())
    assert not FiscalYearRecord.objects.exists()


# ------------------------------------------------------------------------------------------------
# Unpacked size (zip bombs)
# ------------------------------------------------------------------------------------------------

def bomb(megabytes):
    """A real workbook plus a part that deflates from a few KB to `megabytes` MB of zeros."""
    content = xlsx([])
    out = BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/media/image1.bin", b"\0" * (megabytes * 1024 * 1024))
    return out.getvalue()


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_openpyxl_reads_it(db, settings,
                                                                                      openpyxl_reads):
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 2
    content = bomb(3)
    assert len(content) < 100 * 1024
    preview = parse_workbook(content, years=YEARS)
    [message] = preview.error_lines()
    assert message.startswith("文件解压后为3.0 MB，超过了2 MB的上限，未导入任何数据。")
    assert openpyxl_reads == []

    settings.IMPORT_MAX_UNCOMPRESSED_MB = 4
    assert parse_workbook(content, years=YEARS).error_lines() == ["文件中没有数据行。"]


def test_the_unpacked_size_is_told_in_megabytes_of_1024_kilobytes_to_one_place(db, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 2
    content = bomb(3)
    unpacked = sum(i.file_size for i in zipfile.ZipFile(BytesIO(content)).infolist())
    # pad to 3.0502 MB in all: 3.1 in MB of 1,048,576 bytes (3.0472, i.e. 3.0, in any slightly larger unit)
    out = BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/media/pad.bin", b"\0" * (int(3.0502 * 1024 * 1024) - unpacked))
    [message] = parse_workbook(out.getvalue(), years=YEARS).error_lines()
    assert message.startswith("文件解压后为3.1 MB，超过了2 MB的上限")


def test_the_view_refuses_a_zip_bomb_with_a_message(client, bob, settings, media):
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 1
    client.force_login(bob)
    response = upload(client, bomb(2))
    assert response.status_code == 200
    assert "超过了1 MB的上限" in response.content.decode()
    assert not any((media / "imports").iterdir())


# ------------------------------------------------------------------------------------------------
# Corrupt files: one clear message, never a 500 nor a half-read list of errors
# ------------------------------------------------------------------------------------------------

def corrupt(firm):
    """A workbook whose sheet part (larger than the 16 KiB openpyxl reads to size it) fails its CRC:
    one digit changed after the zip was written; its rows alone would give many errors."""
    content = rewrite(xlsx([row(firm, 2000 + i % 20) for i in range(200)]), SHEET, lambda xml: xml,
                      stored=True)
    at = content.index(b"<v>2019</v>")
    return content[:at] + b"<v>2018</v>" + content[at + len(b"<v>2019</v>"):]


def test_a_corrupt_workbook_gets_one_clear_message(firm):
    preview = parse_workbook(corrupt(firm), years=YEARS)
    assert preview.error_lines() == ["无法读取该文件：它不是有效的Excel工作簿（.xlsx），或者文件已损坏。"
                                     "请使用导入模板，在Excel或WPS中另存为 .xlsx 后再上传。"]
    assert preview.rows == []


def test_the_view_answers_a_corrupt_workbook_with_the_message(client, bob, firm):
    client.force_login(bob)
    response = upload(client, corrupt(firm))
    assert response.status_code == 200
    html = response.content.decode()
    assert "或者文件已损坏" in html and "发现1处错误" in html
    assert "fiscal_year_import" not in client.session


def test_a_sheet_with_broken_xml_gets_one_message_without_the_rows_read_before(firm):
    content = rewrite(xlsx([row(firm, 2024)] * 30), SHEET, lambda xml: xml[: len(xml) * 2 // 3])
    assert parse_workbook(content, years=YEARS).error_lines() == [
        "读取工作簿时出错：文件可能已损坏，请在Excel中重新保存后再上传。"]


# ------------------------------------------------------------------------------------------------
# At most 200 errors listed
# ------------------------------------------------------------------------------------------------

def test_the_preview_lists_200_errors_and_counts_the_rest(client, bob, firm):
    client.force_login(bob)
    response = upload(client, xlsx([row(firm, 1999, employees=i) for i in range(250)]))
    html = response.content.decode()
    assert "发现250处错误" in html
    assert html.count("年度1999不在允许的范围") == 200
    assert "另有50处错误未列出。" in html
    assert "<td>201</td>" in html and "<td>202</td>" not in html   # the first 200 in row order: rows 2..201


def test_the_import_form_states_the_limits(client, bob, settings):
    settings.IMPORT_MAX_ROWS = 1234
    client.force_login(bob)
    html = client.get(IMPORT_URL).content.decode()
    assert "每个工作表最多1234行数据（不含表头），文件解压后不超过100 MB" in html


def test_the_limits_have_their_defaults(settings):
    from jinhu_portal.settings import base

    assert (base.IMPORT_MAX_ROWS, base.IMPORT_MAX_UNCOMPRESSED_MB) == (50_000, 100)
    assert importing.PREVIEW_ERRORS == 200


# ------------------------------------------------------------------------------------------------
# Formulas
# ------------------------------------------------------------------------------------------------

def formula_workbook(firm, cells, rows=1):
    book = Workbook()
    sheet = book.active
    sheet.title = "年度数据"
    sheet.append(TEMPLATE_COLUMNS)
    for year in range(2024, 2024 + rows):
        sheet.append(row(firm, year))
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_formula_without_a_cached_value_is_an_error_at_its_row_and_column(firm):
    content = formula_workbook(firm, {"D2": "=1+1"})          # openpyxl writes <f>1+1</f><v/>
    [error] = parse_workbook(content, years=YEARS).errors
    assert (error.sheet, error.row, error.column, error.header) == ("年度数据", 2, "D", "营业收入")
    assert error.message == "第2行第D列（营业收入）是公式，没有计算结果，请在表格软件中另存为数值后再导入。"


def test_formulas_in_key_columns_or_filling_a_row_are_reported_not_read_as_blank(firm):
    cells = {"A2": "=B2", "C3": "=2020+4"}
    cells.update({f"{letter}4": "=1" for letter in "ABCDEFGHIJKLMNO"})   # a row of formulas only
    preview = parse_workbook(formula_workbook(firm, cells, rows=3), years=YEARS)
    located = [(e.row, e.column) for e in preview.errors]
    assert located == [(2, "A"), (3, "C")] + [(4, letter) for letter in "ABCDEFGHIJKLMNO"]
    assert all("是公式，没有计算结果" in e.message for e in preview.errors)   # not "不能为空"
    assert preview.rows == []


def test_a_formula_outside_the_template_columns_is_ignored(firm):
    preview = parse_workbook(formula_workbook(firm, {"Q2": "=1+1"}), years=YEARS)
    assert not preview.errors, preview.error_lines()


def test_a_formula_with_a_cached_value_is_read_as_its_value(firm, bob):
    """openpyxl cannot write a cached value, so the <v> is put in the XML as Excel would write it.
    (This pins behaviour that was already right: the new check must leave it so.)"""
    content = rewrite(formula_workbook(firm, {"D2": "=1000*3+500", "N2": "=3*4"}), SHEET,
                      lambda xml: xml.replace(b"<f>1000*3+500</f><v />", b"<f>1000*3+500</f><v>3500</v>")
                                     .replace(b"<f>3*4</f><v />", b"<f>3*4</f><v>12</v>"))
    preview = parse_workbook(content, years=YEARS)
    assert not preview.errors, preview.error_lines()
    commit(preview, bob)
    record = FiscalYearRecord.objects.get(enterprise=firm, year=2024)
    assert (record.operating_revenue, record.rd_staff) == (Decimal("3500.00"), 12)


def test_a_formula_whose_cached_result_is_empty_text_is_a_blank(firm):
    """Excel writes =IF(...,"",...) giving "" as t="str" with an empty <v>: a blank, not an error."""
    content = rewrite(formula_workbook(firm, {"O2": '=""'}), SHEET,
                      lambda xml: xml.replace(b'<c r="O2"><f>""</f>', b'<c r="O2" t="str"><f>""</f>'))
    preview = parse_workbook(content, years=YEARS)
    assert not preview.errors, preview.error_lines()
    assert "equity_financing" not in preview.rows[0].values


def test_a_formula_is_found_in_a_sheet_written_without_cell_references(firm):
    """Some generators leave out the r attributes; cells are then counted as openpyxl counts them."""
    def cells(values, formula_at=None):
        return "".join("<c><f>1+1</f><v/></c>" if i == formula_at else
                       (f'<c t="inlineStr"><is><t>{v}</t></is></c>' if isinstance(v, str) else f"<c><v>{v}</v></c>")
                       for i, v in enumerate(values))
    xml = (f'<worksheet xmlns="{NS}"><sheetData><row>{cells(TEMPLATE_COLUMNS)}</row>'
           f'<row>{cells(row(firm, 2024))}</row><row>{cells(row(firm, 2023), formula_at=4)}</row>'
           f'</sheetData></worksheet>')
    preview = parse_workbook(rewrite(xlsx([]), SHEET, lambda _xml: xml.encode()), years=YEARS)
    assert [(e.row, e.column, e.header) for e in preview.errors] == [(3, "E", "主营业务收入")]
