"""Queries that span the firm's models; views stay thin and pages keep a fixed number of queries."""
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.db.models import OuterRef, Prefetch, Subquery

from jinhu_portal.roles import GROUP_NAMES
from jinhu_portal.templatetags.portal_format import person_name

from .models import Enterprise, FiscalYearRecord, Product, ProductRevenue, UserScope


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


def change_history(enterprise, limit=30):
    """Recent changes to the firm and its yearly figures, newest first: when, who (the person's
    name), what kind of change, on what, and the names of the fields changed as the forms label them."""
    entries = list(enterprise.history.select_related("history_user").order_by("-history_date")[:limit])
    entries += list(FiscalYearRecord.history.filter(enterprise_id=enterprise.pk)
                    .select_related("history_user").order_by("-history_date")[:limit])
    entries.sort(key=lambda h: h.history_date, reverse=True)
    rows = []
    for entry in entries[:limit]:
        changed = []
        if entry.history_type == "~" and entry.prev_record:
            model = entry.instance_type
            changed = [_field_label(model, c.field) for c in entry.diff_against(entry.prev_record).changes]
        rows.append({"when": entry.history_date, "who": person_name(entry.history_user),
                     "type": entry.get_history_type_display(), "object": str(entry.instance), "fields": changed})
    return rows


def assign_role(user, role, *, enterprise=None, town=None, member_unit=""):
    """Put a user in a role's group and set what it reaches (one firm, one town or a member unit)."""
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    UserScope.objects.update_or_create(
        user=user, defaults={"enterprise": enterprise, "town": town, "member_unit": member_unit})
    user.__dict__.pop("_portal_role", None)
    return user
