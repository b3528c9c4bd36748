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
