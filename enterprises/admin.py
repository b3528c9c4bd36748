from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models as m
from .signals import mark_stale


def _mark_stale(objs, initial=None):
    """Re-evaluate the firms of `objs` once the admin's write commits: for yearly records their
    years (both firms and years when an edit moved one), for anything else every evaluated year."""
    initial = initial or {}
    firms = {o.pk if isinstance(o, m.Enterprise) else o.enterprise_id for o in objs} | {initial.get("enterprise")}
    firms.discard(None)
    if all(isinstance(o, m.FiscalYearRecord) for o in objs):
        mark_stale(firms, {o.year for o in objs} | {initial.get("year")})
    else:
        mark_stale(firms, ())


class MarksStaleAdmin:
    """Saving or deleting a firm's data in the admin re-evaluates the firm (hooks only)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change or form.has_changed() or any(f.has_changed() for f in formsets):
            _mark_stale([form.instance], form.initial if change else None)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        if not isinstance(obj, m.Enterprise):          # a deleted firm's outcomes go with it
            _mark_stale([obj])

    def delete_queryset(self, request, queryset):
        objs = [o for o in queryset if not isinstance(o, m.Enterprise)]
        super().delete_queryset(request, queryset)
        if objs:
            _mark_stale(objs)


class FiscalYearInline(admin.TabularInline):
    model = m.FiscalYearRecord
    extra = 0
    fields = ["year", *m.FiscalYearRecord.FIGURES]


class ProductInline(admin.TabularInline):
    model = m.Product
    extra = 0
    show_change_link = True


class RecognitionInline(admin.TabularInline):
    model = m.Recognition
    extra = 0


class IPInline(admin.TabularInline):
    model = m.IPItem
    extra = 0


@admin.register(m.Enterprise)
class EnterpriseAdmin(MarksStaleAdmin, SimpleHistoryAdmin):
    list_display = ["name", "uscc", "town", "category", "pool_status", "high_tech_certified"]
    list_filter = ["town", "category", "pool_status", "industry_tags", "high_tech_certified"]
    search_fields = ["name", "uscc"]
    filter_horizontal = ["industry_tags"]
    inlines = [FiscalYearInline, ProductInline, IPInline, RecognitionInline]
    list_select_related = ["town"]


@admin.register(m.FiscalYearRecord)
class FiscalYearRecordAdmin(MarksStaleAdmin, SimpleHistoryAdmin):
    list_display = ["enterprise", "year", "operating_revenue", "main_business_revenue", "total_profit", "rd_expense"]
    list_filter = ["year", "enterprise__town"]
    search_fields = ["enterprise__name", "enterprise__uscc"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise"]


class ProductRevenueInline(admin.TabularInline):
    model = m.ProductRevenue
    extra = 0


@admin.register(m.Product)
class ProductAdmin(MarksStaleAdmin, SimpleHistoryAdmin):
    list_display = ["name", "enterprise", "rank_province", "rank_domestic", "supply_chain_customer", "key_field"]
    list_filter = ["key_field"]
    search_fields = ["name", "enterprise__name"]
    autocomplete_fields = ["enterprise"]
    inlines = [ProductRevenueInline]


@admin.register(m.Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(m.IndustryTag)
class IndustryTagAdmin(admin.ModelAdmin):
    list_display = ["name", "taxonomy", "order"]
    list_filter = ["taxonomy"]
    search_fields = ["name"]


@admin.register(m.UserScope)
class UserScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "enterprise", "town", "member_unit"]
    search_fields = ["user__username", "enterprise__name"]
    autocomplete_fields = ["enterprise"]


def _record_admin(model, display, filters):
    @admin.register(model)
    class RecordAdmin(MarksStaleAdmin, SimpleHistoryAdmin):
        list_display = ["enterprise", *display]
        list_filter = filters
        search_fields = ["enterprise__name", "enterprise__uscc"]
        list_select_related = ["enterprise"]
        autocomplete_fields = ["enterprise"]

    RecordAdmin.__name__ = f"{model.__name__}Admin"
    return RecordAdmin


_record_admin(m.IPItem, ["title", "ip_type", "status", "number", "product"], ["ip_type", "status"])
_record_admin(m.RDInstitution, ["name", "level", "joint", "recognized_year"], ["level", "joint"])
_record_admin(m.Brand, ["name", "kind", "level", "year"], ["kind", "level"])
_record_admin(m.Certification, ["name", "kind", "issued_on", "valid_until"], ["kind"])
_record_admin(m.Standard, ["name", "code", "level", "role", "year"], ["level", "role"])
_record_admin(m.InformationSystem, ["kind", "name", "core_business"], ["kind"])
_record_admin(m.Competition, ["name", "level", "year", "result"], ["level"])
_record_admin(m.BadRecord, ["kind", "date", "description"], ["kind"])
_record_admin(m.Recognition, ["kind", "level", "year", "document"], ["kind", "level", "year"])
