"""Queries that span the firm's models; views stay thin and pages keep a fixed number of queries."""
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.db import models as dj_models
from django.db.models import IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from jinhu_portal.roles import GROUP_NAMES
from jinhu_portal.templatetags.portal_format import EMPTY, format_number, person_name

from .models import (BadRecord, Brand, Certification, Competition, Enterprise, FiscalYearRecord, InformationSystem,
                     IPItem, Product, ProductRevenue, RDInstitution, Recognition, Standard, UserScope)


def enterprise_list_queryset(user):
    latest = (FiscalYearRecord.objects.filter(enterprise=OuterRef("pk"), operating_revenue__isnull=False)
              .order_by("-year").values("operating_revenue")[:1])
    return (Enterprise.objects.visible_to(user).select_related("town")
            .prefetch_related("industry_tags").annotate(latest_revenue=Subquery(latest)))


def enterprise_detail_queryset(user):
    products = Product.objects.prefetch_related(
        Prefetch("revenues", queryset=ProductRevenue.objects.order_by("year")))
    return (Enterprise.objects.visible_to(user).select_related("town")
            .prefetch_related("industry_tags", Prefetch("fiscal_years", queryset=FiscalYearRecord.objects.order_by("year")),
                              Prefetch("products", queryset=products), "ipitems__product", "rdinstitutions", "brands",
                              "certifications", "standards", "informationsystems", "competitions",
                              "badrecords", "recognitions"))


def _field_label(model, name):
    """A model field's verbose name ("营业收入"), never its attribute name."""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


# ---- Change history (变更记录) ---------------------------------------------------------------
#
# Every history-tracked model of a firm: the firm, its yearly figures, products and their revenues,
# and its records. One UNION query indexes the newest entries of all of them (kind, date, id); then
# one query per kind on the page fetches those entries together with their previous versions, so
# the number of queries does not grow with the history (at most 1 + kinds + tags + linked names).

HISTORY_PANEL_LIMIT = 20
HISTORY_PAGE_SIZE = 50
HISTORY_MODELS = (Enterprise, FiscalYearRecord, Product, ProductRevenue, IPItem, RDInstitution, Brand, Certification,
                  Standard, InformationSystem, Competition, BadRecord, Recognition)


def _history_filter(model, firm_pk):
    """The history rows of `model` that belong to the firm, deleted records included."""
    path = model.enterprise_path
    if not path:
        return Q(id=firm_pk)
    head = path.split("__", 1)[0]
    parent = model._meta.get_field(head).related_model
    if parent is Enterprise:
        return Q(**{f"{head}_id": firm_pk})
    return Q(**{f"{head}_id__in": parent.history.filter(_history_filter(parent, firm_pk)).order_by().values("id")})


def history_index(enterprise):
    """(history_date, history_id, kind) of every change to the firm and its records, newest first: a
    queryset to slice or paginate; `history_rows` turns a slice of it into rows to show."""
    parts = [model.history.filter(_history_filter(model, enterprise.pk)).order_by()
             .annotate(history_kind=Value(i, output_field=IntegerField()))
             .values_list("history_date", "history_id", "history_kind")
             for i, model in enumerate(HISTORY_MODELS)]
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")


def change_history(enterprise, limit=HISTORY_PANEL_LIMIT, offset=0):
    """The firm's changes, newest first: when, who (the person's name), what kind of change, on what
    ("2023年度财务数据", "知识产权：一种……"), and each field changed with its old and new value as the
    pages show them. A creation lists the values it was created with."""
    return history_rows(list(history_index(enterprise)[offset:offset + limit]))


def _previous_version(history):
    return (history.objects.filter(id=OuterRef("id"))
            .filter(Q(history_date__lt=OuterRef("history_date"))
                    | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")))
            .order_by("-history_date", "-history_id").values("history_id")[:1])


def history_rows(index):
    """Rows for the (history_date, history_id, kind) tuples of `history_index`, in their order."""
    models = HISTORY_MODELS
    wanted = defaultdict(list)
    for _date, history_id, kind in index:
        wanted[kind].append(history_id)
    fetched = {}                           # (kind, history_id) -> historical row
    previous = {}                          # (kind, history_id) -> the object's version before it
    for kind, ids in wanted.items():
        history = models[kind].history.model
        prev_ids = (history.objects.filter(history_id__in=ids, history_type="~").order_by()
                    .annotate(prev=Subquery(_previous_version(history))).values("prev"))
        rows = list(history.objects.filter(Q(history_id__in=ids) | Q(history_id__in=prev_ids))
                    .select_related("history_user").order_by("id", "history_date", "history_id"))
        wanted_ids = set(ids)
        for before, row in zip([None, *rows], rows):
            if row.history_id in wanted_ids:
                fetched[kind, row.history_id] = row
                if before is not None and before.id == row.id and row.history_type == "~":
                    previous[kind, row.history_id] = before
    firm_kind = models.index(Enterprise)
    tags = _tag_names(fetched, previous, firm_kind) if firm_kind in wanted else {}
    linked = _linked_labels([(models[k], r) for (k, _i), r in [*fetched.items(), *previous.items()]])
    out = []
    for _date, history_id, kind in index:
        entry = fetched.get((kind, history_id))
        if entry is None:
            continue
        model = models[kind]
        before = previous.get((kind, history_id))
        changes = _changes(model, entry, before, linked)
        if model is Enterprise:
            changes += _tag_changes(entry, before, tags)
        out.append({"when": entry.history_date, "who": person_name(entry.history_user),
                    "type": entry.get_history_type_display(), "history_type": entry.history_type,
                    "reason": entry.history_change_reason or "", "object": _history_object(model, entry, linked),
                    "fields": [c["field"] for c in changes if c["old"] is not None],
                    "changes": changes})
    return out


def _shown_fields(model):
    """The fields a change lists: what a person edits, not keys, stamps or the way to the firm."""
    head = model.enterprise_path.split("__", 1)[0]
    return [f for f in model._meta.concrete_fields
            if f.editable and not f.primary_key and f.name != head and f.name != "enterprise"]


def _changes(model, entry, before, linked):
    """[{field, old, new}]: every field that differs from the previous version (old and new shown as
    the pages show them); for a creation the values it was created with (old None); none for a deletion."""
    if entry.history_type == "-" or (entry.history_type == "~" and before is None):
        return []
    changes = []
    for f in _shown_fields(model):
        new = getattr(entry, f.attname, None)
        if entry.history_type == "+":
            if new is not None and new != "":
                changes.append({"field": str(f.verbose_name), "old": None, "new": _shown_value(f, new, linked)})
            continue
        old = getattr(before, f.attname, None)
        if old != new:
            changes.append({"field": str(f.verbose_name), "old": _shown_value(f, old, linked),
                            "new": _shown_value(f, new, linked)})
    return changes


def _shown_value(field, value, linked):
    """A stored value as the pages show it: money with separators, choices by their labels, linked
    records by their names, dates ISO, yes/no in Chinese; "—" for empty."""
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return linked.get((field.related_model, value)) or _("（已删除）")
    if isinstance(field, dj_models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(field, dj_models.DecimalField):
        return format_number(value, field.decimal_places)
    if isinstance(field, dj_models.DateTimeField):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(field, dj_models.DateField):
        return value.isoformat()
    if isinstance(field, dj_models.SmallIntegerField):   # years, ranks, years in business: no separators
        return str(value)
    if isinstance(field, dj_models.IntegerField):
        return format_number(value)
    return str(value)


def _linked_labels(rows):
    """{(model, pk): name} of every record the rows link to (a town, a person, a product), one query
    per linked model; a tracked record is named from its history, so a deleted product keeps its name."""
    wanted = defaultdict(set)
    for model, row in rows:
        for f in _shown_fields(model):
            if f.is_relation and getattr(row, f.attname, None) is not None:
                wanted[f.related_model].add(getattr(row, f.attname))
    labels = {}
    for related, pks in wanted.items():
        if related in HISTORY_MODELS:
            history = related.history.model
            newest = (history.objects.filter(id=OuterRef("id")).order_by("-history_date", "-history_id")
                      .values("history_id")[:1])
            for h in history.objects.filter(id__in=pks, history_id=Subquery(newest)):
                labels[related, h.id] = str(h.instance)
            continue
        for pk, obj in related._default_manager.in_bulk(pks).items():
            labels[related, pk] = person_name(obj) if related is get_user_model() else str(obj)
    return labels


def _history_object(model, entry, linked):
    """What an entry changed, named as a reader knows it: 企业信息, 2023年度财务数据, 知识产权：……"""
    if model is Enterprise:
        return _("企业信息")
    if model is FiscalYearRecord:
        return _("%(year)s年度财务数据") % {"year": entry.year}
    if model is ProductRevenue:
        product = linked.get((Product, entry.product_id)) or _("（已删除）")
        return _("产品销售收入：%(product)s %(year)s年") % {"product": product, "year": entry.year}
    return f"{model._meta.verbose_name}：{entry.instance}"


def _tag_names(fetched, previous, kind):
    """{history_id: sorted tag names} of the firm's versions on the page and those before them."""
    ids = [r.history_id for (k, _i), r in [*fetched.items(), *previous.items()] if k == kind]
    through = Enterprise.history.model._meta.get_field("historicalenterprise_industry_tags").related_model
    names = defaultdict(list)
    for history_id, name in (through.objects.filter(history_id__in=ids).order_by("industrytag__name")
                             .values_list("history_id", "industrytag__name")):
        names[history_id].append(name or _("（已删除）"))
    return names


def _tag_changes(entry, before, tags):
    label = str(Enterprise._meta.get_field("industry_tags").verbose_name)
    new = tags.get(entry.history_id, [])
    if entry.history_type == "+":
        return [{"field": label, "old": None, "new": "、".join(new)}] if new else []
    if entry.history_type != "~" or before is None:
        return []
    old = tags.get(before.history_id, [])
    if old == new:
        return []
    return [{"field": label, "old": "、".join(old) or EMPTY, "new": "、".join(new) or EMPTY}]


def assign_role(user, role, *, enterprise=None, town=None, member_unit=""):
    """Put a user in a role's group and set what it reaches (one firm, one town or a member unit)."""
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    UserScope.objects.update_or_create(
        user=user, defaults={"enterprise": enterprise, "town": town, "member_unit": member_unit})
    user.__dict__.pop("_portal_role", None)
    return user
