"""一企一册: everything the portal holds about one firm, for its dossier page, the same content as a PDF,
and the PDFs one by one for the pool's ZIP (made by a background job, criteria/jobs.py).

The firm and every list the dossier shows come from one queryset with prefetches, so a dossier costs
the same number of queries whatever the length of the firm's history (tests pin it). Nothing here
takes a request: the views call these functions, and so could a management command or a task queue.

PDFs are drawn by WeasyPrint, which runs no JavaScript: the ECharts trend charts of the page become
small SVG bar charts drawn here. WeasyPrint falls back to a font without Chinese glyphs when the
Chinese font is missing and would write a PDF of empty boxes, so `pdf_problem()` checks fontconfig
first (`fc-list :lang=zh`) and the views answer with a clear Chinese message instead.
"""
import functools
import logging
import re
import subprocess
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.models import (
    BadRecord,
    Enterprise,
    FiscalYearRecord,
    IPItem,
    PoolStatus,
    Product,
    ProductRevenue,
    Recognition,
)
from enterprises.services import change_history
from jinhu_portal.templatetags.portal_format import format_number, person_name

from .admission.models import (
    CultivationPlan,
    Declaration,
    DeclarationEvent,
    PlanItem,
    PlanProgress,
    PoolMembership,
    RecommendationEntry,
    Verification,
)
from .models import CriterionOutcome, Tier, TierOutcome
from .models.evaluations import Result, Verdict

logger = logging.getLogger(__name__)

DEFAULT_FONT = "WenQuanYi Zen Hei"
FONT_LABEL = "文泉驿正黑"

# The sections, in order: their anchors make the table of contents, the tests look for them.
SECTIONS = (
    ("profile", gettext_lazy("基本信息")),
    ("figures", gettext_lazy("年度财务数据")),
    ("products", gettext_lazy("主导产品")),
    ("records", gettext_lazy("知识产权与创新记录")),
    ("pool", gettext_lazy("培育库记录")),
    ("declarations", gettext_lazy("申报与审核记录")),
    ("results", gettext_lazy("对标评价结果")),
    ("plans", gettext_lazy("培育计划")),
    ("recognitions", gettext_lazy("认定荣誉")),
    ("recommendations", gettext_lazy("推荐名单")),
    ("services", gettext_lazy("企业服务")),      # drawn by services' template tag (services_dossier)
    ("history", gettext_lazy("变更记录")),
)
# The small trend charts: one per figure, the last CHART_YEARS years.
CHART_FIGURES = ("operating_revenue", "main_business_revenue", "total_profit", "taxes_paid", "rd_expense",
                 "employees")
CHART_YEARS = 8
YEARS_PER_TABLE = 6          # the yearly figures, figures down, years across, in tables of six years
HISTORY_LIMIT = 30          # the newest changes (enterprises.services.change_history) a dossier lists
ZIP_CHUNK = 20


class PdfUnavailable(Exception):
    """The PDF cannot be made on this server; the message is for the person asking (Chinese)."""


# ---- Gathering --------------------------------------------------------------------------------

def dossier_queryset(user=None):
    """Firms (within the user's scope; None = all, for commands and benchmarks) with everything the
    dossier shows prefetched: one query per kind of record, whatever its length."""
    base = Enterprise.objects.all() if user is None else Enterprise.objects.visible_to(user)
    products = Product.objects.order_by("name", "pk").prefetch_related(
        Prefetch("revenues", queryset=ProductRevenue.objects.order_by("year")))
    declarations = Declaration.objects.select_related("round").order_by("round__opens_on", "pk").prefetch_related(
        Prefetch("events", queryset=DeclarationEvent.objects.select_related("actor").order_by("at", "id")))
    outcomes = (TierOutcome.objects.filter(is_latest=True).select_related("edition", "run")
                .prefetch_related(Prefetch("rows", to_attr="gap_rows",
                                           queryset=CriterionOutcome.objects.exclude(result=Result.MET).order_by("id"))))
    plans = CultivationPlan.objects.select_related("created_by").order_by("-created_on", "pk").prefetch_related(
        Prefetch("items", queryset=PlanItem.objects.select_related("owner").order_by("position", "pk")),
        Prefetch("progress", queryset=PlanProgress.objects.order_by("evaluated_at", "pk")))
    entries = (RecommendationEntry.objects.select_related("recommendation_list", "recognition")
               .order_by("-recommendation_list__year", "recommendation_list__tier", "-recommendation_list__version"))
    return base.select_related("town", "tracking_officer__scope").prefetch_related(
        "industry_tags",
        Prefetch("fiscal_years", queryset=FiscalYearRecord.objects.order_by("year")),
        Prefetch("products", queryset=products),
        Prefetch("ipitems", queryset=IPItem.objects.select_related("product").order_by("ip_type", "number", "pk")),
        "rdinstitutions", "brands", "certifications", "standards", "informationsystems", "competitions",
        Prefetch("badrecords", queryset=BadRecord.objects.order_by("-date", "pk")),
        Prefetch("recognitions", queryset=Recognition.objects.select_related("product").order_by("-year", "kind", "pk")),
        Prefetch("pool_memberships", queryset=PoolMembership.objects.select_related("round").order_by("admitted_on", "pk")),
        Prefetch("verifications", queryset=Verification.objects.select_related("round", "decided_by")
                 .order_by("round__closes_on", "pk")),
        Prefetch("declarations", queryset=declarations),
        Prefetch("tier_outcomes", queryset=outcomes, to_attr="latest_outcomes"),
        Prefetch("cultivation_plans", queryset=plans),
        Prefetch("recommendation_entries", queryset=entries),
    )


def gather(firm, *, with_history=False, viewer=None):
    """The template context of one dossier; `firm` comes from `dossier_queryset`. `viewer` is the user
    reading it (None for commands and staff's ZIP): the services section scopes requests by it."""
    years = list(firm.fiscal_years.all())
    officer = firm.tracking_officer
    scope = getattr(officer, "scope", None) if officer is not None else None
    return {
        "enterprise": firm,
        "sections": [(key, label) for key, label in SECTIONS if with_history or key != "history"],
        "tracking_officer": person_name(officer),
        "tracking_phone": getattr(scope, "phone", ""),
        "figure_tables": figure_tables(years),
        "charts": charts(years),
        "products": list(firm.products.all()),
        "ipitems": list(firm.ipitems.all()),
        "memberships": list(firm.pool_memberships.all()),
        "verifications": list(firm.verifications.all()),
        "declarations": list(firm.declarations.all()),
        "tiers": tier_results(firm),
        "plans": plan_summaries(firm),
        "recognitions": list(firm.recognitions.all()),
        "entries": list(firm.recommendation_entries.all()),
        "history": change_history(firm, HISTORY_LIMIT) if with_history else None,
        "with_history": with_history,
        "viewer": viewer,
        "generated_at": timezone.localtime(),
    }


def figure_tables(years):
    """The yearly figures with figures down and years across, six years to a table (A4 width)."""
    labels = FiscalYearRecord.figure_labels()
    tables = []
    for start in range(0, len(years), YEARS_PER_TABLE):
        chunk = years[start:start + YEARS_PER_TABLE]
        rows = []
        for name in FiscalYearRecord.FIGURES:
            count = name in FiscalYearRecord.COUNT_FIGURES
            rows.append({"name": name, "label": labels[name], "unit": str(FiscalYearRecord.figure_unit(name)),
                         "values": [format_number(getattr(fy, name), None if count else 2) for fy in chunk]})
        tables.append({"years": [fy.year for fy in chunk], "rows": rows})
    return tables


def charts(years):
    """One small chart per figure in CHART_FIGURES over the last CHART_YEARS years: the data the page's
    ECharts read (json_script) and the SVG the PDF shows."""
    labels = FiscalYearRecord.figure_labels()
    recent = years[-CHART_YEARS:]
    out = []
    for name in CHART_FIGURES:
        points = [(fy.year, getattr(fy, name)) for fy in recent]
        if all(v is None for _y, v in points):
            continue
        count = name in FiscalYearRecord.COUNT_FIGURES
        unit = str(FiscalYearRecord.figure_unit(name))
        out.append({"name": name, "label": labels[name], "unit": unit,
                    "years": [y for y, _v in points],
                    "values": [None if v is None else float(v) for _y, v in points],
                    "svg": bar_chart_svg(points, 0 if count else 2)})
    return out


def bar_chart_svg(points, places, width=240, height=110):
    """A bar per year, its value above (below for a negative one) and the year under the axis."""
    top, bottom = 14, 16
    values = [float(v) for _y, v in points if v is not None]
    high, low = max(values + [0.0]), min(values + [0.0])
    span = (high - low) or 1.0
    plot = height - top - bottom
    zero = top + plot * high / span
    slot = width / max(len(points), 1)
    bar = min(slot * 0.6, 34)
    parts = [(f'<svg class="dossier-svg-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
              f'width="{width}" height="{height}" role="img">'),
             f'<line x1="0" y1="{zero:.1f}" x2="{width}" y2="{zero:.1f}" stroke="#999" stroke-width="0.6"/>']
    labelled = set(range(len(points))) if len(points) <= 5 else {0, len(points) - 1}   # no overlapping labels
    for i, (year, value) in enumerate(points):
        cx = slot * i + slot / 2
        parts.append(f'<text x="{cx:.1f}" y="{height - 4}" font-size="8" text-anchor="middle" fill="#555">{year}</text>')
        if value is None:
            parts.append(f'<text x="{cx:.1f}" y="{zero - 3:.1f}" font-size="7" text-anchor="middle" fill="#999">—</text>')
            continue
        v = float(value)
        h = plot * abs(v) / span
        y = zero - h if v >= 0 else zero
        label_y = y - 3 if v >= 0 else y + h + 8
        colour = "#2f6db5" if v >= 0 else "#c0392b"
        parts.append(f'<rect x="{cx - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{max(h, 0.5):.1f}" '
                     f'fill="{colour}"/>')
        if i in labelled:
            anchor = "start" if i == 0 and len(points) > 5 else "end" if i == len(points) - 1 and len(points) > 5 \
                else "middle"
            x = cx - bar / 2 if anchor == "start" else cx + bar / 2 if anchor == "end" else cx
            parts.append(f'<text x="{x:.1f}" y="{label_y:.1f}" font-size="7" text-anchor="{anchor}" fill="#222">'
                         f'{escape(format_number(value, places))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


TIER_ORDER = {t: i for i, t in enumerate(Tier.values)}
VERDICT_LABELS = dict(Verdict.choices)
RESULT_LABELS = dict(Result.choices)


def tier_results(firm):
    """Per tier: the latest stored result (verdict, counts) and the rules not met or still open, with
    actual, threshold and gap; a firm never evaluated is scored live, as its page does."""
    tiers = []
    outcomes = sorted(firm.latest_outcomes, key=lambda o: TIER_ORDER.get(o.tier, 99))
    for o in outcomes:
        gaps = [r for r in o.gap_rows if r.product or not o.own_variant or r.variant in ("", o.own_variant)]
        tiers.append({"tier": o.tier, "name": o.get_tier_display(), "verdict": o.verdict,
                      "verdict_label": VERDICT_LABELS.get(o.verdict, o.verdict), "year": o.run.year,
                      "edition": o.edition, "met": o.met, "missed": o.missed, "open": o.open,
                      "evaluated_at": o.run.finished_at or o.run.started_at, "live": False,
                      "gaps": [_gap(r.code, r.text, r.result, r.actual, r.threshold, r.unit, r.gap, r.explanation,
                                    r.product) for r in gaps]})
    if tiers:
        return tiers
    from . import services

    year = services.default_year()
    for result in services.assess_enterprise(firm, year):
        own = [v for v in result.variants if v.own] or result.variants[:1]
        rows = [(c, "") for v in own for c in v.criteria] + [(c, p.name) for p in result.products for c in p.criteria]
        counts = {k: sum(1 for c, _p in rows if c.result in k) for k in
                  ((Result.MET,), (Result.NOT_MET,), (Result.UNKNOWN, Result.NEEDS_REVIEW))}
        tiers.append({"tier": result.tier, "name": result.name, "verdict": result.verdict,
                      "verdict_label": VERDICT_LABELS.get(result.verdict, result.verdict), "year": year,
                      "edition": None, "met": counts[(Result.MET,)], "missed": counts[(Result.NOT_MET,)],
                      "open": counts[(Result.UNKNOWN, Result.NEEDS_REVIEW)], "evaluated_at": None, "live": True,
                      "gaps": [_gap(c.code, c.text, c.result, c.actual, c.threshold, c.unit, c.gap, c.explanation, p)
                               for c, p in rows if c.result != Result.MET]})
    return tiers


def _gap(code, text, result, actual, threshold, unit, gap, explanation, product):
    return {"code": code, "text": text, "result": result, "result_label": RESULT_LABELS.get(result, result),
            "actual": actual or "", "threshold": f"{threshold}{unit}" if threshold else "",
            "gap": f"{gap}{unit}" if gap else "", "explanation": explanation, "product": product}


def plan_summaries(firm):
    """Each cultivation plan with its items and progress: items done / total, and the distance to
    the tier after each evaluation."""
    plans = []
    for plan in firm.cultivation_plans.all():
        items = list(plan.items.all())
        done = sum(1 for i in items if i.status != "open")
        progress = list(plan.progress.all())
        plans.append({"plan": plan, "items": items, "done": done, "total": len(items),
                      "percent": round(100 * done / len(items)) if items else 0,
                      "progress": progress, "latest": progress[-1] if progress else None})
    return plans


# ---- PDF -------------------------------------------------------------------------------------

def font_family():
    return getattr(settings, "PDF_FONT_FAMILY", DEFAULT_FONT)


@functools.lru_cache(maxsize=8)
def font_installed(family):
    """Whether fontconfig knows a font of this family with Chinese glyphs (cached per family)."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    wanted = family.strip().casefold()
    return any(name.strip().casefold() == wanted for line in out.splitlines() for name in line.split(","))


def pdf_problem():
    """None when PDFs can be made; else the reason, in Chinese, and the cause goes to the log."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        logger.error("PDF generation unavailable: WeasyPrint cannot be imported (%s)", exc)
        return _("PDF 生成失败：服务器缺少 PDF 组件（WeasyPrint 及其系统库），请联系管理员。")
    family = font_family()
    if not font_installed(family):
        logger.error("PDF generation refused: fontconfig has no Chinese font of family %r "
                     "(`fc-list :lang=zh` lists none; install fonts-wqy-zenhei)", family)
        return _("PDF 生成失败：服务器缺少中文字体（%(label)s），请联系管理员。") % {
            "label": FONT_LABEL if family == DEFAULT_FONT else family}
    return None


@functools.lru_cache(maxsize=4)
def _stylesheets(family):
    from weasyprint import CSS

    path = finders.find("css/dossier-print.css")
    return (CSS(filename=path),
            CSS(string=f'html, body, svg text {{ font-family: "{family}", sans-serif; }}'))


def render_html(context, template="criteria/dossier_pdf.html"):
    """The dossier as a standalone HTML document (what the PDF is drawn from)."""
    return render_to_string(template, {**context, "pdf": True})


def render_pdf(context):
    """PDF bytes of one dossier; raises PdfUnavailable rather than write a PDF without Chinese."""
    problem = pdf_problem()
    if problem:
        raise PdfUnavailable(problem)
    from weasyprint import HTML

    html = render_html(context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(stylesheets=_stylesheets(font_family()))
    if not document.pages:
        logger.error("PDF generation produced no page for firm %s", context["enterprise"].pk)
        raise PdfUnavailable(_("PDF 生成失败：未生成任何页面，请联系管理员。"))
    return document.write_pdf()


def pdf_filename(firm):
    """"<name>_<USCC>.pdf", without characters a file system refuses."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", firm.name).strip() or "enterprise"
    return f"{name}_{firm.uscc}.pdf"


def pool_firm_ids(user=None, town=None):
    """The firms of the cultivation pool (of one town), in the user's scope, by name."""
    qs = Enterprise.objects.all() if user is None else Enterprise.objects.visible_to(user)
    qs = qs.filter(pool_status=PoolStatus.IN_POOL)
    if town is not None:
        qs = qs.filter(town=town)
    return list(qs.order_by("name", "pk").values_list("pk", flat=True))


def iter_dossier_pdfs(firm_ids, *, with_history=True):
    """(firm, PDF bytes) for each firm, reading ZIP_CHUNK firms at a time."""
    for start in range(0, len(firm_ids), ZIP_CHUNK):
        chunk = firm_ids[start:start + ZIP_CHUNK]
        firms = {f.pk: f for f in dossier_queryset().filter(pk__in=chunk)}
        for pk in chunk:
            if pk in firms:
                yield firms[pk], render_pdf(gather(firms[pk], with_history=with_history))
