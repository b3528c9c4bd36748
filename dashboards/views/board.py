"""The leadership dashboard (目标看板): every target of the plan as a card, the pool by tier, the pool and
new titles by town and by industry, the towns ranked, and the firms newly recognised in the year.

Figures are counted by `services.progress` and the other numbers here through `services.cached`,
both keyed on the viewer's scope (county or one town) and on the version `signals.py` bumps on every
write; the rendered cards and charts are cached as one fragment under the same key (the template's
`{% cache %}`), so a warm page is a handful of queries and no counting at all. The numbers are
computed lazily (`Board`), only when the fragment is not cached.

A leader opens this page many times a day: the whole page is also kept for the same browser
session (`page_key`): the same user, the same CSRF secret (so the form tokens in the page stay
valid and are never shown to anyone else), the same unread notifications, the same version of the
figures; a page with messages to show is never taken from or put into that cache. A warm request
is then the session, the user, the user's role, the unread count and one cache read.
"""
import hashlib
from datetime import date
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from criteria.models import PoolMembership
from enterprises.models import Enterprise, IndustryTag, Recognition, Town
from enterprises.models.choices import RecognitionKind as K, Taxonomy
from enterprises.models import Notification
from jinhu_portal.decorators import roles_required
from jinhu_portal.preferences import large_text
from jinhu_portal.roles import Role

from .. import services
from ..models import PlanPeriod, TargetKind

# New titles: the tiers a firm is recognised in (专精特新 giants and products, national champions).
TITLE_KINDS = [K.NATIONAL_CHAMPION, K.NATIONAL_GIANT, K.PROVINCE_GIANT, K.PROVINCE_PRODUCT, K.CITY_GIANT,
               K.CITY_PRODUCT]
NATIONAL_KINDS = [K.NATIONAL_GIANT, K.NATIONAL_CHAMPION]
INDUSTRY_TAXONOMY = Taxonomy.COUNTY            # 县主导产业: three bars a leader reads at a glance
NEW_FIRMS_SHOWN = 60


class YearNotFound(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def not_found(request, message):
    """A 404 that says, in Chinese, what was not found (the generic 404 page cannot)."""
    return render(request, "dashboards/_not_found.html", {"message": message}, status=404)


def choose_year(request, periods):
    """(year, period) from `?year=`; default: this year if a plan period holds it, else the last year
    of the latest period begun before today. Raises YearNotFound (a 404) for anything else."""
    raw = request.GET.get("year", "").strip()
    if raw:
        if not raw.isdigit() or len(raw) > 4:
            raise YearNotFound(_("年度“%(y)s”无效：请填写四位数字的年份。") % {"y": raw[:20]})
        year = int(raw)
    else:
        today = timezone.localdate().year
        begun = [p for p in periods if p.start_year <= today]
        year = today if any(p.start_year <= today <= p.end_year for p in periods) else (
            begun[-1].end_year if begun else (periods[0].start_year if periods else today))
    period = next((p for p in periods if p.start_year <= year <= p.end_year), None)
    if period is None:
        raise YearNotFound(_("%(y)s年不在任何规划期内，没有可显示的目标。") % {"y": year} if periods
                           else _("尚未设置规划期和目标，请联系县工信局。"))
    return year, period


def _year_end(year):
    return date(year, 12, 31)


def in_pool_at(user, year):
    """Pool memberships open at the end of `year` (admitted by then, not left by then)."""
    end = _year_end(year)
    return PoolMembership.objects.visible_to(user).filter(admitted_on__lte=end).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=end))


def funnel(user, year):
    """County pool → municipal pool → provincial pool → national: distinct firms, up to `year`."""
    county = in_pool_at(user, year).aggregate(n=Count("enterprise", distinct=True))["n"]
    tiers = Recognition.objects.visible_to(user).filter(year__lte=year).aggregate(
        city=Count("enterprise", distinct=True, filter=Q(kind=K.CITY_POOL)),
        province=Count("enterprise", distinct=True, filter=Q(kind=K.PROVINCE_POOL)),
        national=Count("enterprise", distinct=True, filter=Q(kind__in=NATIONAL_KINDS)))
    return [{"key": "county", "label": str(_("县级培育库在库企业")), "value": county},
            {"key": "city", "label": str(_("市级培育库")), "value": tiers["city"]},
            {"key": "province", "label": str(_("省级培育库")), "value": tiers["province"]},
            {"key": "national", "label": str(_("国家级小巨人、单项冠军")), "value": tiers["national"]}]


def _titles(user, year):
    return Recognition.objects.visible_to(user).filter(year=year, kind__in=TITLE_KINDS)


def by_town(user, year):
    """Towns ranked by pool firms, then new titles: [{pk, name, pool, titles, rank}]."""
    pool = dict(in_pool_at(user, year).values_list("enterprise__town").annotate(n=Count("enterprise", distinct=True))
                .order_by())
    titles = dict(_titles(user, year).values_list("enterprise__town").annotate(n=Count("id")).order_by())
    towns = Town.objects.filter(pk__in=Enterprise.objects.visible_to(user).values("town")).order_by("order", "code")
    rows = [{"pk": t.pk, "name": t.name, "pool": pool.get(t.pk, 0), "titles": titles.get(t.pk, 0)} for t in towns]
    rows.sort(key=lambda r: (-r["pool"], -r["titles"]))
    for i, row in enumerate(rows):
        same = i and (rows[i - 1]["pool"], rows[i - 1]["titles"]) == (row["pool"], row["titles"])
        row["rank"] = rows[i - 1]["rank"] if same else i + 1
    return rows


def by_industry(user, year):
    """Pool firms and new titles per tag of the county's leading industries: [{pk, name, pool, titles}]."""
    tags = list(IndustryTag.objects.filter(taxonomy=INDUSTRY_TAXONOMY).order_by("order", "name"))
    ids = [t.pk for t in tags]
    pool = dict(in_pool_at(user, year).filter(enterprise__industry_tags__in=ids)
                .values_list("enterprise__industry_tags").annotate(n=Count("enterprise", distinct=True)).order_by())
    titles = dict(_titles(user, year).filter(enterprise__industry_tags__in=ids)
                  .values_list("enterprise__industry_tags").annotate(n=Count("id")).order_by())
    return [{"pk": t.pk, "name": t.name, "pool": pool.get(t.pk, 0), "titles": titles.get(t.pk, 0)} for t in tags]


def newly_recognised(user, year):
    """Firms recognised in `year` (giants, products, champions), each with its titles; the highest first."""
    rank = {kind: i for i, kind in enumerate(TITLE_KINDS)}
    labels = dict(K.choices)
    firms = {}
    for pk, name, town, kind in (_titles(user, year).values_list("enterprise_id", "enterprise__name",
                                                                 "enterprise__town__name", "kind")):
        firm = firms.setdefault(pk, {"pk": pk, "name": name, "town": town, "best": len(rank), "titles": []})
        firm["titles"].append(str(labels.get(kind, kind)))
        firm["best"] = min(firm["best"], rank.get(kind, len(rank)))
    return sorted(firms.values(), key=lambda f: (f["best"], f["name"]))


class Board:
    """What the dashboard shows, computed on first use (the cached fragment may need none of it)."""

    def __init__(self, user, period, year):
        self.user, self.period, self.year = user, period, year

    def _cached(self, name, compute):
        return services.cached(self.user, f"board:{name}:{self.year}", lambda: compute(self.user, self.year))

    @cached_property
    def cards(self):
        cards = []
        for row in services.progress(self.period, self.year, self.user):
            target = row["target"]
            change = row["change"]
            cards.append({
                **row, "name": target.name, "unit": target.unit, "goal": target.goal_text,
                "kind": target.get_kind_display(), "annual": target.kind == TargetKind.ANNUAL,
                "state_label": target.state(row["figure"]).label,
                "change_text": "—" if change is None else (f"+{change}" if change > 0 else
                                                           (f"−{-change}" if change < 0 else "±0")),
                "responsible": "、".join(target.responsible_labels),
            })
        return cards

    @cached_property
    def funnel(self):
        return self._cached("funnel", funnel)

    @cached_property
    def towns(self):
        return self._cached("towns", by_town)

    @cached_property
    def industries(self):
        return self._cached("industries", by_industry)

    @cached_property
    def new_firms(self):
        return self._cached("new_firms", newly_recognised)

    @cached_property
    def new_firms_shown(self):
        return self.new_firms[:NEW_FIRMS_SHOWN]

    @cached_property
    def chart_data(self):
        return {
            "year": self.year,
            "sparklines": {c["code"]: {"years": [y for y, _n in c["series"]], "values": [n for _y, n in c["series"]],
                                       "floor": c["target"].floor, "ceiling": c["target"].ceiling,
                                       "annual": c["annual"], "unit": c["unit"]} for c in self.cards},
            "funnel": self.funnel,
            "towns": {"names": [t["name"] for t in self.towns], "pool": [t["pool"] for t in self.towns],
                      "titles": [t["titles"] for t in self.towns]},
            "industries": {"names": [t["name"] for t in self.industries],
                           "pool": [t["pool"] for t in self.industries],
                           "titles": [t["titles"] for t in self.industries]},
            "labels": {"pool": str(_("在库培育企业（家）")), "titles": str(_("当年新获认定（项）")),
                       "floor": str(_("目标下限")), "firms": str(_("家"))},
        }


# Who reads the dashboards (the roles with dashboards' view permission, jinhu_portal/roles.py); a role
# check costs one query, where a permission check loads every permission of the user's groups.
BOARD_ROLES = (Role.LEADER, Role.MEMBER_UNIT, Role.TOWN_OFFICER, Role.STAFF, Role.ADMIN)


def page_key(request):
    """The key of this browser session's copy of the page, or None when it must not be cached."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret or len(messages.get_messages(request)):
        return None
    raw = request.GET.get("year", "").strip()[:8]
    unread = Notification.objects.filter(user_id=request.user.pk, read_at__isnull=True).count()
    session = hashlib.sha256(secret.encode()).hexdigest()[:24]
    return (f"dashboards:page:{services.version()}:{services.scope_key(request.user)}:{request.user.pk}:"
            f"{raw or timezone.localdate().year}:{unread}:{session}:{int(large_text(request))}")


@roles_required(*BOARD_ROLES)
def overview(request):
    """目标看板: leaders and member units land here; town officers see their town's figures."""
    key = page_key(request)
    if key and (html := cache.get(key)) is not None:
        return HttpResponse(html)
    response = render_overview(request)
    if key and response.status_code == 200:
        cache.set(key, response.content, services.TIMEOUT)
    return response


def render_overview(request):
    periods = list(PlanPeriod.objects.order_by("start_year"))
    if not periods and not request.GET.get("year"):
        return render(request, "dashboards/overview.html", {"period": None})      # a portal set up just now
    try:
        year, period = choose_year(request, periods)
    except YearNotFound as exc:
        return not_found(request, exc.message)
    years = [y for p in periods for y in p.years]
    return render(request, "dashboards/overview.html", {
        "year": year, "period": period, "years": years, "board": Board(request.user, period, year),
        "cache_version": services.version(), "scope": services.scope_key(request.user),
        "cache_seconds": services.TIMEOUT,
    })


@login_required
def no_role(request):
    return render(request, "dashboards/no_role.html")
