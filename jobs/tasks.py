"""Celery tasks: one part of a job each.  A part is idempotent (its work is replaced in one
transaction), so a task is acknowledged only when it has finished (acks_late) and redelivered when its
worker dies; database hiccups are retried."""
from celery import shared_task
from django.db import DatabaseError

from . import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3, default_retry_delay=2)
def run_job_part(self, job_id, index):
    try:
        services.run_part(job_id, index)
    except DatabaseError as exc:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise self.retry(exc=exc)
        services.part_failed(job_id, index, exc)
    except Exception as exc:
        services.part_failed(job_id, index, exc)
        if not getattr(exc, "expected", False):      # a refusal its handler words (bad data) is no crash
            raise
