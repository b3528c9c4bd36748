"""One FilterSet per list: the HTML page, its XLSX export and the API answer the same question."""
import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Town
from enterprises.models.choices import MemberUnit

from .models import Attendance, Link, LinkKind, Meeting, Training, TrainingKind, Visit

# --- 挂钩帮扶 links and visits -----------------------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _firm_search(queryset, value):
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__iexact=value.upper()))


class LinkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    town = django_filters.ModelChoiceFilter(label=_("镇（街道、开发区）"), field_name="enterprise__town",
                                            queryset=Town.objects.all())
    kind = django_filters.ChoiceFilter(label=_("挂钩类型"), choices=LinkKind.choices)
    member_unit = django_filters.ChoiceFilter(label=_("所在部门"), choices=MemberUnit.choices)
    current = django_filters.BooleanFilter(label=_("仅看当前挂钩"), method="only_current",
                                           widget=forms.CheckboxInput)
    enterprise = django_filters.NumberFilter(label=_("企业"), widget=forms.HiddenInput)

    class Meta:
        model = Link
        fields = ["q", "town", "kind", "member_unit", "current", "enterprise"]

    def search(self, queryset, name, value):
        return _firm_search(queryset, value)

    def only_current(self, queryset, name, value):
        if not value:
            return queryset
        from .services import current_links

        return queryset.filter(pk__in=current_links().values("pk"))


class VisitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    enterprise = django_filters.NumberFilter(label=_("企业"), widget=forms.HiddenInput)
    town = django_filters.ModelChoiceFilter(label=_("镇（街道、开发区）"), field_name="enterprise__town",
                                            queryset=Town.objects.all())
    visitor = django_filters.ModelChoiceFilter(label=_("走访人"), queryset=get_user_model().objects.none())
    visited_after = django_filters.DateFilter(label=_("走访日期从"), field_name="visited_on", lookup_expr="gte",
                                              widget=DATE_INPUT)
    visited_before = django_filters.DateFilter(label=_("走访日期至"), field_name="visited_on", lookup_expr="lte",
                                               widget=DATE_INPUT)

    class Meta:
        model = Visit
        fields = ["q", "enterprise", "town", "visitor", "visited_after", "visited_before"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people who have recorded a visit are offered (the API takes any user id).
        self.filters["visitor"].queryset = (get_user_model().objects.filter(visits__isnull=False).distinct()
                                            .order_by("last_name", "first_name", "username"))

    def search(self, queryset, name, value):
        return _firm_search(queryset, value)


# --- Trainings and attendance; joint meetings ---------------------------------------------------------

class YearFilter(django_filters.NumberFilter):
    """A calendar year of a date field: a whole number 1900–2100 (else the page ignores it and the API
    answers 400), never a year the database cannot bound."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class TrainingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("培训名称"), field_name="title", lookup_expr="icontains")
    year = YearFilter(label=_("年度"), field_name="date__year")
    organiser = django_filters.ChoiceFilter(label=_("主办单位"), choices=MemberUnit.choices)
    kind = django_filters.ChoiceFilter(label=_("培训对象"), choices=TrainingKind.choices)

    class Meta:
        model = Training
        fields = ["q", "year", "organiser", "kind"]


class AttendanceFilter(django_filters.FilterSet):
    training = django_filters.NumberFilter(label=_("培训活动"), widget=forms.HiddenInput)
    year = YearFilter(label=_("年度"), field_name="training__date__year")
    q = django_filters.CharFilter(label=_("姓名或企业"), method="search")
    enterprise = django_filters.NumberFilter(label=_("企业"), widget=forms.HiddenInput)

    class Meta:
        model = Attendance
        fields = ["training", "year", "q", "enterprise"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(enterprise__name__icontains=value)
                               | Q(enterprise__uscc__iexact=value.upper()))


class MeetingFilter(django_filters.FilterSet):
    year = YearFilter(label=_("年度"), field_name="date__year")
    q = django_filters.CharFilter(label=_("会议名称"), field_name="title", lookup_expr="icontains")

    class Meta:
        model = Meeting
        fields = ["year", "q"]
