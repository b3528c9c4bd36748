"""The town assessment (专项考核): each town, street and the development zone is measured, for a year,
on its pool firms and what was achieved with them; a score is Σ weight × value, the weights being
data staff edit (`AssessmentWeight` of the plan period).

As `counting.py` does for targets, each indicator is a function of the year returning
{town id: value}, one aggregate query per indicator whatever the number of firms. An indicator
whose records do not exist yet may be listed without a function: it then shows as "—" and adds
nothing to the score; plugging its source in is one function here.

The counts are county-wide on purpose: a town officer is measured against the other towns, so
sees the whole ranking; the assessment shows counts only, never a firm's name.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable, Optional

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from criteria.models import PlanItem, PoolMembership
from enterprises.models import Recognition, Town
from enterprises.models.choices import RecognitionKind

from . import services
from .models import AssessmentIndicator

# The titles of the tiers a pool firm climbs (认定的层级), not the other recognitions.
TIER_KINDS = [RecognitionKind.NATIONAL_CHAMPION, RecognitionKind.NATIONAL_GIANT, RecognitionKind.PROVINCE_GIANT,
              RecognitionKind.PROVINCE_PRODUCT, RecognitionKind.CITY_GIANT, RecognitionKind.CITY_PRODUCT]


def _per_town(rows):
    return {row["town"]: row["n"] for row in rows if row["town"] is not None}


def pool_firms(year):
    """Firms in the county pool on 31 December of `year` (admitted by then, not left by then)."""
    end = date(year, 12, 31)
    return _per_town(PoolMembership.objects.filter(admitted_on__lte=end)
                     .filter(Q(left_on__isnull=True) | Q(left_on__gt=end))
                     .values(town=F("enterprise__town")).annotate(n=Count("enterprise", distinct=True))
                     .order_by())


def new_admissions(year):
    """Firms admitted to the county pool during `year` (a firm admitted twice counts once)."""
    return _per_town(PoolMembership.objects.filter(admitted_on__year=year)
                     .values(town=F("enterprise__town")).annotate(n=Count("enterprise", distinct=True))
                     .order_by())


def new_titles(year):
    """Tier titles (国家级单项冠军、小巨人，省、市级专精特新企业和产品…) granted in `year`."""
    return _per_town(Recognition.objects.filter(kind__in=TIER_KINDS, year=year)
                     .values(town=F("enterprise__town")).annotate(n=Count("id")).order_by())


def plan_items_on_time(year):
    """Cultivation-plan items done in `year` no later than their due date."""
    return _per_town(PlanItem.objects.filter(status="done", closed_on__year=year, due_date__isnull=False,
                                             closed_on__lte=F("due_date"))
                     .values(town=F("plan__enterprise__town")).annotate(n=Count("id")).order_by())


def visits(year):
    """Visits to firms of the town during `year` (挂钩帮扶走访)."""
    from services.models import Visit

    return _per_town(Visit.objects.filter(visited_on__year=year)
                     .values(town=F("enterprise__town")).annotate(n=Count("id")).order_by())


def requests_closed_on_time(year):
    """Requests closed in `year` whose answer came by the due date (the services workflow's rule)."""
    from services.models import ServiceRequest
    from services.workflow import closed_on_time_q

    return _per_town(ServiceRequest.objects.filter(closed_on_time_q(), closed_at__year=year)
                     .values(town=F("enterprise__town")).annotate(n=Count("id")).order_by())


@dataclass(frozen=True)
class Indicator:
    code: str
    count: Optional[Callable] = None     # (year) -> {town id: value}; None while its records are missing
    note: str = ""

    @property
    def label(self):
        return AssessmentIndicator(self.code).label

    @property
    def available(self):
        return self.count is not None


INDICATORS = {i.code: i for i in (
    Indicator(AssessmentIndicator.POOL_FIRMS, pool_firms, _("年末在库企业数")),
    Indicator(AssessmentIndicator.NEW_ADMISSIONS, new_admissions, _("当年入库的企业数")),
    Indicator(AssessmentIndicator.NEW_TITLES, new_titles, _("当年获得各层级认定的项数")),
    Indicator(AssessmentIndicator.PLAN_ITEMS_ON_TIME, plan_items_on_time, _("当年在完成期限内完成的培育计划事项数")),
    Indicator(AssessmentIndicator.VISITS, visits, _("当年走访该镇企业的次数")),
    Indicator(AssessmentIndicator.REQUESTS_CLOSED_ON_TIME, requests_closed_on_time,
              _("当年办结、且在办理期限内答复的企业诉求数")),
)}


def counts(year, user):
    """{indicator: {town id: value}} for the available indicators, cached until a record changes."""
    def compute():
        return {code: ind.count(year) for code, ind in INDICATORS.items() if ind.available}
    return services.cached(user, f"assessment:{year}", compute)


def rank(scores):
    """Competition ranking: equal scores share a rank, the next rank skips (1, 1, 3)."""
    ordered = sorted(scores, reverse=True)
    return [ordered.index(s) + 1 for s in scores]


def table(period, year, user):
    """The assessment of `year`: indicators with their weights, and one row per town, ranked.

    Returns {"indicators": [{code, label, note, weight, available}], "rows": [{town, kind, values:
    [value or None], score, rank}]} with rows in ranking order (ties by the towns' order)."""
    weights = {w.indicator: w.weight for w in period.weights.all()}
    found = counts(year, user)
    indicators = [{"code": code, "label": ind.label, "note": ind.note, "available": ind.available,
                   "weight": weights.get(code, Decimal(0))} for code, ind in INDICATORS.items()]
    rows = []
    for town in Town.objects.order_by("order", "code"):
        values = [found[i["code"]].get(town.pk, 0) if i["available"] else None for i in indicators]
        score = sum((i["weight"] * v for i, v in zip(indicators, values) if v is not None), Decimal(0))
        rows.append({"town": town, "kind": town.get_kind_display(), "values": values, "score": score,
                     "cells": [(i["label"], v) for i, v in zip(indicators, values)]})
    for row, r in zip(rows, rank([row["score"] for row in rows])):
        row["rank"] = r
    rows.sort(key=lambda row: row["rank"])          # stable: ties keep the towns' order
    return {"indicators": indicators, "rows": rows}
