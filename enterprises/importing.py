"""Import of yearly figures (FiscalYearRecord) from an XLSX workbook: template, parse + preview, commit.

No request objects here; the views in `enterprises/views/xlsx.py` call these functions.

Rules
-----
- Every worksheet of the workbook is read, except sheets whose first row holds none of the template
  headers (e.g. a "说明" sheet with notes): those are skipped and listed in `ImportPreview.skipped_sheets`.
- Row 1 of a sheet is the header; columns are matched by name (spaces ignored, a unit suffix such
  as "（万元）" or "(人)" tolerated), so the order may differ and extra columns are ignored.
  Every template column except 企业名称 is required.
- A blank cell means "not provided": on update the stored value stays, on create it is NULL.
  Completely blank rows are skipped.
- Money is in 万元 and rounded to two decimals; head counts must be whole numbers.
- The import is all or nothing: `commit` refuses a preview with any error.

Bounds (checked on the zip package before openpyxl parses anything; see `_open`)
-------------------------------------------------------------------------------
- The uncompressed size of all parts together (`ZipInfo.file_size`, which zipfile also enforces
  while decompressing) may not exceed `settings.IMPORT_MAX_UNCOMPRESSED_MB`: zip bombs are refused.
- A sheet may hold at most `settings.IMPORT_MAX_ROWS` rows below its header row: refused when the
  sheet's `<dimension ref="A1:O60001"/>` (streamed from the start of its XML) says more, and, as
  that element can lie or be missing, again while reading (openpyxl is told to ignore it and to stop
  one row past the limit).  Either way the whole workbook is refused with the same message.
- A formula cell without a cached value (what openpyxl and some generators write: `<f>` with an
  empty or no `<v>`) is an error at its row and column, not a blank.  A formula with a cached
  value is read as that value.  The sheet XML is byte-scanned for `<f` and only the cells around a
  hit are looked at (`_uncached_formulas`), which keeps the import within 3x a raw openpyxl read.
- A file that is not a zip, or whose parts are corrupt (bad CRC, broken deflate data, broken XML),
  gets one Chinese message and nothing else.
"""
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO, StringIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple

from .models import Enterprise, FiscalYearRecord
from .models.finance import NON_NEGATIVE_FIGURES
from .signals import mark_stale
from .validators import validate_uscc
from .xlsx_export import safe_cell

USCC, NAME, YEAR = "uscc", "name", "year"
MONEY_FIELDS = FiscalYearRecord.MONEY_FIGURES
COUNT_FIELDS = FiscalYearRecord.COUNT_FIGURES
FIGURE_FIELDS = FiscalYearRecord.FIGURES

# (header, key) in template order; the figures' headers are the model's own labels.
TEMPLATE_SPEC = (
    ("统一社会信用代码", USCC),
    ("企业名称", NAME),
    ("年度", YEAR),
    *((str(f.verbose_name), f.name) for f in FiscalYearRecord.figure_fields()),
)
TEMPLATE_COLUMNS = [header for header, _key in TEMPLATE_SPEC]
HEADER_OF = {key: header for header, key in TEMPLATE_SPEC}
OPTIONAL_KEYS = {NAME}
REQUIRED_KEYS = [key for _h, key in TEMPLATE_SPEC if key not in OPTIONAL_KEYS]

CENT = Decimal("0.01")
MONEY_LIMIT = Decimal("1e12")          # max_digits=14, decimal_places=2
COUNT_LIMIT = 2147483647               # PositiveIntegerField
FIRST_YEAR = 2000
PREVIEW_ROWS = 20
PREVIEW_ERRORS = 200                   # errors listed on the preview page; the others are counted
SCAN_CHUNK = 1 << 20                   # bytes of sheet XML searched for formulas at a time
FETCH_ALL_THRESHOLD = 500              # more USCCs than this: read the (small) firm table whole

_SPACES = re.compile(r"\s+")
_UNIT_SUFFIX = re.compile(r"[（(][^（）()]*[)）]$")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3})")


def _norm_header(value):
    """A header as matched: spaces (full-width too) and a trailing unit in brackets ignored."""
    return _UNIT_SUFFIX.sub("", _SPACES.sub("", str(value)))


KEY_OF_HEADER = {_norm_header(header): key for header, key in TEMPLATE_SPEC}


def default_years():
    return range(FIRST_YEAR, timezone.localdate().year + 1)


def import_dir():
    """Where an uploaded workbook waits between its preview and its commit (or its job)."""
    return Path(settings.MEDIA_ROOT) / "imports"


def max_rows():
    """Rows a sheet may hold below its header row (settings.IMPORT_MAX_ROWS)."""
    return settings.IMPORT_MAX_ROWS


def max_uncompressed_mb():
    """Megabytes the workbook's parts may take once unpacked (settings.IMPORT_MAX_UNCOMPRESSED_MB)."""
    return settings.IMPORT_MAX_UNCOMPRESSED_MB


# ------------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------------

@dataclass
class ImportIssue:
    """One problem, located as precisely as possible (file-level problems have no sheet/row)."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""       # column letter, "" when the issue is about a whole row/sheet
    header: str = ""       # the column's header name
    order: tuple = ()      # sort key (sheet index, row, column index)

    @property
    def location(self):
        parts = []
        if self.sheet:
            parts.append(_("工作表“%(sheet)s”") % {"sheet": self.sheet})
        if self.row is not None:
            cell = _("第%(row)s行") % {"row": self.row}
            if self.column:
                cell += " " + _("%(col)s列（%(header)s）") % {"col": self.column, "header": self.header}
            elif self.header:
                cell += " " + _("（%(header)s）") % {"header": self.header}
            parts.append(cell)
        elif self.header:
            parts.append(_("列“%(header)s”") % {"header": self.header})
        return " ".join(parts)

    def __str__(self):
        location = self.location
        return f"{location}：{self.message}" if location else self.message


@dataclass
class ImportRow:
    sheet: str
    row: int
    uscc: str
    year: int
    values: dict                       # provided figures only (blank cells are absent)
    name: str = ""                     # as written in the file (informational)
    enterprise_id: int | None = None
    enterprise_name: str = ""
    action: str = ""                   # "create" | "update" | "unchanged"
    cells: dict = field(default_factory=dict, repr=False)   # key -> (column letter, column index)

    ACTION_LABELS = {"create": "新增", "update": "更新", "unchanged": "无变化"}

    @property
    def action_label(self):
        return self.ACTION_LABELS.get(self.action, self.action)

    def figures(self):
        """Values in template order for display; None where not provided."""
        return [self.values.get(f) for f in FIGURE_FIELDS]


@dataclass
class ImportPreview:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    sheets: list = field(default_factory=list)          # sheets read
    skipped_sheets: list = field(default_factory=list)  # sheets without any template header

    @property
    def ok(self):
        return not self.errors and bool(self.rows)

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def to_create(self):
        return self.count("create")

    @property
    def to_update(self):
        return self.count("update")

    @property
    def unchanged(self):
        return self.count("unchanged")

    def first_rows(self, n=PREVIEW_ROWS):
        return self.rows[:n]

    def error_lines(self):
        return [str(e) for e in self.errors]

    def refuse(self, issue):
        """The workbook is refused as a whole: `issue` says why and replaces whatever was found."""
        self.errors[:] = [issue]
        self.rows.clear()
        self.warnings.clear()
        self.sheets.clear()
        self.skipped_sheets.clear()


class ImportRefused(Exception):
    """commit() on a preview that has errors (or nothing to import)."""


class _Refusal(Exception):
    """The workbook is refused as a whole (too large, too many rows): `issue` says why."""

    def __init__(self, issue):
        self.issue = issue


def _too_many_rows(sheet, limit):
    return ImportIssue(_("工作表“%(sheet)s”的数据超过了%(limit)s行的上限（表头以外，每个工作表最多%(limit)s行），"
                         "未导入任何数据。请分成几个文件分别导入；如果表格末尾有大量空行，请先删除。") % {
                             "sheet": sheet, "limit": limit}, sheet=sheet)


def _broken():
    """A workbook whose parts opened but whose rows could not be read (corrupt data past the start)."""
    return ImportIssue(_("读取工作簿时出错：文件可能已损坏，请在Excel中重新保存后再上传。"))


def _unreadable():
    return ImportIssue(_("无法读取该文件：它不是有效的Excel工作簿（.xlsx），或者文件已损坏。"
                         "请使用导入模板，在Excel或WPS中另存为 .xlsx 后再上传。"))


# ------------------------------------------------------------------------------------------------
# Template
# ------------------------------------------------------------------------------------------------

def template_bytes():
    """An empty workbook with the header row, the USCC column as text, and a notes sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "年度数据"
    sheet.append(TEMPLATE_COLUMNS)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
    for idx, (header, key) in enumerate(TEMPLATE_SPEC, start=1):
        letter = get_column_letter(idx)
        sheet.column_dimensions[letter].width = {USCC: 24, NAME: 30, YEAR: 8}.get(key, 14)
        if key == USCC:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"

    notes = book.create_sheet("说明")
    lines = [
        "填写说明",
        "1. 第一个工作表第1行为表头，请勿修改列名；列的顺序可以调整，多余的列会被忽略。",
        "2. 每行为一家企业一个年度的数据；同一企业同一年度只能有一行。",
        "3. 统一社会信用代码必须是系统中已登记的企业；“企业名称”一列仅供核对，不会被导入。",
        f"4. 年度为四位数字，须在{FIRST_YEAR}年至当前年度之间。",
        "5. 金额单位为万元，保留两位小数；从业人员数、研发人员数为整数（人）。",
        "6. 除营业利润、利润总额、净利润外，其余数据不能为负数；主营业务收入不能大于营业收入；"
        "研发人员数不能大于从业人员数。",
        "7. 单元格留空表示“未提供”：已有记录的该项保持不变，新记录的该项为空。",
        "8. 导入先预览；只要有一行出错，整个文件都不会写入。",
        "9. 本“说明”工作表不会被导入。",
    ]
    for row, line in enumerate(lines, start=1):
        safe_cell(notes.cell(row=row, column=1), line)
    notes["A1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 100
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------------
# Parsing
# ------------------------------------------------------------------------------------------------

def _show(value):
    text = str(value).strip()
    return text if len(text) <= 30 else text[:30] + "…"


def _to_decimal(value):
    """A cell value (a number, or text such as "1,234.5") as a finite Decimal, or raise ValueError
    (other text, booleans, dates, NaN, infinities...)."""
    if value.__class__ is int:
        return Decimal(value)
    if value.__class__ is float:
        text = repr(value)
    elif isinstance(value, str):
        text = _THOUSANDS.sub("", _SPACES.sub("", value))
    else:
        raise ValueError
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


class _SheetParser:
    def __init__(self, preview, years):
        self.preview = preview
        self.years = years
        self.year_lo, self.year_hi = years[0], years[-1]
        self.seen = {}   # (uscc, year) -> (sheet, row)
        self.sheet_of = {}   # sheet title -> index

    def error(self, message, sheet, row, column, header, sheet_idx, col_idx):
        self.preview.errors.append(ImportIssue(message, sheet, row, column, header, (sheet_idx, row, col_idx)))

    def parse_sheet(self, ws, sheet_idx, uncached, limit):
        """Check every row of `ws`.  `uncached`: row -> [column numbers] of the formula cells that have
        no cached value; `limit`: rows allowed below the header (raises _Refusal one row past it)."""
        title = ws.title
        self.sheet_of[title] = sheet_idx
        last_row = limit + 1
        # The <dimension> element may lie: read every row there is (lazily: one past the limit refuses).
        ws.reset_dimensions()
        rows = ws.iter_rows(values_only=True)
        header_row = next(rows, None) or ()
        columns = {}   # key -> (index, letter)
        for idx, value in enumerate(header_row):
            key = KEY_OF_HEADER.get(_norm_header(value))
            if key is None:
                continue
            if key in columns:
                self.error(_("列“%(header)s”出现了两次（%(a)s列和%(b)s列）。") % {
                    "header": HEADER_OF[key], "a": columns[key][1], "b": get_column_letter(idx + 1)},
                    title, 1, get_column_letter(idx + 1), HEADER_OF[key], sheet_idx, idx)
                continue
            columns[key] = (idx, get_column_letter(idx + 1))
        if not columns:
            self.preview.skipped_sheets.append(title)
            return
        self.preview.sheets.append(title)
        missing = [key for key in REQUIRED_KEYS if key not in columns]
        for key in missing:
            self.error(_("缺少必填列“%(header)s”，请使用导入模板的列名。") % {"header": HEADER_OF[key]},
                       title, 1, "", HEADER_OF[key], sheet_idx, 0)
        if missing:
            return

        u_idx, u_col = columns[USCC]
        y_idx, y_col = columns[YEAR]
        n_idx = columns[NAME][0] if NAME in columns else None
        money = [(f, *columns[f], str(HEADER_OF[f]), f in NON_NEGATIVE_FIGURES) for f in MONEY_FIELDS]
        counts = [(f, *columns[f], str(HEADER_OF[f])) for f in COUNT_FIELDS]
        used = sorted(idx for idx, _letter in columns.values())
        width = used[-1] + 1
        cells = {key: (letter, idx) for key, (idx, letter) in columns.items()}
        # uncached formulas in the columns read: row -> [column index]
        formulas = {}
        if uncached:
            header_at = {idx: (letter, str(HEADER_OF[key])) for key, (idx, letter) in columns.items()}
            for r, cols in uncached.items():
                hit = sorted(c - 1 for c in cols if c - 1 in header_at)
                if hit:
                    formulas[r] = hit
        out = self.preview.rows
        error = self.error
        years = self.years
        quantize = Decimal.quantize

        for row_no, raw in enumerate(rows, start=2):
            if row_no > last_row:
                raise _Refusal(_too_many_rows(title, limit))
            if len(raw) < width:
                raw = tuple(raw) + (None,) * (width - len(raw))
            fx = formulas.get(row_no)
            if fx:
                for idx in fx:
                    letter, header = header_at[idx]
                    error(_("第%(row)s行第%(col)s列（%(header)s）是公式，没有计算结果，"
                            "请在表格软件中另存为数值后再导入。") % {"row": row_no, "col": letter, "header": header},
                          title, row_no, letter, header, sheet_idx, idx)
            if all(raw[i] is None or (raw[i].__class__ is str and not raw[i].strip()) for i in used):
                continue
            bad = bool(fx)

            # USCC
            uscc = raw[u_idx]
            if uscc is not None:
                uscc = str(uscc).strip().upper()
            if not uscc:
                if not (fx and u_idx in fx):   # an uncached formula is reported as such
                    error(_("统一社会信用代码不能为空。"), title, row_no, u_col, HEADER_OF[USCC], sheet_idx, u_idx)
                bad = True

            # Year
            year = raw[y_idx]
            if year is None or (year.__class__ is str and not year.strip()):
                if not (fx and y_idx in fx):
                    error(_("年度不能为空。"), title, row_no, y_col, HEADER_OF[YEAR], sheet_idx, y_idx)
                bad = True
            else:
                try:
                    if year.__class__ is str:
                        number = _to_decimal(year.strip().removesuffix("年"))
                    else:
                        number = _to_decimal(year)
                    if number != number.to_integral_value():
                        raise ValueError
                    year = int(number)
                except ValueError:
                    error(_("“%(value)s”不是有效的年度，应为四位数字的年份。") % {"value": _show(year)},
                          title, row_no, y_col, HEADER_OF[YEAR], sheet_idx, y_idx)
                    bad = True
                else:
                    if year not in years:
                        error(_("年度%(year)s不在允许的范围（%(lo)s—%(hi)s年）内。") % {
                            "year": year, "lo": self.year_lo, "hi": self.year_hi},
                            title, row_no, y_col, HEADER_OF[YEAR], sheet_idx, y_idx)
                        bad = True

            # Figures
            values = {}
            for f, idx, letter, header, non_negative in money:
                value = raw[idx]
                if value is None:
                    continue
                try:
                    number = _to_decimal(value)
                except ValueError:
                    if value.__class__ is str and not value.strip():
                        continue
                    error(_("“%(value)s”不是数字。") % {"value": _show(value)},
                          title, row_no, letter, header, sheet_idx, idx)
                    bad = True
                    continue
                number = quantize(number, CENT, ROUND_HALF_UP)
                if non_negative and number < 0:
                    error(_("%(label)s不能为负数。") % {"label": header}, title, row_no, letter, header,
                          sheet_idx, idx)
                    bad = True
                elif abs(number) >= MONEY_LIMIT:
                    error(_("%(value)s超出允许的范围（绝对值须小于1万亿万元）。") % {"value": _show(value)},
                          title, row_no, letter, header, sheet_idx, idx)
                    bad = True
                values[f] = number
            for f, idx, letter, header in counts:
                value = raw[idx]
                if value is None:
                    continue
                if value.__class__ is int:
                    number = value
                else:
                    try:
                        dec = _to_decimal(value)
                    except ValueError:
                        if value.__class__ is str and not value.strip():
                            continue
                        error(_("“%(value)s”不是数字。") % {"value": _show(value)},
                              title, row_no, letter, header, sheet_idx, idx)
                        bad = True
                        continue
                    if dec != dec.to_integral_value():
                        error(_("%(label)s必须是整数，“%(value)s”不是整数。") % {
                            "label": header, "value": _show(value)}, title, row_no, letter, header, sheet_idx, idx)
                        bad = True
                        continue
                    number = int(dec)
                if number < 0:
                    error(_("%(label)s不能为负数。") % {"label": header}, title, row_no, letter, header,
                          sheet_idx, idx)
                    bad = True
                elif number > COUNT_LIMIT:
                    error(_("%(value)s超出允许的范围。") % {"value": _show(value)},
                          title, row_no, letter, header, sheet_idx, idx)
                    bad = True
                values[f] = number

            if bad:
                continue
            key = (uscc, year)
            first = self.seen.get(key)
            if first is not None:
                where = (_("第%(row)s行") % {"row": first[1]} if first[0] == title else
                         _("工作表“%(sheet)s”第%(row)s行") % {"sheet": first[0], "row": first[1]})
                error(_("与%(where)s重复：同一企业（%(uscc)s）同一年度（%(year)s）只能有一行。") % {
                    "where": where, "uscc": uscc, "year": year},
                    title, row_no, y_col, HEADER_OF[YEAR], sheet_idx, y_idx)
                continue
            self.seen[key] = (title, row_no)
            name = raw[n_idx] if n_idx is not None else None
            out.append(ImportRow(title, row_no, uscc, year, values,
                                 name=str(name).strip() if name is not None else "", cells=cells))


_LAST_ROW = re.compile(r"(\d+)\s*$")
_FORMULA_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?f[\s/>]")   # <f>, <f t="shared" .../>, <x:f>


def _local(tag):
    return tag.split("}")[-1]


def _dimension_last_row(archive, part):
    """The last row of the sheet's <dimension ref="A1:O60001"/>, or None when it has none.

    Streams the part (iterparse reads 16 KiB at a time) and stops at <dimension> or at <sheetData>,
    which the schema puts after it."""
    with archive.open(part) as src:
        for _event, element in ET.iterparse(src, events=("start",)):
            tag = _local(element.tag)
            if tag == "dimension":
                found = _LAST_ROW.search(element.get("ref", ""))
                return int(found.group(1)) if found else None
            if tag == "sheetData":
                return None
    return None


_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]+)"')
_TEXT_RESULT = re.compile(rb'\st="str"')                  # a formula whose result is text
_CACHED_VALUE = re.compile(rb"<v(?:\s[^>]*)?>[^<]")     # a <v> with text (not <v/>, <v></v>)


def _uncached(text_result, has_value):
    """A formula cell without a cached value: no or an empty <v>; but an empty <v> of a t="str" cell
    is a formula whose result is the empty string, i.e. a blank."""
    return not has_value and not text_result


def _scan_formulas(xml, found):
    """Add to `found` the formula cells without a cached value among the whole rows in `xml`.

    A byte scan that looks only at the cells around each <f: False when it cannot decide (a prefixed
    element, a cell without an r attribute), and the caller parses the part instead."""
    for tag in _FORMULA_TAG.finditer(xml):
        if tag.group(1):
            return False
        start = xml.rfind(b"<c", 0, tag.start())
        head_end = xml.find(b">", start)
        close = xml.find(b"</c>", tag.end())
        attrs = xml[start + 2:head_end]
        ref = _CELL_REF.search(attrs)
        if start == -1 or close == -1 or ref is None:   # not inside a cell, or a cell without its place
            return False
        if _uncached(_TEXT_RESULT.search(attrs) is not None, _CACHED_VALUE.search(xml, head_end, close) is not None):
            found.setdefault(int(ref.group(2)), []).append(column_index_from_string(ref.group(1).decode()))
    return True


def _uncached_formulas(archive, part):
    """row -> [column numbers] of the sheet's formula cells without a cached value ({} for most sheets).

    Reads the whole part (so its CRC is checked: a corrupt part fails here, not halfway through the
    rows) in chunks cut after a </row>, and byte-scans them for <f; past </sheetData> nothing is
    scanned (extLst's <xm:f> are not cells).  Falls back to `_uncached_formulas_parsed` when the scan
    cannot decide."""
    found = {}
    carry = b""
    with archive.open(part) as src:
        while chunk := src.read(SCAN_CHUNK):
            xml = carry + chunk
            end = xml.find(b"</sheetData>")
            if end >= 0:
                while src.read(SCAN_CHUNK):   # the rest is read for its CRC check only
                    pass
                carry = xml[:end]
                break
            cut = xml.rfind(b"</row>")   # whole rows now, the rest with the next chunk
            if cut < 0:
                carry = xml
                continue
            cut += len(b"</row>")
            carry = xml[cut:]
            if not _scan_formulas(xml[:cut], found):
                return _uncached_formulas_parsed(archive, part)
    if not _scan_formulas(carry, found):
        return _uncached_formulas_parsed(archive, part)
    return found


def _uncached_formulas_parsed(archive, part):
    """`_uncached_formulas` by parsing the XML: rows and cells without an r attribute are counted
    the way openpyxl counts them; element prefixes do not matter."""
    found = {}
    row_no = 0
    with archive.open(part) as src:
        for _event, element in ET.iterparse(src):
            if _local(element.tag) != "row":
                continue
            ref = element.get("r")
            row_no = int(ref) if ref else row_no + 1
            col_no = 0
            for cell in element:
                ref = cell.get("r")
                if ref:
                    row, col_no = coordinate_to_tuple(ref)
                else:
                    row, col_no = row_no, col_no + 1
                children = {_local(child.tag): child.text for child in cell}
                if "f" in children and _uncached(cell.get("t") == "str", bool(children.get("v"))):
                    found.setdefault(row, []).append(col_no)
            element.clear()
    return found


def _too_large(total, limit_mb):
    message = _("文件解压后为%(size).1f MB，超过了%(limit)s MB的上限，未导入任何数据。"
                "请删除不需要的工作表、图片等内容，或分成几个文件分别导入。") % {
                    "size": total / 1024 / 1024, "limit": limit_mb}
    return ImportIssue(message)


def _open(file, limit):
    """Inspect the package, then open it with openpyxl (read-only, cached values).

    Before openpyxl parses anything but the package's directory, its manifest and workbook.xml:
    the unpacked size, each worksheet's <dimension>, and which cells are formulas without a cached
    value.  Returns (workbook, {sheet title: {row: [column numbers]}}); raises _Refusal when a bound
    is passed, anything else when the file is not a readable workbook."""
    if isinstance(file, (bytes, bytearray)):
        file = BytesIO(file)
    reader = ExcelReader(file, read_only=True, data_only=True)   # reads the zip's directory only
    archive = reader.archive
    try:
        limit_mb = max_uncompressed_mb()
        total = sum(info.file_size for info in archive.infolist())
        if total > limit_mb * 1024 * 1024:
            raise _Refusal(_too_large(total, limit_mb))
        reader.read_manifest()
        reader.read_workbook()
        parts = [(sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets()
                 if rel.target in reader.valid_files]
        for title, part in parts:
            last = _dimension_last_row(archive, part)
            if last is not None and last - 1 > limit:
                raise _Refusal(_too_many_rows(title, limit))
        uncached = {title: _uncached_formulas(archive, part) for title, part in parts}
        reader.read()
    except BaseException:
        archive.close()
        raise
    return reader.wb, uncached


def _lookup_firms(usccs):
    """uscc -> (pk, name) in one query: the whole (small) firm table when many codes are asked for."""
    qs = Enterprise.objects.order_by()
    if len(usccs) <= FETCH_ALL_THRESHOLD:
        qs = qs.filter(uscc__in=list(usccs))
    return {u: (pk, name) for u, pk, name in qs.values_list("uscc", "pk", "name").iterator(chunk_size=5000)
            if u in usccs}


STORED_FIELDS = ("id", "enterprise_id", "year", *FIGURE_FIELDS)


def _existing_records(keys, firm_ids, years, *, lock=False):
    """(enterprise_id, year) -> {field: value} of the stored records among `keys`, in one query."""
    if not keys:
        return {}
    qs = FiscalYearRecord.objects.order_by().filter(year__in=sorted(years))
    if len(firm_ids) <= FETCH_ALL_THRESHOLD:
        qs = qs.filter(enterprise_id__in=sorted(firm_ids))
    if lock and connection.features.has_select_for_update:
        qs = qs.select_for_update()
    found = {}
    for values in qs.values_list(*STORED_FIELDS):
        k = (values[1], values[2])
        if k in keys:
            found[k] = dict(zip(STORED_FIELDS, values))
    return found


def _record_ids(keys, firm_ids, years):
    """(enterprise_id, year) -> id for `keys` (just inserted), in one query."""
    qs = FiscalYearRecord.objects.order_by().filter(year__in=sorted(years))
    if len(firm_ids) <= FETCH_ALL_THRESHOLD:
        qs = qs.filter(enterprise_id__in=sorted(firm_ids))
    return {(e, y): pk for pk, e, y in qs.values_list("id", "enterprise_id", "year") if (e, y) in keys}


def _changes(stored, values):
    return any(stored[f] != v for f, v in values.items())


def parse_workbook(file, years=None):
    """Read the workbook (path, file object or bytes) and check every row; returns an ImportPreview.

    Nothing is written. `years` is the allowed window, a range (default 2000..this year)."""
    years = default_years() if years is None else years
    preview = ImportPreview()
    parser = _SheetParser(preview, years)
    limit = max_rows()
    try:
        book, uncached = _open(file, limit)
    except _Refusal as refusal:
        preview.refuse(refusal.issue)
        return preview
    except Exception:   # BadZipFile, bad CRC, zlib.error, XML ParseError, InvalidFileException, KeyError...
        preview.refuse(_unreadable())
        return preview
    try:
        for sheet_idx, ws in enumerate(book.worksheets):
            parser.parse_sheet(ws, sheet_idx, uncached.get(ws.title), limit)
    except _Refusal as refusal:   # a sheet passed the row limit that its <dimension> did not show
        preview.refuse(refusal.issue)
        return preview
    except Exception:
        preview.refuse(_broken())
        return preview
    finally:
        book.close()

    if not preview.sheets and not preview.errors:
        preview.errors.append(ImportIssue(
            _("没有找到数据表：工作表的第1行应为列名（%(cols)s）。") % {"cols": "、".join(TEMPLATE_COLUMNS)}))

    rows = preview.rows
    if rows:
        firms = _lookup_firms({r.uscc for r in rows})
        known = []
        for r in rows:
            hit = firms.get(r.uscc)
            letter, idx = r.cells[USCC]
            sheet_idx = parser.sheet_of[r.sheet]
            if hit is None:
                try:
                    validate_uscc(r.uscc)
                except ValidationError as exc:   # say why the code itself is wrong
                    message = exc.messages[0]
                else:
                    message = _("统一社会信用代码“%(uscc)s”在系统中不存在，请先登记该企业或核对代码。") % {
                        "uscc": r.uscc}
                parser.error(message, r.sheet, r.row, letter, HEADER_OF[USCC], sheet_idx, idx)
                continue
            r.enterprise_id, r.enterprise_name = hit
            if r.name and r.name != r.enterprise_name:
                preview.warnings.append(ImportIssue(
                    _("企业名称“%(file)s”与系统中的“%(db)s”不一致（以统一社会信用代码为准）。") % {
                        "file": _show(r.name), "db": r.enterprise_name},
                    r.sheet, r.row, r.cells[NAME][0], HEADER_OF[NAME], (sheet_idx, r.row, r.cells[NAME][1])))
            known.append(r)

        keys = {(r.enterprise_id, r.year) for r in known}
        existing = _existing_records(keys, {r.enterprise_id for r in known}, {r.year for r in known})
        for r in known:
            record = existing.get((r.enterprise_id, r.year))
            if record is None:
                merged = r.values
                r.action = "create"
            else:
                merged = {**record, **r.values}
                r.action = "update" if _changes(record, r.values) else "unchanged"
            for f, message in FiscalYearRecord.figure_errors(merged).items():
                letter, idx = r.cells[f]
                if f not in r.values:   # the offending figure is the stored one
                    message = str(message) + _("（该项未填写，系统中已有的数值与本行其他数据矛盾）")
                parser.error(str(message), r.sheet, r.row, letter, HEADER_OF[f], parser.sheet_of[r.sheet], idx)

    if not preview.errors and not rows:
        preview.errors.append(ImportIssue(_("文件中没有数据行。")))
    preview.errors.sort(key=lambda e: e.order)
    preview.warnings.sort(key=lambda e: e.order)
    return preview


# ------------------------------------------------------------------------------------------------
# Commit
# ------------------------------------------------------------------------------------------------

@dataclass
class CommitResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def commit(preview, user, *, change_reason="Excel导入"):
    """Write a checked preview: all rows or nothing, with one history row per created or changed record.

    Equivalent to simple-history's bulk_create_with_history / bulk_update_with_history with
    default_user=user, but written as plain parameterised INSERT/UPDATE statements run with
    executemany (execute_values/execute_batch on psycopg2): Django's bulk_create/bulk_update spend
    most of their time compiling SQL, which made the import three times slower (bench/import_xlsx.py).
    """
    if preview.errors:
        raise ImportRefused(_("导入内容有%(n)s处错误，未写入任何数据。") % {"n": len(preview.errors)})
    if not preview.rows:
        raise ImportRefused(_("文件中没有数据行。"))
    rows = preview.rows
    if any(r.enterprise_id is None for r in rows):
        raise ImportRefused(_("预览未完成企业核对，请重新上传。"))
    result = CommitResult()
    writer = _Writer(user, change_reason)
    with transaction.atomic():
        # Re-read the records inside the transaction (locked where the database can), so a record
        # edited or created since the preview is updated rather than overwritten or duplicated.
        firm_ids, years = {r.enterprise_id for r in rows}, {r.year for r in rows}
        existing = _existing_records({(r.enterprise_id, r.year) for r in rows}, firm_ids, years, lock=True)
        new, changed = [], []
        for r in rows:
            stored = existing.get((r.enterprise_id, r.year))
            if stored is None:
                new.append(r)
            elif _changes(stored, r.values):
                stored.update(r.values)
                changed.append(stored)
            else:
                result.unchanged += 1
        with connection.cursor() as cursor:
            if new:
                writer.insert_records(cursor, new)
                ids = _record_ids({(r.enterprise_id, r.year) for r in new}, {r.enterprise_id for r in new},
                                  {r.year for r in new})
                writer.insert_history(cursor, [{**dict.fromkeys(FIGURE_FIELDS), **r.values, "year": r.year,
                                                "enterprise_id": r.enterprise_id,
                                                "id": ids[(r.enterprise_id, r.year)]} for r in new], "+")
                result.created = len(new)
            if changed:
                writer.update_records(cursor, changed)
                writer.insert_history(cursor, changed, "~")
                result.updated = len(changed)
        # once committed, the firms written are re-evaluated in one batch (nothing if rolled back)
        mark_stale({r.enterprise_id for r in new} | {s["enterprise_id"] for s in changed},
                   {r.year for r in new} | {s["year"] for s in changed})
    return result


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    """A value in PostgreSQL's COPY text format (the tables written hold numbers, text and timestamps,
    whose str() PostgreSQL reads back)."""
    if value is None:
        return "\\N"
    return str(value).translate(_COPY_ESCAPES)


class _Writer:
    """Plain SQL for the record table and its simple-history table."""

    def __init__(self, user, change_reason):
        from simple_history.utils import get_history_model_for_model

        self.qn = connection.ops.quote_name
        self.now = timezone.now()
        self.history_enabled = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        meta = FiscalYearRecord._meta
        self.table = meta.db_table
        self.stamp = meta.get_field("updated_at").get_db_prep_save(self.now, connection)
        self.record_columns = ["enterprise_id", "year", *FIGURE_FIELDS, "updated_at"]
        history = get_history_model_for_model(FiscalYearRecord)
        self.history_table = history._meta.db_table
        tracked = {f.attname for f in history.tracked_fields}
        fixed = {
            "history_date": history._meta.get_field("history_date").get_db_prep_save(self.now, connection),
            "history_change_reason": change_reason,
            "history_user_id": getattr(user, "pk", None),
        }
        self.history_columns, self.history_fixed = [], []
        for f in history._meta.concrete_fields:
            if f.primary_key and f.attname not in tracked:   # history_id: assigned by the database
                continue
            if f.attname in tracked:
                self.history_columns.append(f.column)
                self.history_fixed.append(None)
            elif f.attname in fixed or f.attname == "history_type":
                self.history_columns.append(f.column)
                self.history_fixed.append(f.attname)
            else:
                raise ImproperlyConfigured(f"fiscal year import: unexpected history field {f.attname}")
        self.history_fixed_values = fixed

    def _psycopg2(self, cursor):
        """The raw psycopg2 cursor when on PostgreSQL with psycopg2 (COPY is used there), else None."""
        raw = cursor.cursor
        return raw if type(raw).__module__.startswith("psycopg2") else None

    def _copy(self, raw, table, columns, params):
        buffer = StringIO()
        write = buffer.write
        for row in params:
            write("\t".join([_copy_text(v) for v in row]))
            write("\n")
        buffer.seek(0)
        cols = ", ".join(self.qn(c) for c in columns)
        raw.copy_expert(f"COPY {self.qn(table)} ({cols}) FROM STDIN", buffer)

    def _insert(self, cursor, table, columns, params):
        raw = self._psycopg2(cursor)
        if raw is not None:
            self._copy(raw, table, columns, params)
            return
        cols = ", ".join(self.qn(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {self.qn(table)} ({cols}) VALUES ({marks})", params)

    def insert_records(self, cursor, rows):
        stamp, fields = self.stamp, FIGURE_FIELDS
        params = [(r.enterprise_id, r.year, *[r.values.get(f) for f in fields], stamp) for r in rows]
        self._insert(cursor, self.table, self.record_columns, params)

    def update_records(self, cursor, stored):
        qn, qn_table, stamp = self.qn, self.qn(self.table), self.stamp
        fields = (*FIGURE_FIELDS, "updated_at")
        params = [(s["id"], *[s[f] for f in FIGURE_FIELDS], stamp) for s in stored]
        raw = self._psycopg2(cursor)
        if raw is not None:
            # COPY the new values into a temporary table, then one UPDATE ... FROM.
            scratch = "fiscal_year_import_scratch"
            cols = ", ".join(qn(c) for c in ("id", *fields))
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{scratch}")
            cursor.execute(f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS "
                           f"SELECT {cols} FROM {qn_table} WITH NO DATA")
            self._copy(raw, scratch, ("id", *fields), params)
            sets = ", ".join(f"{qn(f)} = s.{qn(f)}" for f in fields)
            cursor.execute(f"UPDATE {qn_table} AS t SET {sets} FROM {scratch} AS s WHERE t.{qn('id')} = s.{qn('id')}")
            cursor.execute(f"DROP TABLE pg_temp.{scratch}")
            return
        sets = ", ".join(f"{qn(f)} = %s" for f in fields)
        cursor.executemany(f"UPDATE {qn_table} SET {sets} WHERE {qn('id')} = %s",
                           [(*row[1:], row[0]) for row in params])

    def insert_history(self, cursor, stored, history_type):
        if not self.history_enabled:
            return
        fixed = {**self.history_fixed_values, "history_type": history_type}
        template = [fixed[k] if k is not None else None for k in self.history_fixed]
        slots = [i for i, k in enumerate(self.history_fixed) if k is None]
        names = [self.history_columns[i] for i in slots]
        stamp = self.stamp
        params = []
        for s in stored:
            values = list(template)
            for i, name in zip(slots, names):
                values[i] = stamp if name == "updated_at" else s[name]
            params.append(values)
        self._insert(cursor, self.history_table, self.history_columns, params)


# --- Imports of one template of named columns (recognitions, training attendance) -------------------

def cell_text(value):
    """A cell as the text a person typed: 2023.0 reads "2023", blanks read ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass(frozen=True)
class Template:
    """A workbook template of named columns: [(header, key)] and the keys every row must fill."""

    spec: tuple
    required: tuple

    @property
    def columns(self):
        return [h for h, _k in self.spec]

    @property
    def header_of(self):
        return {k: h for h, k in self.spec}

    @property
    def key_of_header(self):
        return {_norm_header(h): k for h, k in self.spec}


class SheetErrors:
    """Errors of one sheet, each naming its row and the column's letter and header."""

    def __init__(self, preview, ws, sheet_idx, template):
        self.preview, self.title, self.idx, self.template = preview, ws.title, sheet_idx, template
        self.cells = set()

    def error(self, message, row, key, columns):
        """One message per cell, the first: a formula without a value is not also "empty". A message
        about a column the sheet lacks has no letter and comes first in its row."""
        if (row, key) in self.cells:
            return
        self.cells.add((row, key))
        letter, col = columns.get(key, ("", -1))
        self.preview.errors.append(ImportIssue(str(message), self.title, row, letter,
                                               self.template.header_of[key], (self.idx, row, col)))


def template_rows(preview, ws, sheet_idx, uncached, limit, template):
    """The data rows of one sheet: None when its first row holds none of the template's headers, else
    (sheet, columns, rows), rows yielding (row_no, cells by key, bad) for every row not blank, `bad`
    when a cell is a formula without a stored value (already reported). A missing required column is
    reported and gives no rows; more rows than `limit` refuse the whole workbook."""
    sheet = SheetErrors(preview, ws, sheet_idx, template)
    ws.reset_dimensions()
    rows = ws.iter_rows(values_only=True)   # lazily: one row past the limit refuses
    header = next(rows, None) or ()
    columns, key_of_header = {}, template.key_of_header
    for idx, value in enumerate(header):
        key = key_of_header.get(_norm_header(value))
        if key is not None and key not in columns:
            columns[key] = (get_column_letter(idx + 1), idx)
    if not columns:
        return None
    missing = [k for k in template.required if k not in columns]
    for key in missing:
        sheet.error(_("缺少必填列“%(header)s”，请使用导入模板的列名。") % {"header": template.header_of[key]},
                    1, key, columns)

    def data():
        if missing:
            return
        formulas = uncached or {}
        for row_no, raw in enumerate(rows, start=2):
            if row_no > limit + 1:
                raise _Refusal(_too_many_rows(ws.title, limit))
            cell = {k: (raw[i] if i < len(raw) else None) for k, (_letter, i) in columns.items()}
            if all(cell_text(v) == "" for v in cell.values()):
                continue
            uncached_cols = formulas.get(row_no, ())
            bad = [k for k, (_l, i) in columns.items() if i + 1 in uncached_cols]
            for key in bad:
                sheet.error(_("该单元格是公式，没有计算结果，请在表格软件中另存为数值后再导入。"), row_no, key, columns)
            yield row_no, cell, bool(bad)

    return sheet, columns, data()


def read_template_workbook(preview, file, template, parse_sheet, match):
    """Open `file`, check every sheet with parse_sheet(preview, ws, idx, uncached, limit, seen) (True
    when the sheet had the template's headers), then match(preview); refusals and unreadable files
    leave one error and no rows. Nothing is written."""
    limit = max_rows()
    try:
        book, uncached = _open(file, limit)
    except _Refusal as refusal:
        preview.errors = [refusal.issue]
        return preview
    except Exception:   # not a zip, corrupt parts, broken XML…
        preview.errors = [_unreadable()]
        return preview
    found, seen = False, {}
    try:
        for idx, ws in enumerate(book.worksheets):
            found = parse_sheet(preview, ws, idx, uncached.get(ws.title), limit, seen) or found
    except _Refusal as refusal:
        preview.errors, preview.rows = [refusal.issue], []
        return preview
    except Exception:
        preview.errors, preview.rows = [_broken()], []
        return preview
    finally:
        book.close()
    if not found:
        preview.errors.append(ImportIssue(_("没有找到数据表：工作表的第1行应为列名（%(cols)s）。") % {
            "cols": "、".join(template.columns)}))
    match(preview)
    if not preview.errors and not preview.rows:
        preview.errors.append(ImportIssue(_("文件中没有数据行。")))
    preview.errors.sort(key=lambda e: e.order)
    return preview
