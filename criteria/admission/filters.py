import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from criteria.models import Tier
from criteria.models.evaluations import Verdict
from enterprises.models import Enterprise, IndustryTag, Town

from .models import CultivationPlan, Declaration, PlanItem, PlanStatus, Round, Status
from .plans import overdue_q


class DeclarationFilterSet(django_filters.FilterSet):
    """The review queue (HTML, XLSX export and the API share it)."""

    round = django_filters.ModelChoiceFilter(label=_("批次"), queryset=Round.objects.all())
    town = django_filters.ModelChoiceFilter(label=_("镇（街道、开发区）"), field_name="enterprise__town",
                                            queryset=Town.objects.all())
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    verdict = django_filters.ChoiceFilter(label=_("评价结论"), choices=Verdict.choices)
    industry_tag = django_filters.ModelChoiceFilter(label=_("产业标签"), field_name="enterprise__industry_tags",
                                                    queryset=IndustryTag.objects.all(), distinct=True)

    class Meta:
        model = Declaration
        fields = ["round", "town", "status", "verdict", "industry_tag"]


def _firms_in_scope(request):
    return Enterprise.objects.visible_to(request.user) if request is not None else Enterprise.objects.none()


class PlanFilterSet(django_filters.FilterSet):
    """Cultivation plans (the HTML list and the API share it)."""

    q = django_filters.CharFilter(label=_("企业名称"), field_name="enterprise__name", lookup_expr="icontains")
    enterprise = django_filters.ModelChoiceFilter(label=_("企业"), queryset=_firms_in_scope)
    tier = django_filters.ChoiceFilter(label=_("目标层级"), choices=Tier.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PlanStatus.choices)
    town = django_filters.ModelChoiceFilter(label=_("镇（街道、开发区）"), field_name="enterprise__town",
                                            queryset=Town.objects.all())
    overdue = django_filters.BooleanFilter(
        label=_("逾期事项"), method="filter_overdue",
        widget=forms.Select(choices=[("", _("全部")), ("true", _("有逾期")), ("false", _("无逾期"))]))

    class Meta:
        model = CultivationPlan
        fields = ["q", "enterprise", "tier", "status", "town", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = PlanItem.objects.filter(overdue_q()).values("plan_id")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)


# --- Recommendation lists (推荐名单): the HTML pages and the API share these ---------------------

from criteria.models.editions import Tier as _Tier  # noqa: E402
from .models import ListStatus, Outcome, RecommendationEntry, RecommendationList  # noqa: E402

LIST_TIER_CHOICES = [(t.value, t.label) for t in _Tier if t != _Tier.COUNTY_POOL]


class RecommendationListFilterSet(django_filters.FilterSet):
    tier = django_filters.ChoiceFilter(label=_("推荐层级"), choices=LIST_TIER_CHOICES)
    year = django_filters.NumberFilter(label=_("评价年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ListStatus.choices)

    class Meta:
        model = RecommendationList
        fields = ["tier", "year", "status"]


class RecommendationEntryFilterSet(django_filters.FilterSet):
    town = django_filters.ModelChoiceFilter(label=_("镇（街道、开发区）"), field_name="enterprise__town",
                                            queryset=Town.objects.all())
    outcome = django_filters.ChoiceFilter(label=_("结果"), choices=Outcome.choices)
    removed = django_filters.BooleanFilter(label=_("已移出名单"))

    class Meta:
        model = RecommendationEntry
        fields = ["town", "outcome", "removed"]
