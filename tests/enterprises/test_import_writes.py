"""How a committed import is written: in bulk (COPY on PostgreSQL, one executemany per table on
SQLite), with every value, reason and history row exactly as typed."""
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.importing import commit, parse_workbook
from enterprises.models import FiscalYearRecord

from ..factories import FiscalYearFactory
from .test_import import YEARS, row, xlsx

TABLE = FiscalYearRecord._meta.db_table
HISTORY = FiscalYearRecord.history.model._meta.db_table


@pytest.fixture
def written(firm, other_firm, bob):
    """Two records created (one with blank figures) and one updated, with the SQL that wrote them."""
    FiscalYearFactory(enterprise=firm, year=2023, employees=40)
    preview = parse_workbook(xlsx([row(firm, 2023, operating_revenue=4321.5, employees=None),
                                   row(firm, 2024, rd_expense=None, net_profit=-7),
                                   row(other_firm, 2024, taxes_paid="1,234.56")]), years=YEARS)
    with CaptureQueriesContext(connection) as queries:
        result = commit(preview, bob, change_reason="统计局\t年报\n第2批 C:\\数据\\2024.xlsx\r")
    return result, [q["sql"] for q in queries.captured_queries]


def test_every_value_of_an_import_is_stored_as_typed_and_blanks_keep_or_leave_empty(written, firm, other_firm):
    result, _sql = written
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    updated = FiscalYearRecord.objects.get(enterprise=firm, year=2023)
    assert (updated.operating_revenue, updated.employees) == (Decimal("4321.50"), 40)
    created = FiscalYearRecord.objects.get(enterprise=firm, year=2024)
    assert (created.rd_expense, created.net_profit, created.employees) == (None, Decimal("-7.00"), 80)
    assert FiscalYearRecord.objects.get(enterprise=other_firm).taxes_paid == Decimal("1234.56")
    assert created.updated_at == updated.updated_at                 # one stamp for the whole import


def test_a_reason_with_tabs_newlines_and_backslashes_is_kept_on_every_history_row(written, bob):
    rows = FiscalYearRecord.history.filter(history_user=bob)
    assert sorted(h.history_type for h in rows) == ["+", "+", "~"]
    assert {h.history_change_reason for h in rows} == {"统计局\t年报\n第2批 C:\\数据\\2024.xlsx\r"}
    assert {h.history_date for h in rows} == {FiscalYearRecord.objects.latest("updated_at").updated_at}
    assert FiscalYearRecord.history.filter(history_type="+", rd_expense__isnull=True).count() == 1


def test_on_postgresql_records_and_history_are_copied_in_bulk_not_inserted_row_by_row(written):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    _result, sql = written
    row_by_row = re.compile(rf'INSERT INTO "({TABLE}|{HISTORY})"|UPDATE "{TABLE}" SET')
    assert not [s for s in sql if row_by_row.search(s)]
    assert any(s.startswith("CREATE TEMPORARY TABLE fiscal_year_import_scratch") for s in sql)
    assert any(s.startswith(f'UPDATE "{TABLE}" AS t SET') and "FROM fiscal_year_import_scratch" in s for s in sql)


def test_on_sqlite_each_table_is_written_by_one_statement_per_kind_of_change(written):
    if connection.vendor != "sqlite":
        pytest.skip("executemany is the path of databases without COPY")
    _result, sql = written
    writes = [re.match(r'(\d+) times: (INSERT INTO|UPDATE) "(\w+)"', s) for s in sql if " times: " in s]
    assert sorted(m.groups() for m in writes) == [
        ("1", "INSERT INTO", HISTORY), ("1", "UPDATE", TABLE),
        ("2", "INSERT INTO", TABLE), ("2", "INSERT INTO", HISTORY)]


def test_with_simple_history_switched_off_an_import_writes_records_and_no_history(firm, bob, settings):
    settings.SIMPLE_HISTORY_ENABLED = False
    commit(parse_workbook(xlsx([row(firm, 2024)]), years=YEARS), bob)
    assert FiscalYearRecord.objects.filter(enterprise=firm, year=2024).exists()
    assert not FiscalYearRecord.history.exists()


def test_an_import_without_a_user_is_written_with_history_of_no_user(firm):
    commit(parse_workbook(xlsx([row(firm, 2024)]), years=YEARS), None)
    assert FiscalYearRecord.history.get().history_user is None
