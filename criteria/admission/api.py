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


# --- Recommendation lists (推荐名单) and their entries --------------------------------------------

from django.db.models import Count, Q  # noqa: E402
from rest_framework.generics import get_object_or_404  # noqa: E402
from drf_spectacular.utils import extend_schema  # noqa: E402
from rest_framework.decorators import action  # noqa: E402
from rest_framework.response import Response  # noqa: E402

from .filters import RecommendationEntryFilterSet, RecommendationListFilterSet  # noqa: E402
from .models import RecommendationEntry, RecommendationList  # noqa: E402


class RecommendationEntrySerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    town = serializers.CharField(source="enterprise.town.name", read_only=True)

    class Meta:
        model = RecommendationEntry
        fields = ["id", "recommendation_list", "position", "enterprise", "enterprise_name", "uscc", "town", "source",
                  "verdict", "met", "missed", "open", "gaps", "note", "removed", "removed_note", "outcome",
                  "outcome_date", "outcome_document", "recognition"]
        read_only_fields = fields


class RecommendationListSerializer(serializers.ModelSerializer):
    entry_count = serializers.IntegerField(read_only=True, help_text="名单中（本人可见范围内、未移出）的企业数")
    entries_url = serializers.HyperlinkedIdentityField(view_name="api:recommendationlist-entries")

    class Meta:
        model = RecommendationList
        fields = ["id", "tier", "year", "version", "previous", "round", "title", "status", "note", "created_at",
                  "frozen_at", "entry_count", "entries_url"]
        read_only_fields = fields


def entries_in_scope(user):
    """A firm reads its own entry on a frozen list; a town officer its firms'; readers of all, all."""
    from jinhu_portal.roles import Role, role_of

    qs = RecommendationEntry.objects.visible_to(user)
    if role_of(user) == Role.ENTERPRISE:
        qs = qs.filter(removed=False, recommendation_list__status="frozen")
    return qs


class RecommendationListViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only: lists are generated, edited, frozen and followed on their pages by staff. The
    filters are the list page's; `entries/` takes the list page's entry filters (town, outcome,
    removed)."""

    serializer_class = RecommendationListSerializer
    filterset_class = RecommendationListFilterSet
    ordering_fields = ["year", "tier", "version"]

    def lists(self):
        entries = entries_in_scope(self.request.user).filter(removed=False)
        return (RecommendationList.objects.visible_to(self.request.user)
                .annotate(entry_count=Count("entries", filter=Q(entries__in=entries), distinct=True))
                .order_by("-year", "tier", "-version"))

    def get_queryset(self):
        if self.action == "entries":
            return (entries_in_scope(self.request.user).select_related("enterprise__town")
                    .order_by("removed", "position", "pk"))
        return self.lists()

    @extend_schema(responses=RecommendationEntrySerializer(many=True))
    @action(detail=True, serializer_class=RecommendationEntrySerializer,
            filterset_class=RecommendationEntryFilterSet, ordering_fields=["position"])
    def entries(self, request, pk=None):
        """The list's entries in order (a town officer: its firms'; a firm: its own)."""
        lst = get_object_or_404(self.lists(), pk=pk)
        qs = self.filter_queryset(self.get_queryset().filter(recommendation_list=lst))
        page = self.paginate_queryset(qs)
        serializer = self.get_serializer(page if page is not None else qs, many=True)
        return self.get_paginated_response(serializer.data) if page is not None else Response(serializer.data)
