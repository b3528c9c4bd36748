"""Benchmark: Excel import of yearly figures against a raw openpyxl read of the same file.

    .venv/bin/python bench/import_xlsx.py [--firms 2500] [--years 4] [--existing 2] [--evaluated 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinhu_bench .venv/bin/python bench/import_xlsx.py

Always works on a database of its own, created fresh and removed afterwards; the development
database (var/jinhu.sqlite3) is never opened:

- SQLite (no DATABASE_URL, or a sqlite:// one): a file in a new temporary directory.
- PostgreSQL: Django's test-database creation on the server named by DATABASE_URL: the database
  `<name>_import_bench` is dropped if present, created and migrated (the database named in the
  URL is only used for the connection settings).

Steps, all in the same process:
1. in a forked child (so building does not count towards the peak memory reported): N firms, the
   first `--existing` years of each already stored (those rows become updates, the rest creates),
   and a workbook of N x Y rows written to a temporary file;
2. baseline: `openpyxl.load_workbook(read_only=True)` and iterating every row's values;
3. `enterprises.importing.parse_workbook` + `commit` of that file.

Prints both times, ratio = import / raw read, and the peak resident set size (ru_maxrss).
Goal: ratio <= 3.

Results never go stale: once the commit's transaction ends, the firms written are re-evaluated
(criteria/services.py `reevaluate`, one `evaluate_all` over them per assessment year already
evaluated).  By default nothing is evaluated yet, so that costs one query.  With `--evaluated N`
the build also loads the criteria editions and evaluates the N most recent years of the workbook
first; the re-evaluation after the commit is then timed on its own and printed beside the import,
and the ratio stays parse + write over the raw read, as above.
"""
import argparse
import random
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import _benchdb  # noqa: E402  (beside this script)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--firms", type=int, default=2500, help="number of firms (default 2500)")
    p.add_argument("--years", type=int, default=4, help="yearly rows per firm (default 4)")
    p.add_argument("--existing", type=int, default=2,
                   help="of those years, how many are already stored and get updated (default 2)")
    p.add_argument("--evaluated", type=int, default=0,
                   help="evaluate the N most recent years before importing, so the commit re-evaluates (default 0)")
    p.add_argument("--seed", type=int, default=2022)
    p.add_argument("--profile", metavar="FILE", help="write a cProfile of the import step to FILE")
    return p.parse_args(argv)


def setup_django():
    return _benchdb.setup_django("import_bench")


def _d(x):
    return Decimal(str(round(x, 2)))


def figures(rnd):
    rev = round(rnd.uniform(150, 26000), 2)
    profit = rev * rnd.uniform(-0.05, 0.13)
    assets = rev * rnd.uniform(1.0, 1.6)
    employees = max(12, int(rev / 60))
    return {"operating_revenue": rev, "main_business_revenue": round(rev * rnd.uniform(0.82, 0.95), 2),
            "operating_profit": round(profit * 0.95, 2), "total_profit": round(profit, 2),
            "net_profit": round(profit * 0.85, 2), "taxes_paid": round(rev * 0.04, 2),
            "rd_expense": round(rev * rnd.uniform(0, 0.06), 2), "total_assets": round(assets, 2),
            "total_liabilities": round(assets * rnd.uniform(0.3, 0.62), 2), "employees": employees,
            "rd_staff": int(employees * rnd.uniform(0.08, 0.2)), "equity_financing": 0}


def build(n_firms, years, n_existing, seed, path, n_evaluated=0):
    """Firms, the already-stored years, a staff user, and the workbook file."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from openpyxl import Workbook

    from enterprises import models as m
    from enterprises.importing import FIGURE_FIELDS, TEMPLATE_COLUMNS
    from jinhu_portal.roles import Role, ensure_roles
    from enterprises.services import assign_role

    rnd = random.Random(seed)
    with transaction.atomic():
        ensure_roles()
        assign_role(get_user_model().objects.create_user("bench-staff"), Role.STAFF)
        town = m.Town.objects.create(code="BENCH", name="基准镇")
        firms = m.Enterprise.objects.bulk_create(
            [m.Enterprise(name=f"金湖基准企业（{i:05d}号）有限公司", uscc=f"B{i:017d}", town=town)
             for i in range(1, n_firms + 1)], batch_size=2000)
        stored = []
        for firm in firms:
            for year in years[:n_existing]:
                stored.append(m.FiscalYearRecord(enterprise_id=firm.pk, year=year,
                                                 **{k: _d(v) if isinstance(v, float) else v
                                                    for k, v in figures(rnd).items()}))
        m.FiscalYearRecord.objects.bulk_create(stored, batch_size=2000)
    if n_evaluated:
        from criteria.services import evaluate_all, load_editions

        load_editions()
        for year in years[-n_evaluated:]:
            evaluate_all(year)

    # An ordinary (not write-only) workbook, as Excel saves it: with the <dimension> element that
    # lets read-only openpyxl skip a full pre-scan of the sheet.
    book = Workbook()
    sheet = book.active
    sheet.title = "年度数据"
    sheet.append(TEMPLATE_COLUMNS)
    for firm in firms:
        for year in years:
            f = figures(rnd)
            sheet.append([firm.uscc, firm.name, year] + [f[k] for k in FIGURE_FIELDS])
    book.save(path)


def build_in_child(*args):
    _benchdb.build_in_child(build, *args)


def raw_read(path):
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    n = 0
    for ws in book.worksheets:
        for values in ws.iter_rows(values_only=True):
            n += 1
    book.close()
    return n - 1


def _time_reevaluation():
    """Time each re-evaluation the commit triggers: [(seconds, runs)], filled as they happen."""
    from criteria import services

    calls, reevaluate = [], services.reevaluate

    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        runs = reevaluate(*args, **kwargs)
        calls.append((time.perf_counter() - t0, runs))
        return runs

    services.reevaluate = timed          # the receiver looks it up at call time
    return calls


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None):
    args = parse_args(argv)
    vendor, cleanup = setup_django()
    workdir = tempfile.TemporaryDirectory(prefix="jinhu-import-xlsx-")
    try:
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from enterprises.importing import commit, parse_workbook
        from enterprises.models import FiscalYearRecord

        last = timezone.localdate().year - 1
        years = list(range(last - args.years + 1, last + 1))
        path = Path(workdir.name) / "figures.xlsx"
        t0 = time.perf_counter()
        n_evaluated = min(args.evaluated, args.years)
        build_in_child(args.firms, years, min(args.existing, args.years), args.seed, path, n_evaluated)
        n_rows = args.firms * len(years)
        print(f"built {args.firms} firms, {args.firms * min(args.existing, args.years)} stored years and a "
              f"{n_rows}-row workbook ({path.stat().st_size / 1024 / 1024:.1f} MB) on {vendor}"
              f"{f', {n_evaluated} year(s) evaluated' if n_evaluated else ''} in {time.perf_counter() - t0:.1f} s")
        reevaluations = _time_reevaluation()
        user = get_user_model().objects.get(username="bench-staff")

        t0 = time.perf_counter()
        read = raw_read(path)
        raw = time.perf_counter() - t0
        assert read == n_rows, (read, n_rows)
        print(f"raw openpyxl read: {read} rows in {raw:.2f} s (peak RSS {peak_rss_mib():.0f} MiB)")

        if args.profile:
            import cProfile
            profiler = cProfile.Profile()
            profiler.enable()
        t0 = time.perf_counter()
        preview = parse_workbook(path)
        t_parse = time.perf_counter() - t0
        if preview.errors:
            raise SystemExit("unexpected import errors:\n" + "\n".join(preview.error_lines()[:20]))
        result = commit(preview, user)                 # the re-evaluation runs as its transaction ends
        took = time.perf_counter() - t0
        t_reeval = sum(t for t, _runs in reevaluations)
        took -= t_reeval
        if args.profile:
            profiler.disable()
            profiler.dump_stats(args.profile)
        assert FiscalYearRecord.objects.count() == n_rows
        assert FiscalYearRecord.history.count() == result.created + result.updated
        print(f"import: parse {t_parse:.2f} s + commit {took - t_parse:.2f} s = {took:.2f} s "
              f"(created {result.created}, updated {result.updated}, unchanged {result.unchanged}; "
              f"peak RSS {peak_rss_mib():.0f} MiB)")
        runs = [r for _t, rs in reevaluations for r in rs]
        print(f"re-evaluation after the commit: {t_reeval:.2f} s in {len(reevaluations)} call(s), "
              f"{len(runs)} run(s) of {sum(r.firms for r in runs)} firm-years "
              f"(import + re-evaluation {took + t_reeval:.2f} s)")
        print(f"import_xlsx: {n_rows} rows, raw openpyxl read {raw:.2f} s, import {took:.2f} s, "
              f"ratio {took / raw:.2f} ({vendor}, peak RSS {peak_rss_mib():.0f} MiB)")
        return took / raw
    finally:
        workdir.cleanup()
        cleanup()


if __name__ == "__main__":
    main()
