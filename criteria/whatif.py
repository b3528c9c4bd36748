"""What-if: before publishing a draft edition, which firms would gain or lose eligibility, and why."""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enterprises.models import Enterprise

from . import engine
from .models import Edition
from .profile import build_profiles

CHUNK = 1000


@dataclass
class Change:
    enterprise: Enterprise
    before: str
    after: str
    flips: list = field(default_factory=list)  # (where, code, before result, after result, explanation after)


@dataclass
class WhatIf:
    base: Edition
    draft: Edition
    year: int
    firms: int
    gained: list
    lost: list


def _index(result):
    out = {}
    for v in result.variants:
        for c in v.criteria:
            out[(v.variant, c.code)] = c
    for p in result.products:
        for c in p.criteria:
            out[(p.name, c.code)] = c
    return out


def _flips(before, after):
    old, new = _index(before), _index(after)
    return [(where, code, old[(where, code)].result if (where, code) in old else "—", c.result, c.explanation)
            for (where, code), c in new.items()
            if (where, code) not in old or old[(where, code)].result != c.result]


def what_if(draft, year=None, enterprises=None):
    year = year or draft.year - 1
    published = Edition.objects.judging(year, [draft.tier])
    if not published:
        raise ValidationError(_("%(year)s年度没有可对比的已发布版本。") % {"year": year})
    base = published[0]
    base_spec, draft_spec = base.to_spec(), draft.to_spec()
    qs = enterprises if enterprises is not None else Enterprise.objects.all()
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    gained, lost = [], []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        profiles = build_profiles(chunk, year)
        changed = {}
        for pk in chunk:
            before = engine.evaluate_tier(profiles[pk], base_spec, year)
            after = engine.evaluate_tier(profiles[pk], draft_spec, year)
            was, now = before.verdict == engine.ELIGIBLE, after.verdict == engine.ELIGIBLE
            if was != now:
                changed[pk] = (before, after, now)
        firms = Enterprise.objects.in_bulk(changed.keys())
        for pk, (before, after, now) in changed.items():
            change = Change(firms[pk], before.verdict, after.verdict, _flips(before, after))
            (gained if now else lost).append(change)
    key = lambda c: c.enterprise.name  # noqa: E731
    return WhatIf(base=base, draft=draft, year=year, firms=len(ids), gained=sorted(gained, key=key),
                  lost=sorted(lost, key=key))
