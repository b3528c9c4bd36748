import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jinhu_portal.tables import FIGURE_ATTRS, NOWRAP_ATTRS, TITLE_ATTRS, NumberColumn, stacked_table_attrs
from jinhu_portal.templatetags.portal_format import format_number, person_name

from .models import CultivationPlan


class PlanTable(tables.Table):
    enterprise = tables.Column(verbose_name=_("企业"), order_by=("enterprise__name",), attrs=TITLE_ATTRS)
    town = tables.Column(accessor="enterprise__town__name", verbose_name=_("镇（街道、开发区）"),
                         order_by=("enterprise__town__order", "enterprise__town__code"), attrs=NOWRAP_ATTRS)
    tier = tables.Column(verbose_name=_("目标层级"))
    status = tables.Column(verbose_name=_("状态"), attrs=NOWRAP_ATTRS)
    items_done = tables.Column(verbose_name=_("事项进度"), order_by=("items_done",), attrs=NOWRAP_ATTRS)
    items_overdue = NumberColumn(verbose_name=_("逾期事项"))
    rules_missed = tables.Column(verbose_name=_("尚缺条目"), order_by=("rules_missed", "rules_open"),
                                 attrs=FIGURE_ATTRS)
    officer = tables.Column(accessor="enterprise__tracking_officer", verbose_name=_("跟踪责任人"),
                            order_by=("enterprise__tracking_officer__first_name",), attrs=NOWRAP_ATTRS)
    created_on = tables.DateColumn(verbose_name=_("制定日期"), format="Y-m-d", attrs=NOWRAP_ATTRS)

    class Meta:
        model = CultivationPlan
        fields = ["enterprise", "town", "tier", "status", "items_done", "items_overdue", "rules_missed", "officer",
                  "created_on"]
        attrs = stacked_table_attrs(id="plans")
        empty_text = _("没有符合条件的培育计划。")

    def render_enterprise(self, record):
        return format_html('<a href="{}">{}</a>', reverse("criteria:plan_detail", args=[record.pk]),
                           record.enterprise.name)

    def render_tier(self, record):
        return record.get_tier_display()

    def render_items_done(self, record):
        return f"{format_number(record.items_done)} / {format_number(record.items_total)}"

    def render_items_overdue(self, value):
        if not value:
            return "0"
        return format_html('<span class="badge text-bg-danger">{}</span>', format_number(value))

    def render_rules_missed(self, record):
        if record.rules_missed is None:
            return "—"
        return format_number(record.rules_missed + (record.rules_open or 0))

    def render_officer(self, value):
        return person_name(value) or "—"
