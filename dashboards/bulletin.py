"""季度信息通报: a quarter's bulletin as plain data, which the page, the PDF and the XLSX all render.

What a quarter holds:

- the header (title, year and quarter, the date issued);
- every target of the plan period at the quarter's end. Targets count whole years (an annual
  target is the year's figure, a cumulative one the period up to that year), so a quarter's
  bulletin shows its year's figures as they stand: `services.progress(period, year, user)`;
- what changed in the quarter, with the same counts for the previous quarter beside them: new
  titles, pool admissions and moves out (with their reason);
- the towns ranked by the town assessment (专项考核) for the quarter's year as it stands;
- the notable events staff picked for the quarter.

Scope: the bulletin is a circular within government, but everything in it is counted for the
viewer (`visible_to`, and `progress` caches per scope): county readers (staff, leaders, member
units) get the county's bulletin; a town officer gets the same bulletin for its town (its figures,
its firms, the events that name no firm or a firm of its town), except the town ranking, which
the assessment makes county-wide on purpose (counts only, no firm's name).

Nothing here takes a request; the views (dashboards/views/bulletin.py) call `gather`.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from criteria.admission.models import PoolMembership
from enterprises.models import Enterprise, Level, Recognition, RecognitionKind

from . import assessment, services
from .models import NotableEvent, PlanPeriod, TargetKind, TargetState

TITLE = "金湖县专精特新企业培育工作季度信息通报"
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass(frozen=True)
class Quarter:
    year: int
    n: int

    @property
    def start(self):
        return date(self.year, 3 * self.n - 2, 1)

    @property
    def end(self):
        nxt = date(self.year + 1, 1, 1) if self.n == 4 else date(self.year, 3 * self.n + 1, 1)
        return nxt - timedelta(days=1)

    @property
    def previous(self):
        return Quarter(self.year - 1, 4) if self.n == 1 else Quarter(self.year, self.n - 1)

    @property
    def slug(self):
        return f"{self.year}Q{self.n}"

    @property
    def label(self):
        return f"{self.year}年{QUARTER_NAMES[self.n]}"

    @property
    def started(self):
        return self.start <= timezone.localdate()


def parse(year, n):
    """The quarter and its plan period, or None when the quarter is not 1–4 or no plan period
    contains the year (the views answer 404 then)."""
    if n not in QUARTER_NAMES:
        return None
    period = services.period_for(year)
    if period is None:
        return None
    return Quarter(year, n), period


def quarters_by_period():
    """For the index: each plan period with its years and their four quarters."""
    return [{"period": p, "years": [{"year": y, "quarters": [Quarter(y, n) for n in QUARTER_NAMES]}
                                    for y in p.years]}
            for p in PlanPeriod.objects.all()]


def latest_quarter():
    """The last quarter that has ended (or the current one if none has), within a plan period."""
    today = timezone.localdate()
    q = Quarter(today.year, (today.month - 1) // 3 + 1).previous
    return q if services.period_for(q.year) else None


# ---- The quarter's changes ---------------------------------------------------------------------

def titles_in(quarter, user):
    """Recognitions granted inside the quarter.

    A recognition is placed by `granted_on`; one recorded without a date (only its `year` is known)
    is read as granted in the fourth quarter of that year, so it is reported once, in Q4, and never
    in Q1–Q3.
    """
    in_quarter = Q(granted_on__range=(quarter.start, quarter.end))
    if quarter.n == 4:
        in_quarter |= Q(granted_on__isnull=True, year=quarter.year)
    return Recognition.objects.visible_to(user).filter(in_quarter)


def admissions_in(quarter, user):
    return PoolMembership.objects.visible_to(user).filter(admitted_on__range=(quarter.start, quarter.end))


def moves_out_in(quarter, user):
    return PoolMembership.objects.visible_to(user).filter(left_on__range=(quarter.start, quarter.end))


def _label(choices, value):
    return str(dict(choices).get(value, value or ""))


def _title_rows(quarter, user):
    rows = (titles_in(quarter, user).select_related("enterprise__town", "product")
            .order_by("granted_on", "enterprise__name", "kind"))
    return [{"enterprise": r.enterprise.name, "enterprise_id": r.enterprise_id, "town": r.enterprise.town.name,
             "kind": _label(RecognitionKind.choices, r.kind), "level": _label(Level.choices, r.level),
             "year": r.year, "product": r.product.name if r.product else "", "granted_on": r.granted_on,
             "document": r.document}
            for r in rows]


def _admission_rows(quarter, user):
    rows = (admissions_in(quarter, user).select_related("enterprise__town", "round")
            .order_by("admitted_on", "enterprise__name"))
    return [{"enterprise": m.enterprise.name, "enterprise_id": m.enterprise_id, "town": m.enterprise.town.name,
             "date": m.admitted_on, "round": m.round.title if m.round else ""}
            for m in rows]


def _move_out_rows(quarter, user):
    rows = moves_out_in(quarter, user).select_related("enterprise__town").order_by("left_on", "enterprise__name")
    return [{"enterprise": m.enterprise.name, "enterprise_id": m.enterprise_id, "town": m.enterprise.town.name,
             "date": m.left_on, "reason": m.leave_reason}
            for m in rows]


def changes(quarter, user):
    """The quarter's lists, and the counts of this quarter against the previous one."""
    prev = quarter.previous
    titles, admissions, moves_out = (_title_rows(quarter, user), _admission_rows(quarter, user),
                                     _move_out_rows(quarter, user))
    summary = [
        {"key": "titles", "label": _("新获认定"), "unit": _("项"), "now": len(titles),
         "previous": titles_in(prev, user).count()},
        {"key": "admissions", "label": _("新入库企业"), "unit": _("家"), "now": len(admissions),
         "previous": admissions_in(prev, user).count()},
        {"key": "moves_out", "label": _("移出培育库"), "unit": _("家"), "now": len(moves_out),
         "previous": moves_out_in(prev, user).count()},
    ]
    for row in summary:
        row["change"] = row["now"] - row["previous"]
    return {"summary": summary, "titles": titles, "admissions": admissions, "moves_out": moves_out}


# ---- Towns -------------------------------------------------------------------------------------

def towns(quarter, period, user):
    """The town assessment's ranking (专项考核, dashboards/assessment.py) for the quarter's year as it
    stands: weighted indicators, score and rank per town, street and the development zone.

    The ranking is county-wide for every reader, a town officer included (it is measured against the
    other towns, and the assessment shows counts only, never a firm's name)."""
    found = assessment.table(period, quarter.year, user)
    shown = [k for k, i in enumerate(found["indicators"]) if i["available"]]
    return {"indicators": [{"label": str(found["indicators"][k]["label"]), "weight": found["indicators"][k]["weight"]}
                           for k in shown],
            "rows": [{"rank": row["rank"], "town": row["town"].name, "score": row["score"],
                      "values": [row["values"][k] for k in shown]} for row in found["rows"]]}


# ---- Events ------------------------------------------------------------------------------------

def events(quarter, user):
    """Notable events dated inside the quarter; a town officer sees those naming no firm or one of
    its firms."""
    qs = NotableEvent.objects.filter(date__range=(quarter.start, quarter.end)).select_related("enterprise")
    qs = qs.filter(Q(enterprise__isnull=True) | Q(enterprise__in=Enterprise.objects.visible_to(user)))
    return [{"date": e.date, "title": e.title, "detail": e.detail,
             "enterprise": e.enterprise.name if e.enterprise else ""} for e in qs.order_by("date", "pk")]


# ---- Targets -----------------------------------------------------------------------------------

def targets(period, quarter, user):
    """Every target at the quarter's end, as words and numbers (whole years: see the module's note)."""
    state_labels = dict(TargetState.choices)
    kind_labels = dict(TargetKind.choices)
    rows = []
    for row in services.progress(period, quarter.year, user):
        t = row["target"]
        rows.append({"code": t.code, "name": t.name, "kind": str(kind_labels[t.kind]), "figure": row["figure"],
                     "unit": t.unit, "goal": t.goal_text, "state": row["state"],
                     "state_label": str(state_labels[row["state"]]), "previous": row["previous"],
                     "change": row["change"], "responsible": "、".join(t.responsible_labels),
                     "counted": (f"{quarter.year}年" if t.kind == TargetKind.ANNUAL
                                 else f"{period.start_year}—{quarter.year}年")})
    return rows


def scope_label(user):
    """“全县”, or the town a town officer's bulletin is counted for."""
    from jinhu_portal.roles import Role, role_of

    scope = getattr(user, "scope", None)
    if role_of(user) == Role.TOWN_OFFICER and scope and scope.town_id:
        return scope.town.name
    return _("全县")


def gather(quarter, period, user, issued=None):
    """Everything a quarter's bulletin shows, as plain data (dicts, lists, numbers, dates)."""
    return {
        "title": TITLE,
        "quarter": quarter,
        "period": period,
        "issued": issued or timezone.localdate(),
        "scope": scope_label(user),
        "targets": targets(period, quarter, user),
        "changes": changes(quarter, user),
        "towns": towns(quarter, period, user),
        "events": events(quarter, user),
    }


# ---- PDF and XLSX ------------------------------------------------------------------------------

def render_pdf(data):
    """PDF bytes of the bulletin (WeasyPrint, as the dossier: the same font check, the same refusal
    in Chinese when the server cannot draw Chinese); raises criteria.dossier.PdfUnavailable."""
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string

    from criteria.dossier import PdfUnavailable, font_family, pdf_problem

    problem = pdf_problem()
    if problem:
        raise PdfUnavailable(problem)
    from weasyprint import CSS, HTML

    html = render_to_string("dashboards/bulletin_pdf.html", {"b": data, "pdf": True})
    stylesheets = [CSS(filename=finders.find("css/bulletin-print.css")),
                   CSS(string=f'html, body {{ font-family: "{font_family()}", sans-serif; }}')]
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(stylesheets=stylesheets)
    if not document.pages:
        raise PdfUnavailable(_("PDF 生成失败：未生成任何页面，请联系管理员。"))
    return document.write_pdf()


def _signed(n):
    return "" if n is None else (f"+{n}" if n > 0 else str(n))


def xlsx_bytes(data):
    """The bulletin as a workbook: one sheet per section, text cells guarded against formulas."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from enterprises.xlsx_export import safe_cell

    book = Workbook()
    q = data["quarter"]
    sheets = [
        (_("目标进展"), [_("序号"), _("目标"), _("类型"), _("统计年度"), _("完成数"), _("单位"), _("目标值"),
                      _("状态"), _("较上年"), _("责任单位")],
         [[i, t["name"], t["kind"], t["counted"], t["figure"], t["unit"], t["goal"], t["state_label"],
           _signed(t["change"]), t["responsible"]] for i, t in enumerate(data["targets"], start=1)]),
        (_("本季度变化"), [_("事项"), _("本季度"), _("上季度"), _("增减"), _("单位")],
         [[s["label"], s["now"], s["previous"], _signed(s["change"]), s["unit"]]
          for s in data["changes"]["summary"]]),
        (_("新获认定"), [_("企业"), _("所属镇街"), _("认定类型"), _("级别"), _("认定年度"), _("产品"), _("认定日期"),
                      _("认定文件")],
         [[r["enterprise"], r["town"], r["kind"], r["level"], r["year"], r["product"], r["granted_on"],
           r["document"]] for r in data["changes"]["titles"]]),
        (_("新入库企业"), [_("企业"), _("所属镇街"), _("入库日期"), _("入库批次")],
         [[r["enterprise"], r["town"], r["date"], r["round"]] for r in data["changes"]["admissions"]]),
        (_("移出培育库"), [_("企业"), _("所属镇街"), _("出库日期"), _("出库原因")],
         [[r["enterprise"], r["town"], r["date"], r["reason"]] for r in data["changes"]["moves_out"]]),
        (_("镇街排名"), [_("名次"), _("镇（街道、开发区）"), *[i["label"] for i in data["towns"]["indicators"]],
                      _("得分")],
         [[r["rank"], r["town"], *r["values"], float(r["score"])] for r in data["towns"]["rows"]]),
        (_("重要事项"), [_("日期"), _("事项"), _("相关企业"), _("说明")],
         [[e["date"], e["title"], e["enterprise"], e["detail"]] for e in data["events"]]),
    ]
    first = book.active
    first.title = _("通报")
    header = ([data["title"]], [_("季度"), q.label], [_("范围"), data["scope"]], [_("印发日期"), data["issued"]],
              [_("规划期"), str(data["period"])])
    for r, row in enumerate(header, start=1):
        for c, value in enumerate(row, start=1):
            cell = safe_cell(first.cell(row=r, column=c), value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    first.column_dimensions["A"].width = 14
    first.column_dimensions["B"].width = 40
    first["A1"].font = Font(bold=True, size=14)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(str(title)[:31])
        sheet.append([str(h) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = safe_cell(sheet.cell(row=r, column=c), value)
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
        for column, width in zip("ABCDEFGHIJ", (10, 40, 12, 14, 10, 8, 12, 10, 10, 30)):
            sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
