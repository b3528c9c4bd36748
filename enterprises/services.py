"""Queries that span the firm's models; views stay thin and pages keep a fixed number of queries."""
from django.contrib.auth.models import Group
from django.db.models import OuterRef, Prefetch, Subquery

from jinhu_portal.roles import GROUP_NAMES

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


def change_history(enterprise, limit=30):
    """Recent changes to the firm and its yearly figures, newest first, with the fields changed."""
    entries = list(enterprise.history.select_related("history_user").order_by("-history_date")[:limit])
    entries += list(FiscalYearRecord.history.filter(enterprise_id=enterprise.pk)
                    .select_related("history_user").order_by("-history_date")[:limit])
    entries.sort(key=lambda h: h.history_date, reverse=True)
    rows = []
    for entry in entries[:limit]:
        changed = []
        if entry.history_type == "~" and entry.prev_record:
            changed = [c.field for c in entry.diff_against(entry.prev_record).changes]
        rows.append({"when": entry.history_date, "who": entry.history_user, "type": entry.get_history_type_display(),
                     "object": str(entry.instance), "fields": changed})
    return rows


def assign_role(user, role, *, enterprise=None, town=None, member_unit=""):
    """Put a user in a role's group and set what it reaches (one firm, one town or a member unit)."""
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    UserScope.objects.update_or_create(
        user=user, defaults={"enterprise": enterprise, "town": town, "member_unit": member_unit})
    user.__dict__.pop("_portal_role", None)
    return user
