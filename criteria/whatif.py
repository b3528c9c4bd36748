"""What-if: before publishing a draft edition, which firms would gain or lose eligibility, and why."""
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, FiscalYearRecord

from . import engine
from .models import Edition
from .models.evaluations import Result, Verdict
from .profile import build_profiles

CHUNK = 1000
RESULT_LABELS = dict(Result.choices)
VERDICT_LABELS = dict(Verdict.choices)


def assessment_years():
    """The years some firm has yearly figures for, newest first: the years a what-if can judge."""
    return sorted(set(FiscalYearRecord.objects.values_list("year", flat=True)), reverse=True)


class Flip(NamedTuple):
    """One criterion whose result differs between the two editions (where: 类别 or product name)."""

    where: str
    code: str
    before: str
    after: str
    explanation: str

    @property
    def before_label(self):
        return RESULT_LABELS.get(self.before, _("无此条"))

    @property
    def after_label(self):
        return RESULT_LABELS.get(self.after, self.after)


@dataclass
class Change:
    enterprise: Enterprise
    before: str
    after: str
    flips: list = field(default_factory=list)
    points_before: str = ""          # a scored edition: "55" or "55–65" (sure–best)
    points_after: str = ""
    point_changes: list = field(default_factory=list)   # (indicator, before, after) whose points differ

    @property
    def before_label(self):
        return VERDICT_LABELS.get(self.before, self.before)

    @property
    def after_label(self):
        return VERDICT_LABELS.get(self.after, self.after)


@dataclass
class Tally:
    name: str
    gained: int = 0
    lost: int = 0


@dataclass
class WhatIf:
    base: Edition
    draft: Edition
    year: int
    firms: int
    gained: list
    lost: list
    rescored: list = field(default_factory=list)   # scored editions: same verdict, other points

    @property
    def by_tier(self):
        """The draft's tier, then (for an edition with several 类别) each 类别 by the firm's category."""
        tier = Tally(self.draft.get_tier_display(), len(self.gained), len(self.lost))
        variants = self.draft.variants or {}
        if len(variants) < 2:
            return [tier]
        rows = {code: Tally(name) for code, name in variants.items()}
        other = Tally(_("未分类"))
        for changes, attr in ((self.gained, "gained"), (self.lost, "lost")):
            for c in changes:
                row = rows.get(c.enterprise.category, other)
                setattr(row, attr, getattr(row, attr) + 1)
        return [tier] + [r for r in [*rows.values(), other] if r.gained or r.lost]

    @property
    def by_town(self):
        rows = {}
        for changes, attr in ((self.gained, "gained"), (self.lost, "lost")):
            for c in changes:
                town = c.enterprise.town
                row = rows.setdefault(town.pk if town else None,
                                      (town.order if town else 9999, town.code if town else "",
                                       Tally(town.name if town else _("未填写"))))
                setattr(row[2], attr, getattr(row[2], attr) + 1)
        return [tally for *_key, tally in sorted(rows.values(), key=lambda r: r[:2])]


def _index(result):
    out = {}
    for v in result.variants:
        for c in v.criteria:
            out[(v.name, c.code)] = c
    for p in result.products:
        for c in p.criteria:
            out[(p.name, c.code)] = c
    return out


def _flips(before, after):
    old, new = _index(before), _index(after)
    return [Flip(where, code, old[(where, code)].result if (where, code) in old else "", c.result, c.explanation)
            for (where, code), c in new.items()
            if (where, code) not in old or old[(where, code)].result != c.result]


def _points(result):
    score = result.score
    if score is None:
        return ""
    sure, best = engine.points_value(score.sure), engine.points_value(score.best)
    return f"{sure}" if sure == best else f"{sure}–{best}"


def _point_changes(before, after):
    """(indicator, points before, points after) for each indicator whose points differ ("缺数据" when unknown)."""
    if before.score is None or after.score is None:
        return []
    shown = lambda i: _("缺数据") if i is None or i.points is None else engine.points_value(i.points)  # noqa: E731
    out = []
    for ind in after.score.indicators:
        old = before.score.indicator(ind.code)
        if old is None or old.points != ind.points:
            out.append((ind.text, shown(old), shown(ind)))
    return out


def what_if(draft, year=None, enterprises=None):
    """Score every firm (or `enterprises`) for `year` (default: the latest year with figures) under
    the draft and under the published edition of its tier that judges that year."""
    if year is None:
        years = assessment_years()
        year = years[0] if years else draft.year - 1
    published = Edition.objects.judging(year, [draft.tier])
    if not published:
        raise ValidationError(_("%(year)s年度没有可对比的已发布版本。") % {"year": year})
    base = published[0]
    base_spec, draft_spec = base.to_spec(), draft.to_spec()
    qs = enterprises if enterprises is not None else Enterprise.objects.all()
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    gained, lost, rescored = [], [], []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        profiles = build_profiles(chunk, year)
        changed = {}
        for pk in chunk:
            cache = {}
            before = engine.evaluate_tier(profiles[pk], base_spec, year, cache=cache)
            after = engine.evaluate_tier(profiles[pk], draft_spec, year, cache=cache)
            was, now = before.verdict == engine.ELIGIBLE, after.verdict == engine.ELIGIBLE
            if was != now or _points(before) != _points(after):
                changed[pk] = (before, after, now, was != now)
        firms = Enterprise.objects.select_related("town").in_bulk(changed.keys())
        for pk, (before, after, now, flipped) in changed.items():
            change = Change(firms[pk], before.verdict, after.verdict, _flips(before, after),
                            _points(before), _points(after), _point_changes(before, after))
            if not flipped:
                rescored.append(change)
            else:
                (gained if now else lost).append(change)
    key = lambda c: c.enterprise.name  # noqa: E731
    return WhatIf(base=base, draft=draft, year=year, firms=len(ids), gained=sorted(gained, key=key),
                  lost=sorted(lost, key=key), rescored=sorted(rescored, key=key))
