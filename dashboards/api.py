"""The targets API (docs/spec/targets.md, "The targets API"): what other county systems read.

`GET /api/v1/targets/?year=Y` answers every target of the plan period holding Y, with its live
figure and state (`services.progress`, cached); `GET /api/v1/targets/<code>/records/?year=Y` lists
the rows behind one figure, paginated, through the one codec (`rows.values`), so `count` is the
figure. Staff, admin, leaders and member units read the county; a town officer reads its town (the
counters scope every row); an enterprise user has no dashboards permission (403).

Without `year`, both answer for `services.default_year()` (this year inside a plan period, else the
end year of the latest period begun before today). A `year` that is not a number is a 400 naming
the field; a year outside every period, or an unknown code, a 404 with a Chinese `detail`.
"""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from jinhu_portal.api import VALIDATION_ERRORS, ErrorDetailSerializer

from . import rows as codec
from . import services
from .counting import COUNTERS, FIRMS, PEOPLE
from .filters import TargetRowFilterSet
from .models import PlanPeriod, TargetKind, TargetState

YEAR_MESSAGE = _("年度（year）须为 1 至 4 位数字，如 2024。")


class ReadsDashboards(permissions.BasePermission):
    """Logged in, with the dashboards' read permission (every role but the enterprise user's)."""

    message = _("无权查看目标进展：仅县工信局、县领导、成员单位和乡镇（街道、开发区）专员可以查看。")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated
                    and request.user.has_perm("dashboards.view_target"))


def parse_year(raw):
    """The `year` query parameter: missing → the default year; not a number → 400 naming `year`."""
    if raw is None or not raw.strip():
        return services.default_year()
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4):
        raise exceptions.ValidationError({"year": [YEAR_MESSAGE]})
    return int(raw)


def period_or_404(year):
    period = services.period_for(year)
    if period is None:
        known = "、".join(f"{p.start_year}—{p.end_year}年" for p in PlanPeriod.objects.all()) or _("暂无")
        raise exceptions.NotFound(_("%(year)s年不在任何规划期内（已有规划期：%(known)s）。")
                                  % {"year": year, "known": known})
    return period


def records_url(code, year):
    return f"{reverse('api:target-records', args=[code])}?year={year}"


# --- schema --------------------------------------------------------------------------------------

class TargetSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="目标代码，如 new_city_giants")
    name = serializers.CharField(help_text="目标名称")
    kind = serializers.ChoiceField(choices=TargetKind.choices, help_text="annual：只计当年；cumulative：计规划期起至当年")
    floor = serializers.IntegerField(min_value=0, help_text="目标下限（“超过N”为 N+1）")
    ceiling = serializers.IntegerField(min_value=0, allow_null=True, help_text="目标上限；无上限为 null")
    unit = serializers.CharField(help_text="单位，如 家、个、人")
    figure = serializers.IntegerField(min_value=0, help_text="由记录实时统计的数值")
    state = serializers.ChoiceField(choices=TargetState.choices,
                                    help_text="below：低于下限；within：达到目标；above：超过上限")
    responsible = serializers.ListField(child=serializers.CharField(), help_text="责任单位，如 县工信局")
    records = serializers.CharField(help_text="该数值背后的记录列表地址")


class TargetListSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    period = serializers.CharField(help_text="规划期代码，如 2022-2024")
    targets = TargetSerializer(many=True)


RECORDS_PAGE = {
    "type": "object",
    "required": ["count", "next", "previous", "results"],
    "properties": {
        "count": {"type": "integer", "minimum": 0, "description": "记录总数，恒等于该目标的统计数值"},
        "next": {"type": "string", "nullable": True, "format": "uri"},
        "previous": {"type": "string", "nullable": True, "format": "uri"},
        "results": {"type": "array", "items": {
            "type": "object", "additionalProperties": {},
            "description": "一行记录，列与下钻列表、Excel 相同（企业或记录行另有 enterprise_id；人员行的手机号码已脱敏）"}},
    },
}

YEAR_PARAMETER = OpenApiParameter("year", OpenApiTypes.INT, description="年度；缺省为当前规划期内的本年（或最近一个规划期的末年）")
NOT_FOUND = OpenApiResponse(ErrorDetailSerializer, description="年度不在任何规划期内，或目标代码不存在")
BAD_INPUT = OpenApiResponse(VALIDATION_ERRORS, description="参数有误：{\"year\": [\"<中文提示>\"]}（或 town 等筛选参数）")
DENIED = OpenApiResponse(ErrorDetailSerializer, description="未登录，或无权查看目标进展（企业用户）")


# --- views ---------------------------------------------------------------------------------------

class TargetListView(APIView):
    """Every target of the plan period holding `year`, with its live figure and state."""

    permission_classes = [ReadsDashboards]
    renderer_classes = [JSONRenderer]

    @extend_schema(summary="规划目标及其实时进展", parameters=[YEAR_PARAMETER],
                   responses={200: TargetListSerializer, 400: BAD_INPUT, 403: DENIED, 404: NOT_FOUND})
    def get(self, request):
        year = parse_year(request.query_params.get("year"))
        period = period_or_404(year)
        targets = []
        for row in services.progress(period, year, request.user):
            t = row["target"]
            targets.append({"code": t.code, "name": t.name, "kind": t.kind, "floor": t.floor, "ceiling": t.ceiling,
                            "unit": t.unit, "figure": row["figure"], "state": row["state"],
                            "responsible": t.responsible_labels, "records": records_url(t.code, year)})
        return Response({"year": year, "period": period.code, "targets": targets})


class RecordsPagination(PageNumberPagination):
    page_size = 50


class TargetRecordsView(APIView):
    """The rows behind one target's figure for `year`, as the drill-down lists them; `count` is the figure."""

    permission_classes = [ReadsDashboards]
    renderer_classes = [JSONRenderer]

    @extend_schema(summary="目标数值背后的记录（分页）",
                   parameters=[YEAR_PARAMETER,
                               OpenApiParameter("town", OpenApiTypes.INT, description="只列该镇（街道、开发区）的记录"),
                               OpenApiParameter("industry_tag", OpenApiTypes.INT, description="只列带该产业标签的企业的记录"),
                               OpenApiParameter("q", OpenApiTypes.STR, description="企业名称的一部分，或完整的统一社会信用代码"),
                               OpenApiParameter("page", OpenApiTypes.INT, description="页码，从 1 开始")],
                   responses={200: OpenApiResponse(RECORDS_PAGE, description="分页的记录"),
                              400: BAD_INPUT, 403: DENIED, 404: NOT_FOUND})
    def get(self, request, code):
        year = parse_year(request.query_params.get("year"))
        period_or_404(year)
        target = services.current_target(code, year)
        if target is None:
            raise exceptions.NotFound(_("%(year)s年所在规划期没有代码为“%(code)s”的目标。")
                                      % {"year": year, "code": code[:50]})
        rows = filter_rows(request, target, codec.with_basis(services.target_rows(target, year, request.user),
                                                             target, year))
        paginator = RecordsPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response([record(target.counter, row) for row in page])


def filter_rows(request, target, rows):
    """The drill-down's filters (`filters.TargetRowFilterSet`: town, industry_tag, q), as the HTML
    drill-down and its XLSX apply them; a value the filter cannot read is a 400 naming it."""
    filterset = TargetRowFilterSet(request.query_params, queryset=rows, counter=target.counter)
    if filterset.errors:
        raise exceptions.ValidationError({name: [str(m) for m in messages] for name, messages in filterset.errors.items()})
    return filterset.qs


def record(counter_code, row):
    """One row as the API writes it: the codec's columns, plus the firm's id for firm and item rows."""
    out = codec.values(counter_code, row)
    counts = COUNTERS[counter_code].counts
    if counts == FIRMS:
        out["enterprise_id"] = row.pk
    elif counts != PEOPLE:
        out["enterprise_id"] = row.enterprise_id
    return out
