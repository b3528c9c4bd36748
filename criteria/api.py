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
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.models import Enterprise

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


def rate_limited(request, group=RATE_GROUP):
    """Count this request against the per-address limit; True when over it."""
    django_request = getattr(request, "_request", request)
    return is_ratelimited(django_request, group=group, key="ip", rate=settings.SELF_ASSESSMENT_RATE,
                          method=ALL, increment=True)


def errors_response(errors, status=400):
    return Response({"errors": errors}, status=status)


class SelfAssessmentView(APIView):
    """POST a firm's data, get its results against every published edition for the year. Stores nothing."""

    authentication_classes = []          # public; no session, hence no CSRF check
    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer]
    throttle_classes = []

    @extend_schema(summary="政策计算器：按所填数据评估（不保存）", request=SelfAssessmentRequestSerializer,
                   responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT})
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
            body, _results = run_self_assessment(parse_body(raw))
        except SelfAssessmentError as exc:
            return errors_response(exc.errors)
        return Response(body)


class EnterpriseAssessmentView(APIView):
    """GET /api/v1/enterprises/<pk>/assessment/?year=YYYY: live results for a stored firm in one's scope."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [JSONRenderer]

    @extend_schema(summary="本企业已存数据的实时评估", responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
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
