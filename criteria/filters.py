import django_filters
from django.utils.translation import gettext_lazy as _

from enterprises.models import Town

from .models import Tier, TierOutcome
from .models.evaluations import Verdict


class OutcomeFilterSet(django_filters.FilterSet):
    tier = django_filters.ChoiceFilter(label=_("层级"), choices=Tier.choices, empty_label=None)
    town = django_filters.ModelChoiceFilter(label=_("镇（街道、开发区）"), field_name="enterprise__town",
                                            queryset=Town.objects.all())
    verdict = django_filters.ChoiceFilter(label=_("结论"), choices=Verdict.choices)

    class Meta:
        model = TierOutcome
        fields = ["tier", "town", "verdict"]
