"""Excel import of yearly figures: template download, upload + preview, commit.

The uploaded file is kept between preview and commit in MEDIA_ROOT/imports/<uuid>.xlsx; the uuid
is stored in the session and echoed by the confirm form, and the file is parsed again on commit.
"""
import time
import uuid
import zipfile
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jinhu_portal.decorators import roles_required
from jinhu_portal.roles import STAFF_ROLES, role_of

from .. import importing
from ..jobs import start_figures_import

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 20 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"       # legacy .xls (and other OLE2 files)
TEMPLATE_NAME = "年度数据导入模板.xlsx"
SESSION_KEY = "fiscal_year_import"
STALE_AFTER = 24 * 3600               # seconds an abandoned upload is kept


def _upload_path(token):
    # The token comes back from the client: accept only a well-formed uuid, never a path.
    try:
        return importing.import_dir() / f"{uuid.UUID(str(token)).hex}.xlsx"
    except ValueError:
        return None


def _remove_stale_uploads():
    cutoff = time.time() - STALE_AFTER
    for old in importing.import_dir().glob("*.xlsx"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


def xlsx_attachment(content, filename):
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# An import is checked on upload and written on a second POST: the file waits under a random token
# that only this session knows (every import: yearly figures, recognitions, training attendance).

def discard_staged(request, key):
    pending = request.session.pop(key, None)
    if pending:
        old = _upload_path(pending.get("token"))
        if old:
            old.unlink(missing_ok=True)


def stage_upload(request, key, upload, parse, **remember):
    """Keep `upload` for its commit and return (preview, token); with errors in the preview the file
    is removed and the token is None. `remember` goes into the session beside the token."""
    directory = importing.import_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _remove_stale_uploads()
    discard_staged(request, key)
    token = uuid.uuid4().hex
    target = directory / f"{token}.xlsx"
    with open(target, "wb") as out:
        out.writelines(upload.chunks())
    preview = parse(target)
    if preview.errors:
        target.unlink(missing_ok=True)
        return preview, None
    request.session[key] = {"token": token, "name": upload.name[:200], **remember}
    return preview, token


def staged_file(request, key, **remembered):
    """The file the posted token names, if this session staged it (with the same `remembered` values)
    and it is still there; else None."""
    pending = request.session.get(key) or {}
    token = request.POST.get("token", "")
    if not token or token != pending.get("token") or any(pending.get(k) != v for k, v in remembered.items()):
        return None
    target = _upload_path(token)
    return target if target is not None and target.exists() else None


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel文件（.xlsx）"),
                           error_messages={"required": gettext_lazy("请选择要上传的Excel文件。"),
                                           "empty": gettext_lazy("上传的文件是空的。")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("文件过大（%(size).1f MB），上限为20 MB。") % {"size": upload.size / 1024 / 1024})
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        if head == OLE_MAGIC:
            raise forms.ValidationError(_("这是旧版Excel（.xls）文件，请在Excel或WPS中另存为 .xlsx 后再上传。"))
        if head != ZIP_MAGIC:
            raise forms.ValidationError(_("上传的文件不是Excel工作簿（.xlsx），请使用导入模板。"))
        try:
            with zipfile.ZipFile(upload) as archive:
                if "xl/workbook.xml" not in archive.namelist():
                    raise forms.ValidationError(_("上传的文件不是Excel工作簿（.xlsx），请使用导入模板。"))
        except zipfile.BadZipFile:
            raise forms.ValidationError(_("文件已损坏，无法作为Excel工作簿（.xlsx）读取。")) from None
        upload.seek(0)
        return upload


def _may_download_template(user):
    return role_of(user) is not None


@login_required
def fiscal_year_template(request):
    if not _may_download_template(request.user):
        raise PermissionDenied
    return xlsx_attachment(importing.template_bytes(), TEMPLATE_NAME)


def _preview_page(request, preview, *, token=None, filename=""):
    return render(request, "enterprises/import_preview.html", {
        "preview": preview, "token": token, "filename": filename,
        "errors": preview.errors[:importing.PREVIEW_ERRORS],
        "more_errors": max(0, len(preview.errors) - importing.PREVIEW_ERRORS),
        "warnings": preview.warnings[:200], "more_warnings": max(0, len(preview.warnings) - 200),
        "rows": preview.first_rows(), "figure_headers": [importing.HEADER_OF[f] for f in importing.FIGURE_FIELDS],
    }, status=200)


@roles_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def fiscal_year_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        preview, token = stage_upload(request, SESSION_KEY, upload, importing.parse_workbook)
        return _preview_page(request, preview, token=token, filename=upload.name)
    return render(request, "enterprises/import.html", {"form": form, "years": importing.default_years(),
                                                       "columns": importing.TEMPLATE_COLUMNS,
                                                       "max_rows": importing.max_rows(),
                                                       "max_mb": importing.max_uncompressed_mb()})


@roles_required(*STAFF_ROLES)
@require_POST
def fiscal_year_import_commit(request):
    pending = request.session.get(SESSION_KEY) or {}
    target = staged_file(request, SESSION_KEY)
    if target is None:
        messages.error(request, _("预览已失效（可能已导入，或已在其他页面上传了新文件），请重新上传。"))
        return redirect("enterprises:fiscal_year_import")
    preview = importing.parse_workbook(target)
    if preview.errors:   # the database changed since the preview (e.g. a firm was deleted)
        discard_staged(request, SESSION_KEY)
        return _preview_page(request, preview, filename=pending.get("name", ""))
    # The staged file now belongs to the job, which removes it when written.
    request.session.pop(SESSION_KEY, None)
    job = start_figures_import(target, filename=pending.get("name", ""), rows=len(preview.rows), user=request.user)
    if job.in_request:
        messages.warning(request, _("后台任务队列暂不可用，导入已在本次请求中完成。"))
    return redirect("jobs:detail", pk=job.pk)


urlpatterns = [
    path("years/template.xlsx", fiscal_year_template, name="fiscal_year_template"),
    path("years/import/", fiscal_year_import, name="fiscal_year_import"),
    path("years/import/commit/", fiscal_year_import_commit, name="fiscal_year_import_commit"),
]
