"""Recognitions (认定荣誉): the list with its filters (the API shares them), one staff form for every
kind, and one XLSX import (template, preview, commit). The work is in `enterprises/recognitions.py`."""
import logging

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_tables2 import RequestConfig

from jinhu_portal.decorators import perm_required, roles_required
from jinhu_portal.roles import STAFF_ROLES, is_staff_role
from jinhu_portal.tables import NOWRAP_ATTRS, TITLE_ATTRS, stacked_table_attrs

from .. import recognitions as service
from ..filters import RecognitionFilterSet
from ..models import Recognition
from .xlsx import ImportForm, discard_staged, stage_upload, staged_file, xlsx_attachment

logger = logging.getLogger(__name__)
SESSION_KEY = "recognition_import"


class RecognitionTable(tables.Table):
    enterprise = tables.Column(verbose_name=gettext_lazy("企业"), attrs=TITLE_ATTRS, order_by=("enterprise__name",))
    town = tables.Column(accessor="enterprise__town__name", verbose_name=gettext_lazy("镇（街道、开发区）"),
                         order_by=("enterprise__town__order",))
    kind = tables.Column(verbose_name=gettext_lazy("认定类型"))
    level = tables.Column(verbose_name=gettext_lazy("级别"), attrs=NOWRAP_ATTRS)
    year = tables.Column(verbose_name=gettext_lazy("认定年度"), attrs=NOWRAP_ATTRS)
    granted_on = tables.DateColumn(verbose_name=gettext_lazy("认定日期"), format="Y-m-d", attrs=NOWRAP_ATTRS)
    document = tables.Column(verbose_name=gettext_lazy("认定文件"))
    actions = tables.Column(verbose_name="", accessor="pk", orderable=False, attrs=NOWRAP_ATTRS)

    class Meta:
        attrs = stacked_table_attrs(id="recognitions")
        empty_text = gettext_lazy("没有符合条件的认定记录。")

    def __init__(self, *args, can_edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_edit:
            self.columns.hide("actions")

    def render_enterprise(self, record):
        return format_html('<a href="{}">{}</a>', record.enterprise.get_absolute_url(), record.enterprise.name)

    def render_actions(self, record):
        return format_html('<a href="{}" aria-label="{} {}">{}</a>', reverse("enterprises:recognition_update",
                                                                           args=[record.pk]),
                           _("编辑"), record.enterprise.name, _("编辑"))


def _in_scope(request):
    return (Recognition.objects.visible_to(request.user).select_related("enterprise__town")
            .order_by("-year", "kind", "enterprise__name"))


@perm_required("enterprises.view_recognition")
def recognition_list(request):
    filterset = RecognitionFilterSet(request.GET, queryset=_in_scope(request))
    can_edit = is_staff_role(request.user)
    table = RecognitionTable(filterset.qs, can_edit=can_edit)
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    return render(request, "enterprises/recognition_list.html", {"filter": filterset, "table": table,
                                                                 "can_edit": can_edit})


@roles_required(*STAFF_ROLES)
def recognition_create(request):
    initial = {}
    if request.GET.get("enterprise", "").isdigit():
        initial["enterprise"] = int(request.GET["enterprise"])
    return _form(request, Recognition(), _("新增认定荣誉"), initial)


@roles_required(*STAFF_ROLES)
def recognition_update(request, pk):
    recognition = get_object_or_404(_in_scope(request), pk=pk)
    return _form(request, recognition, _("编辑认定荣誉"), {})


def _form(request, recognition, title, initial):
    form = service.RecognitionForm(request.POST or None, instance=recognition, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = service.save_form(form, request.user)
        messages.success(request, _("已保存%(firm)s的认定荣誉：%(what)s。") % {"firm": saved.enterprise.name,
                                                                          "what": saved})
        return redirect("enterprises:recognition_list")
    return render(request, "enterprises/recognition_form.html", {"form": form, "title": title,
                                                                 "recognition": recognition})


@roles_required(*STAFF_ROLES)
@require_POST
def recognition_delete(request, pk):
    recognition = get_object_or_404(_in_scope(request), pk=pk)
    try:
        service.delete(recognition, request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("enterprises:recognition_update", pk=pk)
    messages.success(request, _("已删除%(firm)s的认定荣誉：%(what)s。") % {"firm": recognition.enterprise.name,
                                                                      "what": recognition})
    return redirect("enterprises:recognition_list")


# ------------------------------------------------------------------------------------------------
# Import
# ------------------------------------------------------------------------------------------------

@roles_required(*STAFF_ROLES)
def recognition_template(request):
    return xlsx_attachment(service.template_bytes(), service.TEMPLATE_NAME)


def _preview_page(request, preview, token=None, filename=""):
    return render(request, "enterprises/recognition_import_preview.html", {
        "preview": preview, "token": token, "filename": filename, "errors": preview.errors[:200],
        "more_errors": max(0, len(preview.errors) - 200), "rows": preview.rows[:50],
        "created": preview.count("create"), "updated": preview.count("update"),
        "unchanged": preview.count("unchanged")})


@roles_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def recognition_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        preview, token = stage_upload(request, SESSION_KEY, upload, service.parse_workbook)
        return _preview_page(request, preview, token=token, filename=upload.name)
    return render(request, "enterprises/recognition_import.html", {"form": form, "columns": service.TEMPLATE_COLUMNS})


@roles_required(*STAFF_ROLES)
@require_POST
def recognition_import_commit(request):
    pending = request.session.get(SESSION_KEY) or {}
    target = staged_file(request, SESSION_KEY)
    if target is None:
        messages.error(request, _("预览已失效（可能已导入，或已在其他页面上传了新文件），请重新上传。"))
        return redirect("enterprises:recognition_import")
    preview = service.parse_workbook(target)
    if preview.errors:
        discard_staged(request, SESSION_KEY)
        return _preview_page(request, preview, filename=pending.get("name", ""))
    try:
        created, updated = service.commit(preview, request.user)
    except (service.ImportRefused, DatabaseError) as exc:
        logger.warning("recognition import failed: %s", exc)
        messages.error(request, _("导入失败，未写入任何数据，请重新上传后再试。"))
        return redirect("enterprises:recognition_import")
    discard_staged(request, SESSION_KEY)
    messages.success(request, _("导入完成：新增%(c)s条，更新%(u)s条认定荣誉。") % {"c": created, "u": updated})
    return redirect("enterprises:recognition_list")


urlpatterns = [
    path("recognitions/", recognition_list, name="recognition_list"),
    path("recognitions/new/", recognition_create, name="recognition_create"),
    path("recognitions/<int:pk>/edit/", recognition_update, name="recognition_update"),
    path("recognitions/<int:pk>/delete/", recognition_delete, name="recognition_delete"),
    path("recognitions/template.xlsx", recognition_template, name="recognition_template"),
    path("recognitions/import/", recognition_import, name="recognition_import"),
    path("recognitions/import/commit/", recognition_import_commit, name="recognition_import_commit"),
]
