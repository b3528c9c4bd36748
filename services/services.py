"""Services helpers shared by the pages, the API and the demo (see models.py).

Scope helpers for member-unit officers: `unit_of(user)` is the MemberUnit code of their unit ("" for
everyone else); `linked_firm_ids(user)` the firms currently linked to a person (挂钩帮扶).
"""
from django.db.models import Q
from django.utils import timezone

from jinhu_portal.roles import Role, role_of


def unit_of(user):
    """The MemberUnit code a member-unit officer acts for; "" for any other user (or one without a unit)."""
    if role_of(user) != Role.MEMBER_UNIT:
        return ""
    scope = getattr(user, "scope", None)
    return (scope.member_unit or "") if scope else ""


def current_links(on=None):
    """Links in force on a date (today by default): started, and not ended before it."""
    from services.models import Link

    on = on or timezone.localdate()
    return Link.objects.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def linked_firm_ids(user, on=None):
    """Ids of the firms currently linked to this user (as a set; empty for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(current_links(on).filter(person=user).values_list("enterprise_id", flat=True))
