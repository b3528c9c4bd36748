"""Recommendation lists (推荐名单): the index, generating a list, editing a draft (add, remove,
reorder), freezing, new versions, outcomes, and the frozen list as XLSX and as a printable page.

Reading is for staff, leaders, member units and town officers (a town officer reads its firms'
entries); writing is for 县工信局 staff. The work is done by `criteria.admission.recommendation`.
"""
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from criteria.models import Edition, Tier
from criteria.models.evaluations import Result
from criteria.views.results import VERDICT_LABELS
from enterprises.models import Enterprise, FiscalYearRecord
from enterprises.xlsx_export import xlsx_response
from jinhu_portal.decorators import roles_required
from jinhu_portal.roles import STAFF_ROLES, Role, is_staff_role
from jinhu_portal.tables import NOWRAP_ATTRS, TITLE_ATTRS, NumberColumn, header_label, stacked_table_attrs
from jinhu_portal.templatetags.portal_format import format_money, format_number

from .. import recommendation as service
from ..filters import RecommendationEntryFilterSet, RecommendationListFilterSet
from ..models import Outcome, RecommendationEntry, RecommendationList
from ..recommendation_forms import AddEntryForm, GenerateForm, OutcomeForm, RecommendAllForm, RemoveEntryForm

READERS = (Role.STAFF, Role.ADMIN, Role.LEADER, Role.MEMBER_UNIT, Role.TOWN_OFFICER)
RESULT_LABELS = dict(Result.choices)
# a long cell: on a phone its label goes above it, not beside it
BLOCK_ATTRS = {"td": {"class": "stack-block", "data-label": header_label}}


# ------------------------------------------------------------------------------------------------
# Tables
# ------------------------------------------------------------------------------------------------

class ListTable(tables.Table):
    title = tables.Column(verbose_name=gettext_lazy("名称"), attrs=TITLE_ATTRS)
    tier = tables.Column(verbose_name=gettext_lazy("推荐层级"))
    year = tables.Column(verbose_name=gettext_lazy("评价年度"), attrs=NOWRAP_ATTRS)
    version = tables.Column(verbose_name=gettext_lazy("版本"), attrs=NOWRAP_ATTRS)
    status = tables.Column(verbose_name=gettext_lazy("状态"), attrs=NOWRAP_ATTRS)
    n = NumberColumn(verbose_name=gettext_lazy("企业数"))
    recognised = NumberColumn(verbose_name=gettext_lazy("已认定"))
    created_at = tables.DateTimeColumn(verbose_name=gettext_lazy("创建时间"), format="Y-m-d", attrs=NOWRAP_ATTRS)
    frozen_at = tables.DateTimeColumn(verbose_name=gettext_lazy("定稿时间"), format="Y-m-d", attrs=NOWRAP_ATTRS)

    class Meta:
        attrs = stacked_table_attrs(id="recommendation-lists")
        empty_text = gettext_lazy("还没有推荐名单。")

    def render_title(self, record):
        return format_html('<a href="{}">{}</a>', reverse("criteria:recommendation_detail", args=[record.pk]),
                           record.title)

    def render_version(self, value):
        return _("第%(v)s版") % {"v": value}

    def render_status(self, record):
        css = "text-bg-success" if record.frozen else "text-bg-secondary"
        return format_html('<span class="badge {}">{}</span>', css, record.get_status_display())


class EntryTable(tables.Table):
    position = tables.Column(verbose_name=gettext_lazy("序号"), attrs=NOWRAP_ATTRS)
    enterprise = tables.Column(verbose_name=gettext_lazy("企业"), attrs=TITLE_ATTRS, orderable=False)
    verdict = tables.Column(verbose_name=gettext_lazy("评价结论"), attrs=NOWRAP_ATTRS)
    counts = tables.Column(verbose_name=gettext_lazy("符合／不符合／待定"), accessor="pk", attrs=NOWRAP_ATTRS)
    reasons = tables.TemplateColumn(template_name="criteria/recommendation_cell_reasons.html",
                                    verbose_name=gettext_lazy("未符合条目及差距"), accessor="gaps",
                                    extra_context={"result_labels": RESULT_LABELS}, attrs=BLOCK_ATTRS)
    note = tables.TemplateColumn(template_name="criteria/recommendation_cell_note.html",
                                 verbose_name=gettext_lazy("来源与说明"), accessor="source")
    outcome = tables.TemplateColumn(template_name="criteria/recommendation_cell_outcome.html",
                                    verbose_name=gettext_lazy("结果"))
    actions = tables.TemplateColumn(template_name="criteria/recommendation_cell_actions.html",
                                    verbose_name=gettext_lazy("操作"), accessor="pk")

    class Meta:
        attrs = stacked_table_attrs(id="entries")
        row_attrs = {"data-entry": lambda record: record.pk, "data-firm": lambda record: record.enterprise.name}
        orderable = False
        empty_text = gettext_lazy("名单中还没有企业。")

    def render_enterprise(self, record):
        firm = record.enterprise
        return format_html('<a href="{}">{}</a><div class="small text-muted">{}{}</div>', firm.get_absolute_url(),
                           firm.name, firm.town.name, _("·在库") if firm.pool_status == "in_pool" else "")

    def render_verdict(self, record):
        if not record.verdict:
            return _("暂无评价")
        css = {"eligible": "text-bg-success", "incomplete": "text-bg-warning"}.get(record.verdict, "text-bg-danger")
        return format_html('<span class="badge {}">{}</span>', css, VERDICT_LABELS.get(record.verdict, record.verdict))

    def render_counts(self, record):
        return f"{record.met}／{record.missed}／{record.open}"


# ------------------------------------------------------------------------------------------------
# Pages
# ------------------------------------------------------------------------------------------------

def lists_in_scope(user):
    entries = RecommendationEntry.objects.visible_to(user).filter(removed=False)
    return RecommendationList.objects.visible_to(user).annotate(
        n=Count("entries", filter=Q(entries__in=entries), distinct=True),
        recognised=Count("entries", filter=Q(entries__in=entries.filter(outcome=Outcome.RECOGNISED)), distinct=True))


@roles_required(*READERS)
def recommendation_lists(request):
    filterset = RecommendationListFilterSet(request.GET, queryset=lists_in_scope(request.user))
    table = ListTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    return render(request, "criteria/recommendation_lists.html", {"filter": filterset, "table": table})


@roles_required(*STAFF_ROLES)
def recommendation_generate(request):
    form = GenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lst = service.generate(data["tier"], data["year"], user=request.user, round=data["round"],
                                   title=data["title"], max_missed=data["max_missed"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已生成推荐名单，共%(n)s家企业。") % {"n": lst.entries.count()})
            return redirect("criteria:recommendation_detail", pk=lst.pk)
    return render(request, "criteria/recommendation_generate.html", {"form": form})


def _list(request, pk):
    return get_object_or_404(RecommendationList.objects.visible_to(request.user).select_related(
        "created_by", "frozen_by", "previous", "round"), pk=pk)


def _entries(request, lst):
    return (RecommendationEntry.objects.visible_to(request.user).filter(recommendation_list=lst)
            .select_related("enterprise__town", "recognition").order_by("removed", "position", "pk"))


@roles_required(*READERS)
def recommendation_detail(request, pk):
    lst = _list(request, pk)
    filterset = RecommendationEntryFilterSet(request.GET, queryset=_entries(request, lst).filter(removed=False))
    filtered = bool(filterset.form.changed_data) if filterset.is_bound else False
    table = EntryTable(filterset.qs)
    can_edit = is_staff_role(request.user)
    removed = list(_entries(request, lst).filter(removed=True))
    context = {"list": lst, "filter": filterset, "table": table, "removed": removed, "can_edit": can_edit,
               "draft": not lst.frozen, "filtered": filtered, "versions": _versions(lst),
               "has_pending": lst.frozen and lst.entries.filter(removed=False, outcome=Outcome.PENDING).exists()}
    if can_edit and not lst.frozen:
        context["add_form"] = AddEntryForm(lst=lst, user=request.user)
    if can_edit and context["has_pending"]:
        context["recommend_form"] = RecommendAllForm()
    return render(request, "criteria/recommendation_detail.html", context)


def _versions(lst):
    return list(RecommendationList.objects.filter(tier=lst.tier, year=lst.year).order_by("version")
                .only("pk", "version", "status"))


def _done(request, lst, action, success):
    """Run one service call; a refusal is shown as it is, and nothing has changed."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("criteria:recommendation_detail", pk=lst.pk)


def _form_errors(request, lst, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("criteria:recommendation_detail", pk=lst.pk)


@roles_required(*STAFF_ROLES)
@require_POST
def recommendation_add(request, pk):
    lst = _list(request, pk)
    form = AddEntryForm(request.POST, lst=lst, user=request.user)
    if not form.is_valid():
        firm = Enterprise.objects.filter(pk=request.POST.get("enterprise") or 0).first()
        if firm and "enterprise" in form.errors and lst.entries.filter(enterprise=firm, removed=False).exists():
            messages.error(request, _("%(firm)s已在本名单中，不能重复加入。") % {"firm": firm.name})
            return redirect("criteria:recommendation_detail", pk=lst.pk)
        return _form_errors(request, lst, form)
    firm = form.cleaned_data["enterprise"]
    return _done(request, lst, lambda: service.add(lst, firm, form.cleaned_data["note"], user=request.user),
                 _("已将%(firm)s加入名单。") % {"firm": firm.name})


@roles_required(*STAFF_ROLES)
@require_POST
def recommendation_freeze(request, pk):
    lst = _list(request, pk)
    return _done(request, lst, lambda: service.freeze(lst, request.user),
                 _("名单已定稿，可以导出报送。"))


@roles_required(*STAFF_ROLES)
@require_POST
def recommendation_new_version(request, pk):
    lst = _list(request, pk)
    try:
        copy = service.new_version(lst, request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("criteria:recommendation_detail", pk=lst.pk)
    messages.success(request, _("已生成第%(v)s版（编制中），可以继续修改。") % {"v": copy.version})
    return redirect("criteria:recommendation_detail", pk=copy.pk)


@roles_required(*STAFF_ROLES)
@require_POST
def recommendation_delete(request, pk):
    lst = _list(request, pk)
    try:
        service.delete_draft(lst)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("criteria:recommendation_detail", pk=lst.pk)
    messages.success(request, _("已删除编制中的名单“%(title)s”。") % {"title": lst.title})
    return redirect("criteria:recommendation_lists")


@roles_required(*STAFF_ROLES)
@require_POST
def recommendation_recommend_all(request, pk):
    lst = _list(request, pk)
    form = RecommendAllForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, lst, form)
    data = form.cleaned_data
    try:
        n = service.recommend_all(lst, data["on"], data["document"], user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已将%(n)s家企业标记为已推荐。") % {"n": n})
    return redirect("criteria:recommendation_detail", pk=lst.pk)


def _entry(request, pk):
    return get_object_or_404(RecommendationEntry.objects.visible_to(request.user)
                             .select_related("recommendation_list", "enterprise__town"), pk=pk)


@roles_required(*STAFF_ROLES)
@require_POST
def recommendation_entry_remove(request, pk):
    entry = _entry(request, pk)
    lst = entry.recommendation_list
    form = RemoveEntryForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, lst, form)
    return _done(request, lst, lambda: service.remove(entry, form.cleaned_data["note"], user=request.user),
                 _("已将%(firm)s移出名单。") % {"firm": entry.enterprise.name})


@roles_required(*STAFF_ROLES)
@require_POST
def recommendation_entry_move(request, pk):
    entry = _entry(request, pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    lst = entry.recommendation_list
    if step is None:
        messages.error(request, _("无效的调整方向。"))
        return redirect("criteria:recommendation_detail", pk=lst.pk)
    return _done(request, lst, lambda: service.move(entry, step), _("已调整%(firm)s的顺序。") % {
        "firm": entry.enterprise.name})


@roles_required(*STAFF_ROLES)
def recommendation_entry_outcome(request, pk):
    entry = _entry(request, pk)
    lst = entry.recommendation_list
    if not lst.frozen:
        messages.error(request, _("名单尚未定稿，不能登记推荐结果；请先定稿。"))
        return redirect("criteria:recommendation_detail", pk=lst.pk)
    form = OutcomeForm(request.POST or None, entry=entry)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.set_outcome(entry, data["outcome"], data["on"], data["document"], user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            label = Outcome(data["outcome"]).label
            if data["outcome"] == Outcome.RECOGNISED:
                messages.success(request, _("已登记%(firm)s为%(label)s，并记入该企业的认定荣誉，评价结果已更新。") % {
                    "firm": entry.enterprise.name, "label": label})
            else:
                messages.success(request, _("已登记%(firm)s为%(label)s。") % {"firm": entry.enterprise.name,
                                                                            "label": label})
            return redirect("criteria:recommendation_detail", pk=lst.pk)
    return render(request, "criteria/recommendation_outcome.html", {"form": form, "entry": entry, "list": lst})


# ------------------------------------------------------------------------------------------------
# The submission: XLSX and printable page (frozen lists only)
# ------------------------------------------------------------------------------------------------

def submission(request, lst):
    """Headers and rows of what goes to the higher level: firm, town, industry, the figures of the
    window the tier reads, the rules met, the contact."""
    years, figures = service.submission_window(lst)
    editions = Edition.objects.judging(lst.year, [lst.tier])
    edition = editions[0] if editions else None
    entries = list(_entries(request, lst).filter(removed=False).select_related("enterprise__town").prefetch_related(
        "enterprise__industry_tags",
        Prefetch("enterprise__fiscal_years", queryset=FiscalYearRecord.objects.filter(year__in=years))))
    fields = {f.name: f for f in FiscalYearRecord.figure_fields()}
    columns = [(year, name, f"{year}年{fields[name].verbose_name}（{FiscalYearRecord.figure_unit(name)}）")
               for year in years for name in figures]
    rows = []
    for entry in entries:
        firm = entry.enterprise
        by_year = {fy.year: fy for fy in firm.fiscal_years.all()}
        values = [getattr(by_year.get(year), name, None) for year, name, _h in columns]
        rows.append({"entry": entry, "firm": firm, "tags": "、".join(t.name for t in firm.industry_tags.all()),
                     "values": values, "met": service.met_codes(lst, entry, edition),
                     "contact": " ".join(x for x in (firm.contact_person, firm.contact_phone) if x)})
    return columns, rows


def _frozen_or_back(request, lst):
    if not lst.frozen:
        messages.error(request, _("名单定稿后才能导出或打印。"))
        return redirect("criteria:recommendation_detail", pk=lst.pk)
    return None


@roles_required(*READERS)
def recommendation_export(request, pk):
    lst = _list(request, pk)
    refused = _frozen_or_back(request, lst)
    if refused:
        return refused
    columns, rows = submission(request, lst)
    headers = [_("序号"), _("名称"), _("统一社会信用代码"), _("所属镇街"), _("行业"),
               *[h for _y, _n, h in columns], _("符合条目"), _("联系人及电话")]
    body = ([i, r["firm"].name, r["firm"].uscc, r["firm"].town.name, r["tags"],
             *[float(v) if v is not None else None for v in r["values"]], "、".join(r["met"]), r["contact"]]
            for i, r in enumerate(rows, start=1))
    filename = f"{lst.title}（第{lst.version}版）.xlsx"
    return xlsx_response(filename, _("推荐名单"), headers, body)


@roles_required(*READERS)
def recommendation_print(request, pk):
    lst = _list(request, pk)
    refused = _frozen_or_back(request, lst)
    if refused:
        return refused
    columns, rows = submission(request, lst)
    # on paper, one column per figure with the window's years inside it, so A4 landscape holds it
    years, figures = service.submission_window(lst)
    labels = FiscalYearRecord.figure_labels()
    heads = [f"{labels[name]}（{FiscalYearRecord.figure_unit(name)}）" for name in figures]
    for r in rows:
        by_key = {(year, name): value for (year, name, _h), value in zip(columns, r["values"])}
        r["cells"] = [[(year, format_number(by_key[year, name]) if name in FiscalYearRecord.COUNT_FIGURES
                        else format_money(by_key[year, name])) for year in years] for name in figures]
    return render(request, "criteria/recommendation_print.html", {
        "list": lst, "heads": heads, "rows": rows, "tier": Tier(lst.tier).label})
