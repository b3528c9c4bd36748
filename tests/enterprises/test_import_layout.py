"""How a workbook's layout is read: errors listed in sheet, row and column order whatever order they
were found in, empty sheets and unknown columns passed over, the firm's name checked against the
register."""
import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from enterprises import importing
from enterprises.importing import TEMPLATE_COLUMNS, parse_workbook

from ..factories import valid_uscc
from .test_import import YEARS, row, xlsx


def test_errors_are_listed_by_sheet_then_row_then_column_whichever_check_found_them_first(firm):
    # 乙镇's header holds 统一社会信用代码 twice (A and B) and lacks 研发费用: the header loop finds the
    # duplicate first, the missing column (no letter: it sorts first in its row) afterwards.
    headers = ["统一社会信用代码", *[h for h in TEMPLATE_COLUMNS if h != "研发费用"]]
    content = xlsx([row(valid_uscc(999), 2024), row(firm, 2024), row(firm, "某年")],
                   title="甲镇", extra_sheets={"乙镇": [headers]})
    preview = parse_workbook(content, years=YEARS)
    # the unknown firm of row 2 is found last (after every sheet is read) and still listed first
    assert [(e.sheet, e.row, e.column, e.header) for e in preview.errors] == [
        ("甲镇", 2, "A", "统一社会信用代码"),
        ("甲镇", 4, "C", "年度"),
        ("乙镇", 1, "", "研发费用"),
        ("乙镇", 1, "B", "统一社会信用代码"),
    ]
    assert "出现了两次（A列和B列）" in preview.errors[3].message


def test_a_figure_the_register_contradicts_is_listed_after_the_earlier_rows_of_every_sheet(firm, other_firm):
    content = xlsx([row(firm, 2024, employees=10, rd_staff=20)], title="甲镇",
                   extra_sheets={"乙镇": [TEMPLATE_COLUMNS, row(other_firm, "x")]})
    preview = parse_workbook(content, years=YEARS)
    assert [(e.sheet, e.row, e.column) for e in preview.errors] == [("甲镇", 2, "N"), ("乙镇", 2, "C")]


def test_a_sheet_with_no_rows_at_all_is_passed_over_and_the_others_are_read(firm):
    book = Workbook()
    book.active.title = "空表"
    data = book.create_sheet("年度数据")
    data.append(TEMPLATE_COLUMNS)
    data.append(row(firm, 2024))
    buffer = BytesIO()
    book.save(buffer)
    preview = parse_workbook(buffer.getvalue(), years=YEARS)
    assert not preview.errors, preview.error_lines()
    assert preview.skipped_sheets == ["空表"] and [r.uscc for r in preview.rows] == [firm.uscc]


def test_unknown_columns_before_the_template_columns_are_ignored(firm):
    preview = parse_workbook(xlsx([["甲镇", "备注", *row(firm, 2024)]], headers=["镇街", "备注", *TEMPLATE_COLUMNS]),
                             years=YEARS)
    assert not preview.errors, preview.error_lines()
    assert [(r.uscc, r.year, r.cells["uscc"]) for r in preview.rows] == [(firm.uscc, 2024, ("C", 2))]


def test_a_name_that_differs_from_the_register_is_a_warning_at_its_cell_and_the_code_decides(firm):
    preview = parse_workbook(xlsx([row(firm, 2024, name="别的公司"), row(firm, 2023)]), years=YEARS)
    assert not preview.errors
    assert [(w.row, w.column, w.header, w.message) for w in preview.warnings] == [
        (2, "B", "企业名称", f"企业名称“别的公司”与系统中的“{firm.name}”不一致（以统一社会信用代码为准）。")]
    assert [r.enterprise_id for r in preview.rows] == [firm.pk, firm.pk]


REVERSED = list(reversed(TEMPLATE_COLUMNS))   # 股权融资实缴额 in A … 统一社会信用代码 in O


def reversed_row(firm_or_uscc, year, **overrides):
    return list(reversed(row(firm_or_uscc, year, **overrides)))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("year", None, "年度不能为空。"),
    ("year", "某年", "“某年”不是有效的年度，应为四位数字的年份。"),
    ("year", 1999, "年度1999不在允许的范围（2000—2025年）内。"),
    ("operating_revenue", "abc", "“abc”不是数字。"),
    ("operating_revenue", -1, "营业收入不能为负数。"),
    ("net_profit", 10 ** 12, "1000000000000超出允许的范围（绝对值须小于1万亿万元）。"),
    ("employees", "十个", "“十个”不是数字。"),
    ("employees", "3.5", "从业人员数必须是整数，“3.5”不是整数。"),
    ("employees", -2, "从业人员数不能为负数。"),
    ("rd_staff", 2 ** 31, "2147483648超出允许的范围。"),
    ("equity_financing", -3, "股权融资实缴额不能为负数。"),
])
def test_a_bad_cell_is_named_at_its_own_column_beside_a_missing_code_and_its_row_is_left_out(
        firm, field, value, message):
    """Columns in reverse order: the checks run code first, the list reads left to right."""
    bad = row("", 2024, **({} if field == "year" else {field: value}))
    if field == "year":
        bad[2] = value
    preview = parse_workbook(xlsx([list(reversed(bad)), reversed_row(firm, 2023)], headers=REVERSED), years=YEARS)
    header = importing.HEADER_OF[field]
    letter = chr(ord("A") + REVERSED.index(header))
    assert [(e.sheet, e.row, e.column, e.header, e.message) for e in preview.errors] == [
        ("年度数据", 2, letter, header, message),
        ("年度数据", 2, "O", "统一社会信用代码", "统一社会信用代码不能为空。"),
    ]
    assert [(r.row, r.year) for r in preview.rows] == [(3, 2023)]


def test_every_bad_count_of_one_row_is_named_after_a_blank_one(firm):
    preview = parse_workbook(xlsx([row(firm, 2024, operating_revenue=None, main_business_revenue="x",
                                       employees="   ", rd_staff="y"),
                                   row(firm, 2023, employees="x", rd_staff=-1),
                                   row(firm, 2022, employees="1.5", rd_staff=2 ** 31)]), years=YEARS)
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (2, "E", "“x”不是数字。"), (2, "N", "“y”不是数字。"),
        (3, "M", "“x”不是数字。"), (3, "N", "研发人员数不能为负数。"),
        (4, "M", "从业人员数必须是整数，“1.5”不是整数。"), (4, "N", "2147483648超出允许的范围。"),
    ]


def test_a_figure_left_as_spaces_is_not_provided_and_the_figures_after_it_are_read(firm):
    preview = parse_workbook(xlsx([row(firm, 2024, operating_revenue="  ", employees="   ", rd_staff=None)]),
                             years=YEARS)
    assert not preview.errors, preview.error_lines()
    values = preview.rows[0].values
    assert "employees" not in values and "operating_revenue" not in values
    assert (values["main_business_revenue"], values["equity_financing"]) == (2800, 0)


def test_a_row_repeated_on_another_sheet_names_the_sheet_and_row_of_the_first_and_later_rows_are_read(
        firm, other_firm):
    content = xlsx([row(firm, 2024), row(firm, 2023)], title="甲镇",
                   extra_sheets={"乙镇": [TEMPLATE_COLUMNS, row(firm, 2023), row(firm, 2024), row(other_firm, 2024)]})
    preview = parse_workbook(content, years=YEARS)
    assert [(e.sheet, e.row, e.column, e.message) for e in preview.errors] == [
        ("乙镇", 2, "C", f"与工作表“甲镇”第3行重复：同一企业（{firm.uscc}）同一年度（2023）只能有一行。"),
        ("乙镇", 3, "C", f"与工作表“甲镇”第2行重复：同一企业（{firm.uscc}）同一年度（2024）只能有一行。"),
    ]
    assert [(r.sheet, r.row) for r in preview.rows] == [("甲镇", 2), ("甲镇", 3), ("乙镇", 4)]


def test_a_code_typed_as_a_number_or_in_small_letters_is_read_as_text_in_capitals(firm):
    lower = firm.uscc.lower()
    preview = parse_workbook(xlsx([row(lower, 2024), row(123456, 2024)]), years=YEARS)
    assert [(r.uscc, r.enterprise_id) for r in preview.rows] == [(firm.uscc, firm.pk), ("123456", None)]
    assert [(e.row, e.column) for e in preview.errors] == [(3, "A")]


def test_the_preview_page_shows_each_rows_figures_under_their_headers(client, bob, firm):
    from .test_import import upload

    client.force_login(bob)
    html = upload(client, xlsx([row(firm, 2024, operating_revenue=4321.5, rd_expense=None, employees=77)])).content
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', html.decode().split('id="import-rows"')[1])
    assert cells == ["4,321.50", "2,800.00", "200.00", "210.00", "180.00", "120.00", "", "4,000.00", "1,800.00",
                     "77", "12", "0.00"]


@pytest.mark.parametrize(("value", "number"), [
    (7, Decimal("7")), (2.5, Decimal("2.5")), (0.1, Decimal("0.1")), (" 1 234.5 ", Decimal("1234.5")),
    ("1,234，567.8", Decimal("1234567.8")), ("-3", Decimal("-3")), ("1\u3000000", Decimal("1000")),
])
def test_a_number_is_read_from_a_number_or_from_text_with_spaces_and_thousands_separators(value, number):
    assert importing._to_decimal(value) == number


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), "NaN", "-Infinity", "1,2", "",
                                   True, datetime.date(2024, 1, 1)])
def test_anything_else_is_not_a_number(value):
    with pytest.raises(ValueError):
        importing._to_decimal(value)


def test_headers_are_matched_ignoring_spaces_of_either_width_and_a_unit_in_brackets(firm):
    headers = [" 统一社会 信用代码", "企业名称", "年\u3000度", "营业收入（万元）", *TEMPLATE_COLUMNS[4:13],
               "研发人员数(人)", "股权融资实缴额 （万元）"]
    preview = parse_workbook(xlsx([row(firm, 2024, operating_revenue=5000)], headers=headers), years=YEARS)
    assert not preview.errors, preview.error_lines()
    assert preview.rows[0].values["operating_revenue"] == 5000 and preview.rows[0].values["rd_staff"] == 12


def test_a_formula_without_a_value_leaves_its_row_out_and_is_listed_in_place_among_other_errors(firm):
    book = Workbook()
    sheet = book.active
    sheet.title = "年度数据"
    sheet.append(TEMPLATE_COLUMNS)
    for r in (row(firm, 2024), row(firm, "某年"), row(firm, 2022)):
        sheet.append(r)
    sheet["D2"] = "=3000+1"        # openpyxl stores no computed value
    buffer = BytesIO()
    book.save(buffer)
    preview = parse_workbook(buffer.getvalue(), years=YEARS)
    assert [(e.row, e.column, e.header) for e in preview.errors] == [(2, "D", "营业收入"), (3, "C", "年度")]
    assert preview.errors[0].message == "第2行第D列（营业收入）是公式，没有计算结果，请在表格软件中另存为数值后再导入。"
    assert [r.row for r in preview.rows] == [4]
