import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from jinhu_portal.tables import NOWRAP_ATTRS, TITLE_ATTRS, MoneyColumn, stacked_table_attrs

from .models import Enterprise


class EnterpriseTable(tables.Table):
    name = tables.LinkColumn("enterprises:detail", args=[tables.A("pk")], verbose_name=_("企业名称"),
                             attrs=TITLE_ATTRS)
    uscc = tables.Column(verbose_name=_("统一社会信用代码"))
    town = tables.Column(verbose_name=_("镇（街道、开发区）"), order_by=("town__order", "town__code"))
    category = tables.Column(verbose_name=_("类别"), attrs=NOWRAP_ATTRS)
    tags = tables.Column(verbose_name=_("产业标签"), accessor="pk", orderable=False)
    latest_revenue = MoneyColumn(verbose_name=_("最近年度营业收入"))
    pool_status = tables.Column(verbose_name=_("培育库状态"), attrs=NOWRAP_ATTRS)

    class Meta:
        model = Enterprise
        fields = ["name", "uscc", "town", "category", "tags", "latest_revenue", "pool_status"]
        attrs = stacked_table_attrs()
        empty_text = _("没有符合条件的企业。")

    def render_tags(self, record):
        return "、".join(t.name for t in record.industry_tags.all()) or "—"
