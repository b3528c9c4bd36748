"""`/api/v1/service-requests/`: requests as the list page scopes and filters them, each with its history.

Writes go through the workflow only: `POST /service-requests/` files a request (an enterprise user for
its own firm, staff for any firm they reach), `POST /service-requests/<id>/<step>/` routes, answers,
confirms or reopens it. Plain generic views (not a router viewset): a request has no field anyone
PATCHes or DELETEs, so it stays out of the CRUD field walk of tests/jinhu_portal/test_field_permissions.py.
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, serializers
from rest_framework.response import Response

from enterprises.models import Enterprise
from enterprises.models.choices import MemberUnit
from jinhu_portal.roles import STAFF_ROLES, own_enterprise_id, role_of
from jinhu_portal.templatetags.portal_format import person_name

from . import workflow
from .models import RequestAction, RequestEvent, ServiceRequest
from .request_filters import RequestFilterSet


class RequestEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField(help_text="操作人姓名")

    class Meta:
        model = RequestEvent
        fields = ["id", "action", "from_status", "to_status", "actor", "actor_name", "at", "unit", "due_date", "note"]
        read_only_fields = fields

    def get_actor_name(self, event) -> str:
        return person_name(event.actor)


class ServiceRequestSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    town = serializers.CharField(source="enterprise.town.name", read_only=True)
    filed_by_name = serializers.SerializerMethodField(help_text="提交人姓名")
    overdue = serializers.SerializerMethodField(help_text="办理中且已过办理期限")
    closed_on_time = serializers.SerializerMethodField(help_text="已办结且答复不晚于办理期限")
    history = RequestEventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = ServiceRequest
        fields = ["id", "enterprise", "enterprise_name", "town", "category", "description", "status", "unit",
                  "due_date", "answer", "filed_by", "filed_by_name", "filed_at", "answered_at", "closed_at",
                  "overdue", "closed_on_time", "history"]
        read_only_fields = fields

    def get_filed_by_name(self, item) -> str:
        return person_name(item.filed_by)

    def get_overdue(self, item) -> bool:
        return workflow.is_overdue(item, self.context.get("today"))

    def get_closed_on_time(self, item) -> bool:
        return workflow.closed_on_time(item)


class FileRequestSerializer(serializers.ModelSerializer):
    """Filing: an enterprise user's request is for its own firm (`enterprise` may be left out);
    staff name the firm."""

    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False,
                                                    help_text="企业 ID（企业用户可省略，默认本企业）")

    class Meta:
        model = ServiceRequest
        fields = ["enterprise", "category", "description"]

    def validate_enterprise(self, firm):
        user = self.context["request"].user
        if role_of(user) in STAFF_ROLES:
            if not Enterprise.objects.visible_to(user).filter(pk=firm.pk).exists():
                raise serializers.ValidationError("企业不存在或不在本人可见范围内。")
        elif firm.pk != own_enterprise_id(user):
            raise serializers.ValidationError("企业用户只能为本企业提交诉求。")
        return firm

    def validate(self, attrs):
        user = self.context["request"].user
        if "enterprise" not in attrs:
            firm_id = own_enterprise_id(user)
            if firm_id is None:
                raise serializers.ValidationError({"enterprise": ["请指定企业。"]})
            attrs["enterprise"] = Enterprise.objects.get(pk=firm_id)
        return attrs


def requests_queryset(user):
    events = RequestEvent.objects.select_related("actor").order_by("at", "pk")
    return (workflow.requests_for(user).select_related("enterprise__town", "filed_by")
            .prefetch_related(Prefetch("events", queryset=events)).order_by("-filed_at", "-pk"))


def _as_api_error(exc):
    if isinstance(exc, workflow.NotAllowed):
        return exceptions.PermissionDenied(" ".join(exc.messages))
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return serializers.ValidationError({"non_field_errors": exc.messages})


class ServiceRequestList(generics.ListCreateAPIView):
    """企业诉求列表（按本人可见范围：企业看本企业，乡镇看本镇企业，成员单位看分办给本单位的，工信局和县领导看全部），
    每条附办理记录 `history`。POST 提交诉求：企业用户为本企业、工信局为任一企业。"""

    filterset_class = RequestFilterSet
    ordering_fields = ["filed_at", "due_date"]

    def get_queryset(self):
        return requests_queryset(self.request.user)

    def get_serializer_class(self):
        return FileRequestSerializer if self.request.method == "POST" else ServiceRequestSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(request=FileRequestSerializer, responses={201: ServiceRequestSerializer})
    def post(self, request, *args, **kwargs):
        serializer = FileRequestSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        item = ServiceRequest(**serializer.validated_data)
        try:
            workflow.advance(item, RequestAction.FILE, request.user)
        except DjangoValidationError as exc:
            raise _as_api_error(exc) from exc
        item = requests_queryset(request.user).get(pk=item.pk)
        return Response(ServiceRequestSerializer(item, context=self.get_serializer_context()).data, status=201)


class ServiceRequestDetail(generics.RetrieveAPIView):
    """一条诉求及其办理记录。"""

    serializer_class = ServiceRequestSerializer

    def get_queryset(self):
        return requests_queryset(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


class RouteSerializer(serializers.Serializer):
    unit = serializers.ChoiceField(choices=MemberUnit.choices, help_text="承办单位")
    due_date = serializers.DateField(help_text="办理期限（不早于今天）")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="说明")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(help_text="答复内容")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConfirmSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReopenSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="退回重办的原因")


class _Transition(generics.GenericAPIView):
    """One workflow step on a request in the user's reach (else 404); who may take it is the workflow's
    (else 403), a step the request's state or the input refuses is a 400 in Chinese."""

    permission_classes = [permissions.IsAuthenticated]
    step = None

    def get_queryset(self):
        return requests_queryset(self.request.user)

    def post(self, request, pk):
        item = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            workflow.advance(item, self.step, request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise _as_api_error(exc) from exc
        item = requests_queryset(request.user).filter(pk=item.pk).first() or item
        return Response(ServiceRequestSerializer(item, context={"request": request,
                                                                "today": timezone.localdate()}).data)


def _transition(step, serializer_class, summary):
    view = type(f"ServiceRequest{step.title()}", (_Transition,), {
        "step": step, "serializer_class": serializer_class, "__doc__": summary})
    def post(self, request, pk):
        return _Transition.post(self, request, pk)

    view.post = extend_schema(request=serializer_class, responses={200: ServiceRequestSerializer},
                              summary=summary)(post)
    return view


ServiceRequestRoute = _transition(RequestAction.ROUTE, RouteSerializer, "分办（工信局）：指定承办单位和办理期限")
ServiceRequestAnswer = _transition(RequestAction.ANSWER, AnswerSerializer, "答复（承办单位或工信局）")
ServiceRequestConfirm = _transition(RequestAction.CONFIRM, ConfirmSerializer, "确认办结（本企业或工信局）")
ServiceRequestReopen = _transition(RequestAction.REOPEN, ReopenSerializer, "退回重办（本企业或工信局），须说明原因")
