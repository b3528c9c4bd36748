"""Logic that spans the criteria models: loading editions, scoring every firm, what-if.

Plain functions without request objects, so a management command, a view or a task queue can
call them alike.
"""
import csv
import io
import json
import logging
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from enterprises.models import Enterprise

from . import engine
from .models import Condition, Criterion, CriterionOutcome, Edition, EvaluationRun, Tier, TierOutcome
from .profile import build_profiles

logger = logging.getLogger(__name__)
EDITIONS_DIR = Path(settings.BASE_DIR) / "fixtures" / "editions"
CHUNK = 1000


@transaction.atomic
def load_editions(path=None):
    """Load the neutral edition JSON files; an edition already present (tier, year) is left alone."""
    created = []
    for file in sorted(Path(path).glob("*.json") if path else EDITIONS_DIR.glob("*.json")):
        for data in json.loads(file.read_text(encoding="utf-8"))["editions"]:
            if Edition.objects.filter(tier=data["tier"], year=data["year"]).exists():
                continue
            edition = Edition.objects.create(tier=data["tier"], year=data["year"], name=data["name"],
                                             notice=data.get("notice", ""), variants=data.get("variants", {}),
                                             scoring=data.get("scoring") or {})
            for c in data["criteria"]:
                criterion = Criterion.objects.create(
                    edition=edition, code=c["code"], text=c["text"], variant=c.get("variant", ""),
                    scope=c.get("scope", "enterprise"), order=c.get("order", 0),
                    overridable=c.get("overridable", False), reading=c.get("reading", ""),
                    role=c.get("role") or "rule", dimension=c.get("dimension", ""),
                    max_points=c.get("max_points") or None, bands=c.get("bands") or [])
                Condition.objects.bulk_create(
                    Condition(criterion=criterion, group=k.get("group", "a"), label=k.get("label", ""),
                              metric=k["metric"], operator=k.get("operator") or "",
                              threshold="" if k.get("threshold") is None else str(k["threshold"]),
                              unit=k.get("unit", ""), params=k.get("params") or {}, order=i)
                    for i, k in enumerate(c["conditions"]))
            edition.publish()
            created.append(edition)
    return created


def _own_variant(result):
    own = [v.variant for v in result.variants if v.own]
    return own[0] if own else ""


def _criterion_rows(outcome_id, result):
    """The CriterionOutcome rows of one TierOutcome, as tuples in `_CRITERION_FIELDS` order; a scored
    tier's indicators carry their points and maximum (None while unknown)."""
    points = {i.code: (_decimal(i.points), _decimal(i.max)) for i in result.score.indicators} \
        if result.score is not None else {}
    for v in result.variants:
        variant = v.variant
        for c in v.criteria:
            yield _row(outcome_id, c, variant, "", *points.get(c.code, (None, None)) if not variant else (None, None))
    for p in result.products:
        product = p.name
        for c in p.criteria:
            yield _row(outcome_id, c, "", product)


def _decimal(value):
    """Points as the database stores them (a 2-place decimal string), None when unknown."""
    return None if value is None else engine.display(value, "percent")


def _score_fields(result):
    """(score_sure, score_best, route) of a TierOutcome: the scored tier's points, else nothing."""
    if result.score is None:
        return None, None, ""
    return _decimal(result.score.sure), _decimal(result.score.best), result.route or ""


def _row(outcome_id, c, variant="", product="", points=None, max_points=None):
    return (outcome_id, variant, product, c.code, c.text, c.result, c.actual or "", c.threshold or "", c.unit,
            c.gap or "", c.explanation, points, max_points)


_TIER_FIELDS = ("run", "enterprise", "tier", "edition", "verdict", "own_variant", "met", "missed", "open",
                "score_sure", "score_best", "route", "is_latest")
_CRITERION_FIELDS = ("outcome", "variant", "product", "code", "text", "result", "actual", "threshold", "unit",
                     "gap", "explanation", "points", "max_points")


def _insert(cursor, model, fields, rows):
    """Insert tuples straight into `model`'s table: the rows are plain strings, ints and booleans
    (no conversion needed), so the per-object work of bulk_create is skipped.  PostgreSQL gets
    multi-row VALUES pages (execute_values), SQLite and others a prepared executemany."""
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
    table = qn(model._meta.db_table)
    if connection.vendor == "postgresql":
        # COPY is several times faster than multi-row INSERTs for hundreds of thousands of rows.
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)  # "" stays an empty string, not NULL
        writer.writerows(rows)
        buffer.seek(0)
        # ...except in the nullable columns (a scored tier's points), where None, written "", is NULL
        nullable = [qn(model._meta.get_field(f).column) for f in fields if model._meta.get_field(f).null]
        force = f", FORCE_NULL ({', '.join(nullable)})" if nullable else ""
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv{force})", buffer)
    else:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})", rows)


def evaluate_all(year, *, tiers=None, user=None, enterprises=None, progress=None, editions=None,
                 keep_latest=False):
    """Score every firm (or `enterprises`: a queryset or a list of primary keys) against the
    editions judging `year` (or `editions`); returns the run.

    Idempotent: outcomes of earlier runs for the same year, edition and firm are replaced, while
    outcomes under other editions stay as history.  The new outcomes become the firms' latest
    (`is_latest`), except with `keep_latest`, where a firm and tier whose latest outcome is of
    another assessment year keeps it (a re-evaluation of an older year moves nothing).

    The same three steps run as background tasks, one chunk of firms per task (jobs/tasks.py).
    """
    run, ids = start_run(year, tiers=tiers, user=user, enterprises=enterprises, editions=editions)
    specs = run_specs(run)
    for chunk in chunks(ids):
        evaluate_chunk(run, chunk, keep_latest=keep_latest, specs=specs)
        if progress:
            progress(len(chunk))
    return finish_run(run, ids)


def chunks(ids, size=None):
    size = size or CHUNK
    return [ids[start:start + size] for start in range(0, len(ids), size)]


def start_run(year, *, tiers=None, user=None, enterprises=None, editions=None):
    """(the new run, the sorted primary keys of the firms it will score)."""
    if editions is None:
        editions = Edition.objects.judging(year, tiers)
    if enterprises is None:
        enterprises = Enterprise.objects.all()
    if isinstance(enterprises, (list, tuple, set, frozenset)):
        ids = sorted(enterprises)
    else:
        ids = list(enterprises.order_by("pk").values_list("pk", flat=True))
    run = EvaluationRun.objects.create(year=year, started_by=user, firms=len(ids))
    run.editions.set(editions)
    return run, ids


def run_specs(run):
    """[(edition, its spec)] of the editions `run` scores against."""
    editions = sorted(run.editions.prefetch_related("criteria__conditions"), key=lambda e: Tier.values.index(e.tier))
    return [(e, e.to_spec()) for e in editions]


def evaluate_chunk(run, chunk, *, keep_latest=False, specs=None):
    """Score the firms `chunk` for `run` and store their outcomes in one transaction.  Running a chunk
    again (a retried task) replaces what it stored before: the results end the same."""
    year = run.year
    specs = specs if specs is not None else run_specs(run)
    editions = [e for e, _spec in specs]
    profiles = build_profiles(chunk, year)
    tier_rows, results = [], []
    for pk in chunk:
        profile = profiles[pk]
        cache = {}           # metric values shared by the tiers of one firm
        for edition, spec in specs:
            result = engine.evaluate_tier(profile, spec, year, cache=cache, steps=False)
            met, missed, open_ = engine.tally(result)
            tier_rows.append((run.pk, pk, edition.tier, edition.pk, result.verdict, _own_variant(result),
                              met, missed, open_, *_score_fields(result), True))
            results.append(result)
    del profiles
    with transaction.atomic():
        old = TierOutcome.objects.filter(enterprise_id__in=chunk, tier__in=[e.tier for e in editions])
        if keep_latest:
            kept = set(old.filter(is_latest=True).exclude(run__year=year).values_list("enterprise_id", "tier"))
            if kept:
                tier_rows = [(*r[:-1], (r[1], r[2]) not in kept) for r in tier_rows]
        old.filter(run__year=year, edition__in=editions).delete()
        (old.filter(is_latest=True, run__year=year) if keep_latest else old.filter(is_latest=True)).update(
            is_latest=False)
        with connection.cursor() as cursor:
            _insert(cursor, TierOutcome, _TIER_FIELDS, tier_rows)
            outcome_ids = dict(((e, t), i) for e, t, i in TierOutcome.objects.filter(
                run=run, enterprise_id__in=chunk).values_list("enterprise_id", "tier", "id"))
            _insert(cursor, CriterionOutcome, _CRITERION_FIELDS, [
                row for t, r in zip(tier_rows, results) for row in _criterion_rows(outcome_ids[t[1], t[2]], r)])


def finish_run(run, ids):
    """Close `run`: its verdict counts (read back from what the chunks stored), the runs left without
    outcomes dropped, and cultivation-plan items now met closed."""
    counts = Counter()
    for tier, verdict, n in (TierOutcome.objects.filter(run=run).order_by().values_list("tier", "verdict")
                             .annotate(n=Count("pk"))):
        counts[f"{tier}:{verdict}"] += n
    # Finished runs whose outcomes later runs all replaced; a run still in progress is left alone.
    EvaluationRun.objects.exclude(pk=run.pk).exclude(finished_at=None).filter(outcomes__isnull=True).delete()
    run.counts, run.finished_at = dict(counts), timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    from .admission.plans import close_met_items  # cultivation plans: items now met close themselves

    close_met_items(ids)
    return run


# The longest look-back of any rule: an average growth over 3 years reads the accounts of Y-3..Y,
# so the figures of fiscal year F can change the results of assessment years F..F+3.
LOOKBACK = 3


def years_to_reevaluate(fiscal_years):
    """The assessment years whose stored results a change of `fiscal_years` makes stale.

    Only years the portal has evaluated (some run exists for them) are re-scored: the firm page of
    a year never evaluated computes its results live anyway, and scoring years nobody asked for
    (F+3 of this year's accounts) would only fill the tables.  Empty `fiscal_years` (a change not
    tied to a year: the firm's own fields, its products, IP, titles...) means every evaluated year.
    """
    evaluated = set(EvaluationRun.objects.order_by().values_list("year", flat=True).distinct())
    if not fiscal_years:
        return sorted(evaluated, reverse=True)
    window = {f + k for f in fiscal_years for k in range(LOOKBACK + 1)}
    return sorted(window & evaluated, reverse=True)


def reevaluate(enterprise_ids, years=(), *, assessed=None, user=None):
    """Bring the stored results of these firms up to date after their data changed; returns the runs.

    `years` are the fiscal years written (see `years_to_reevaluate`); `assessed` names assessment
    years directly instead (a staff judgment or a claim belongs to one).  Every tier with a
    published edition judging the year is re-scored, through `evaluate_all`'s bulk path: one run
    per assessment year for all the firms together, so an import of thousands of rows costs one
    `evaluate_all` per year, and one firm a few dozen queries.  The run records the trigger (one
    row per trigger and year, not per firm); runs whose outcomes are all replaced later are removed
    by `evaluate_all`, so edits do not pile up in the run list.  Years run newest first with
    `keep_latest`, so a firm's latest results stay those of the year it showed (or, for a firm not
    evaluated before, become those of the newest year).

    Plain arguments only (ids and years), so a task queue can run it later.
    """
    ids = sorted({int(pk) for pk in enterprise_ids})
    if not ids:
        return []
    targets = sorted(set(assessed), reverse=True) if assessed is not None else years_to_reevaluate(years)
    if not targets:
        return []
    existing = []
    for start in range(0, len(ids), CHUNK):       # firms deleted meanwhile drop out
        existing += Enterprise.objects.filter(pk__in=ids[start:start + CHUNK]).values_list("pk", flat=True)
    runs = []
    for year in targets:
        editions = Edition.objects.judging(year)
        if editions and existing:
            runs.append(evaluate_all(year, user=user, enterprises=existing, editions=editions, keep_latest=True))
    return runs


def on_records_changed(sender, *, enterprise_ids, years, **kwargs):
    """Receiver of `enterprises.signals.records_changed` (sent after commit): re-evaluate now, or
    not at all with CRITERIA_REEVALUATE = "off" (`python manage.py evaluate` then refreshes)."""
    mode = getattr(settings, "CRITERIA_REEVALUATE", "sync")
    if mode == "off":
        return
    if mode != "sync":
        raise ImproperlyConfigured(f'CRITERIA_REEVALUATE must be "sync" or "off", not {mode!r}')
    try:
        reevaluate(enterprise_ids, years)
    except Exception:   # the write is committed: never report it as failed
        # Its results stay as they were until the next re-evaluation or `evaluate` run.
        logger.exception("re-evaluation of %d firms failed", len(enterprise_ids))


def assess_enterprise(enterprise, year, tiers=None):
    """Live results for one stored firm (not saved): what the firm page and the firm's API show."""
    editions = Edition.objects.judging(year, tiers)
    profile = build_profiles([enterprise.pk], year)[enterprise.pk]
    return [engine.evaluate_tier(profile, e.to_spec(), year) for e in editions]


def default_year():
    """The assessment year of this year's declarations: the last complete fiscal year."""
    return timezone.localdate().year - 1
