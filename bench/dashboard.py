"""Benchmark: the leadership dashboard (目标看板) against a minimal login-required Django view.

    .venv/bin/python bench/dashboard.py [--firms 10000] [--requests 400]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinhu_bench .venv/bin/python bench/dashboard.py

Works on a database of its own (bench/_benchdb.py: a temporary SQLite file, or `<name>_dashboard_bench`
on the PostgreSQL server of DATABASE_URL), never the development database.

Steps, in one process:
1. build N firms in bulk (in a forked child): towns, industry tags, county pool memberships admitted
   2022–2024 (some left), recognitions of every kind the targets and the dashboard count (giants,
   products, municipal and provincial pools, national titles, first sets, smart workshops...), R&D
   institutions, invention patents, standards; the plan's targets (load_reference_data); a leader;
2. serve both pages from the same Django, in-process with the test Client (the whole middleware
   stack: sessions, authentication, CSRF, CSP, axes), logged in as the leader: `/dashboards/`
   (year 2024) and `/bench/minimal/`, a view defined here only (login required, a tiny
   HttpResponse) and mounted by a urlconf that wraps the portal's;
3. warm up (the first dashboard request counts every target and fills the cache), then time
   rounds of each alternately and keep each page's best round.

Prints the requests per second of each and the ratio dashboard / minimal. Goal: ratio >= 0.5.
The cache is the test settings' local memory (the figures are cached per scope and year and
invalidated on every write; the rendered cards and charts are cached as one fragment).
"""
import argparse
import random
import sys
import time
import types
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import _benchdb  # noqa: E402  (beside this script)

YEARS = (2022, 2023, 2024)
CHUNK = 2000
# (kind, level, share of firms per year)
RECOGNITIONS = [
    ("city_giant", "city", 0.012), ("city_product", "city", 0.006), ("province_giant", "province", 0.004),
    ("province_product", "province", 0.002), ("national_giant", "national", 0.0006),
    ("national_champion", "national", 0.0002), ("city_pool", "city", 0.02), ("province_pool", "province", 0.01),
    ("first_set", "province", 0.0008), ("smart_workshop", "province", 0.0008), ("iiot_benchmark", "city", 0.0006),
    ("energy_retrofit", "county", 0.003), ("quality_award", "city", 0.0002), ("jiangsu_jingpin", "province", 0.0003),
    ("service_platform", "province", 0.0002), ("innovation_base", "province", 0.0001),
]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--firms", type=int, default=10000, help="number of firms (default 10000)")
    p.add_argument("--requests", type=int, default=400, help="requests per timed round (default 400)")
    p.add_argument("--rounds", type=int, default=3, help="timed rounds per page (default 3)")
    p.add_argument("--seed", type=int, default=2022)
    return p.parse_args(argv)


def build(n_firms, seed):
    from django.core.management import call_command
    from django.db import transaction

    from criteria.models import PoolMembership
    from enterprises import models as m
    from enterprises.services import assign_role
    from jinhu_portal.roles import Role

    call_command("load_reference_data", verbosity=0)
    rnd = random.Random(seed)
    towns = list(m.Town.objects.order_by("order"))
    tags = list(m.IndustryTag.objects.filter(taxonomy="county_leading")) or list(m.IndustryTag.objects.all()[:3])
    Tagged = m.Enterprise.industry_tags.through
    for start in range(0, n_firms, CHUNK):
        with transaction.atomic():
            firms = m.Enterprise.objects.bulk_create(
                m.Enterprise(name=f"金湖看板示范企业（{i:05d}号）", uscc=f"D{i:017d}", town=towns[i % len(towns)],
                             category="M", independent_legal_person=True, founding_date=date(2010, 1, 1),
                             pool_status="in_pool" if i % 5 < 3 else "none")
                for i in range(start, min(start + CHUNK, n_firms)))
            Tagged.objects.bulk_create(Tagged(enterprise_id=f.pk, industrytag_id=tags[f.pk % len(tags)].pk)
                                       for f in firms)
            members, recognitions, rd, ip, standards = [], [], [], [], []
            for k, firm in enumerate(firms):
                if (start + k) % 5 < 3:
                    left = rnd.random() < 0.05
                    members.append(PoolMembership(
                        enterprise_id=firm.pk, admitted_on=date(rnd.choice(YEARS), rnd.randint(1, 12), 15),
                        left_on=date(2024, 12, 1) if left else None, leave_reason="示范出库" if left else ""))
                for kind, level, share in RECOGNITIONS:
                    for year in YEARS:
                        if rnd.random() < share:
                            recognitions.append(m.Recognition(enterprise_id=firm.pk, kind=kind, level=level,
                                                              year=year, document="示范文件"))
                if rnd.random() < 0.003:
                    rd.append(m.RDInstitution(enterprise_id=firm.pk, name="企业技术中心", level="province",
                                              recognized_year=rnd.choice(YEARS)))
                if rnd.random() < 0.01:
                    ip.append(m.IPItem(enterprise_id=firm.pk, ip_type="invention", status="granted",
                                       title="一种示范装置", number=f"ZL{firm.pk:09d}",
                                       granted_on=date(rnd.choice(YEARS), 6, 1)))
                if rnd.random() < 0.001:
                    standards.append(m.Standard(enterprise_id=firm.pk, name="示范标准", level="industry",
                                                role="joined", year=rnd.choice(YEARS)))
            for model, rows in ((PoolMembership, members), (m.Recognition, recognitions), (m.RDInstitution, rd),
                                (m.IPItem, ip), (m.Standard, standards)):
                model.objects.bulk_create(rows, batch_size=2000)
    from django.contrib.auth import get_user_model

    assign_role(get_user_model().objects.create_user("bench_leader", password="bench-pw-123"), Role.LEADER)


def bench_urlconf():
    """The portal's URLs plus /bench/minimal/, defined here only (never in the portal's urls.py)."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.urls import include, path

    @login_required
    def minimal(request):
        return HttpResponse("ok", content_type="text/plain")

    module = types.ModuleType("bench_dashboard_urls")
    module.urlpatterns = [path("bench/minimal/", minimal), path("", include("jinhu_portal.urls"))]
    sys.modules[module.__name__] = module
    return module.__name__


def rate(client, url, n):
    t0 = time.perf_counter()
    for _ in range(n):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return n / (time.perf_counter() - t0)


def main(argv=None):
    args = parse_args(argv)
    vendor, cleanup = _benchdb.setup_django("dashboard_bench")
    try:
        t0 = time.perf_counter()
        _benchdb.build_in_child(build, args.firms, args.seed)
        print(f"built {args.firms} firms in {time.perf_counter() - t0:.1f} s ({vendor})", flush=True)

        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import override_settings

        from enterprises.models import Recognition

        if vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        client = Client()
        client.force_login(get_user_model().objects.get(username="bench_leader"))
        dashboard, minimal = "/dashboards/?year=2024", "/bench/minimal/"
        with override_settings(ROOT_URLCONF=bench_urlconf()):
            t0 = time.perf_counter()
            html = client.get(dashboard).content.decode()
            cold = time.perf_counter() - t0
            assert "目标看板" in html and html.count('class="card h-100 target-card') == 18, "dashboard did not render"
            print(f"cold dashboard (counting every target): {cold * 1000:.0f} ms; "
                  f"{Recognition.objects.count()} recognitions", flush=True)
            rate(client, dashboard, 50)
            rate(client, minimal, 50)
            best = {"dashboard": 0.0, "minimal": 0.0}
            for _ in range(args.rounds):
                best["minimal"] = max(best["minimal"], rate(client, minimal, args.requests))
                best["dashboard"] = max(best["dashboard"], rate(client, dashboard, args.requests))
        ratio = best["dashboard"] / best["minimal"]
        print(f"dashboard: {args.firms} firms, dashboard {best['dashboard']:.0f} req/s, "
              f"minimal view {best['minimal']:.0f} req/s, ratio {ratio:.2f} ({vendor})")
        print(f"goal ratio >= 0.5: {'met' if ratio >= 0.5 else 'NOT met'}")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
