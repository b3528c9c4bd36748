"""Tables of requests and tasks (django-tables2); rows stack into cards on a phone."""
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jinhu_portal.tables import NOWRAP_ATTRS, TITLE_ATTRS, stacked_table_attrs

from . import workflow
from .models import Decision, ServiceRequest


def _status_badge(record, today):
    label = record.get_status_display()
    if workflow.is_overdue(record, today):
        return format_html('{} <span class="badge text-bg-danger">{}</span>', label, _("已逾期"))
    return label


class RequestTable(tables.Table):
    enterprise = tables.Column(verbose_name=_("企业"), order_by=("enterprise__name",), attrs=TITLE_ATTRS)
    category = tables.Column(verbose_name=_("类别"), attrs=NOWRAP_ATTRS)
    description = tables.Column(verbose_name=_("诉求内容"), orderable=False)
    status = tables.Column(verbose_name=_("状态"), attrs=NOWRAP_ATTRS)
    unit = tables.Column(verbose_name=_("承办单位"), attrs=NOWRAP_ATTRS)
    due_date = tables.DateColumn(verbose_name=_("办理期限"), format="Y-m-d", attrs=NOWRAP_ATTRS)
    filed_at = tables.DateTimeColumn(verbose_name=_("提交时间"), format="Y-m-d", attrs=NOWRAP_ATTRS)

    class Meta:
        model = ServiceRequest
        fields = ["enterprise", "category", "description", "status", "unit", "due_date", "filed_at"]
        attrs = stacked_table_attrs(id="requests")
        empty_text = _("没有符合条件的诉求。")

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def render_enterprise(self, record):
        return format_html('<a href="{}">{}</a>', reverse("services:request_detail", args=[record.pk]),
                           record.enterprise.name)

    def render_category(self, record):
        return record.get_category_display()

    def render_description(self, value):
        return value if len(value) <= 40 else value[:40] + "…"

    def render_status(self, record):
        return _status_badge(record, self.today)

    def render_unit(self, record):
        return record.get_unit_display() or "—"


class TaskTable(tables.Table):
    text = tables.Column(verbose_name=_("议定事项"), attrs=TITLE_ATTRS, orderable=False)
    meeting = tables.Column(verbose_name=_("联席会议"), order_by=("meeting__date",))
    unit = tables.Column(verbose_name=_("责任单位"), attrs=NOWRAP_ATTRS)
    due_date = tables.DateColumn(verbose_name=_("完成期限"), format="Y-m-d", attrs=NOWRAP_ATTRS)
    status = tables.Column(verbose_name=_("状态"), attrs=NOWRAP_ATTRS)

    class Meta:
        model = Decision
        fields = ["text", "meeting", "unit", "due_date", "status"]
        attrs = stacked_table_attrs(id="tasks")
        empty_text = _("没有符合条件的任务。")

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def render_text(self, record):
        text = record.text if len(record.text) <= 40 else record.text[:40] + "…"
        return format_html('<a href="{}">{}</a>', reverse("services:task_detail", args=[record.pk]), text)

    def render_meeting(self, record):
        return f"{record.meeting.date:%Y-%m-%d} {record.meeting.title}"

    def render_unit(self, record):
        return record.get_unit_display() or "—"

    def render_status(self, record):
        return _status_badge(record, self.today)
