"""The rows behind a target's figure (drill-down), filterable, paginated, and as XLSX.

Rows, columns and values all come from `services.target_rows` and `rows.py` (the codec the targets
API shares), filters from `filters.TargetRowFilterSet`; unfiltered, the row count is the figure.
"""
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enterprises.xlsx_export import xlsx_response
from jinhu_portal.decorators import perm_required

from .. import rows as codec
from .. import services
from ..counting import COUNTERS, FIRMS, PEOPLE
from ..filters import TargetRowFilterSet
from ..models import PlanPeriod
from .board import YearNotFound, choose_year, not_found

PER_PAGE = 50


def _resolve(request, code):
    """(target, year, filterset) or a 404 response."""
    try:
        year, _period = choose_year(request, list(PlanPeriod.objects.order_by("start_year")))
    except YearNotFound as exc:
        return not_found(request, exc.message)
    target = services.current_target(code, year)
    if target is None:
        return not_found(request, _("没有代码为“%(code)s”的目标（%(y)s年所在规划期）。") % {"code": code[:50], "y": year})
    rows = services.target_rows(target, year, request.user)
    filterset = TargetRowFilterSet(request.GET, queryset=rows, counter=target.counter)
    return target, year, filterset


def _firm_pk(counter_code, row):
    counts = COUNTERS[counter_code].counts
    if counts == FIRMS:
        return row.pk
    if counts == PEOPLE:
        return None
    return row.enterprise_id


@perm_required("dashboards.view_target")
def target_rows(request, code):
    resolved = _resolve(request, code)
    if not isinstance(resolved, tuple):
        return resolved
    target, year, filterset = resolved
    columns = codec.columns(target.counter)
    rows = codec.with_basis(filterset.qs, target, year)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    body = []
    for row in page.object_list:
        values = codec.values(target.counter, row)
        pk = _firm_pk(target.counter, row)
        body.append({"cells": [(label, values[key]) for key, label, _fn in columns],
                     "url": reverse("enterprises:detail", args=[pk]) if pk else None})
    query = request.GET.copy()
    query.pop("page", None)
    query["year"] = year
    filtered = filterset.form.is_valid() and any(filterset.form.cleaned_data.get(name) for name in filterset.filters)
    # unfiltered, the rows are the figure; filtered, the page still says the whole figure
    figure = services.figure(target, year, request.user) if filtered else page.paginator.count
    state = target.state(figure)
    return render(request, "dashboards/drilldown.html", {
        "target": target, "year": year, "filter": filterset, "page": page, "rows": body,
        "headers": [label for _key, label, _fn in columns], "figure": figure, "filtered": filtered,
        "state": state.value, "state_label": state.label, "query": query.urlencode(),
    })


@perm_required("dashboards.view_target")
def target_rows_xlsx(request, code):
    resolved = _resolve(request, code)
    if not isinstance(resolved, tuple):
        return resolved
    target, year, filterset = resolved
    columns = codec.columns(target.counter)
    rows = codec.with_basis(filterset.qs, target, year)
    keys = [key for key, _label, _fn in columns]

    def cells(row):
        values = codec.values(target.counter, row)
        return [values[key] for key in keys]

    body = (cells(row) for row in rows.iterator(chunk_size=2000))
    return xlsx_response(f"{target.name}-{year}年.xlsx", f"{year}年", [str(label) for _k, label, _f in columns],
                         body)
