"""Every bound of the XLSX import decided at its edge (issue 14): a value exactly at a limit is
accepted, one past it refused — money, head counts, rows per sheet (from the <dimension> and while
reading) and the unpacked size."""
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest

from enterprises import importing
from enterprises.importing import parse_workbook

from .test_import import YEARS, row, xlsx
from .test_import_limits import limit_message, with_dimension


@pytest.fixture(autouse=True)
def _own_media(media):
    """Every test here keeps its uploads in a folder of its own (the shared `media` fixture)."""


def parsed(firm, **figures):
    return parse_workbook(xlsx([row(firm, 2024, **figures)]), years=YEARS)


def test_the_import_limits_are_a_trillion_yuan_in_wan_and_the_largest_database_integer():
    assert importing.MONEY_LIMIT == Decimal("1e12") and importing.COUNT_LIMIT == 2**31 - 1


@pytest.mark.parametrize("value", ["999999999999.99", "999999999999.994", "-999999999999.99"])
def test_money_just_under_a_trillion_is_accepted(firm, value):
    preview = parsed(firm, net_profit=value)
    assert not preview.errors, preview.error_lines()
    assert preview.rows[0].values["net_profit"] == Decimal(value).quantize(Decimal("0.01"))


@pytest.mark.parametrize("value", ["1000000000000", "999999999999.995", "-1000000000000"])
def test_money_of_a_trillion_or_rounding_to_it_is_refused(firm, value):
    preview = parsed(firm, net_profit=value)
    [message] = preview.error_lines()
    assert "超出允许的范围" in message and preview.rows == []


def test_a_head_count_at_the_largest_integer_is_accepted_and_one_more_refused(firm):
    preview = parsed(firm, employees=2147483647)
    assert not preview.errors and preview.rows[0].values["employees"] == 2147483647
    preview = parsed(firm, employees=2147483648)
    assert "超出允许的范围" in preview.error_lines()[0] and preview.rows == []
    preview = parsed(firm, employees="2147483648")
    assert "超出允许的范围" in preview.error_lines()[0]


def test_a_head_count_of_zero_is_accepted_and_minus_one_refused(firm):
    assert parsed(firm, employees=0).rows[0].values["employees"] == 0
    assert "不能为负数" in parsed(firm, employees=-1).error_lines()[0]


@pytest.mark.parametrize("dimension", [None, "A1:O3", "exact"], ids=["without dimension", "dimension that lies",
                                                                      "true dimension"])
def test_a_sheet_with_exactly_the_row_limit_is_read_and_one_row_more_refused(firm, settings, dimension):
    settings.IMPORT_MAX_ROWS = 4

    def content(n):
        book = xlsx([row(firm, 2020 + i) for i in range(n)])
        return book if dimension == "exact" else with_dimension(book, dimension)

    preview = parse_workbook(content(4), years=YEARS)
    assert not preview.errors, preview.error_lines()
    assert [r.year for r in preview.rows] == [2020, 2021, 2022, 2023]
    preview = parse_workbook(content(5), years=YEARS)
    assert preview.error_lines() == [f"工作表“年度数据”：{limit_message('年度数据', 4)}"] and preview.rows == []


def test_a_workbook_that_unpacks_to_exactly_the_size_limit_is_read_and_one_byte_more_refused(firm, settings):
    content = xlsx([row(firm, 2024)])
    total = sum(info.file_size for info in zipfile.ZipFile(BytesIO(content)).infolist())
    settings.IMPORT_MAX_UNCOMPRESSED_MB = total / (1024 * 1024)
    preview = parse_workbook(content, years=YEARS)
    assert not preview.errors and len(preview.rows) == 1
    settings.IMPORT_MAX_UNCOMPRESSED_MB = (total - 1) / (1024 * 1024)
    [message] = parse_workbook(content, years=YEARS).error_lines()
    assert "MB的上限" in message
