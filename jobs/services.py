"""Starting jobs, dispatching their parts to Celery, and counting parts as they finish.

Every part is a task; with no broker configured (development, tests) tasks run at once in the
process that starts them (CELERY_TASK_ALWAYS_EAGER).  When the broker is configured but cannot be
reached, the parts run in the request instead and the job says so: never a 500 for a Redis outage.
"""
import logging

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerDown

from criteria import services as scoring
from criteria.models import Tier

from .models import Job, JobPart

logger = logging.getLogger(__name__)


def start_evaluation(year, *, tiers=None, user=None, chunk=None):
    """Score every firm for `year` (and `tiers`) as a job of parts of `chunk` firms; returns the job."""
    run, ids = scoring.start_run(year, tiers=tiers, user=user)
    parts = scoring.chunks(ids, chunk)
    job = Job.objects.create(kind=Job.Kind.EVALUATE, params={"year": year, "tiers": tiers or []}, run=run,
                             parts=len(parts), total=len(ids), started_by=user)
    JobPart.objects.bulk_create(JobPart(job=job, index=i, items=part, size=len(part)) for i, part in enumerate(parts))
    dispatch(job, range(len(parts)))
    if not parts:
        finish(job)
    job.refresh_from_db()
    return job


def dispatch(job, indexes):
    """Queue the parts `indexes` of `job`; run them here if the queue cannot be reached."""
    from .tasks import evaluate_part

    indexes = list(indexes)
    try:
        for i in indexes:
            evaluate_part.delay(job.pk, i)
    except BrokerDown:
        logger.warning("job %s: task queue unreachable, running its parts in the request", job.pk)
        Job.objects.filter(pk=job.pk).update(in_request=True)
        for i in indexes:
            evaluate_part.apply(args=(job.pk, i))


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
    """The body of one part's task: score its firms, then count it done (once)."""
    job = Job.objects.select_related("run").get(pk=job_id)
    part = job.part_rows.get(index=index)
    if part.status == JobPart.Status.DONE:       # a redelivered task of a part already stored
        return
    scoring.evaluate_chunk(job.run, part.items, keep_latest=False)
    part_finished(job, index, JobPart.Status.DONE)


def part_failed(job_id, index, exc):
    job = Job.objects.get(pk=job_id)
    part_finished(job, index, JobPart.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])


def part_finished(job, index, status, error=""):
    with transaction.atomic():
        JobPart.objects.filter(job=job, index=index).update(status=status, error=error)
        counts = job.part_rows.aggregate(done=Count("pk", filter=Q(status=JobPart.Status.DONE)),
                                         failed=Count("pk", filter=Q(status=JobPart.Status.FAILED)))
        firms = job.part_rows.filter(status=JobPart.Status.DONE).aggregate(n=Sum("size"))["n"] or 0
        Job.objects.filter(pk=job.pk).update(done=firms)
    if counts["done"] + counts["failed"] < job.parts:
        return
    if counts["failed"]:
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED, finished_at=timezone.now(),
            outcome=_("%(failed)s 个分块失败，可重试。") % {"failed": counts["failed"]})
        return
    # The last part to finish closes the job; the conditional update lets only one worker do it.
    if Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, finished_at=None).update(
            finished_at=timezone.now()):
        finish(job)


def finish(job):
    job.refresh_from_db()
    ids = [pk for items in job.part_rows.values_list("items", flat=True) for pk in items]
    run = scoring.finish_run(job.run, ids)
    parts = [f"{name} {run.counts[f'{tier}:eligible']} 家" for tier, name in Tier.choices   # the plan's order
             if run.counts.get(f"{tier}:eligible")]
    outcome = _("已完成 %(n)s 家企业的评价。") % {"n": run.firms}
    if parts:
        outcome += _("符合条件：") + "；".join(parts)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, finished_at=timezone.now(), outcome=outcome)
