import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jinhu_portal.tables import CHECK_ATTRS, TITLE_ATTRS, NumberColumn, stacked_table_attrs

from .models import Declaration


class DeclarationTable(tables.Table):
    selection = tables.CheckBoxColumn(accessor="pk", orderable=False,
                                      attrs={"th__input": {"aria-label": _("全选")},
                                             "td__input": {"aria-label": lambda record: _("选择 %(name)s") % {
                                                 "name": record.enterprise.name}},
                                             **CHECK_ATTRS})
    enterprise = tables.Column(verbose_name=_("企业"), order_by=("enterprise__name",), attrs=TITLE_ATTRS)
    town = tables.Column(accessor="enterprise__town__name", verbose_name=_("镇（街道、开发区）"))
    round = tables.Column(verbose_name=_("批次"), order_by=("round__opens_on",))
    status = tables.Column(verbose_name=_("状态"))
    verdict = tables.Column(verbose_name=_("评价结论"))
    met = NumberColumn(verbose_name=_("符合条数"))
    missed = NumberColumn(verbose_name=_("不符合条数"))
    submitted_at = tables.DateTimeColumn(verbose_name=_("提交时间"), format="Y-m-d H:i")

    class Meta:
        model = Declaration
        fields = ["selection", "enterprise", "town", "round", "status", "verdict", "met", "missed", "submitted_at"]
        attrs = stacked_table_attrs(id="queue")
        empty_text = _("没有符合条件的申报。")

    def render_enterprise(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.enterprise.name)

    def render_verdict(self, record):
        from criteria.views.results import VERDICT_LABELS

        return VERDICT_LABELS.get(record.verdict, "—")
