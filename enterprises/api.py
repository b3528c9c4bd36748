from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, viewsets

from jinhu_portal.api import PortalModelSerializer
from jinhu_portal.roles import is_staff_role

from . import services
from .filters import EnterpriseFilterSet, FiscalYearFilterSet
from .models import Enterprise, FiscalYearRecord, Product, ProductRevenue
from .permissions import refusal, writable_fields
from .signals import mark_stale


class FieldPermissionSerializer(PortalModelSerializer):
    """Writes only the fields the user's role may write (enterprises/permissions.py): any other
    field sent with a value other than the stored one is refused with 403, naming each such field
    in Chinese, before anything is validated or saved. Sending a field's stored value back (a PUT
    of what a GET returned) is not a write and passes."""

    def to_internal_value(self, data):
        request = self.context.get("request")
        if request is not None and hasattr(data, "keys"):
            self._refuse_forbidden_writes(request.user, data)
        return super().to_internal_value(data)

    def _refuse_forbidden_writes(self, user, data):
        model = self.Meta.model
        allowed = writable_fields(user, model)
        refused = {}
        for name, field in self.fields.items():
            if field.read_only or name not in data or name in allowed:
                continue
            if self.instance is not None and self._is_stored_value(field, data[name]):
                continue
            refused[name] = [refusal(user, model, name)]
        if refused:
            raise exceptions.PermissionDenied(refused)

    def _is_stored_value(self, field, raw):
        try:
            new = field.run_validation(raw)
        except (exceptions.ValidationError, DjangoValidationError, TypeError, ValueError):
            # not a valid value of the field, so not the stored one
            return False
        return _comparable(field, field.get_attribute(self.instance)) == _comparable(field, new)


def _comparable(field, value):
    """A value as the field shows it (a related object as its pk, a many-relation as a sorted list)."""
    if value is None:
        return None
    shown = field.to_representation(value)
    return sorted(shown, key=str) if isinstance(shown, list) else shown


class FirmScopedSerializer(FieldPermissionSerializer):
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
                  "supply_chain_customer", "key_field", "strategic_emerging", "revenues"]


class EnterpriseSerializer(FieldPermissionSerializer):
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

    def validate(self, attrs):
        # The model's check constraint, as a 400 naming the field rather than a database error.
        start = attrs.get("high_tech_valid_from", getattr(self.instance, "high_tech_valid_from", None))
        end = attrs.get("high_tech_valid_until", getattr(self.instance, "high_tech_valid_until", None))
        if start and end and end < start:
            raise serializers.ValidationError({"high_tech_valid_until": [_("高新技术企业证书有效期止不能早于有效期起。")]})
        return attrs


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


# --- Recognitions (认定荣誉) ------------------------------------------------------------------------

from .filters import RecognitionFilterSet  # noqa: E402
from .models import Recognition  # noqa: E402


class RecognitionSerializer(PortalModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    town = serializers.CharField(source="enterprise.town.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Recognition
        fields = ["id", "enterprise", "enterprise_name", "uscc", "town", "kind", "kind_label", "level", "level_label",
                  "year", "granted_on", "valid_until", "document", "note", "product"]
        read_only_fields = fields


class RecognitionViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only: recognitions are written by 县工信局 staff on the recognition form, by the XLSX
    import, and by a recommendation list's 已认定 outcome (each re-scores the firm). Filters: the
    list page's (`kind`, `level`, `year`, `town`, `enterprise`, `q`)."""

    serializer_class = RecognitionSerializer
    filterset_class = RecognitionFilterSet
    ordering_fields = ["year", "kind", "level"]

    def get_queryset(self):
        return (Recognition.objects.visible_to(self.request.user).select_related("enterprise__town")
                .order_by("-year", "kind", "enterprise__name", "pk"))
