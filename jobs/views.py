"""A job's page and the progress fragment its page polls (htmx), and a retry of its failed parts."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinhu_portal.decorators import perm_required

from . import services
from .models import Job

# Whoever may start a scoring run may follow and retry jobs.
PERM = "criteria.add_evaluationrun"


def _job(request, pk):
    return get_object_or_404(Job.objects.visible_to(request.user).select_related("run", "started_by"), pk=pk)


@perm_required(PERM)
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("started_by")[:50]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@perm_required(PERM)
def job_detail(request, pk):
    return render(request, "jobs/job_detail.html", {"job": _job(request, pk)})


@perm_required(PERM)
def job_progress(request, pk):
    return render(request, "jobs/_progress.html", {"job": _job(request, pk)})


@perm_required(PERM)
@require_POST
def job_retry(request, pk):
    job = _job(request, pk)
    if job.status != Job.Status.FAILED:
        messages.info(request, _("该任务没有失败的分块。"))
    else:
        job = services.retry(job)
        messages.success(request, _("已重新提交失败的分块。"))
    return redirect("jobs:detail", pk=job.pk)
