from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from jinhu_portal.api import PortalModelSerializer
from jinhu_portal.roles import is_staff_role

from . import services
from .filters import EnterpriseFilterSet, FiscalYearFilterSet
from .models import Enterprise, FiscalYearRecord, Product, ProductRevenue


class FirmScopedSerializer(PortalModelSerializer):
    """A record of one firm: a firm outside the user's scope is simply not a valid choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "enterprise" in self.fields:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(request.user)


class FiscalYearRecordSerializer(FirmScopedSerializer):
    class Meta:
        model = FiscalYearRecord
        fields = ["id", "enterprise", "year", *FiscalYearRecord.FIGURES]

    def validate(self, attrs):
        merged = {**({f: getattr(self.instance, f) for f in self.Meta.fields if f != "id"} if self.instance else {}),
                  **attrs}
        errors = FiscalYearRecord.figure_errors(merged)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ProductRevenueSerializer(PortalModelSerializer):
    class Meta:
        model = ProductRevenue
        fields = ["year", "revenue"]


class ProductSerializer(FirmScopedSerializer):
    revenues = ProductRevenueSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = ["id", "enterprise", "name", "rank_province", "rank_domestic", "rank_global",
                  "supply_chain_customer", "key_field", "revenues"]


class EnterpriseSerializer(PortalModelSerializer):
    town_name = serializers.CharField(source="town.name", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:enterprise-detail")

    class Meta:
        model = Enterprise
        fields = ["id", "url", "name", "uscc", "town", "town_name", "category", "industry_tags",
                  "registered_province", "independent_legal_person", "founding_date", "main_business",
                  "years_in_niche", "years_in_field", "years_with_new_product", "high_tech_certified",
                  "high_tech_valid_from", "high_tech_valid_until", "own_brand", "industry_average_margin",
                  "contact_person", "contact_phone", "liaison_officer", "pool_status"]
        read_only_fields = ["pool_status"]

    def validate_uscc(self, value):
        return value.strip().upper()


class EnterpriseDetailSerializer(EnterpriseSerializer):
    fiscal_years = FiscalYearRecordSerializer(many=True, read_only=True)
    products = ProductSerializer(many=True, read_only=True)

    class Meta(EnterpriseSerializer.Meta):
        fields = EnterpriseSerializer.Meta.fields + ["fiscal_years", "products"]


class EnterpriseViewSet(viewsets.ModelViewSet):
    filterset_class = EnterpriseFilterSet
    ordering_fields = ["name", "uscc", "town", "latest_revenue"]

    def get_queryset(self):
        if self.action == "list":
            return services.enterprise_list_queryset(self.request.user)
        return services.enterprise_detail_queryset(self.request.user)

    def get_serializer_class(self):
        return EnterpriseSerializer if self.action == "list" else EnterpriseDetailSerializer

    def perform_create(self, serializer):
        if not is_staff_role(self.request.user):
            self.permission_denied(self.request, message=_("只有县工信局工作人员可以新增企业。"))
        serializer.save()


class FiscalYearRecordViewSet(viewsets.ModelViewSet):
    serializer_class = FiscalYearRecordSerializer
    filterset_class = FiscalYearFilterSet
    ordering_fields = ["year"]

    def get_queryset(self):
        return FiscalYearRecord.objects.visible_to(self.request.user).order_by("enterprise_id", "year")


class ProductViewSet(viewsets.ModelViewSet):
    serializer_class = ProductSerializer
    filterset_fields = ["enterprise"]

    def get_queryset(self):
        return (Product.objects.visible_to(self.request.user)
                .prefetch_related("revenues").order_by("enterprise_id", "name"))
