"""Benchmark: `evaluate_all` for every tier against a raw read of the rows it needs.

    .venv/bin/python bench/evaluate.py [--firms 10000] [--years 4]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinhu_bench .venv/bin/python bench/evaluate.py

Always works on a database of its own, created fresh and removed afterwards; the development
database (var/jinhu.sqlite3) is never opened:

- SQLite (no DATABASE_URL, or a sqlite:// one): a file in a new temporary directory.
- PostgreSQL: Django's test-database creation on the server named by DATABASE_URL: the database
  `<name>_evaluate_bench` is dropped if present, created and migrated (the database named in the
  URL is only used for the connection settings).

Steps, all timed in the same process:
1. build N firms with Y fiscal years each (bulk_create, shapes as in dashboards/demo.py) in a
   forked child process, so that building does not count towards the peak memory reported;
2. baseline: a raw read -- `list(Model.objects.values_list(...))` of every table and column the
   bulk profile builder (criteria/profile.py) reads;
3. `evaluate_all(year)` for all tiers (profiles, engine, and storing every outcome row);
4. with `--tiers`: `evaluate_all` again for each tier alone, timed; each scored tier's ratio to
   the raw read (创新型中小企业) is compared with the pass/fail tiers' ratios (issue 12: scoring
   stays within the same ratio, read as: no dearer than the dearest pass/fail tier).

Then a second baseline: the rows step 3 stored are read back, deleted and inserted again raw (plain
SQL in one transaction: COPY on PostgreSQL, executemany on SQLite, no ORM objects), timed.

Prints the times, ratio = evaluate / raw read, ratio = evaluate / (raw read + raw insert), and the
peak resident set size of the process (resource.getrusage ru_maxrss, after steps 2 and 3). Goals
(issue 13): evaluate <= 3x the raw read and <= 1.5x the raw read plus the raw insert, peak RSS
< 1 GiB; with `--tiers`, a scored tier's ratio stays within the pass/fail tiers' ratios.
"""
import argparse
import random
import resource
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import _benchdb  # noqa: E402  (beside this script)

LAST_YEAR = 2025


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--firms", type=int, default=10000, help="number of firms (default 10000)")
    p.add_argument("--years", type=int, default=4, help="fiscal years per firm (default 4)")
    p.add_argument("--seed", type=int, default=2022)
    p.add_argument("--profile", metavar="FILE", help="write a cProfile of the evaluate step to FILE")
    p.add_argument("--tiers", action="store_true",
                   help="also time each tier alone: a scored tier's ratio against the pass/fail tiers'")
    p.add_argument("--breakdown", action="store_true",
                   help="also time the profile reads and the row inserts inside evaluate (the rest is the engine)")
    return p.parse_args(argv)


def setup_django():
    return _benchdb.setup_django("evaluate_bench")


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------

# (code, share of firms, revenue range, growth %, margin %, R&D %, provincial rank, invention
#  patents, level of R&D institution and brand) -- the archetypes of dashboards/demo.py.
ARCHETYPES = [
    ("national", 3, (15000, 26000), (9, 14), (9, 13), (4, 6), (1, 2), (4, 8), "province"),
    ("province", 5, (6500, 9500), (9, 13), (9, 12), (4, 5.5), (2, 3), (3, 5), "province"),
    ("city", 10, (5200, 8000), (6, 9), (5, 8), (3, 4), (3, 8), (2, 3), "city"),
    ("county", 30, (2100, 4800), (3, 10), (4, 8), (2, 4), (1, 5), (1, 2), "city"),
    ("near", 14, (1850, 1995), (2, 6), (2, 5), (1, 3), (4, 7), (0, 1), "city"),
    ("small", 98, (150, 1700), (-8, 12), (-5, 8), (0, 3), (6, 40), (0, 1), ""),
]
TRADES = [("阀门", "高端装备"), ("仪表", "高端装备"), ("新材料", "新材料"), ("医疗器械", "大健康"),
          ("石油机械", "高端装备"), ("电子", "新材料"), ("环保设备", "高端装备"), ("生物科技", "大健康"),
          ("精密铸造", "高端装备"), ("智能装备", "高端装备"), ("软件", "新材料"), ("纺织", "新材料")]
CLUSTER_OF = {"高端装备": "高端装备", "新材料": "前沿新材料", "大健康": "生物医药和新型医疗器械"}
BUILD_CHUNK = 1000
# what the scored tier reads (as dashboards/demo_scored.py): a leading product's field, a patent's flags
STRATEGIC_TRADES = ("新材料", "医疗器械", "电子", "生物科技", "智能装备", "软件", "环保设备")


def _d(x):
    return Decimal(str(round(x, 2)))


def build_firms(n_firms, n_years, seed):
    """N firms, bulk-created in chunks; each with n_years fiscal years, a leading product with its
    revenues, IP items, and (by archetype) R&D institution, brand, certification, system,
    standard, bad record and recognitions."""
    from django.core.management import call_command
    from django.db import transaction

    from criteria.services import load_editions
    from enterprises import models as m

    call_command("load_reference_data", verbosity=0)
    load_editions()
    rnd = random.Random(seed)
    towns = list(m.Town.objects.order_by("order"))
    tags = {t.name: t for t in m.IndustryTag.objects.all()}
    years = list(range(LAST_YEAR - n_years + 1, LAST_YEAR + 1))
    weights = [a[1] for a in ARCHETYPES]
    Tagged = m.Enterprise.industry_tags.through
    for start in range(0, n_firms, BUILD_CHUNK):
        with transaction.atomic():
            archs = rnd.choices(ARCHETYPES, weights, k=min(BUILD_CHUNK, n_firms - start))
            firms = []
            for k, arch in enumerate(archs):
                serial = start + k + 1
                trade = TRADES[serial % len(TRADES)][0]
                high_tech = arch[0] in ("national", "province", "city", "county") or rnd.random() < 0.15
                firms.append(m.Enterprise(
                    name=f"金湖示范{trade}有限公司（{serial:05d}号）", uscc=f"B{serial:017d}",
                    town=towns[serial % len(towns)],
                    category="I" if arch[0] == "small" and rnd.random() < 0.2 else "M",
                    independent_legal_person=True, registered_province="江苏",
                    founding_date=date(rnd.randint(2003, 2016), rnd.randint(1, 12), rnd.randint(1, 28)),
                    main_business=f"{trade}的研发、生产与销售",
                    years_in_niche=rnd.randint(4, 15) if arch[0] != "small" else rnd.randint(1, 8),
                    years_in_field=rnd.randint(10, 20) if arch[0] in ("national", "province") else rnd.randint(2, 12),
                    high_tech_certified=high_tech,
                    high_tech_valid_from=date(LAST_YEAR - 2, 11, 1) if high_tech else None,
                    high_tech_valid_until=date(LAST_YEAR + 1, 10, 31) if high_tech else None,
                    own_brand=arch[8] != "", industry_average_margin=Decimal("6.50"),
                    pool_status="in_pool" if arch[0] in ("national", "province", "city", "county") else "none"))
            firms = m.Enterprise.objects.bulk_create(firms)
            tagged, fys, products = [], [], []
            for k, (firm, arch) in enumerate(zip(firms, archs)):
                leading = TRADES[(start + k + 1) % len(TRADES)][1]
                tagged += [Tagged(enterprise_id=firm.pk, industrytag_id=tag_id)
                           for tag_id in {tags[leading].pk, tags[CLUSTER_OF[leading]].pk}]
                revenue = rnd.uniform(*arch[2])
                figures = {}
                for year in reversed(years):
                    figures[year] = revenue
                    revenue /= 1 + rnd.uniform(*arch[3]) / 100
                for year in years:
                    rev = figures[year]
                    profit = rev * rnd.uniform(*arch[4]) / 100
                    assets = rev * rnd.uniform(1.0, 1.6)
                    employees = max(12, int(rev / 60))
                    fys.append(m.FiscalYearRecord(
                        enterprise_id=firm.pk, year=year, operating_revenue=_d(rev),
                        main_business_revenue=_d(rev * rnd.uniform(0.82, 0.95)),
                        operating_profit=_d(profit * 0.95), total_profit=_d(profit), net_profit=_d(profit * 0.85),
                        taxes_paid=_d(rev * 0.04), rd_expense=_d(rev * rnd.uniform(*arch[5]) / 100),
                        total_assets=_d(assets), total_liabilities=_d(assets * rnd.uniform(0.3, 0.62)),
                        employees=employees, rd_staff=int(employees * rnd.uniform(0.08, 0.2)),
                        equity_financing=Decimal("0")))
                rank = rnd.randint(*arch[6])
                products.append(m.Product(
                    enterprise_id=firm.pk, name=f"{firm.main_business[:-7]}主导产品", rank_province=rank,
                    rank_domestic=rank + rnd.randint(1, 4) if arch[0] in ("national", "province") else rank + 8,
                    supply_chain_customer="示范龙头集团" if arch[0] in ("national", "province") else "",
                    key_field=arch[0] == "national",
                    strategic_emerging=(TRADES[(start + k + 1) % len(TRADES)][0] in STRATEGIC_TRADES
                                        if (start + k + 1) % 9 else None)))
                firm._figures = figures
            Tagged.objects.bulk_create(tagged)
            m.FiscalYearRecord.objects.bulk_create(fys, batch_size=2000)
            products = m.Product.objects.bulk_create(products)
            revenues, ip, rd, brands, certs, systems, standards, bad, recog = ([] for _ in range(9))
            for firm, arch, product in zip(firms, archs, products):
                code, level, fid = arch[0], arch[8], firm.pk
                revenues += [m.ProductRevenue(product_id=product.pk, year=y,
                                              revenue=_d(v * rnd.uniform(0.62, 0.85)))
                             for y, v in firm._figures.items()]
                ip += [m.IPItem(enterprise_id=fid, ip_type="invention", status="granted", title=f"发明（{j + 1}）",
                                number=f"ZL20{fid:06d}{j}", product_id=product.pk,
                                high_value=True if j == 0 and code in ("national", "province") else None,
                                self_developed=True if j == 0 and code != "small" else None)
                       for j in range(rnd.randint(*arch[7]))]
                ip += [m.IPItem(enterprise_id=fid, ip_type="utility", status="granted", title=f"实用新型（{j + 1}）",
                                number=f"ZL21{fid:06d}{j}") for j in range(rnd.randint(0, 6))]
                if code == "near":
                    ip.append(m.IPItem(enterprise_id=fid, ip_type="invention", status="applied", title="一种改进工艺",
                                       number=f"CN24{fid:06d}"))
                if level:
                    rd.append(m.RDInstitution(enterprise_id=fid, name="企业技术中心", level=level,
                                              recognized_year=LAST_YEAR - 2))
                    brands.append(m.Brand(enterprise_id=fid, name="知名品牌", level=level, year=LAST_YEAR - 1))
                if code in ("national", "province", "city"):
                    certs.append(m.Certification(enterprise_id=fid, kind="management_system",
                                                 name="ISO 9001 质量管理体系认证"))
                    systems.append(m.InformationSystem(enterprise_id=fid, kind="ERP", name="ERP 系统",
                                                       core_business="生产计划与采购"))
                    standards.append(m.Standard(enterprise_id=fid, name="行业标准", level="industry", role="joined",
                                                year=LAST_YEAR - 1))
                if code == "small" and rnd.random() < 0.06:
                    bad.append(m.BadRecord(enterprise_id=fid, kind="environment", date=date(LAST_YEAR - 1, 6, 1),
                                           description="环保处罚（示范数据）"))
                if code == "national":
                    recog.append(m.Recognition(enterprise_id=fid, kind="province_giant", level="province",
                                               year=LAST_YEAR - 2, document="苏工信中小〔示范〕号"))
                if code in ("national", "province"):
                    recog.append(m.Recognition(enterprise_id=fid, kind="city_giant", level="city",
                                               year=LAST_YEAR - 3, document="淮工信〔示范〕号"))
            for model, rows in ((m.ProductRevenue, revenues), (m.IPItem, ip), (m.RDInstitution, rd),
                                (m.Brand, brands), (m.Certification, certs), (m.InformationSystem, systems),
                                (m.Standard, standards), (m.BadRecord, bad), (m.Recognition, recog)):
                model.objects.bulk_create(rows, batch_size=2000)


def build_in_child(n_firms, n_years, seed):
    _benchdb.build_in_child(build_firms, n_firms, n_years, seed)


# --------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------

def raw_read(year):
    """The baseline: every table and column criteria/profile.py reads, as plain values_list."""
    from criteria.models import Claim, StaffJudgment
    from criteria.profile import ENTERPRISE_FIELDS, FIGURES
    from enterprises import models as m

    queries = [
        m.Enterprise.objects.values_list(*ENTERPRISE_FIELDS),
        m.Enterprise.industry_tags.through.objects.values_list("enterprise_id", "industrytag__taxonomy",
                                                               "industrytag__name"),
        m.FiscalYearRecord.objects.values_list("enterprise_id", "year", *FIGURES),
        m.Product.objects.values_list("enterprise_id", "id", "name", "rank_province", "rank_domestic",
                                      "rank_global", "supply_chain_customer", "key_field", "strategic_emerging"),
        m.ProductRevenue.objects.values_list("product_id", "year", "revenue"),
        m.IPItem.objects.values_list("enterprise_id", "ip_type", "status", "product__name", "product__enterprise_id",
                                     "high_value", "self_developed"),
        m.RDInstitution.objects.values_list("enterprise_id", "level", "joint"),
        m.Brand.objects.values_list("enterprise_id", "level"),
        m.Certification.objects.values_list("enterprise_id", "kind"),
        m.Standard.objects.values_list("enterprise_id", "level", "role"),
        m.InformationSystem.objects.values_list("enterprise_id", "kind"),
        m.Competition.objects.values_list("enterprise_id", "level"),
        m.BadRecord.objects.values_list("enterprise_id", "kind", "date"),
        m.Recognition.objects.values_list("enterprise_id", "kind", "year", "level", "valid_until"),
        StaffJudgment.objects.filter(year=year).values_list("enterprise_id", "tier", "code", "product", "met"),
        Claim.objects.filter(year=year).values_list("enterprise_id", "tier", "code"),
        m.IndustryTag.objects.values_list("taxonomy", "name"),
    ]
    t0 = time.perf_counter()
    rows = sum(len(list(q)) for q in queries)
    return time.perf_counter() - t0, rows


class Breakdown:
    """Wraps the two database-bound helpers evaluate_all calls, adding up the time spent in each."""

    def __init__(self):
        from criteria import services
        self.services, self.times = services, {}
        for name in ("build_profiles", "_insert"):
            setattr(services, name, self._timed(name, getattr(services, name)))

    def _timed(self, name, fn):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.times[name] = self.times.get(name, 0) + time.perf_counter() - t0
        return wrapper

    def report(self, total):
        reads, inserts = self.times.get("build_profiles", 0), self.times.get("_insert", 0)
        return (f"breakdown: build_profiles {reads:.2f} s, inserts {inserts:.2f} s, "
                f"engine and the rest {total - reads - inserts:.2f} s")


def compare_tiers(year, read_s, evaluate_all):
    """Time `evaluate_all` for each tier alone (each run replaces the outcomes of the same year and
    edition, so it stores as much as in step 3, and pays the profile reads and a run's fixed costs
    itself, as every other tier does), print each tier's ratio to the raw read, and whether each
    scored tier's ratio lies within the pass/fail tiers' (issue 12: no dearer than the dearest
    pass/fail tier) and how it compares with their mean."""
    from criteria.models import Edition

    took = {}
    editions = list(Edition.objects.judging(year))
    for edition in editions:
        t0 = time.perf_counter()
        evaluate_all(year, tiers=[edition.tier])
        took[edition.tier] = time.perf_counter() - t0
        kind = "scored" if edition.is_scored else "pass/fail"
        print(f"tier {edition.tier} ({kind}) alone: {took[edition.tier]:.2f} s, "
              f"ratio {took[edition.tier] / read_s:.2f}", flush=True)
    passfail = [took[e.tier] / read_s for e in editions if not e.is_scored]
    scored = [e.tier for e in editions if e.is_scored]
    if not passfail or not scored:
        print(f"tiers: no scored or no pass/fail edition published for {year}")
        return
    mean = sum(passfail) / len(passfail)
    for tier in scored:
        ratio = took[tier] / read_s
        print(f"scored tier {tier}: ratio {ratio:.2f}; pass/fail tiers {min(passfail):.2f}-{max(passfail):.2f} "
              f"(mean {mean:.2f}, scored / mean {ratio / mean:.2f}): "
              f"{'within' if ratio <= max(passfail) else 'NOT within'} the pass/fail tiers' ratios")


def raw_insert():
    """(seconds, rows): the tier and criterion rows evaluate stored, read back (untimed), deleted and
    inserted again in one transaction with plain SQL, the way a hand-written loader would."""
    from django.db import connection, transaction

    from criteria.models import CriterionOutcome, TierOutcome
    from criteria.services import _CRITERION_FIELDS, _TIER_FIELDS, _insert

    tier_fields = ("id", *_TIER_FIELDS)
    tiers = list(TierOutcome.objects.order_by("pk").values_list(*[f"{f}_id" if f in ("run", "enterprise", "edition")
                                                                   else f for f in tier_fields]))
    crit_fields = _CRITERION_FIELDS
    crits = list(CriterionOutcome.objects.order_by("pk").values_list(
        *[f"{f}_id" if f == "outcome" else f for f in crit_fields]))
    CriterionOutcome.objects.all()._raw_delete(CriterionOutcome.objects.db)
    TierOutcome.objects.all()._raw_delete(TierOutcome.objects.db)
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        _insert(cursor, TierOutcome, tier_fields, tiers)
        _insert(cursor, CriterionOutcome, crit_fields, crits)
    return time.perf_counter() - t0, len(tiers) + len(crits)


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux


def main(argv=None):
    args = parse_args(argv)
    vendor, cleanup = setup_django()
    try:
        t0 = time.perf_counter()
        build_in_child(args.firms, args.years, args.seed)
        print(f"built {args.firms} firms x {args.years} years in {time.perf_counter() - t0:.1f} s ({vendor})",
              flush=True)

        from django.db import connection

        from criteria.models import CriterionOutcome, TierOutcome
        from criteria.services import evaluate_all

        if vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        year = LAST_YEAR
        raw_read(year)                                  # warm caches and connection once
        read_s, rows = raw_read(year)
        print(f"raw read: {rows} rows in {read_s:.2f} s", flush=True)

        breakdown = Breakdown() if args.breakdown else None
        t0 = time.perf_counter()
        if args.profile:
            import cProfile
            cProfile.runctx("evaluate_all(year)", globals(), {"evaluate_all": evaluate_all, "year": year},
                            args.profile)
        else:
            evaluate_all(year)
        eval_s = time.perf_counter() - t0
        tiers, crits = TierOutcome.objects.count(), CriterionOutcome.objects.count()
        print(f"evaluate: {tiers} tier outcomes, {crits} criterion outcomes in {eval_s:.2f} s", flush=True)
        if breakdown:
            print(breakdown.report(eval_s), flush=True)
        ratio = eval_s / read_s
        peak = peak_rss_mib()
        print(f"evaluate: {args.firms} firms, raw read {read_s:.2f} s, evaluate {eval_s:.2f} s, "
              f"ratio {ratio:.2f}, peak RSS {peak:.0f} MiB ({vendor})")
        ok = ratio <= 3 and peak < 1024
        print(f"goal ratio <= 3 and peak RSS < 1024 MiB: {'met' if ok else 'NOT met'}")
        insert_s, stored = raw_insert()
        both = eval_s / (read_s + insert_s)
        print(f"raw insert of the {stored} rows stored: {insert_s:.2f} s; evaluate / (raw read + raw insert) "
              f"{both:.2f}; goal <= 1.5: {'met' if both <= 1.5 else 'NOT met'}", flush=True)
        if args.tiers:
            compare_tiers(year, read_s, evaluate_all)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
