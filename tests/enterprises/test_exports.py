"""Every XLSX export is safe to open: text that a spreadsheet would read as a formula stays text."""
import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from criteria.models import Declaration, Edition, PoolMembership, Round, Status
from enterprises.xlsx_export import workbook_bytes
from tests.factories import EnterpriseFactory

DANGEROUS = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+2", "-1+2", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def _cells(content):
    sheet = load_workbook(BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def _assert_no_formula(content):
    for cell in _cells(content):
        assert cell.data_type != "f", f"{cell.coordinate} 被当作公式：{cell.value!r}"
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), (cell.coordinate, cell.value)


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_cell_that_looks_like_a_formula_is_written_as_plain_text(text):
    cells = _cells(workbook_bytes("表", ["名称"], [[text]]))
    assert cells[1].data_type == "s"
    assert cells[1].value.endswith(text.lstrip("\t\r")) and cells[1].value.startswith("'")


def test_numbers_and_ordinary_text_stay_as_they_are():
    cells = _cells(workbook_bytes("表", ["名称", "收入", "负数"], [["金湖示范企业", 1234.5, -3]]))
    assert [c.value for c in cells[3:]] == ["金湖示范企业", 1234.5, -3]
    assert cells[4].data_type == "n" and cells[5].data_type == "n"


@pytest.mark.django_db
def test_the_queue_and_the_roster_exports_neutralise_formula_names(client, bob, published_editions, town):
    today = timezone.localdate()
    round_ = Round.objects.create(
        title="=1+1批次", kind="admission", tier="county_pool", year=2025, created_by=bob,
        opens_on=today - datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=10),
        edition=Edition.objects.get(tier="county_pool", year=2022))
    for i, text in enumerate(DANGEROUS):
        firm = EnterpriseFactory(name=f"{text}{i}", town=town)
        Declaration.objects.create(round=round_, enterprise=firm, status=Status.SUBMITTED,
                                   submitted_at=timezone.now())
        PoolMembership.objects.create(enterprise=firm, admitted_on=today, round=round_,
                                      left_on=today, leave_reason=text)
    client.force_login(bob)
    for name in ("criteria:review_queue_export", "criteria:pool_roster_export"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        _assert_no_formula(content)
        texts = [c.value for c in _cells(content) if isinstance(c.value, str)]
        assert any("HYPERLINK" in t for t in texts), name
