"""Services API, scoped as the pages and filtered by the same FilterSets (services/filters.py)."""
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from enterprises.api import FirmScopedSerializer
from enterprises.permissions import WRITABLE_FIELDS
from jinhu_portal.roles import Role
from jinhu_portal.templatetags.portal_format import person_name

from .filters import VisitFilter
from .models import Visit, VisitFile

# --- 走访 visits -----------------------------------------------------------------------------------

VISIT_FIELDS = ("enterprise", "visited_on", "visitor", "companions", "topics", "notes")
# Who writes which field of a visit through the API (the one map, enterprises/permissions.py): staff and
# admins record any visit; everyone else reads. (Linked persons and town officers record theirs on the page.)
WRITABLE_FIELDS.setdefault(Visit, {role: VISIT_FIELDS if role in (Role.STAFF, Role.ADMIN) else ()
                                   for role in Role})


class VisitFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = VisitFile
        fields = ["id", "original_name", "size", "url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(help_text="下载地址（须登录且在可见范围内）"))
    def get_url(self, obj):
        return reverse("services:visit_file", args=[obj.pk])


class VisitSerializer(FirmScopedSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    town = serializers.CharField(source="enterprise.town.name", read_only=True)
    visitor_name = serializers.SerializerMethodField()
    files = VisitFileSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "enterprise", "enterprise_name", "town", "visited_on", "visitor", "visitor_name",
                  "companions", "topics", "notes", "files", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"visitor": {"required": False, "allow_null": True}}

    def get_visitor_name(self, obj) -> str:
        return person_name(obj.visitor)

    def validate_visited_on(self, value):
        from django.utils import timezone

        if value > timezone.localdate():
            raise serializers.ValidationError(_("走访日期不能晚于今天。"))
        return value

    def create(self, validated_data):
        request = self.context.get("request")
        if not validated_data.get("visitor") and request is not None:
            validated_data["visitor"] = request.user
        return super().create(validated_data)


class VisitViewSet(viewsets.ModelViewSet):
    """走访记录：县工信局工作人员、领导、成员单位读全部企业的走访，镇（街道、开发区）专员读本地企业的，
    企业用户无权读取。县工信局工作人员可录入（不填走访人时为本人）、修改、删除；挂钩人和镇专员在页面上录入。
    筛选条件与走访记录页面相同：`enterprise`、`town`、`visitor`、`visited_after`、`visited_before`、`q`。"""

    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    ordering_fields = ["visited_on"]

    def get_queryset(self):
        return (Visit.objects.visible_to(self.request.user).select_related("enterprise__town", "visitor")
                .prefetch_related(Prefetch("files", queryset=VisitFile.objects.order_by("pk")))
                .order_by("-visited_on", "-pk"))


# --- Trainings, attendance and joint meetings (read-only) -------------------------------------------

from django.db.models import Count, Q  # noqa: E402

from enterprises.models.choices import MemberUnit  # noqa: E402
from jinhu_portal.roles import is_staff_role  # noqa: E402

from . import services as helpers  # noqa: E402
from . import workflow  # noqa: E402
from .filters import AttendanceFilter, MeetingFilter, TrainingFilter  # noqa: E402
from .models import Attendance, Decision, Meeting, Training  # noqa: E402


class TrainingSerializer(serializers.ModelSerializer):
    organiser_label = serializers.CharField(source="get_organiser_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    attendees = serializers.IntegerField(read_only=True, help_text="参训人次（在可见范围内）")

    class Meta:
        model = Training
        fields = ["id", "title", "date", "organiser", "organiser_label", "kind", "kind_label", "attendees"]
        read_only_fields = fields


class TrainingViewSet(viewsets.ReadOnlyModelViewSet):
    """培训活动（只读）：县工信局在页面上录入。`attendees` 为调用者可见范围内的参训人次。
    筛选与培训列表页相同：`q`（名称）、`year`、`organiser`、`kind`。"""

    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter
    ordering_fields = ["date", "title"]

    def get_queryset(self):
        visible = Attendance.objects.visible_to(self.request.user).values("pk")
        return Training.objects.annotate(
            attendees=Count("attendance", filter=Q(attendance__in=visible), distinct=True)).order_by("-date", "pk")


class AttendanceSerializer(serializers.ModelSerializer):
    training_title = serializers.CharField(source="training.title", read_only=True)
    training_date = serializers.DateField(source="training.date", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, allow_null=True, default=None)
    mobile = serializers.SerializerMethodField(help_text="手机号码；县工信局工作人员以外的用户看到的是 139****0001 形式")

    class Meta:
        model = Attendance
        fields = ["id", "training", "training_title", "training_date", "name", "mobile", "enterprise",
                  "enterprise_name", "role"]
        read_only_fields = fields

    def get_mobile(self, obj) -> str:
        request = self.context.get("request")
        if request is not None and is_staff_role(request.user):
            return obj.mobile
        return helpers.mask_mobile(obj.mobile)


class AttendanceViewSet(viewsets.ReadOnlyModelViewSet):
    """参训人员（只读，按可见范围：镇（街道、开发区）专员只看到本辖区企业的人员）。手机号码除县工信局
    工作人员外均打码。筛选：`training`、`year`、`q`（姓名或企业）、`enterprise`。"""

    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter
    ordering_fields = ["name", "training__date"]

    def get_queryset(self):
        return (Attendance.objects.visible_to(self.request.user).select_related("training", "enterprise")
                .order_by("-training__date", "training_id", "name", "pk"))


class DecisionSerializer(serializers.ModelSerializer):
    unit_label = serializers.CharField(source="get_unit_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "text", "unit", "unit_label", "due_date", "status", "status_label", "overdue", "answer",
                  "answered_at", "closed_at"]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return workflow.is_overdue(obj)


class MeetingSerializer(serializers.ModelSerializer):
    attendees = serializers.ListField(child=serializers.CharField(), read_only=True,
                                      help_text="参会成员单位代码")
    attendee_labels = serializers.SerializerMethodField()
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "date", "title", "attendees", "attendee_labels", "minutes", "decisions"]
        read_only_fields = fields

    def get_attendee_labels(self, obj) -> list[str]:
        labels = dict(MemberUnit.choices)
        return [str(labels.get(code, code)) for code in obj.attendees or []]


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """月度联席会议（只读），含议定事项及其交办、办理状态。筛选：`year`、`q`（会议名称）。"""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["date"]

    def get_queryset(self):
        return Meeting.objects.prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("pk"))).order_by("-date", "-pk")
