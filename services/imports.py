"""Attendance (参训人员) of one training from an XLSX workbook: template, parse + preview, commit.

Columns 姓名, 手机号码 (required), 所在企业 (a firm's name or USCC; when given it must match a firm),
职务; row 1 is the header, matched by name as the other imports match theirs (order free, extra
columns ignored). The workbook is opened with the yearly-figures import's guards (size, rows,
formulas without a cached value: `enterprises.importing._open`) and every problem is an
`ImportIssue` at its sheet, row and column. A person already on the training, or twice in the file
(the same name and mobile number), is an error. All or nothing: `commit` refuses a preview with any
error and writes the rows in one transaction. No request objects here; the views are in
`services/views/trainings.py`.
"""
from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from enterprises import importing
from enterprises.importing import ImportIssue, cell_text
from enterprises.models import Enterprise
from enterprises.xlsx_export import safe_cell

from .models import Attendance

NAME, MOBILE, FIRM, ROLE = "name", "mobile", "enterprise", "role"
TEMPLATE_SPEC = (("姓名", NAME), ("手机号码", MOBILE), ("所在企业", FIRM), ("职务", ROLE))
TEMPLATE = importing.Template(TEMPLATE_SPEC, required=(NAME, MOBILE))
TEMPLATE_COLUMNS, HEADER_OF = TEMPLATE.columns, TEMPLATE.header_of
MAX_LENGTH = {NAME: 50, ROLE: 50}
TEMPLATE_NAME = "参训人员导入模板.xlsx"


def template_bytes():
    book = Workbook()
    sheet = book.active
    sheet.title = "参训人员"
    sheet.append(TEMPLATE_COLUMNS)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill, cell.alignment = Font(bold=True), fill, Alignment(horizontal="center")
    for idx, width in enumerate((12, 16, 36, 16), start=1):
        sheet.column_dimensions[get_column_letter(idx)].width = width
    sheet.column_dimensions["B"].number_format = "@"
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("说明")
    lines = ["填写说明",
             "1. 第一个工作表第1行为表头，请勿修改列名；列的顺序可以调整，多余的列会被忽略。",
             "2. 每行为一名参训人员；姓名、手机号码必填，手机号码为以 1 开头的 11 位数字。",
             "3. 所在企业填写企业名称或统一社会信用代码，须为系统中已登记的企业；非企业人员可不填。",
             "4. 同一姓名和手机号码视为同一人：同一文件中不能重复，已在本次培训名单中的人员不能再次导入。",
             "5. 导入先预览；只要有一行出错，整个文件都不会写入。",
             "6. 本“说明”工作表不会被导入。"]
    for row, line in enumerate(lines, start=1):
        safe_cell(notes.cell(row=row, column=1), line)
    notes["A1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 100
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class AttendeeRow:
    sheet: str
    row: int
    name: str
    mobile: str
    firm_text: str
    role: str
    enterprise_id: int | None = None
    enterprise_name: str = ""
    sheet_idx: int = 0
    columns: dict = field(default_factory=dict, repr=False)   # key -> (column letter, index)


@dataclass
class Preview:
    training: object = None
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors and bool(self.rows)

    def error_lines(self):
        return [str(e) for e in self.errors]

    @property
    def firms(self):
        return len({r.enterprise_id for r in self.rows if r.enterprise_id})


class ImportRefused(Exception):
    """commit() on a preview with errors, or a row that another upload wrote meanwhile."""


def _where(first, title):
    if first[0] == title:
        return _("第%(row)s行") % {"row": first[1]}
    return _("工作表“%(sheet)s”第%(row)s行") % {"sheet": first[0], "row": first[1]}


def _parse_sheet(preview, ws, sheet_idx, uncached, limit, seen):
    """Check the rows of one sheet; False when its first row holds none of the template's headers."""
    found = importing.template_rows(preview, ws, sheet_idx, uncached, limit, TEMPLATE)
    if found is None:
        return False
    sheet, columns, rows = found
    for row_no, cell, bad in rows:
        name, mobile = cell_text(cell[NAME]), cell_text(cell[MOBILE])
        firm_text, role = cell_text(cell.get(FIRM)), cell_text(cell.get(ROLE))
        if not name:
            sheet.error(_("姓名不能为空。"), row_no, NAME, columns)
            bad = True
        if not mobile:
            sheet.error(_("手机号码不能为空。"), row_no, MOBILE, columns)
            bad = True
        else:
            try:   # the model's own rule, one definition of a valid mobile number
                Attendance(name=name, mobile=mobile).clean()
            except ValidationError as exc:
                for message in exc.message_dict.get("mobile", exc.messages):
                    sheet.error(message, row_no, MOBILE, columns)
                bad = True
        for key, text in ((NAME, name), (ROLE, role)):
            if len(text) > MAX_LENGTH[key]:
                sheet.error(_("%(header)s不能超过%(n)s个字。") % {"header": HEADER_OF[key], "n": MAX_LENGTH[key]},
                            row_no, key, columns)
                bad = True
        if bad:
            continue
        first = seen.get((name, mobile))
        if first:
            sheet.error(_("与%(where)s重复：同一姓名和手机号码（%(name)s，%(mobile)s）只能有一行。") % {
                "where": _where(first, ws.title), "name": name, "mobile": mobile}, row_no, MOBILE, columns)
            continue
        seen[(name, mobile)] = (ws.title, row_no)
        preview.rows.append(AttendeeRow(ws.title, row_no, name, mobile, firm_text, role, sheet_idx=sheet_idx,
                                        columns=columns))
    return True


def parse_workbook(file, training):
    """Check every row of the workbook (path, file or bytes) against `training`; nothing is written."""
    return importing.read_template_workbook(Preview(training=training), file, TEMPLATE, _parse_sheet, _match)


def _match(preview):
    """Firms by USCC or by exact name (one query), and the people already on the training (one query)."""
    rows = preview.rows
    texts = {r.firm_text for r in rows if r.firm_text}
    by_uscc, by_name = {}, {}
    if texts:
        upper = {t.upper() for t in texts}
        for pk, uscc, name in Enterprise.objects.filter(uscc__in=upper).values_list("pk", "uscc", "name"):
            by_uscc[uscc] = (pk, name)
        for pk, name in Enterprise.objects.filter(name__in=texts).values_list("pk", "name"):
            by_name.setdefault(name, []).append(pk)
    on_training = set(Attendance.objects.filter(training=preview.training).values_list("name", "mobile"))
    for r in rows:
        sheet_idx = r.sheet_idx
        if r.firm_text:
            letter, idx = r.columns[FIRM]
            hit = by_uscc.get(r.firm_text.upper())
            names = by_name.get(r.firm_text, [])
            if hit is None and len(names) == 1:
                hit = (names[0], r.firm_text)
            if hit is None:
                message = (_("名称为“%(firm)s”的企业有%(n)s家，请改填统一社会信用代码。") % {
                    "firm": importing._show(r.firm_text), "n": len(names)} if len(names) > 1 else
                    _("“%(firm)s”不是系统中已登记的企业名称或统一社会信用代码。") % {"firm": importing._show(r.firm_text)})
                preview.errors.append(ImportIssue(message, r.sheet, r.row, letter, HEADER_OF[FIRM],
                                                  (sheet_idx, r.row, idx)))
            else:
                r.enterprise_id, r.enterprise_name = hit
        if (r.name, r.mobile) in on_training:
            letter, idx = r.columns[MOBILE]
            preview.errors.append(ImportIssue(
                _("%(name)s（%(mobile)s）已在本次培训的名单中。") % {"name": r.name, "mobile": r.mobile},
                r.sheet, r.row, letter, HEADER_OF[MOBILE], (sheet_idx, r.row, idx)))


def commit(preview):
    """Write every row of an error-free preview in one transaction; returns the number written.

    Each row is saved on its own so the figures that count attendance are invalidated (dashboards
    listens to post_save); the training's row is locked so two uploads for it do not interleave."""
    if not preview.ok:
        raise ImportRefused(_("预览中有错误或没有数据，未写入任何数据。"))
    training = preview.training
    with transaction.atomic():
        type(training).objects.select_for_update().filter(pk=training.pk).first()
        taken = set(Attendance.objects.filter(training=training).values_list("name", "mobile"))
        clash = [r for r in preview.rows if (r.name, r.mobile) in taken]
        if clash:
            raise ImportRefused(_("第%(row)s行的%(name)s已在本次培训的名单中（可能刚由他人录入），请重新上传。") % {
                "row": clash[0].row, "name": clash[0].name})
        for r in preview.rows:
            Attendance.objects.create(training=training, name=r.name, mobile=r.mobile,
                                      enterprise_id=r.enterprise_id, role=r.role)
    return len(preview.rows)
