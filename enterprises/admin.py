from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models as m


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
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "uscc", "town", "category", "pool_status", "high_tech_certified"]
    list_filter = ["town", "category", "pool_status", "industry_tags", "high_tech_certified"]
    search_fields = ["name", "uscc"]
    filter_horizontal = ["industry_tags"]
    inlines = [FiscalYearInline, ProductInline, IPInline, RecognitionInline]
    list_select_related = ["town"]


@admin.register(m.FiscalYearRecord)
class FiscalYearRecordAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "year", "operating_revenue", "main_business_revenue", "total_profit", "rd_expense"]
    list_filter = ["year", "enterprise__town"]
    search_fields = ["enterprise__name", "enterprise__uscc"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise"]


class ProductRevenueInline(admin.TabularInline):
    model = m.ProductRevenue
    extra = 0


@admin.register(m.Product)
class ProductAdmin(SimpleHistoryAdmin):
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
    class RecordAdmin(SimpleHistoryAdmin):
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
