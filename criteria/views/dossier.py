"""一企一册: a firm's dossier as a page, as a PDF, and the dossiers of the pool (or one town's) as a ZIP
made by a background job.

The views live in criteria because the dossier reads criteria's models (results, declarations, plans,
lists) and enterprises must not import criteria; the URLs sit under /enterprises/ (jinhu_portal/urls.py).
A firm outside one's scope is a 404, as everywhere.
"""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models import Town
from jinhu_portal.decorators import perm_required, roles_required
from jinhu_portal.roles import Role, is_staff_role

from .. import dossier
from ..jobs import start_dossiers


def _firm(request, pk):
    return get_object_or_404(dossier.dossier_queryset(request.user), pk=pk)


def _refused(request, message, status):
    return render(request, "criteria/dossier_error.html", {"message": message}, status=status)


@perm_required("enterprises.view_enterprise")
def dossier_page(request, pk):
    firm = _firm(request, pk)
    context = dossier.gather(firm, with_history=is_staff_role(request.user), viewer=request.user)
    context["chart_data"] = [{k: c[k] for k in ("name", "label", "unit", "years", "values")} for c in context["charts"]]
    context["can_download_zip"] = is_staff_role(request.user)
    if context["can_download_zip"]:
        context["towns"] = Town.objects.all()
    return render(request, "criteria/dossier.html", context)


@perm_required("enterprises.view_enterprise")
def dossier_pdf(request, pk):
    firm = _firm(request, pk)
    try:
        pdf = dossier.render_pdf(dossier.gather(firm, with_history=is_staff_role(request.user), viewer=request.user))
    except dossier.PdfUnavailable as exc:
        return _refused(request, str(exc), 503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, dossier.pdf_filename(firm))
    return response


@roles_required(Role.STAFF, Role.ADMIN)
@require_POST
def dossier_zip(request):
    """`town=<id>`: the pool firms of one town; without it, the whole pool. The PDFs are made by a
    background job, whose page offers the ZIP when it is done."""
    town = None
    if request.POST.get("town"):
        try:
            town = Town.objects.get(pk=int(request.POST["town"]))
        except (ValueError, Town.DoesNotExist):
            return _refused(request, _("没有找到该镇（街道、开发区）。"), 404)
    firm_ids = dossier.pool_firm_ids(request.user, town)
    if not firm_ids:
        return _refused(request, _("所选范围内没有在库企业，无需下载。"), 404)
    problem = dossier.pdf_problem()
    if problem:
        return _refused(request, problem, 503)
    job = start_dossiers(firm_ids, scope=town.name if town else _("全县"), user=request.user)
    if job.in_request:
        messages.warning(request, _("后台任务队列暂不可用，一企一册已在本次请求中生成。"))
    return redirect("jobs:detail", pk=job.pk)
