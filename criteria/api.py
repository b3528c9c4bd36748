"""The self-assessment API (政策计算器): the public POST and the logged-in firm's GET.

Contract: docs/spec/self-assessment-api.md.  Validation and evaluation live in
`criteria.selfassess` (shared with the public page); the request serializers are re-exported here.
"""
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http.request import RawPostDataException
from django.shortcuts import get_object_or_404
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.models import Enterprise
from jinhu_portal.api import ErrorDetailSerializer
from jinhu_portal.limits import client_key

from . import engine
from .models import Tier
from .selfassess import (MSG, BadRecordInputSerializer, CertificationInputSerializer,  # noqa: F401
                         EnterpriseInputSerializer, FinancialInputSerializer, InformationSystemInputSerializer,
                         IPInputSerializer, LevelInputSerializer, ProductInputSerializer,
                         RDInstitutionInputSerializer, RecognitionInputSerializer, SelfAssessmentError,
                         SelfAssessmentRequestSerializer, StandardInputSerializer, _sanitize, editions_for,
                         parse_body, run_self_assessment)
from .profile import build_profiles
from .services import default_year

RATE_GROUP = "criteria.self_assessment"
RATE_LIMITED_MESSAGE = "请求过于频繁，请稍后再试。"
JSON_ONLY_MESSAGE = "请求体须为 JSON，请将 Content-Type 设为 application/json（收到的是“{received}”）。"


def rate_limited(request, group=RATE_GROUP):
    """Count this request against the per-address limit; True when over it.

    Counted in the shared cache (settings.CACHES), so every worker process adds to one counter,
    per client address as `jinhu_portal.limits.client_key` reads it (X-Forwarded-For only behind
    TRUSTED_PROXY_COUNT proxies)."""
    django_request = getattr(request, "_request", request)
    return is_ratelimited(django_request, group=group, key=client_key, rate=settings.SELF_ASSESSMENT_RATE,
                          method=ALL, increment=True)


def errors_response(errors, status=400):
    return Response({"errors": errors}, status=status)


def is_json(request):
    media_type = (request.content_type or "").split(";")[0].strip().lower()
    return media_type == "application/json"


class ErrorsSerializer(serializers.Serializer):
    """政策计算器的错误响应：`{"errors": {"<字段路径>": ["<中文提示>"]}}`。"""

    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


def _errors(description):
    return OpenApiResponse(ErrorsSerializer, description=description)


class SelfAssessmentView(APIView):
    """POST a firm's data, get its results against every published edition for the year. Stores nothing."""

    authentication_classes = []          # public; no session, hence no CSRF check
    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser]        # what the schema declares; the body is read as JSON below
    request_body_required = True         # `{}` asks about nothing in particular; no body is a 400
    renderer_classes = [JSONRenderer]
    throttle_classes = []

    @extend_schema(summary="政策计算器：按所填数据评估（不保存）", request=SelfAssessmentRequestSerializer,
                   responses={200: OpenApiTypes.OBJECT,
                              400: _errors("数据有误：按字段路径给出中文提示"),
                              415: _errors("请求体不是 application/json"),
                              429: _errors("同一地址请求过于频繁（见 Retry-After）")})
    def post(self, request):
        if rate_limited(request):
            response = errors_response({"": [RATE_LIMITED_MESSAGE]}, status=429)
            response["Retry-After"] = "60"
            return response
        try:
            try:
                raw = request._request.body
            except RequestDataTooBig:
                raise SelfAssessmentError({"body": [MSG["too_big"]]})
            except (SuspiciousOperation, RawPostDataException):
                raise SelfAssessmentError({"body": [MSG["not_json"]]})
            if raw and not is_json(request):      # an empty body has no media type to judge
                received = _sanitize(request.content_type or "无", limit=60)
                return errors_response({"body": [JSON_ONLY_MESSAGE.format(received=received)]}, status=415)
            body, _results = run_self_assessment(parse_body(raw))
        except SelfAssessmentError as exc:
            return errors_response(exc.errors)
        return Response(body)


class EnterpriseAssessmentView(APIView):
    """GET /api/v1/enterprises/<pk>/assessment/?year=YYYY: live results for a stored firm in one's scope."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [JSONRenderer]

    @extend_schema(summary="本企业已存数据的实时评估",
                   responses={200: OpenApiTypes.OBJECT, 400: _errors("年度或层级有误"),
                              403: OpenApiResponse(ErrorDetailSerializer, description="未登录"),
                              404: OpenApiResponse(ErrorDetailSerializer, description="企业不存在或不在本人可见范围内")},
                   parameters=[OpenApiParameter("year", int, description="评估年度，默认上一年"),
                               OpenApiParameter("tiers", str, description="层级代码，逗号分隔；默认全部")])
    def get(self, request, pk):
        enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
        try:
            year = self._year(request.query_params.get("year"))
            tiers = self._tiers(request.query_params.get("tiers"))
            editions = editions_for(year, tiers, field="year")
        except SelfAssessmentError as exc:
            return errors_response(exc.errors)
        profile = build_profiles([enterprise.pk], year)[enterprise.pk]
        results = [engine.evaluate_tier(profile, e.to_spec(), year) for e in editions]
        return Response({"assessment_year": year, "tiers": [r.to_dict() for r in results]})

    @staticmethod
    def _year(raw):
        if raw in (None, ""):
            return default_year()
        raw = raw.strip()
        if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
            raise SelfAssessmentError({"year": ["请填写四位数年度，如 2023。"]})
        return int(raw)

    @staticmethod
    def _tiers(raw):
        if not raw:
            return None
        tiers = [t.strip() for t in raw.split(",") if t.strip()]
        errors = {f"tiers[{i}]": [f"“{_sanitize(t)}”不是有效的层级，可选：{'、'.join(Tier.values)}。"]
                  for i, t in enumerate(tiers) if t not in Tier.values}
        if errors:
            raise SelfAssessmentError(errors)
        return tiers
