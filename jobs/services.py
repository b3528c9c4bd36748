"""Starting jobs, dispatching their parts to Celery, and counting parts as they finish.

A job's kind names its handler in settings.JOB_HANDLERS (a dotted path, so that this app imports
none of the apps whose work it runs): an object with
- `run_part(job, part)`: do one part's work in one transaction (a part run twice ends the same);
  what it returns (a dict of numbers, or None) is kept on the part;
- `finish(job)`: the job's outcome, in Chinese, once every part is done;
- `failure(exc)` (optional): a part's error in the user's words (default: the exception);
- `failed(job, parts)` (optional): the outcome when parts failed (default: how many, and a retry);
- `discard(job)` (optional): remove the files a job keeps for a retry, when the job is deleted;
- `unit`: what the job counts (家企业, 行).

Every part is a task; with no broker configured (development, tests) tasks run at once in the
process that starts them (CELERY_TASK_ALWAYS_EAGER).  When the broker is configured but cannot be
reached, the parts run in the request instead and the job says so: never a 500 for a Redis outage.
"""
import logging
from functools import cache

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerDown

from .models import Job, JobPart

logger = logging.getLogger(__name__)


@cache
def handler(kind):
    return import_string(settings.JOB_HANDLERS[kind])


def start(kind, parts, *, params=None, user=None, sizes=None):
    """A new job of `kind` whose parts are the lists `parts` (the items each part works on), counted
    as `sizes` (default: the items' number); queued at once. Returns the job as it stands."""
    sizes = sizes or [len(items) for items in parts]
    job = Job.objects.create(kind=kind, params=params or {}, parts=len(parts), total=sum(sizes), started_by=user)
    JobPart.objects.bulk_create(JobPart(job=job, index=i, items=items, size=size)
                                for i, (items, size) in enumerate(zip(parts, sizes)))
    dispatch(job, range(len(parts)))
    if not parts:
        finish(job)
    job.refresh_from_db()
    return job


def dispatch(job, indexes):
    """Queue the parts `indexes` of `job`; run them here if the queue cannot be reached."""
    from .tasks import run_job_part

    indexes = list(indexes)
    try:
        for i in indexes:
            run_job_part.delay(job.pk, i)
    except BrokerDown:
        logger.warning("job %s: task queue unreachable, running its parts in the request", job.pk)
        Job.objects.filter(pk=job.pk).update(in_request=True)
        for i in indexes:
            run_job_part.apply(args=(job.pk, i))


def retry(job):
    """Queue again the parts of `job` that failed (or never finished)."""
    pending = list(job.part_rows.exclude(status=JobPart.Status.DONE).values_list("index", flat=True))
    if not pending:
        return job
    job.part_rows.filter(index__in=pending).update(status=None, error="")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, finished_at=None, outcome="")
    dispatch(job, pending)
    job.refresh_from_db()
    return job


def run_part(job_id, index):
    """The body of one part's task: do its work, then count it done (once)."""
    job = Job.objects.get(pk=job_id)
    part = job.part_rows.get(index=index)
    if part.status == JobPart.Status.DONE:       # a redelivered task of a part already stored
        return
    result = handler(job.kind).run_part(job, part)
    part_finished(job, index, JobPart.Status.DONE, result=result)


def part_failed(job_id, index, exc):
    """Record that a part failed with `exc`, in the words of its handler's `failure(exc)` if it has one."""
    job = Job.objects.get(pk=job_id)
    logger.warning("job %s (%s): part %s failed", job.pk, job.kind, index, exc_info=exc)
    explain = getattr(handler(job.kind), "failure", None)
    error = (explain(exc) if explain else None) or f"{type(exc).__name__}: {exc}"
    part_finished(job, index, JobPart.Status.FAILED, error=error[:2000])


def part_finished(job, index, status, error="", result=None):
    with transaction.atomic():
        JobPart.objects.filter(job=job, index=index).update(status=status, error=error, result=result)
        counts = job.part_rows.aggregate(done=Count("pk", filter=Q(status=JobPart.Status.DONE)),
                                         failed=Count("pk", filter=Q(status=JobPart.Status.FAILED)),
                                         items=Sum("size", filter=Q(status=JobPart.Status.DONE)))
        Job.objects.filter(pk=job.pk).update(done=counts["items"] or 0)
    if counts["done"] + counts["failed"] < job.parts:
        return
    if counts["failed"]:
        failed = list(job.part_rows.filter(status=JobPart.Status.FAILED))
        explain = getattr(handler(job.kind), "failed", None)
        outcome = explain(job, failed) if explain else ""
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED, finished_at=timezone.now(),
            outcome=outcome or _("%(failed)s 个分块失败，可重试。") % {"failed": counts["failed"]})
        return
    # The last part to finish closes the job; the conditional update lets only one worker do it.
    if Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, finished_at=None).update(
            finished_at=timezone.now()):
        finish(job)


def finish(job):
    job.refresh_from_db()
    outcome = handler(job.kind).finish(job)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, finished_at=timezone.now(), outcome=outcome)
