"""Scoring a year as a background job of parts: the same stored results as one process, a failed part
retried to the same end, a queue that cannot be reached never a 500, and the page staff watch."""
import pytest
from django.urls import reverse

from criteria import services as scoring
from criteria.jobs import run_of, start_evaluation
from criteria.models import CriterionOutcome, EvaluationRun, TierOutcome
from jinhu_portal.celery import app as celery_app
from jobs import services
from jobs.models import Job, JobPart
from tests.criteria.conftest import YEAR
from tests.factories import EnterpriseFactory


def stored():
    """What a year's scoring leaves behind, without the ids and run that differ between runs."""
    tiers = sorted(TierOutcome.objects.filter(is_latest=True, run__year=YEAR).values_list(
        "enterprise_id", "tier", "verdict", "own_variant", "met", "missed", "open", "score_sure", "score_best",
        "route"))
    rows = sorted(CriterionOutcome.objects.filter(outcome__is_latest=True, outcome__run__year=YEAR).values_list(
        "outcome__enterprise_id", "outcome__tier", "variant", "product", "code", "result", "actual", "threshold",
        "gap", "explanation", "points"))
    return tiers, rows


@pytest.fixture
def single_process(firms):
    """The results of one evaluate_all, then the tables emptied for the job to fill again."""
    for _ in range(7):
        EnterpriseFactory()            # more firms than a part holds
    run = scoring.evaluate_all(YEAR)
    result = stored(), run.counts
    EvaluationRun.objects.all().delete()
    assert not TierOutcome.objects.exists()
    return result


def test_a_year_scored_in_parts_stores_exactly_what_one_process_stores(single_process):
    (expected, counts) = single_process
    job = start_evaluation(YEAR, chunk=3)
    assert (job.status, job.parts, job.total, job.done) == (Job.Status.DONE, 4, 12, 12)
    assert stored() == expected
    assert run_of(job).counts == counts and run_of(job).finished_at is not None
    assert job.outcome.startswith("已完成 12 家企业的评价。")
    assert list(job.part_rows.values_list("status", flat=True)) == [JobPart.Status.DONE] * 4


def test_a_part_that_fails_is_retried_and_the_run_ends_as_one_process_ends(single_process, monkeypatch):
    (expected, counts) = single_process
    real = scoring.evaluate_chunk
    calls = []

    def dies_once_on_the_second_part(run, chunk, **kw):
        calls.append(chunk[0])
        if len(calls) == 2:
            raise RuntimeError("worker lost")     # as a killed worker: the part's transaction never commits
        return real(run, chunk, **kw)

    monkeypatch.setattr(scoring, "evaluate_chunk", dies_once_on_the_second_part)
    job = start_evaluation(YEAR, chunk=3)
    assert (job.status, job.done, job.outcome) == (Job.Status.FAILED, 9, "1 个分块失败，可重试。")
    failed = job.part_rows.get(status=JobPart.Status.FAILED)
    assert (failed.index, failed.error) == (1, "RuntimeError: worker lost")
    assert TierOutcome.objects.filter(enterprise_id__in=failed.items).count() == 0

    job = services.retry(job)
    assert (job.status, job.done) == (Job.Status.DONE, 12)
    assert stored() == expected
    assert run_of(job).counts == counts


def test_a_part_delivered_twice_is_stored_and_counted_once(single_process):
    (expected, _counts) = single_process
    job = start_evaluation(YEAR, chunk=3)
    services.run_part(job.pk, 0)                      # a redelivered task after the part finished
    services.part_finished(job, 0, JobPart.Status.DONE)
    job.refresh_from_db()
    assert (job.status, job.done) == (Job.Status.DONE, 12)
    assert stored() == expected


def forget_connections():
    """Drop the broker connections and producers made for the broker set before."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def unreachable_queue():
    """Tasks sent to a Redis nobody listens on, as when the broker is down."""
    conf = celery_app.conf        # read from Django's settings under the CELERY_ namespace
    saved = conf.CELERY_TASK_ALWAYS_EAGER, conf.CELERY_BROKER_URL
    conf.CELERY_TASK_ALWAYS_EAGER, conf.CELERY_BROKER_URL = False, "redis://127.0.0.1:1/0"
    forget_connections()
    yield
    conf.CELERY_TASK_ALWAYS_EAGER, conf.CELERY_BROKER_URL = saved
    forget_connections()


def test_staff_starting_a_run_with_the_queue_down_get_it_done_in_the_request_with_a_warning(
        client, bob, firms, unreachable_queue):
    client.force_login(bob)
    response = client.post(reverse("criteria:runs"), {"year": YEAR}, follow=True)
    assert response.status_code == 200
    job = Job.objects.get()
    assert job.in_request and job.status == Job.Status.DONE and job.started_by == bob
    page = response.content.decode()
    assert "后台任务队列暂不可用，评价已在本次请求中完成。" in page
    assert "已完成 5 家企业的评价。" in page and "已完成" in page
    assert TierOutcome.objects.filter(run=run_of(job)).count() == 5 * 9


def test_the_job_page_polls_while_running_and_stops_when_done(client, bob, firms):
    client.force_login(bob)
    response = client.post(reverse("criteria:runs"), {"year": YEAR})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "全部企业评价（2023年度）" in page and "5 / 5 家企业（100%）" in page
    assert 'hx-trigger="every 1s"' not in page

    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=2)
    fragment = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "2 / 5 家企业（40%）" in fragment and "进行中" in fragment
    assert '<progress class="w-100 job-bar" max="5" value="2">' in fragment


def test_a_failed_job_offers_a_retry_and_a_done_one_does_not(client, bob, firms):
    client.force_login(bob)
    job = start_evaluation(YEAR, chunk=2)
    assert "重试失败的分块" not in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    response = client.post(reverse("jobs:retry", args=[job.pk]), follow=True)
    assert "该任务没有失败的分块。" in response.content.decode()

    job.part_rows.filter(index=0).update(status=JobPart.Status.FAILED, error="x")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, done=3)
    assert "重试失败的分块" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    response = client.post(reverse("jobs:retry", args=[job.pk]), follow=True)
    assert "已重新提交失败的分块。" in response.content.decode()
    job.refresh_from_db()
    assert (job.status, job.done) == (Job.Status.DONE, 5)


def test_the_job_list_costs_the_same_queries_for_few_jobs_and_many(client, bob, firms,
                                                                  django_assert_max_num_queries):
    client.force_login(bob)
    start_evaluation(YEAR)
    with django_assert_max_num_queries(12):
        one = client.get(reverse("jobs:list"))
    for _ in range(6):
        start_evaluation(YEAR)
    with django_assert_max_num_queries(12):
        many = client.get(reverse("jobs:list"))
    assert one.status_code == many.status_code == 200
    assert many.content.decode().count("全部企业评价（2023年度）") == 7
