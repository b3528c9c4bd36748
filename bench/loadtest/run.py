"""`make loadtest`: 200 simulated users against gunicorn on 127.0.0.1 with PostgreSQL, for 5 minutes.

    .venv/bin/python bench/loadtest/run.py [--users 200] [--minutes 5] [--workers 4]

1. A database of its own on the machine's PostgreSQL (`jinhu_loadtest`, dropped and created; the URL
   may be changed with LOADTEST_DATABASE_URL), migrated, with the demo data, an open admission
   round, and one login per firm not yet in the pool (they declare during the test).
2. gunicorn serving the portal on 127.0.0.1:8200 with the production settings, except that it
   speaks plain HTTP (settings/loadtest.py) and the self-assessment rate limit is lifted (every
   simulated visitor comes from 127.0.0.1).
3. locust, headless, with bench/loadtest/locustfile.py: firms declaring, staff reviewing, leaders
   reading dashboards, visitors self-assessing.
4. Prints the requests, failures and p50/p95 latency of every page, then checks that every
   declaration a firm submitted is in the database as submitted. Exits non-zero on any failure.
"""
import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
OUT = ROOT / "var" / "loadtest"
PASSWORD = "jinhu2022"            # the demo logins' password, given to the firms' logins too
PORT = 8200


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, default=200)
    p.add_argument("--minutes", type=float, default=5)
    p.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    return p.parse_args(argv)


def environment():
    url = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jinhu_loadtest")
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "jinhu_portal.settings.loadtest", "DATABASE_URL": url,
            "SECRET_KEY": "loadtest-" + os.urandom(16).hex(), "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_ROOT": str(OUT / "media"), "SELF_ASSESSMENT_RATE": "1000000/m", "LOG_LEVEL": "ERROR",
            "REDIS_URL": ""}


def manage(env, *args):
    subprocess.run([str(VENV / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def fresh_database(env):
    import psycopg2

    url = env["DATABASE_URL"]
    base, name = url.rsplit("/", 1)
    conn = psycopg2.connect(f"{base}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


PREPARE = """
import json
import os
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from criteria.admission.declaring import in_pool
from criteria.models import Edition, Round
from enterprises.models import Enterprise
from enterprises.services import assign_role
from jinhu_portal.roles import Role

today = timezone.localdate()
staff = get_user_model().objects.get(username="staff")
round_ = Round.objects.create(title="压力测试入库申报", kind="admission", tier="county_pool", year=today.year - 1,
                              opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=10),
                              edition=Edition.objects.get(tier="county_pool", status="published"), created_by=staff)
firms = []
for firm in Enterprise.objects.order_by("pk"):
    user = get_user_model().objects.create_user(f"load_{firm.pk}", password=os.environ["LOADTEST_PASSWORD"])
    assign_role(user, Role.ENTERPRISE, enterprise=firm)
    firms.append({"username": user.username, "enterprise": firm.pk,
                  "declare": not in_pool(firm.pk) and not firm.declarations.filter(round=round_).exists()})
print(json.dumps({"round": round_.pk, "firms": firms, "staff": "staff", "leader": "leader",
                  "password": os.environ["LOADTEST_PASSWORD"]}))
"""


def prepare(env):
    OUT.mkdir(parents=True, exist_ok=True)
    fresh_database(env)
    for args in (("migrate", "--noinput", "-v0"), ("createcachetable",), ("load_reference_data", "-v0"),
                 ("load_editions", "-v0"), ("seed_demo",), ("collectstatic", "--noinput", "-v0")):
        manage(env, *args)
    shell = subprocess.run([str(VENV / "python"), "manage.py", "shell", "-c", PREPARE], cwd=ROOT,
                           env={**env, "LOADTEST_PASSWORD": PASSWORD}, check=True, capture_output=True, text=True)
    accounts = json.loads(shell.stdout.strip().splitlines()[-1])
    path = OUT / "accounts.json"
    path.write_text(json.dumps(accounts, ensure_ascii=False), "utf-8")
    return path, accounts


def serve(env, workers):
    server = subprocess.Popen([str(VENV / "gunicorn"), "jinhu_portal.wsgi", "-b", f"127.0.0.1:{PORT}", "-w",
                               str(workers), "--timeout", "120", "--log-level", "warning"],
                              cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not answer /healthz")


def report(prefix):
    rows = list(csv.DictReader((OUT / f"{prefix}_stats.csv").open(encoding="utf-8")))
    print(f"{'page':<24}{'requests':>9}{'failures':>9}{'p50 ms':>8}{'p95 ms':>8}")
    failures = 0
    for row in rows:
        name = "合计" if row["Name"] == "Aggregated" else row["Name"]
        failures += int(row["Failure Count"]) if row["Name"] != "Aggregated" else 0
        print(f"{name:<24}{row['Request Count']:>9}{row['Failure Count']:>9}{row['50%']:>8}{row['95%']:>8}")
    return failures


def check_declarations(env, submitted):
    ids = sorted({int(line) for line in submitted.read_text("utf-8").split()} if submitted.exists() else set())
    code = ("from criteria.models import Declaration, Status; import json; "
            f"ids = {ids!r}; found = Declaration.objects.filter(pk__in=ids, status=Status.SUBMITTED).count(); "
            "print(json.dumps([len(ids), found]))")
    out = subprocess.run([str(VENV / "python"), "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return json.loads(out)


def main(argv=None):
    args = parse_args(argv)
    env = environment()
    accounts_path, accounts = prepare(env)
    submitted = OUT / "submitted.txt"
    submitted.unlink(missing_ok=True)
    server = serve(env, args.workers)
    try:
        prefix = "locust"
        seconds = int(args.minutes * 60)
        subprocess.run([str(VENV / "locust"), "-f", str(ROOT / "bench" / "loadtest" / "locustfile.py"), "--headless",
                        "-u", str(args.users), "-r", str(max(1, args.users // 20)), "-t", f"{seconds}s",
                        "--host", f"http://127.0.0.1:{PORT}", "--csv", str(OUT / prefix), "--only-summary",
                        "--loglevel", "WARNING"],
                       cwd=ROOT, env={**env, "LOADTEST_ACCOUNTS": str(accounts_path),
                                      "LOADTEST_SUBMITTED": str(submitted)})
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    failures = report(prefix)
    wanted = sum(1 for f in accounts["firms"] if f["declare"])
    sent, found = check_declarations(env, submitted)
    print(f"declarations submitted during the test: {sent} (of {wanted} firms able to declare); "
          f"found in the database as submitted: {found}")
    print(f"loadtest: {args.users} users for {args.minutes:g} min, gunicorn -w {args.workers}, "
          f"{failures} failed requests; every submitted declaration found: {'yes' if found == sent else 'NO'}")
    return 0 if failures == 0 and found == sent and sent > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
