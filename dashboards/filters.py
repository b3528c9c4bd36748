"""The drill-down's filters: one FilterSet for the rows behind any target's figure.

The rows of a target are firms (Enterprise), records (Recognition, RDInstitution, IPItem, Standard)
or people (Attendance values), depending on the target's counter. `TargetRowFilterSet` filters any
of them by the firm they belong to: the path from a row to its firm's town comes from
`rows.town_path(counter)` ("town" for firm rows, "enterprise__town" for records and people), and
the firm's name and industry tags are reached the same way. The HTML drill-down, its XLSX and the
targets API all use it, so the three filter alike:

    rows = services.target_rows(target, year, request.user)          # scoped to the viewer
    filterset = TargetRowFilterSet(request.GET, queryset=rows, counter=target.counter)
    rows = filterset.qs                                              # then paginate / export
    # filterset.form is the form to show; filterset.errors says why a value was ignored

Parameters (all optional, in the query string): `town` (a Town pk), `industry_tag` (an
IndustryTag pk), `q` (part of the firm's name, or its full USCC). A value that is not valid is
ignored (and reported in `filterset.errors`), never a server error.
"""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import IndustryTag, Town

from .rows import town_path


class TargetRowFilterSet(django_filters.FilterSet):
    town = django_filters.ModelChoiceFilter(label=_("镇（街道、开发区）"), queryset=Town.objects.all(),
                                            method="filter_town")
    industry_tag = django_filters.ModelChoiceFilter(label=_("产业标签"), queryset=IndustryTag.objects.all(),
                                                    method="filter_industry_tag")
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")

    def __init__(self, data=None, queryset=None, *, counter, **kwargs):
        super().__init__(data, queryset, **kwargs)
        town = town_path(counter)
        # "town" -> "" (the row is the firm), "enterprise__town" -> "enterprise__"
        self.firm_prefix = town[: -len("town")]

    def filter_town(self, queryset, name, value):
        return queryset.filter(**{f"{self.firm_prefix}town": value}) if value else queryset

    def filter_industry_tag(self, queryset, name, value):
        # one tag: the join yields at most one row per firm (a firm holds a tag once), no duplicates
        return queryset.filter(**{f"{self.firm_prefix}industry_tags": value}) if value else queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        p = self.firm_prefix
        return queryset.filter(Q(**{f"{p}name__icontains": value}) | Q(**{f"{p}uscc__iexact": value.upper()}))
