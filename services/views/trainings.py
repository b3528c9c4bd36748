"""Trainings (培训): the list (the same filters as /api/v1/trainings/) with its XLSX export and the count
of distinct people trained, staff's training form, the detail with its attendance (scoped: a town
officer sees the attendees of its town's firms), attendees entered by hand or imported from XLSX
(template, preview, commit: the work is in `services/imports.py`)."""
import logging

import django_tables2 as tables
from django.contrib import messages
from django.db import DatabaseError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_tables2 import RequestConfig

from enterprises.views.xlsx import ImportForm, discard_staged, stage_upload, staged_file, xlsx_attachment
from enterprises.xlsx_export import xlsx_response
from jinhu_portal.decorators import perm_required, roles_required
from jinhu_portal.roles import STAFF_ROLES, is_staff_role
from jinhu_portal.tables import NOWRAP_ATTRS, TITLE_ATTRS, NumberColumn, stacked_table_attrs

from .. import imports
from .. import services as helpers
from ..filters import TrainingFilter
from ..forms import AttendanceForm, TrainingForm
from ..models import Attendance, Training

logger = logging.getLogger(__name__)
SESSION_KEY = "attendance_import"


def attendance_in_scope(user):
    return Attendance.objects.visible_to(user)


def trainings_in_scope(user):
    """Every training (events are county-wide), with the number of attendees the user may see."""
    visible = attendance_in_scope(user).values("pk")
    return Training.objects.annotate(
        attendees=Count("attendance", filter=Q(attendance__in=visible), distinct=True)).order_by("-date", "title")


class TrainingTable(tables.Table):
    date = tables.DateColumn(verbose_name=gettext_lazy("培训日期"), format="Y-m-d", attrs=NOWRAP_ATTRS)
    title = tables.Column(verbose_name=gettext_lazy("培训名称"), attrs=TITLE_ATTRS)
    organiser = tables.Column(verbose_name=gettext_lazy("主办单位"), attrs=NOWRAP_ATTRS)
    kind = tables.Column(verbose_name=gettext_lazy("培训对象"))
    attendees = NumberColumn(verbose_name=gettext_lazy("参训人次"))

    class Meta:
        attrs = stacked_table_attrs(id="trainings")
        empty_text = gettext_lazy("没有符合条件的培训活动。")

    def render_title(self, record):
        return format_html('<a href="{}">{}</a>', reverse("services:training_detail", args=[record.pk]), record.title)


def _people_summary(user, trainings):
    """Distinct people in the trainings shown, and in the plan period (as the target counts them)."""
    visible = attendance_in_scope(user)
    years = helpers.plan_years()
    return {
        "shown": helpers.distinct_people(visible.filter(training__in=trainings.values("pk"))),
        "plan_years": years,
        "plan": helpers.distinct_people(visible.filter(training__date__year__gte=years.start,
                                                       training__date__year__lte=years.stop - 1))
        if years else None,
    }


@perm_required("services.view_training")
def training_list(request):
    filterset = TrainingFilter(request.GET, queryset=trainings_in_scope(request.user))
    table = TrainingTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    return render(request, "services/training_list.html", {
        "filter": filterset, "table": table, "can_edit": is_staff_role(request.user),
        "people": _people_summary(request.user, filterset.qs)})


@perm_required("services.view_training")
def training_export(request):
    filterset = TrainingFilter(request.GET, queryset=trainings_in_scope(request.user))
    headers = [_("培训日期"), _("培训名称"), _("主办单位"), _("培训对象"), _("参训人次")]
    rows = [(t.date.isoformat(), t.title, t.get_organiser_display(), t.get_kind_display(), t.attendees)
            for t in filterset.qs]
    return xlsx_response(f"培训活动_{timezone.localdate().isoformat()}.xlsx", _("培训活动"), headers, rows)


@roles_required(*STAFF_ROLES)
def training_create(request):
    return _training_form(request, Training(), _("新增培训活动"))


@roles_required(*STAFF_ROLES)
def training_edit(request, pk):
    return _training_form(request, get_object_or_404(Training, pk=pk), _("编辑培训活动"))


def _training_form(request, training, title):
    form = TrainingForm(request.POST or None, instance=training)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("已保存培训活动：%(t)s。") % {"t": saved.title})
        return redirect("services:training_detail", pk=saved.pk)
    return render(request, "services/training_form.html", {"form": form, "title": title, "training": training})


@perm_required("services.view_training")
def training_detail(request, pk):
    training = get_object_or_404(Training, pk=pk)
    return _detail_page(request, training, AttendanceForm(parent=training) if is_staff_role(request.user) else None)


def _detail_page(request, training, form, status=200):
    staff = is_staff_role(request.user)
    attendance = list(attendance_in_scope(request.user).filter(training=training)
                      .select_related("enterprise").order_by("name", "mobile"))
    for a in attendance:
        a.shown_mobile = a.mobile if staff else helpers.mask_mobile(a.mobile)
    return render(request, "services/training_detail.html", {
        "training": training, "attendance": attendance, "form": form, "can_edit": staff,
        "people": _people_summary(request.user, Training.objects.filter(pk=training.pk))}, status=status)


@roles_required(*STAFF_ROLES)
@require_POST
def attendance_add(request, pk):
    training = get_object_or_404(Training, pk=pk)
    form = AttendanceForm(request.POST, parent=training)
    if form.is_valid():
        saved = form.save()
        messages.success(request, _("已添加参训人员：%(name)s。") % {"name": saved.name})
        return redirect("services:training_detail", pk=training.pk)
    return _detail_page(request, training, form, status=400)


@roles_required(*STAFF_ROLES)
@require_POST
def attendance_delete(request, pk):
    attendee = get_object_or_404(Attendance, pk=pk)
    attendee.delete()
    messages.success(request, _("已从名单中删除：%(name)s。") % {"name": attendee.name})
    return redirect("services:training_detail", pk=attendee.training_id)


# ------------------------------------------------------------------------------------------------
# Import (the yearly-figures import's upload form, stored upload and session token)
# ------------------------------------------------------------------------------------------------

@roles_required(*STAFF_ROLES)
def attendance_template(request):
    return xlsx_attachment(imports.template_bytes(), imports.TEMPLATE_NAME)


def _preview_page(request, preview, token=None, filename=""):
    return render(request, "services/attendance_import_preview.html", {
        "training": preview.training, "preview": preview, "token": token, "filename": filename,
        "errors": preview.errors[:200], "more_errors": max(0, len(preview.errors) - 200),
        "rows": preview.rows[:50], "more_rows": max(0, len(preview.rows) - 50)})


@roles_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def attendance_import(request, pk):
    training = get_object_or_404(Training, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        preview, token = stage_upload(request, SESSION_KEY, upload,
                                      lambda path: imports.parse_workbook(path, training), training=training.pk)
        return _preview_page(request, preview, token=token, filename=upload.name)
    return render(request, "services/attendance_import.html", {"form": form, "training": training,
                                                                "columns": imports.TEMPLATE_COLUMNS})


@roles_required(*STAFF_ROLES)
@require_POST
def attendance_import_commit(request, pk):
    training = get_object_or_404(Training, pk=pk)
    pending = request.session.get(SESSION_KEY) or {}
    target = staged_file(request, SESSION_KEY, training=training.pk)
    if target is None:
        messages.error(request, _("预览已失效（可能已导入，或已在其他页面上传了新文件），请重新上传。"))
        return redirect("services:attendance_import", pk=training.pk)
    preview = imports.parse_workbook(target, training)
    if preview.errors:   # the records changed since the preview
        discard_staged(request, SESSION_KEY)
        return _preview_page(request, preview, filename=pending.get("name", ""))
    try:
        written = imports.commit(preview)
    except imports.ImportRefused as exc:
        messages.error(request, _("导入失败，未写入任何数据：%(reason)s") % {"reason": exc})
        return redirect("services:attendance_import", pk=training.pk)
    except DatabaseError:
        logger.exception("attendance import failed")
        messages.error(request, _("导入失败，未写入任何数据：数据库写入出错（可能有人同时录入了这些人员），请重新上传后再试。"))
        return redirect("services:attendance_import", pk=training.pk)
    discard_staged(request, SESSION_KEY)
    messages.success(request, _("导入完成：新增%(n)s名参训人员。") % {"n": written})
    return redirect("services:training_detail", pk=training.pk)


urlpatterns = [
    path("trainings/", training_list, name="training_list"),
    path("trainings/export.xlsx", training_export, name="training_export"),
    path("trainings/new/", training_create, name="training_create"),
    path("trainings/<int:pk>/", training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", training_edit, name="training_edit"),
    path("trainings/<int:pk>/attendance/add/", attendance_add, name="attendance_add"),
    path("trainings/attendance/<int:pk>/delete/", attendance_delete, name="attendance_delete"),
    path("trainings/attendance/template.xlsx", attendance_template, name="attendance_template"),
    path("trainings/<int:pk>/attendance/import/", attendance_import, name="attendance_import"),
    path("trainings/<int:pk>/attendance/import/commit/", attendance_import_commit, name="attendance_import_commit"),
]
