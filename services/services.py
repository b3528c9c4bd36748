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


# --- 挂钩帮扶 and visits --------------------------------------------------------------------------

def visit_interval_days():
    """N of "not visited in the last N days" (settings.SERVICE_VISIT_INTERVAL_DAYS, 90 by default)."""
    from django.conf import settings

    return int(getattr(settings, "SERVICE_VISIT_INTERVAL_DAYS", 90))


def overdue_since(today=None):
    """A firm whose last visit is before this date (or that has none) is overdue for a visit."""
    from datetime import timedelta

    return (today or timezone.localdate()) - timedelta(days=visit_interval_days())


def with_last_visit(firms):
    """Firms annotated with `last_visit` (the date of their latest visit, None when never visited)."""
    from django.db.models import Max

    return firms.annotate(last_visit=Max("visits__visited_on"))


def is_overdue(last_visit, today=None):
    return last_visit is None or last_visit < overdue_since(today)


def overdue_firms(firms, today=None):
    """Pool firms among `firms` with no visit in the last N days, annotated with `last_visit`."""
    from enterprises.models import PoolStatus

    since = overdue_since(today)
    return (with_last_visit(firms.filter(pool_status=PoolStatus.IN_POOL))
            .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=since)))


def may_record_visit(user, enterprise):
    """Staff record visits to any firm; a person currently linked to the firm records visits to it; a
    town officer records visits to its town's firms. (The firm must still be in the user's scope.)"""
    role = role_of(user)
    if role in (Role.STAFF, Role.ADMIN):
        return True
    if role == Role.TOWN_OFFICER:
        scope = getattr(user, "scope", None)
        if scope and scope.town_id and scope.town_id == enterprise.town_id:
            return True
    if role in (Role.ENTERPRISE, None):
        return False
    return current_links().filter(person=user, enterprise=enterprise).exists()


def may_record_any_visit(user):
    role = role_of(user)
    if role in (Role.STAFF, Role.ADMIN, Role.TOWN_OFFICER):
        return True
    if role in (Role.ENTERPRISE, None):
        return False
    return current_links().filter(person=user).exists()


def recordable_firms(user):
    """The firms this user may record a visit to, within their scope."""
    from enterprises.models import Enterprise

    firms = Enterprise.objects.visible_to(user)
    role = role_of(user)
    if role in (Role.STAFF, Role.ADMIN):
        return firms
    linked = Q(pk__in=current_links().filter(person=user).values("enterprise_id"))
    if role == Role.TOWN_OFFICER:
        return firms.filter(linked | Q(town_id=getattr(getattr(user, "scope", None), "town_id", None)))
    if role in (Role.ENTERPRISE, None):
        return firms.none()
    return firms.filter(linked)


def link_people():
    """Users who may be linked to a firm: county leaders, town officers (town leaders), member-unit
    officers and staff (department officers), active, by name."""
    from django.contrib.auth import get_user_model

    from jinhu_portal.roles import GROUP_NAMES

    groups = [GROUP_NAMES[r] for r in (Role.LEADER, Role.TOWN_OFFICER, Role.MEMBER_UNIT, Role.STAFF)]
    return (get_user_model().objects.filter(is_active=True, groups__name__in=groups).distinct()
            .order_by("last_name", "first_name", "username"))


# --- Trainings: people trained (one person = the same name and mobile number) --------------------------

def people(attendance):
    """One row per person among the attendance rows given: {"name", "mobile"}, sorted by name."""
    return attendance.values("name", "mobile").distinct().order_by("name", "mobile")


def distinct_people(attendance):
    """How many different people the attendance rows hold (the same name and mobile = one person), in
    one query; the target `people_trained` counts the same way (dashboards/counting.py)."""
    return attendance.order_by().values("name", "mobile").distinct().count()


def plan_years(year=None):
    """The years of the plan period holding `year` (this year by default) as a range, or None.

    Plan periods are the leadership app's records (dashboards.PlanPeriod); services may not import
    dashboards (imports run dashboards → services), so the model is looked up by name."""
    from django.apps import apps

    year = year or timezone.localdate().year
    try:
        period_model = apps.get_model("dashboards", "PlanPeriod")
    except LookupError:
        return None
    period = period_model.objects.filter(start_year__lte=year, end_year__gte=year).first()
    if period is None:   # after the last period: the latest one begun before this year
        period = period_model.objects.filter(start_year__lte=year).order_by("-start_year").first()
    return range(period.start_year, period.end_year + 1) if period else None


def mask_mobile(mobile):
    """139****0001: how anyone but staff sees a mobile number (pages, API, the targets' drill-down)."""
    return f"{mobile[:3]}****{mobile[-4:]}" if mobile and len(mobile) >= 8 else (mobile or "")
