"""Declarations: the review queue as an API, filtered by the same FilterSet as the HTML queue."""

from rest_framework import serializers, viewsets

from .filters import DeclarationFilterSet
from .models import Declaration


class DeclarationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    town = serializers.CharField(source="enterprise.town.name", read_only=True)
    round_title = serializers.CharField(source="round.title", read_only=True)

    class Meta:
        model = Declaration
        fields = ["id", "round", "round_title", "enterprise", "enterprise_name", "town", "status", "verdict", "met",
                  "missed", "return_reason", "submitted_at", "decided_at"]
        read_only_fields = fields


class DeclarationViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only: declarations change only through the review workflow's transitions."""

    serializer_class = DeclarationSerializer
    filterset_class = DeclarationFilterSet
    ordering_fields = ["met", "missed", "submitted_at"]

    def get_queryset(self):
        return (Declaration.objects.visible_to(self.request.user)
                .select_related("enterprise__town", "round").order_by("-met", "missed", "pk"))


# --- Cultivation plans (分类辅导，一企一策), with their items -------------------------------------

from django.db.models import Prefetch  # noqa: E402
from django.utils import timezone  # noqa: E402

from jinhu_portal.templatetags.portal_format import person_name  # noqa: E402

from .filters import PlanFilterSet  # noqa: E402
from .models import CultivationPlan, PlanItem  # noqa: E402
from .plans import annotate_items  # noqa: E402


class PlanItemSerializer(serializers.ModelSerializer):
    owner_name = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = PlanItem
        fields = ["id", "position", "code", "variant", "rule_text", "result", "actual", "threshold", "gap", "unit",
                  "gap_text", "action", "responsible_unit", "owner", "owner_name", "due_date", "status", "closed_on",
                  "note", "overdue"]
        read_only_fields = fields

    def get_owner_name(self, item) -> str:
        return person_name(item.owner)


class CultivationPlanSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = CultivationPlan
        fields = ["id", "enterprise", "enterprise_name", "tier", "year", "status", "title", "created_on", "items"]
        read_only_fields = fields


class CultivationPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only: plans are generated and edited on their pages by staff. A firm sees only its own
    plans, a town officer those of its town's firms."""

    serializer_class = CultivationPlanSerializer
    filterset_class = PlanFilterSet
    ordering_fields = ["created_on", "tier"]

    def get_queryset(self):
        items = annotate_items(PlanItem.objects.select_related("owner"), timezone.localdate()).order_by(
            "position", "pk")
        return (CultivationPlan.objects.visible_to(self.request.user).select_related("enterprise")
                .prefetch_related(Prefetch("items", queryset=items)).order_by("enterprise__name", "tier", "pk"))
