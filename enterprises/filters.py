"""One FilterSet serves the HTML list and the API, so both answer the same question the same way."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Category, Enterprise, FiscalYearRecord, IndustryTag, PoolStatus, Town


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="search")
    town = django_filters.ModelChoiceFilter(label=_("镇（街道、开发区）"), queryset=Town.objects.all())
    industry_tag = django_filters.ModelChoiceFilter(
        label=_("产业标签"), field_name="industry_tags", queryset=IndustryTag.objects.all(), distinct=True)
    category = django_filters.ChoiceFilter(label=_("类别"), choices=Category.choices)
    pool_status = django_filters.ChoiceFilter(label=_("培育库状态"), choices=PoolStatus.choices)

    class Meta:
        model = Enterprise
        fields = ["q", "town", "industry_tag", "category", "pool_status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(uscc__iexact=value.upper())) if value else queryset


class FiscalYearFilterSet(django_filters.FilterSet):
    enterprise = django_filters.NumberFilter(label=_("企业"))
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = FiscalYearRecord
        fields = ["enterprise", "year"]


# --- Recognitions (认定荣誉): the HTML list and the API share this ---------------------------------

from django import forms as _forms  # noqa: E402

from .models import Level, Recognition, RecognitionKind  # noqa: E402


class RecognitionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    kind = django_filters.ChoiceFilter(label=_("认定类型"), choices=RecognitionKind.choices)
    level = django_filters.ChoiceFilter(label=_("级别"), choices=Level.choices)
    year = django_filters.NumberFilter(label=_("认定年度"))
    town = django_filters.ModelChoiceFilter(label=_("镇（街道、开发区）"), field_name="enterprise__town",
                                            queryset=Town.objects.all())
    enterprise = django_filters.NumberFilter(label=_("企业"), widget=_forms.HiddenInput)

    class Meta:
        model = Recognition
        fields = ["q", "kind", "level", "year", "town", "enterprise"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__iexact=value.upper()))
