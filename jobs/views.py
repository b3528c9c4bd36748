"""A job's page, the progress fragment its page polls (htmx), a retry of its failed parts, and the
file it made.  Jobs are the county's own work (scoring, imports, dossiers): staff and administrators."""
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinhu_portal.decorators import roles_required
from jinhu_portal.roles import STAFF_ROLES

from . import services
from .models import Job


def _job(request, pk):
    return get_object_or_404(Job.objects.visible_to(request.user).select_related("started_by"), pk=pk)


@roles_required(*STAFF_ROLES)
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("started_by")[:50]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@roles_required(*STAFF_ROLES)
def job_detail(request, pk):
    return render(request, "jobs/job_detail.html", {"job": _job(request, pk)})


@roles_required(*STAFF_ROLES)
def job_progress(request, pk):
    return render(request, "jobs/_progress.html", {"job": _job(request, pk)})


@roles_required(*STAFF_ROLES)
@require_POST
def job_retry(request, pk):
    job = _job(request, pk)
    if job.status != Job.Status.FAILED:
        messages.info(request, _("该任务没有失败的分块。"))
    else:
        job = services.retry(job)
        messages.success(request, _("已重新提交失败的分块。"))
    return redirect("jobs:detail", pk=job.pk)


@roles_required(*STAFF_ROLES)
def job_file(request, pk):
    job = _job(request, pk)
    if job.status != Job.Status.DONE or not job.file:
        raise Http404(_("该任务没有可下载的文件。"))
    response = FileResponse(job.file.open("rb"), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, job.download_name)
    return response
