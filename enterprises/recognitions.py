"""Recognitions (认定荣誉) of every kind the plan counts: one staff form, one XLSX import (template,
preview with errors by row and column, atomic commit). Every write marks the firms stale, so their
results (附件3 S4b reads the national_giant title) are re-scored once it commits.

A recognition is known by its firm, kind and year: the import updates that record when it exists
and creates it otherwise, so importing the same file twice changes nothing. The workbook is opened
with the yearly-figures import's guards (size, rows, formulas without a cached value:
`importing._open`).
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jinhu_portal.forms import CrispyMixin

from . import importing
from .importing import ImportIssue, cell_text
from .models import Enterprise, Level, Recognition, RecognitionKind
from .signals import mark_stale
from .validators import validate_uscc
from .xlsx_export import safe_cell

FIRST_YEAR = 2000
LEVEL_OF_PREFIX = {"city": Level.CITY, "province": Level.PROVINCE, "national": Level.NATIONAL}


def fixed_level(kind):
    """The level a tier's title always has (city_giant → 市级…); None for kinds of any level."""
    return LEVEL_OF_PREFIX.get(str(kind).split("_")[0])


def last_year():
    return timezone.localdate().year + 1


def check(enterprise, kind, level, year, granted_on, instance_pk=None):
    """{field: message} for a recognition that contradicts itself or repeats a stored one."""
    errors = {}
    expected = fixed_level(kind) if kind else None
    if expected and level and level != expected:
        errors["level"] = _("%(kind)s的级别应为%(level)s。") % {"kind": RecognitionKind(kind).label,
                                                          "level": Level(expected).label}
    if granted_on and year and granted_on.year != year:
        errors["granted_on"] = _("认定日期%(date)s不在认定年度%(year)s年内。") % {"date": granted_on, "year": year}
    if enterprise and kind and year:
        same = Recognition.objects.filter(enterprise=enterprise, kind=kind, year=year).exclude(pk=instance_pk)
        if same.exists():
            errors["kind"] = _("%(firm)s已有%(year)s年的%(kind)s认定记录。") % {
                "firm": enterprise.name, "year": year, "kind": RecognitionKind(kind).label}
    return errors


# ------------------------------------------------------------------------------------------------
# The form
# ------------------------------------------------------------------------------------------------

class RecognitionForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Recognition
        fields = ["enterprise", "kind", "level", "year", "granted_on", "valid_until", "document", "note"]
        widgets = {"granted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"level": gettext_lazy("各层级专精特新认定的级别随层级确定（市级、省级、国家级）"),
                      "year": gettext_lazy("获得认定的年度")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        firms = Enterprise.objects.visible_to(user) if user is not None else Enterprise.objects.all()
        self.fields["enterprise"].queryset = firms.order_by("name")
        self.fields["year"].required = True
        self.fields["year"].error_messages["required"] = _("请填写认定年度。")

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and not FIRST_YEAR <= year <= last_year():
            raise ValidationError(_("认定年度须在%(lo)s年至%(hi)s年之间。") % {"lo": FIRST_YEAR, "hi": last_year()})
        return year

    def clean_document(self):
        return self.cleaned_data["document"].strip()

    def clean(self):
        data = super().clean()
        for name, message in check(data.get("enterprise"), data.get("kind"), data.get("level"), data.get("year"),
                                   data.get("granted_on"), self.instance.pk).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data


def save_form(form, user):
    """Save the form's recognition; the firm it belonged to and the one it belongs to are re-scored."""
    before = form.instance.enterprise_id if form.instance.pk else None
    with transaction.atomic():
        recognition = form.save(commit=False)
        recognition._history_user = user
        recognition.save()
        mark_stale({recognition.enterprise_id} | ({before} if before else set()), ())
    return recognition


def delete(recognition, user):
    """Delete a recognition typed in by hand; one recorded from a recommendation list's 已认定 stays
    (it is the outcome of that entry)."""
    if recognition.recommendation_entries.exists():
        raise ValidationError(_("该认定记录由推荐名单的“已认定”结果登记，不能在此删除。"))
    with transaction.atomic():
        firm = recognition.enterprise_id
        recognition._history_user = user
        recognition.delete()
        mark_stale({firm}, ())


# ------------------------------------------------------------------------------------------------
# The XLSX import
# ------------------------------------------------------------------------------------------------

USCC, NAME, KIND, LEVEL, YEAR, DATE, DOCUMENT, NOTE = (
    "uscc", "name", "kind", "level", "year", "granted_on", "document", "note")
TEMPLATE_SPEC = (("统一社会信用代码", USCC), ("企业名称", NAME), ("认定类型", KIND), ("级别", LEVEL),
                 ("认定年度", YEAR), ("认定日期", DATE), ("认定文件", DOCUMENT), ("备注", NOTE))
TEMPLATE = importing.Template(TEMPLATE_SPEC, required=(USCC, KIND, YEAR))
TEMPLATE_COLUMNS, HEADER_OF = TEMPLATE.columns, TEMPLATE.header_of
TEMPLATE_NAME = "认定荣誉导入模板.xlsx"
MAX_LENGTH = {DOCUMENT: 200, NOTE: 300}


def _choice_lookup(choices):
    """Chinese label (or code) → code; spaces and the full-width/ASCII brackets do not matter."""
    table = {}
    for code, label in choices:
        for key in (str(label), code):
            table[_loose(key)] = code
    return table


def _loose(text):
    return importing._norm_header(str(text)).replace("（", "(").replace("）", ")").lower()


KINDS, LEVELS = _choice_lookup(RecognitionKind.choices), _choice_lookup(Level.choices)


def template_bytes():
    book = Workbook()
    sheet = book.active
    sheet.title = "认定荣誉"
    sheet.append(TEMPLATE_COLUMNS)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill, cell.alignment = Font(bold=True), fill, Alignment(horizontal="center")
    widths = {USCC: 24, NAME: 30, KIND: 30, LEVEL: 10, YEAR: 10, DATE: 12, DOCUMENT: 28, NOTE: 30}
    for idx, (_h, key) in enumerate(TEMPLATE_SPEC, start=1):
        sheet.column_dimensions[get_column_letter(idx)].width = widths[key]
    sheet.column_dimensions["A"].number_format = "@"
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("说明")
    lines = ["填写说明",
             "1. 第一个工作表第1行为表头，请勿修改列名；列的顺序可以调整，多余的列会被忽略。",
             "2. 每行为一家企业的一项认定；统一社会信用代码必须是系统中已登记的企业，“企业名称”仅供核对。",
             "3. 认定类型、级别从下拉列表中选择（即下列中文名称）；各层级专精特新认定的级别可不填（随层级确定）。",
             f"4. 认定年度为四位数字（{FIRST_YEAR}年至下一年度）；认定日期可不填，填写时须在认定年度内。",
             "5. 同一企业同一认定类型同一年度只能有一行；系统中已有该记录的，导入时更新级别、日期、文件和备注。",
             "6. 导入先预览；只要有一行出错，整个文件都不会写入。",
             "", "认定类型：" + "、".join(str(label) for _c, label in RecognitionKind.choices),
             "级别：" + "、".join(str(label) for _c, label in Level.choices)]
    for row, line in enumerate(lines, start=1):
        safe_cell(notes.cell(row=row, column=1), line)
    notes["A1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 100
    # the drop-down lists read two hidden columns of the notes sheet
    for col, choices, target in (("B", RecognitionKind.choices, "C"), ("C", Level.choices, "D")):
        for k, (_code, label) in enumerate(choices, start=1):
            notes[f"{col}{k}"] = str(label)
        notes.column_dimensions[col].hidden = True
        rule = DataValidation(type="list", formula1=f"说明!${col}$1:${col}${len(choices)}", allow_blank=True,
                              showErrorMessage=False)
        sheet.add_data_validation(rule)
        rule.add(f"{target}2:{target}2000")
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class RecognitionRow:
    sheet: str
    row: int
    uscc: str
    kind: str
    level: str
    year: int
    granted_on: date | None
    document: str
    note: str
    name: str = ""
    enterprise_id: int | None = None
    enterprise_name: str = ""
    existing_id: int | None = None
    action: str = ""                 # create | update | unchanged
    columns: dict = field(default_factory=dict, repr=False)   # key -> (column letter, index)

    ACTION_LABELS = {"create": "新增", "update": "更新", "unchanged": "无变化"}

    @property
    def action_label(self):
        return self.ACTION_LABELS.get(self.action, self.action)

    @property
    def kind_label(self):
        return RecognitionKind(self.kind).label

    @property
    def level_label(self):
        return Level(self.level).label


@dataclass
class Preview:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors and bool(self.rows)

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)


def _year(value):
    if isinstance(value, (datetime, date, bool)):
        raise ValueError
    text = cell_text(value).removesuffix("年")
    number = importing._to_decimal(text) if text else None
    if number is None or number != number.to_integral_value():
        raise ValueError
    return int(number)


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))


def _parse_sheet(preview, ws, sheet_idx, uncached, limit, seen):
    """Check the rows of one sheet; False when its first row holds none of the template's headers."""
    found = importing.template_rows(preview, ws, sheet_idx, uncached, limit, TEMPLATE)
    if found is None:
        return False
    sheet, columns, rows = found
    for row_no, cell, bad in rows:
        uscc = cell_text(cell[USCC]).upper()
        if not uscc:
            sheet.error(_("统一社会信用代码不能为空。"), row_no, USCC, columns)
            bad = True
        kind = KINDS.get(_loose(cell_text(cell[KIND]))) if cell_text(cell[KIND]) else None
        if not cell_text(cell[KIND]):
            sheet.error(_("认定类型不能为空。"), row_no, KIND, columns)
            bad = True
        elif kind is None:
            sheet.error(_("“%(value)s”不是有效的认定类型，请从模板“说明”中的名称里选择。") % {
                "value": importing._show(cell[KIND])}, row_no, KIND, columns)
            bad = True
        level_text = cell_text(cell.get(LEVEL))
        level = LEVELS.get(_loose(level_text)) if level_text else (fixed_level(kind) if kind else None)
        if level_text and level is None:
            sheet.error(_("“%(value)s”不是有效的级别，应为县级、市级、省级、国家级或国际。") % {
                "value": importing._show(level_text)}, row_no, LEVEL, columns)
            bad = True
        elif kind and level is None:
            sheet.error(_("请填写级别（%(kind)s的级别不随类型确定）。") % {"kind": RecognitionKind(kind).label},
                        row_no, LEVEL, columns)
            bad = True
        year = None
        if not cell_text(cell[YEAR]):
            sheet.error(_("认定年度不能为空。"), row_no, YEAR, columns)
            bad = True
        else:
            try:
                year = _year(cell[YEAR])
            except (ValueError, ArithmeticError):
                sheet.error(_("“%(value)s”不是有效的年度，应为四位数字的年份。") % {"value": importing._show(cell[YEAR])},
                            row_no, YEAR, columns)
                bad = True
            else:
                if not FIRST_YEAR <= year <= last_year():
                    sheet.error(_("认定年度%(year)s不在允许的范围（%(lo)s—%(hi)s年）内。") % {
                        "year": year, "lo": FIRST_YEAR, "hi": last_year()}, row_no, YEAR, columns)
                    bad = True
        granted_on = None
        if cell_text(cell.get(DATE)):
            try:
                granted_on = _date(cell[DATE])
            except (ValueError, TypeError):
                sheet.error(_("“%(value)s”不是有效的日期，应如2024-06-30。") % {"value": importing._show(cell[DATE])},
                            row_no, DATE, columns)
                bad = True
        texts = {}
        for key in (DOCUMENT, NOTE):
            texts[key] = cell_text(cell.get(key))
            if len(texts[key]) > MAX_LENGTH[key]:
                sheet.error(_("%(header)s不能超过%(n)s个字。") % {"header": HEADER_OF[key], "n": MAX_LENGTH[key]},
                            row_no, key, columns)
                bad = True
        if not bad:
            for name, message in check(None, kind, level, year, granted_on).items():
                sheet.error(message, row_no, DATE if name == "granted_on" else name, columns)
                bad = True
        if bad:
            continue
        first = seen.get((uscc, kind, year))
        if first:
            sheet.error(_("与%(where)s重复：同一企业同一认定类型同一年度只能有一行。") % {
                "where": _("第%(row)s行") % {"row": first[1]} if first[0] == ws.title else
                _("工作表“%(sheet)s”第%(row)s行") % {"sheet": first[0], "row": first[1]}}, row_no, KIND, columns)
            continue
        seen[(uscc, kind, year)] = (ws.title, row_no)
        preview.rows.append(RecognitionRow(ws.title, row_no, uscc, kind, level, year, granted_on,
                                           texts[DOCUMENT], texts[NOTE], name=cell_text(cell.get(NAME)),
                                           columns=columns))
    return True


def parse_workbook(file):
    """Check every row of the workbook (path, file or bytes); nothing is written."""
    return importing.read_template_workbook(Preview(), file, TEMPLATE, _parse_sheet, _match_firms)


def _match_firms(preview):
    firms = {u: (pk, name) for u, pk, name in Enterprise.objects.filter(
        uscc__in={r.uscc for r in preview.rows}).values_list("uscc", "pk", "name")}
    known = []
    for r in preview.rows:
        letter, idx = r.columns[USCC]
        hit = firms.get(r.uscc)
        if hit is None:
            try:
                validate_uscc(r.uscc)
            except ValidationError as exc:
                message = " ".join(exc.messages)
            else:
                message = _("统一社会信用代码“%(uscc)s”在系统中不存在，请先登记该企业或核对代码。") % {"uscc": r.uscc}
            preview.errors.append(ImportIssue(message, r.sheet, r.row, letter, HEADER_OF[USCC], (0, r.row, idx)))
            continue
        r.enterprise_id, r.enterprise_name = hit
        if r.name and r.name != r.enterprise_name:
            preview.warnings.append(ImportIssue(
                _("企业名称“%(file)s”与系统中的“%(db)s”不一致（以统一社会信用代码为准）。") % {
                    "file": importing._show(r.name), "db": r.enterprise_name}, r.sheet, r.row,
                r.columns.get(NAME, ("", 0))[0], HEADER_OF[NAME]))
        known.append(r)
    preview.rows = known
    stored = {(x.enterprise_id, x.kind, x.year): x for x in Recognition.objects.filter(
        enterprise_id__in={r.enterprise_id for r in known}, kind__in={r.kind for r in known})}
    for r in known:
        existing = stored.get((r.enterprise_id, r.kind, r.year))
        if existing is None:
            r.action = "create"
        else:
            r.existing_id = existing.pk
            same = (existing.level, existing.granted_on, existing.document, existing.note) == (
                r.level, r.granted_on or existing.granted_on, r.document or existing.document, r.note or existing.note)
            r.action = "unchanged" if same else "update"


class ImportRefused(Exception):
    pass


def commit(preview, user):
    """Write every row of an error-free preview in one transaction; returns (created, updated)."""
    if not preview.ok:
        raise ImportRefused(_("预览中有错误或没有数据，未写入任何数据。"))
    created = updated = 0
    touched = set()
    with transaction.atomic():
        for r in preview.rows:
            recognition = (Recognition.objects.select_for_update().filter(pk=r.existing_id).first()
                           if r.existing_id else None)
            if recognition is None:
                recognition = Recognition(enterprise_id=r.enterprise_id, kind=r.kind, year=r.year)
                created += 1
            elif r.action == "unchanged":
                continue
            else:
                updated += 1
            recognition.level = r.level
            recognition.granted_on = r.granted_on or recognition.granted_on
            recognition.document = r.document or recognition.document
            recognition.note = r.note or recognition.note
            recognition._history_user = user
            recognition._change_reason = "Excel导入"
            recognition.save()
            touched.add(r.enterprise_id)
        mark_stale(touched, ())
    return created, updated
