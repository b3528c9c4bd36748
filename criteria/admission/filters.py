import django_filters
from django.utils.translation import gettext_lazy as _

from criteria.models.evaluations import Verdict
from enterprises.models import IndustryTag, Town

from .models import Declaration, Round, Status


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
