"""One codec for the rows behind a figure: the drill-down page, its XLSX and the targets API all read
a row through `columns(counter)`, so the three can never show different things.

A row is what the counter returns: a firm (with `basis`, the records that make it count), a record
(recognition, R&D institution, patent, standard), or a person (name and mobile, as a dict). Mobile
numbers are masked: a leader needs to know who was trained, not how to call them.
"""
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from criteria.models import PoolMembership
from enterprises.models import Recognition
from services.services import mask_mobile

from .counting import COUNTERS, FIRMS, PEOPLE, counted_recognitions


def _display(obj, field):
    return str(getattr(obj, f"get_{field}_display")())


def _firm_basis(firm):
    return "；".join(getattr(firm, "basis_text", []))


FIRM_COLUMNS = [
    ("enterprise", _("企业名称"), lambda f: f.name),
    ("uscc", _("统一社会信用代码"), lambda f: f.uscc),
    ("town", _("所属镇（街道、开发区）"), lambda f: f.town.name),
    ("pool_status", _("培育库状态"), lambda f: _display(f, "pool_status")),
    ("basis", _("计入依据"), _firm_basis),
]

_FIRM_OF_RECORD = [
    ("enterprise", _("企业名称"), lambda r: r.enterprise.name),
    ("town", _("所属镇（街道、开发区）"), lambda r: r.enterprise.town.name),
]

ITEM_COLUMNS = {
    "recognitions": _FIRM_OF_RECORD + [
        ("kind", _("认定类型"), lambda r: _display(r, "kind")),
        ("level", _("级别"), lambda r: _display(r, "level")),
        ("year", _("认定年度"), lambda r: r.year),
        ("document", _("认定文件"), lambda r: r.document),
    ],
    "rd_institutions": _FIRM_OF_RECORD + [
        ("name", _("研发机构名称"), lambda r: r.name),
        ("level", _("级别"), lambda r: _display(r, "level")),
        ("year", _("认定年度"), lambda r: r.recognized_year),
    ],
    "invention_patents": _FIRM_OF_RECORD + [
        ("number", _("专利号"), lambda r: r.number),
        ("title", _("专利名称"), lambda r: r.title),
        ("granted_on", _("授权日"), lambda r: r.granted_on.isoformat() if r.granted_on else ""),
    ],
    "standards": _FIRM_OF_RECORD + [
        ("name", _("标准名称"), lambda r: r.name),
        ("code", _("标准号"), lambda r: r.code),
        ("level", _("级别"), lambda r: _display(r, "level")),
        ("role", _("角色"), lambda r: _display(r, "role")),
        ("year", _("发布年度"), lambda r: r.year),
    ],
}


PEOPLE_COLUMNS = [
    ("name", _("姓名"), lambda p: p["name"]),
    ("mobile", _("手机号码"), lambda p: mask_mobile(p["mobile"])),
]


def columns(counter_code):
    """[(key, label, value_of_row)] for the rows of this counter."""
    counter = COUNTERS[counter_code]
    if counter.counts == FIRMS:
        return FIRM_COLUMNS
    if counter.counts == PEOPLE:
        return PEOPLE_COLUMNS
    return ITEM_COLUMNS[counter_code]


def town_path(counter_code):
    """The lookup from a row to its firm's town, for filters: firms hold it, records reach it."""
    return "town" if COUNTERS[counter_code].counts == FIRMS else "enterprise__town"


def with_basis(rows, target, year):
    """Firm rows of recognition and pool counters learn which records count them (one query more)."""
    years = target.years_counted(year)
    params = target.params or {}
    if target.counter == "recognized_firms":
        recs = counted_recognitions(Recognition.objects.all(), years, params)
        return rows.prefetch_related(Prefetch("recognitions", queryset=recs.order_by("year"), to_attr="basis"))
    if target.counter == "pool_admissions":
        pm = PoolMembership.objects.filter(admitted_on__year__gte=years.start, admitted_on__year__lte=years.stop - 1)
        return rows.prefetch_related(Prefetch("pool_memberships", queryset=pm.order_by("admitted_on"),
                                              to_attr="basis"))
    return rows


def basis_text(firm):
    out = []
    for record in getattr(firm, "basis", []):
        if isinstance(record, Recognition):
            out.append(f"{record.year}年{record.get_kind_display()}（{record.get_level_display()}）")
        else:
            out.append(f"{record.admitted_on.isoformat()} 入库")
    return out


def values(counter_code, row):
    """The row as {key: value} with plain values (str, int), as the API and XLSX write them."""
    if COUNTERS[counter_code].counts == FIRMS and hasattr(row, "basis"):
        row.basis_text = basis_text(row)
    return {key: value(row) for key, _label, value in columns(counter_code)}
