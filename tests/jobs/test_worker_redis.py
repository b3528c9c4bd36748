"""A real Celery worker on the machine's Redis scores a year in parts and stores what one process
stores.  Runs where REDIS_URL is set (.ci/run sets it); `make test` runs without Redis."""
import os
import time

import pytest

from criteria import services as scoring
from criteria.jobs import run_of, start_evaluation
from criteria.models import EvaluationRun
from jinhu_portal.celery import app as celery_app
from jobs.models import Job
from tests.criteria.conftest import YEAR
from tests.jobs.test_jobs import forget_connections, stored

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [pytest.mark.skipif(not REDIS_URL, reason="需要 REDIS_URL（本机 Redis）"),
              pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_worker():
    from celery.contrib.testing.worker import start_worker

    conf = celery_app.conf
    saved = conf.CELERY_TASK_ALWAYS_EAGER, conf.CELERY_BROKER_URL
    conf.CELERY_TASK_ALWAYS_EAGER, conf.CELERY_BROKER_URL = False, REDIS_URL
    forget_connections()
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        yield
    conf.CELERY_TASK_ALWAYS_EAGER, conf.CELERY_BROKER_URL = saved
    forget_connections()


def test_a_worker_on_redis_stores_what_one_process_stores(firms, redis_worker):
    run = scoring.evaluate_all(YEAR)
    expected, counts = stored(), run.counts
    EvaluationRun.objects.all().delete()

    job = start_evaluation(YEAR, chunk=2)
    assert not job.in_request
    deadline = time.monotonic() + 120
    while job.status == Job.Status.RUNNING and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    assert (job.status, job.done, job.parts) == (Job.Status.DONE, 5, 3)
    assert stored() == expected
    assert run_of(job).counts == counts
