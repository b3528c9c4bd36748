"""XLSX exports that spreadsheet programs cannot be tricked by (OWASP, CSV/formula injection): a text
cell that begins with =, +, -, @, a tab or a carriage return gets a leading apostrophe and is stored as
text, so no spreadsheet evaluates it; numbers stay numbers."""
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(cell, value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.value = "'" + value
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def workbook_bytes(title, headers, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            safe_cell(sheet.cell(row=r, column=c), value)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename, title, headers, rows):
    response = HttpResponse(workbook_bytes(title, headers, rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
