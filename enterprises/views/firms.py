from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from jinhu_portal.decorators import perm_required
from jinhu_portal.roles import is_staff_role

from .. import services
from ..filters import EnterpriseFilterSet
from ..forms import EnterpriseForm, FiscalYearForm
from ..models import Enterprise, FiscalYearRecord
from ..signals import mark_stale
from ..tables import EnterpriseTable


@perm_required("enterprises.view_enterprise")
def enterprise_list(request):
    filterset = EnterpriseFilterSet(request.GET, queryset=services.enterprise_list_queryset(request.user))
    table = EnterpriseTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "enterprises/enterprise_list.html", {"filter": filterset, "table": table})


@perm_required("enterprises.view_enterprise")
def enterprise_detail(request, pk):
    enterprise = get_object_or_404(services.enterprise_detail_queryset(request.user), pk=pk)
    context = {"enterprise": enterprise, "fiscal_years": list(enterprise.fiscal_years.all()),
               "can_edit": request.user.has_perm("enterprises.change_enterprise"),
               "can_edit_figures": request.user.has_perm("enterprises.change_fiscalyearrecord")}
    # 变更记录: whoever reaches the firm reads its changes (the page is scoped above); the newest few
    # here, all of them on the history page.
    history = services.change_history(enterprise, limit=services.HISTORY_PANEL_LIMIT + 1)
    context["history"] = history[:services.HISTORY_PANEL_LIMIT]
    context["history_more"] = len(history) > services.HISTORY_PANEL_LIMIT
    return render(request, "enterprises/enterprise_detail.html", context)


@perm_required("enterprises.view_enterprise")
def enterprise_history(request, pk):
    """Every change to a firm and its records, newest first, a page at a time (scoped as the firm page)."""
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    page = Paginator(services.history_index(enterprise), services.HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    history = services.history_rows(list(page.object_list))
    return render(request, "enterprises/history.html", {"enterprise": enterprise, "page_obj": page, "history": history})


@perm_required("enterprises.add_enterprise")
def enterprise_create(request):
    if not is_staff_role(request.user):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        enterprise = form.save()
        mark_stale([enterprise.pk], ())            # no year: every evaluated year
        messages.success(request, _("企业已创建。"))
        return redirect(enterprise)
    return render(request, "enterprises/form.html", {"form": form, "title": _("新增企业")})


@perm_required("enterprises.change_enterprise")
def enterprise_update(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.has_changed():
            mark_stale([enterprise.pk], ())
        messages.success(request, _("企业信息已保存。"))
        return redirect(enterprise)
    return render(request, "enterprises/form.html",
                  {"form": form, "title": _("编辑企业信息"), "enterprise": enterprise})


@perm_required("enterprises.add_fiscalyearrecord")
def fiscal_year_create(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    return _fiscal_year_form(request, enterprise, None)


@perm_required("enterprises.change_fiscalyearrecord")
def fiscal_year_update(request, pk, year):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    record = get_object_or_404(FiscalYearRecord, enterprise=enterprise, year=year)
    return _fiscal_year_form(request, enterprise, record)


def _fiscal_year_form(request, enterprise, record):
    form = FiscalYearForm(request.POST or None, instance=record, parent=enterprise, user=request.user)
    old_year = record.year if record else None
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.has_changed():
            mark_stale([enterprise.pk], {old_year, form.instance.year})
        messages.success(request, _("%(year)s年度数据已保存。") % {"year": form.instance.year})
        return redirect(enterprise)
    title = _("编辑年度数据") if record else _("新增年度数据")
    return render(request, "enterprises/form.html", {"form": form, "title": title, "enterprise": enterprise})


@login_required
def my_enterprise(request):
    scope = getattr(request.user, "scope", None)
    if not scope or not scope.enterprise_id:
        raise PermissionDenied
    return redirect("enterprises:detail", pk=scope.enterprise_id)
