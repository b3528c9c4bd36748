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
