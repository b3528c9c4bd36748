"""How each target is counted: one function per source of records, chosen by `Target.counter`.

A counter returns the rows behind a figure, scoped to the user; the figure is `rows.count()`, so
the figure and its drill-down can never disagree. Firm counts return firms (one row per firm,
however many records it has), item counts return the records, people counts return one row per
person. A new source (visits, requests…) is one more function in `COUNTERS`; a new target over an
existing source is a row in the admin with `params`, no code.
"""
from dataclasses import dataclass
from typing import Callable

from django.utils.translation import gettext_lazy as _

from criteria.models import PoolMembership
from enterprises.models import Enterprise, IPItem, RDInstitution, Recognition, Standard
from enterprises.models.choices import IPStatus, IPType, Level, RecognitionKind, StandardLevel, StandardRole
from services.models import Attendance

FIRMS, ITEMS, PEOPLE = "firms", "items", "people"


def levels_at_least(level):
    values = list(Level.values)
    return values[values.index(level):]


def _list_of(params, key, allowed, label, required=False):
    value = params.get(key)
    if value is None:
        if required:
            raise ValueError(_("统计参数缺少“%(label)s”（%(key)s）。") % {"label": label, "key": key})
        return
    if not isinstance(value, list) or not value or any(v not in allowed for v in value):
        raise ValueError(_("统计参数“%(label)s”（%(key)s）须为以下取值的列表：%(allowed)s。")
                         % {"label": label, "key": key, "allowed": "、".join(allowed)})


def _level(params):
    value = params.get("min_level")
    if value is not None and value not in Level.values:
        raise ValueError(_("统计参数“最低级别”（min_level）须为以下之一：%(allowed)s。")
                         % {"allowed": "、".join(Level.values)})


@dataclass(frozen=True)
class Counter:
    code: str
    label: str
    counts: str                       # FIRMS, ITEMS or PEOPLE: what one row of the drill-down is
    rows: Callable                    # (years: range, user, params) -> QuerySet
    check: Callable = lambda params: None

    def check_params(self, params):
        """Raise ValueError, in Chinese, when `params` does not suit this counter."""
        if not isinstance(params, dict):
            raise ValueError(_("统计参数须为 JSON 对象。"))
        self.check(params)


def counted_recognitions(qs, years, params):
    """The recognitions of `qs` a recognition target counts in `years` (its kinds, at its level or above)."""
    qs = qs.filter(kind__in=params["kinds"], year__gte=years.start, year__lte=years.stop - 1)
    if params.get("min_level"):
        qs = qs.filter(level__in=levels_at_least(params["min_level"]))
    return qs


def _recognitions(years, user, params):
    return counted_recognitions(Recognition.objects.visible_to(user), years, params)


def _check_recognitions(params):
    _list_of(params, "kinds", RecognitionKind.values, "认定类型", required=True)
    _level(params)


def _firms(user, ids):
    return (Enterprise.objects.visible_to(user).filter(pk__in=ids)
            .select_related("town").order_by("town__order", "name", "pk"))


def recognized_firms(years, user, params):
    return _firms(user, _recognitions(years, user, params).values("enterprise_id"))


def recognitions(years, user, params):
    return _recognitions(years, user, params).select_related("enterprise__town").order_by(
        "-year", "enterprise__name", "pk")


def pool_admissions(years, user, params):
    ids = PoolMembership.objects.visible_to(user).filter(
        admitted_on__year__gte=years.start, admitted_on__year__lte=years.stop - 1).values("enterprise_id")
    return _firms(user, ids)


def rd_institutions(years, user, params):
    qs = RDInstitution.objects.visible_to(user).filter(recognized_year__gte=years.start,
                                                       recognized_year__lte=years.stop - 1)
    if params.get("min_level"):
        qs = qs.filter(level__in=levels_at_least(params["min_level"]))
    return qs.select_related("enterprise__town").order_by("-recognized_year", "enterprise__name", "pk")


def invention_patents(years, user, params):
    """Granted in the window: a patent granted in 2022 that has since lapsed was still granted then."""
    return (IPItem.objects.visible_to(user)
            .filter(ip_type=IPType.INVENTION, granted_on__year__gte=years.start,
                    granted_on__year__lte=years.stop - 1)
            .exclude(status=IPStatus.APPLIED)
            .select_related("enterprise__town").order_by("-granted_on", "enterprise__name", "pk"))


def _check_standards(params):
    _list_of(params, "levels", StandardLevel.values, "标准级别")
    _list_of(params, "roles", StandardRole.values, "角色")


def standards(years, user, params):
    qs = Standard.objects.visible_to(user).filter(year__gte=years.start, year__lte=years.stop - 1)
    if params.get("levels"):
        qs = qs.filter(level__in=params["levels"])
    if params.get("roles"):
        qs = qs.filter(role__in=params["roles"])
    return qs.select_related("enterprise__town").order_by("-year", "enterprise__name", "pk")


def people_trained(years, user, params):
    """One person is the same name and mobile number, however many trainings they attended."""
    return (Attendance.objects.visible_to(user)
            .filter(training__date__year__gte=years.start, training__date__year__lte=years.stop - 1)
            .values("name", "mobile").distinct().order_by("name", "mobile"))


COUNTERS = {c.code: c for c in (
    Counter("recognized_firms", _("获得认定的企业（家）"), FIRMS, recognized_firms, _check_recognitions),
    Counter("recognitions", _("认定荣誉（项）"), ITEMS, recognitions, _check_recognitions),
    Counter("pool_admissions", _("入库培育企业（家）"), FIRMS, pool_admissions),
    Counter("rd_institutions", _("研发机构（个）"), ITEMS, rd_institutions, _level),
    Counter("invention_patents", _("授权发明专利（件）"), ITEMS, invention_patents),
    Counter("standards", _("主导或参与制定的标准（项）"), ITEMS, standards, _check_standards),
    Counter("people_trained", _("培训人员（人，不重复）"), PEOPLE, people_trained),
)}
COUNTER_CHOICES = [(c.code, c.label) for c in COUNTERS.values()]
