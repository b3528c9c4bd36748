"""Filters of requests and tasks: the HTML list, its XLSX export and the API share each FilterSet."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Town
from enterprises.models.choices import MemberUnit

from . import workflow
from .models import Decision, RequestCategory, RequestStatus, ServiceRequest

OVERDUE_WIDGET = forms.Select(choices=[("", _("全部")), ("true", _("已逾期")), ("false", _("未逾期"))])


class _OverdueMixin:
    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = workflow.overdue_q()
        return queryset.filter(late) if value else queryset.exclude(late)


class RequestFilterSet(_OverdueMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或诉求内容"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RequestStatus.choices)
    category = django_filters.ChoiceFilter(label=_("诉求类别"), choices=RequestCategory.choices)
    unit = django_filters.ChoiceFilter(label=_("承办单位"), choices=MemberUnit.choices)
    town = django_filters.ModelChoiceFilter(label=_("镇（街道、开发区）"), field_name="enterprise__town",
                                            queryset=Town.objects.all())
    overdue = django_filters.BooleanFilter(label=_("是否逾期"), method="filter_overdue", widget=OVERDUE_WIDGET)
    enterprise = django_filters.NumberFilter(label=_("企业"), widget=forms.HiddenInput)

    class Meta:
        model = ServiceRequest
        fields = ["q", "status", "category", "unit", "town", "overdue", "enterprise"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(description__icontains=value))


class TaskFilterSet(_OverdueMixin, django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RequestStatus.choices)
    unit = django_filters.ChoiceFilter(label=_("责任单位"), choices=MemberUnit.choices)
    overdue = django_filters.BooleanFilter(label=_("是否逾期"), method="filter_overdue", widget=OVERDUE_WIDGET)

    class Meta:
        model = Decision
        fields = ["status", "unit", "overdue"]
