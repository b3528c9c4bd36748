"""Logic that spans the criteria models: loading editions, scoring every firm, what-if.

Plain functions without request objects, so a management command, a view or a task queue can
call them alike.
"""
import csv
import io
import json
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from enterprises.models import Enterprise

from . import engine
from .models import Condition, Criterion, CriterionOutcome, Edition, EvaluationRun, TierOutcome
from .profile import build_profiles

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
                                             notice=data.get("notice", ""), variants=data.get("variants", {}))
            for c in data["criteria"]:
                criterion = Criterion.objects.create(
                    edition=edition, code=c["code"], text=c["text"], variant=c.get("variant", ""),
                    scope=c.get("scope", "enterprise"), order=c.get("order", 0),
                    overridable=c.get("overridable", False), reading=c.get("reading", ""))
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
    """The CriterionOutcome rows of one TierOutcome, as tuples in `_CRITERION_FIELDS` order."""
    for v in result.variants:
        variant = v.variant
        for c in v.criteria:
            yield _row(outcome_id, c, variant, "")
    for p in result.products:
        product = p.name
        for c in p.criteria:
            yield _row(outcome_id, c, "", product)


def _row(outcome_id, c, variant="", product=""):
    return (outcome_id, variant, product, c.code, c.text, c.result, c.actual or "", c.threshold or "", c.unit,
            c.gap or "", c.explanation)


_TIER_FIELDS = ("run", "enterprise", "tier", "edition", "verdict", "own_variant", "met", "missed", "open",
                "is_latest")
_CRITERION_FIELDS = ("outcome", "variant", "product", "code", "text", "result", "actual", "threshold", "unit",
                     "gap", "explanation")


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
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)
    else:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})", rows)


def evaluate_all(year, *, tiers=None, user=None, enterprises=None, progress=None):
    """Score every firm (or `enterprises`) against the editions judging `year`; returns the run.

    Idempotent: outcomes of earlier runs for the same year, edition and firm are replaced, while
    outcomes under other editions stay as history.
    """
    editions = Edition.objects.judging(year, tiers)
    specs = [(e, e.to_spec()) for e in editions]
    ids = list((enterprises if enterprises is not None else Enterprise.objects.all())
               .order_by("pk").values_list("pk", flat=True))
    run = EvaluationRun.objects.create(year=year, started_by=user, firms=len(ids))
    run.editions.set(editions)
    counts = Counter()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        profiles = build_profiles(chunk, year)
        tier_rows, results = [], []
        for pk in chunk:
            profile = profiles[pk]
            cache = {}           # metric values shared by the tiers of one firm
            for edition, spec in specs:
                result = engine.evaluate_tier(profile, spec, year, cache=cache)
                met, missed, open_ = engine.tally(result)
                tier_rows.append((run.pk, pk, edition.tier, edition.pk, result.verdict, _own_variant(result),
                                  met, missed, open_, True))
                results.append(result)
                counts[f"{edition.tier}:{result.verdict}"] += 1
        del profiles
        with transaction.atomic():
            old = TierOutcome.objects.filter(enterprise_id__in=chunk, tier__in=[e.tier for e in editions])
            old.filter(run__year=year, edition__in=editions).delete()
            old.filter(is_latest=True).update(is_latest=False)
            with connection.cursor() as cursor:
                _insert(cursor, TierOutcome, _TIER_FIELDS, tier_rows)
                outcome_ids = dict(((e, t), i) for e, t, i in TierOutcome.objects.filter(
                    run=run, enterprise_id__in=chunk).values_list("enterprise_id", "tier", "id"))
                _insert(cursor, CriterionOutcome, _CRITERION_FIELDS, [
                    row for t, r in zip(tier_rows, results) for row in _criterion_rows(outcome_ids[t[1], t[2]], r)])
        del tier_rows, results
        if progress:
            progress(len(chunk))
    EvaluationRun.objects.exclude(pk=run.pk).filter(outcomes__isnull=True).delete()
    run.counts, run.finished_at = dict(counts), timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    return run


def assess_enterprise(enterprise, year, tiers=None):
    """Live results for one stored firm (not saved): what the firm page and the firm's API show."""
    editions = Edition.objects.judging(year, tiers)
    profile = build_profiles([enterprise.pk], year)[enterprise.pk]
    return [engine.evaluate_tier(profile, e.to_spec(), year) for e in editions]


def default_year():
    """The assessment year of this year's declarations: the last complete fiscal year."""
    return timezone.localdate().year - 1
