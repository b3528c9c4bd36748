from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from jinhu_portal.api import PortalModelSerializer
from jinhu_portal.roles import is_staff_role

from . import services
from .filters import EnterpriseFilterSet, FiscalYearFilterSet
from .models import Enterprise, FiscalYearRecord, Product, ProductRevenue
from .signals import mark_stale


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


def _touched(instance):
    """(firm, fiscal year) a record belongs to; the year is None when the record is not tied to one."""
    if isinstance(instance, Enterprise):
        return instance.pk, None
    return instance.enterprise_id, instance.year if isinstance(instance, FiscalYearRecord) else None


def _mark_stale(*touched):
    years = {year for _firm, year in touched}
    mark_stale({firm for firm, _year in touched}, () if None in years else years)   # (): every evaluated year


class MarksStaleMixin:
    """Every write through the API re-evaluates the firms it touched once it commits (hooks only)."""

    def perform_create(self, serializer):
        super().perform_create(serializer)
        _mark_stale(_touched(serializer.instance))

    def perform_update(self, serializer):
        before = _touched(serializer.instance)          # a record may move to another firm or year
        super().perform_update(serializer)
        _mark_stale(before, _touched(serializer.instance))

    def perform_destroy(self, instance):
        before = _touched(instance)
        super().perform_destroy(instance)
        if not isinstance(instance, Enterprise):        # a deleted firm's outcomes go with it
            _mark_stale(before)


class EnterpriseViewSet(MarksStaleMixin, viewsets.ModelViewSet):
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
        super().perform_create(serializer)


class FiscalYearRecordViewSet(MarksStaleMixin, viewsets.ModelViewSet):
    serializer_class = FiscalYearRecordSerializer
    filterset_class = FiscalYearFilterSet
    ordering_fields = ["year"]

    def get_queryset(self):
        return FiscalYearRecord.objects.visible_to(self.request.user).order_by("enterprise_id", "year")


class ProductViewSet(MarksStaleMixin, viewsets.ModelViewSet):
    serializer_class = ProductSerializer
    filterset_fields = ["enterprise"]

    def get_queryset(self):
        return (Product.objects.visible_to(self.request.user)
                .prefetch_related("revenues").order_by("enterprise_id", "name"))
