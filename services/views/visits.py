"""Visits (走访): the list (scoped, the same filters as /api/v1/visits/) and its XLSX export, recording a
visit (staff, a person linked to the firm, the firm's town officer), one visit with its photos and files
(served only within scope), and 超期未走访企业: pool firms with no visit in the last N days."""
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from criteria.uploads import clean_name
from enterprises.models import Enterprise
from enterprises.xlsx_export import xlsx_response
from jinhu_portal.decorators import perm_required
from jinhu_portal.tables import NOWRAP_ATTRS, TITLE_ATTRS, stacked_table_attrs
from jinhu_portal.templatetags.portal_format import person_name

from .. import services
from ..filters import VisitFilter
from ..forms import VisitForm
from ..models import Visit, VisitFile

EXPORT_LIMIT = 20000


class VisitTable(tables.Table):
    visited_on = tables.DateColumn(verbose_name=gettext_lazy("走访日期"), format="Y-m-d", attrs=NOWRAP_ATTRS)
    enterprise = tables.Column(verbose_name=gettext_lazy("走访企业"), attrs=TITLE_ATTRS, order_by=("enterprise__name",))
    town = tables.Column(accessor="enterprise__town__name", verbose_name=gettext_lazy("镇（街道、开发区）"),
                         order_by=("enterprise__town__order",))
    visitor = tables.Column(verbose_name=gettext_lazy("走访人"), order_by=("visitor__last_name", "visitor__username"),
                            default="—")
    topics = tables.Column(verbose_name=gettext_lazy("走访主题"))
    file_count = tables.Column(verbose_name=gettext_lazy("附件"), attrs=NOWRAP_ATTRS)
    detail = tables.Column(verbose_name="", accessor="pk", orderable=False, attrs=NOWRAP_ATTRS)

    class Meta:
        attrs = stacked_table_attrs(id="visits")
        empty_text = gettext_lazy("没有符合条件的走访记录。")

    def render_enterprise(self, record):
        return format_html('<a href="{}">{}</a>', record.enterprise.get_absolute_url(), record.enterprise.name)

    def render_visitor(self, record):
        return person_name(record.visitor) or "—"

    def render_file_count(self, value):
        return _("%(n)s个") % {"n": value} if value else "—"

    def render_detail(self, record):
        return format_html('<a href="{}">{}</a>', reverse("services:visit_detail", args=[record.pk]), _("查看"))


def _in_scope(user):
    return (Visit.objects.visible_to(user).select_related("enterprise__town", "visitor")
            .annotate(file_count=Count("files")).order_by("-visited_on", "-pk"))


def _filterset(request):
    filterset = VisitFilter(request.GET, queryset=_in_scope(request.user))
    filterset.form.fields["visitor"].label_from_instance = person_name
    return filterset


@perm_required("services.view_visit")
def visit_list(request):
    filterset = _filterset(request)
    table = VisitTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    return render(request, "services/visit_list.html", {
        "filter": filterset, "table": table, "may_record": services.may_record_any_visit(request.user),
        "query": request.GET.urlencode()})


@perm_required("services.view_visit")
def visit_export(request):
    filterset = _filterset(request)
    if not filterset.is_valid():
        messages.error(request, _("筛选条件有误，请修改后再导出。"))
        return redirect(reverse("services:visit_list") + "?" + request.GET.urlencode())
    headers = [_("走访日期"), _("走访企业"), _("统一社会信用代码"), _("镇（街道、开发区）"), _("走访人"), _("同行人员"),
               _("走访主题"), _("走访情况"), _("附件数")]
    rows = ([v.visited_on.isoformat(), v.enterprise.name, v.enterprise.uscc, v.enterprise.town.name,
             person_name(v.visitor), v.companions, v.topics, v.notes, v.file_count]
            for v in filterset.qs[:EXPORT_LIMIT])
    return xlsx_response(f"走访记录_{timezone.localdate().isoformat()}.xlsx", _("走访记录"), headers, rows)


def _requested_firm(request):
    """The firm named by ?enterprise= or the posted form, when it is one this user may not record a visit
    to: 404, as for any record outside one's scope."""
    raw = (request.POST.get("enterprise") if request.method == "POST" else request.GET.get("enterprise")) or ""
    if not raw:
        return None
    if not raw.isdigit() or not services.recordable_firms(request.user).filter(pk=int(raw)).exists():
        raise Http404(_("该企业不在您可录入走访的范围内。"))
    return int(raw)


@login_required
def visit_create(request):
    if not services.may_record_any_visit(request.user):
        raise PermissionDenied
    firm_id = _requested_firm(request)
    form = VisitForm(request.POST or None, request.FILES or None, user=request.user,
                     initial={"enterprise": firm_id, "visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        visit = form.save()
        messages.success(request, _("已记录%(d)s对%(firm)s的走访。") % {"d": visit.visited_on.isoformat(),
                                                                   "firm": visit.enterprise.name})
        if request.user.has_perm("services.view_visit"):
            return redirect("services:visit_detail", pk=visit.pk)
        return redirect(visit.enterprise)
    return render(request, "services/visit_form.html", {"form": form, "title": _("记录走访")})


@perm_required("services.view_visit")
def visit_detail(request, pk):
    visit = get_object_or_404(Visit.objects.visible_to(request.user).select_related("enterprise__town", "visitor")
                              .prefetch_related(Prefetch("files", queryset=VisitFile.objects.order_by("pk"))), pk=pk)
    return render(request, "services/visit_detail.html", {
        "visit": visit, "may_record": services.may_record_visit(request.user, visit.enterprise)})


@perm_required("services.view_visit")
def visit_file(request, pk):
    attachment = get_object_or_404(VisitFile.objects.visible_to(request.user), pk=pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=clean_name(attachment.original_name))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@perm_required("services.view_visit")
def overdue_list(request):
    """超期未走访企业: pool firms in scope with no visit in the last N days, never visited first."""
    today = timezone.localdate()
    current = services.current_links(today).select_related("person").order_by("starts_on", "pk")
    firms = list(services.overdue_firms(Enterprise.objects.visible_to(request.user), today)
                 .select_related("town").prefetch_related(Prefetch("service_links", queryset=current,
                                                                   to_attr="current_links"))
                 .order_by(F("last_visit").asc(nulls_first=True), "town__order", "name"))
    recordable = set(services.recordable_firms(request.user).filter(pk__in=[f.pk for f in firms])
                     .values_list("pk", flat=True)) if firms else set()
    for firm in firms:
        firm.may_record = firm.pk in recordable
    return render(request, "services/visit_overdue.html", {
        "firms": firms, "interval": services.visit_interval_days(), "since": services.overdue_since(today),
        "may_record": bool(recordable), "today": today})


urlpatterns = [
    path("visits/", visit_list, name="visit_list"),
    path("visits/export.xlsx", visit_export, name="visit_export"),
    path("visits/new/", visit_create, name="visit_create"),
    path("visits/<int:pk>/", visit_detail, name="visit_detail"),
    path("visits/files/<int:pk>/", visit_file, name="visit_file"),
    path("visits/overdue/", overdue_list, name="visit_overdue"),
]
