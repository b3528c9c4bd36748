"""Targets' figures for a year and a viewer: counted by `counting.py`, cached per scope, and
invalidated whenever a record a target counts is written (`signals.py` bumps the version).

The cache holds numbers only; pages format them. A figure always equals the count of its drill-down
(`target_rows`), because both come from the same counter.
"""
from django.core.cache import cache

from jinhu_portal.roles import READ_ALL_ROLES, Role, role_of

from .counting import COUNTERS
from .models import PlanPeriod, Target

VERSION_KEY = "dashboards:version"
TIMEOUT = 300     # a backstop for writes that bypass signals (queryset.update); signals do the rest


def bump_version(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def version():
    return cache.get_or_set(VERSION_KEY, 1, None)


def scope_key(user):
    """Viewers who see the same records share cached figures: all county readers, or one town."""
    role = role_of(user)
    if role in READ_ALL_ROLES:
        return "all"
    scope = getattr(user, "scope", None)
    if role == Role.TOWN_OFFICER and scope and scope.town_id:
        return f"town{scope.town_id}"
    if role == Role.ENTERPRISE and scope and scope.enterprise_id:
        return f"firm{scope.enterprise_id}"
    return "none"


def cached(user, name, compute):
    key = f"dashboards:{version()}:{scope_key(user)}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def target_rows(target, year, user):
    """The records behind `target`'s figure for `year`, as the viewer may see them."""
    return COUNTERS[target.counter].rows(target.years_counted(year), user, target.params or {})


def figure(target, year, user):
    return target_rows(target, year, user).count()


def period_for(year):
    """The plan period containing `year`, or None (pages and the API answer 404 then)."""
    return PlanPeriod.containing(year)


def progress(period, year, user):
    """Every target of `period` at `year`: figure, state, change on last year and the period's series.

    Cached as plain dicts keyed by target code; the number of queries depends on the number of
    targets and years, never on the number of firms.
    """
    def compute():
        targets = list(period.targets.all())
        rows = []
        for t in targets:
            series = [(y, figure(t, y, user)) for y in period.years if y <= year]
            fig = series[-1][1]
            previous = series[-2][1] if len(series) > 1 else None
            rows.append({"code": t.code, "figure": fig, "state": str(t.state(fig).value),
                         "previous": previous, "change": None if previous is None else fig - previous,
                         "series": series})
        return rows

    figures = {row["code"]: row for row in cached(user, f"progress:{period.pk}:{year}", compute)}
    return [{**figures[t.code], "target": t} for t in period.targets.all() if t.code in figures]


def current_target(code, year):
    """The target `code` of the plan period containing `year`, or None."""
    return Target.objects.select_related("period").filter(
        code=code, period__start_year__lte=year, period__end_year__gte=year).first()


def default_year(today=None):
    """The year pages and the API show when none is asked for: this year when a plan period holds
    it, else the end year of the latest period begun before today (2024 for the 2022–2024 plan seen
    in 2025), else this year (which then answers 404: no plan yet)."""
    from django.utils import timezone

    year = (today or timezone.localdate()).year
    if PlanPeriod.containing(year):
        return year
    latest = PlanPeriod.objects.filter(start_year__lte=year).order_by("-start_year").first()
    return latest.end_year if latest else year
