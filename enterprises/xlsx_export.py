"""XLSX exports that spreadsheet programs cannot be tricked by: a cell that begins with =, +, - or @
is written as text, never as a formula."""
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(cell, value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.value = value
        cell.data_type = "s"  # stored as a string even though it looks like a formula
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
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{__import__('urllib.parse').parse.quote(filename)}"
    return response
