"""Logic that spans the criteria models: loading editions, scoring every firm, what-if.

Plain functions without request objects, so a management command, a view or a task queue can
call them alike.
"""
import json
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from enterprises.models import Enterprise

from . import engine
from .models import (Condition, Criterion, CriterionOutcome, Edition, EditionStatus, EvaluationRun, TierOutcome)
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


def _counts(result):
    rows = [c for v in result.variants if v.own or len(result.variants) == 1 for c in v.criteria]
    if not rows and result.variants:
        rows = result.variants[0].criteria
    if result.products:
        best = min(result.products, key=lambda p: engine.VERDICTS.index(p.verdict))
        rows = rows + list(best.criteria)
    tally = Counter(c.result for c in rows)
    return tally[engine.MET], tally[engine.NOT_MET], tally[engine.UNKNOWN] + tally[engine.NEEDS_REVIEW]


def _own_variant(result):
    own = [v.variant for v in result.variants if v.own]
    return own[0] if own else ""


def _criterion_rows(outcome, result):
    for v in result.variants:
        for c in v.criteria:
            yield _row(outcome, c, variant=v.variant)
    for p in result.products:
        for c in p.criteria:
            yield _row(outcome, c, product=p.name)


def _row(outcome, c, variant="", product=""):
    return CriterionOutcome(outcome=outcome, variant=variant, product=product, code=c.code, text=c.text,
                            result=c.result, actual=c.actual or "", threshold=c.threshold or "", unit=c.unit,
                            gap=c.gap or "", explanation=c.explanation)


def evaluate_all(year, *, tiers=None, user=None, enterprises=None, progress=None):
    """Score every firm (or `enterprises`) against the editions judging `year`; returns the run.

    Idempotent: outcomes of earlier runs for the same year, edition and firm are replaced, while
    outcomes under other editions stay as history.
    """
    editions = Edition.objects.judging(year, tiers)
    specs = {e.pk: e.to_spec() for e in editions}
    ids = list((enterprises if enterprises is not None else Enterprise.objects.all())
               .order_by("pk").values_list("pk", flat=True))
    run = EvaluationRun.objects.create(year=year, started_by=user, firms=len(ids))
    run.editions.set(editions)
    counts = Counter()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        profiles = build_profiles(chunk, year)
        with transaction.atomic():
            old = TierOutcome.objects.filter(enterprise_id__in=chunk, tier__in=[e.tier for e in editions])
            old.filter(run__year=year, edition__in=editions).delete()
            old.filter(is_latest=True).update(is_latest=False)
            outcomes, results = [], []
            for pk in chunk:
                for edition in editions:
                    result = engine.evaluate_tier(profiles[pk], specs[edition.pk], year)
                    met, missed, open_ = _counts(result)
                    outcomes.append(TierOutcome(run=run, enterprise_id=pk, tier=edition.tier, edition=edition,
                                                verdict=result.verdict, own_variant=_own_variant(result),
                                                met=met, missed=missed, open=open_))
                    results.append(result)
                    counts[f"{edition.tier}:{result.verdict}"] += 1
            TierOutcome.objects.bulk_create(outcomes, batch_size=2000)
            CriterionOutcome.objects.bulk_create(
                (row for o, r in zip(outcomes, results) for row in _criterion_rows(o, r)), batch_size=5000)
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
