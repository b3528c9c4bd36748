"""The leadership models in Django's admin, for the administrator; staff use the portal's own pages
(目标管理, 考核权重, 重要事项, 典型宣传). Model `clean()` runs here too, so the admin refuses the same
things (overlapping periods, bad params, a recognition of another firm) with the same messages."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AssessmentWeight, NotableEvent, PlanPeriod, ShowcaseEntry, Target


class TargetInline(admin.TabularInline):
    model = Target
    fields = ["order", "code", "name", "kind", "floor", "ceiling", "unit", "counter"]
    extra = 0
    show_change_link = True


class WeightInline(admin.TabularInline):
    model = AssessmentWeight
    extra = 0


@admin.register(PlanPeriod)
class PlanPeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "start_year", "end_year", "document"]
    inlines = [TargetInline, WeightInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "period", "kind", "floor", "ceiling", "unit", "counter", "order"]
    list_filter = ["period", "kind", "counter"]
    search_fields = ["name", "code"]
    list_select_related = ["period"]


@admin.register(AssessmentWeight)
class AssessmentWeightAdmin(admin.ModelAdmin):
    list_display = ["period", "indicator", "weight"]
    list_filter = ["period"]


@admin.register(NotableEvent)
class NotableEventAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "enterprise", "created_by"]
    date_hierarchy = "date"
    search_fields = ["title", "detail", "enterprise__name"]
    autocomplete_fields = ["enterprise"]
    list_select_related = ["enterprise", "created_by"]


@admin.register(ShowcaseEntry)
class ShowcaseEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "enterprise", "recognition", "published", "published_at"]
    list_filter = ["published"]
    search_fields = ["title", "enterprise__name"]
    autocomplete_fields = ["enterprise"]
    raw_id_fields = ["recognition"]
    list_select_related = ["enterprise", "recognition"]
    actions = ["publish", "unpublish"]

    @admin.action(description=_("发布所选典型宣传"))
    def publish(self, request, queryset):
        from django.utils import timezone

        queryset.filter(published=False).update(published=True, published_at=timezone.now())

    @admin.action(description=_("撤回所选典型宣传"))
    def unpublish(self, request, queryset):
        queryset.update(published=False)
