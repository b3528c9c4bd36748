"""Benchmark: scoring every firm as a background job with 1 and with 2 Celery worker processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinhu REDIS_URL=redis://127.0.0.1:6379/14 \
        .venv/bin/python bench/evaluate_workers.py [--firms 10000] [--years 4] [--chunk 500]

Needs PostgreSQL (the workers are other processes: they share the database) and Redis. Works on a
database of its own (`<name>_workers_bench`, created, migrated and dropped, as bench/evaluate.py
does) and purges the Redis database it is given before each run.

Steps, in one run: build N firms with Y fiscal years (the shapes of bench/evaluate.py); then for 1
and 2 worker processes (`celery -A jinhu_portal worker --concurrency K`), start the worker, time
`jobs.start_evaluation(year)` from the click to the job's end, stop the worker. Prints both
times and the speed-up (time with 1 / time with 2); on two cores the goal is a speed-up above 1.5.
"""
import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import _benchdb  # noqa: E402
import evaluate as single  # noqa: E402  (the firm shapes and the year)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--firms", type=int, default=10000)
    p.add_argument("--years", type=int, default=4)
    p.add_argument("--chunk", type=int, default=500, help="firms per task (default 500)")
    p.add_argument("--seed", type=int, default=2022)
    return p.parse_args(argv)


def start_worker(concurrency, env):
    worker = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "celery"), "--quiet", "-A", "jinhu_portal", "worker", "--concurrency", str(concurrency),
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, start_new_session=True)
    from jinhu_portal.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return worker
    stop_worker(worker)
    raise SystemExit("the Celery worker did not answer within 60 s")


def stop_worker(worker):
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(timeout=120)


def timed_job(year, chunk):
    from criteria.jobs import start_evaluation
    from jobs.models import Job

    t0 = time.perf_counter()
    job = start_evaluation(year, chunk=chunk)
    if job.in_request:
        raise SystemExit("Redis could not be reached: the job ran in this process")
    while job.status == Job.Status.RUNNING:
        time.sleep(0.1)
        job.refresh_from_db()
    if job.status != Job.Status.DONE:
        raise SystemExit(f"the job ended {job.status}: {job.outcome}")
    return time.perf_counter() - t0


def main(argv=None):
    args = parse_args(argv)
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url or not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("evaluate_workers: skipped, needs DATABASE_URL on PostgreSQL and REDIS_URL (the workers share "
              "the database and the queue with this process)")
        return
    vendor, cleanup = _benchdb.setup_django("workers_bench")
    try:
        from django.conf import settings

        from jinhu_portal.celery import app

        app.conf.CELERY_TASK_ALWAYS_EAGER, app.conf.CELERY_BROKER_URL = False, redis_url
        db = settings.DATABASES["default"]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jinhu_portal.settings.dev",
               "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
        t0 = time.perf_counter()
        single.build_in_child(args.firms, args.years, args.seed)
        print(f"built {args.firms} firms x {args.years} years in {time.perf_counter() - t0:.1f} s ({vendor})",
              flush=True)
        times = {}
        for workers in (1, 2):
            app.control.purge()
            worker = start_worker(workers, env)
            try:
                times[workers] = timed_job(single.LAST_YEAR, args.chunk)
            finally:
                stop_worker(worker)
            print(f"{workers} worker process(es): {times[workers]:.2f} s", flush=True)
        speedup = times[1] / times[2]
        print(f"evaluate_workers: {args.firms} firms in parts of {args.chunk}: 1 worker {times[1]:.2f} s, "
              f"2 workers {times[2]:.2f} s, speed-up {speedup:.2f} ({os.cpu_count()} cores)")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
