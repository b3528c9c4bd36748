"""The daily notices of requests and tasks (run by `manage.py send_reminders`, every day):

- a request or task past its due date (办理中): its unit's officers and staff, once per item and due date;
- a task due within three days: its unit's officers, once per task and due date.

"Once" is read from the inbox itself: the notice's title begins with a marker naming the due date and
its link is the item's page, so a second run the same day (or any later day) sends nothing, and a
re-routed item with a new due date is told again when that one passes.
"""
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Notification
from enterprises.notify import notify

from . import workflow
from .models import Decision, RequestStatus, ServiceRequest

DUE_SOON_DAYS = 3


def _send_once(users, marker, item, text):
    link = workflow.link_for(item)
    told = set(Notification.objects.filter(link=link, title__startswith=marker).values_list("user_id", flat=True))
    sent = 0
    for user in users:
        if user.pk in told:
            continue
        notify(user, f"{marker}{text}", link=link)
        told.add(user.pk)
        sent += 1
    return sent


def _overdue_marker(item):
    return _("【逾期 期限%(due)s】") % {"due": item.due_date.isoformat()}


def send_overdue_notices(today=None):
    today = today or timezone.localdate()
    staff = list(workflow.staff_users())
    sent = 0
    late = workflow.overdue_q(today)
    items = [*ServiceRequest.objects.filter(late).select_related("enterprise"),
             *Decision.objects.filter(late).exclude(unit="")]
    for item in items:
        users = [*workflow.unit_officers(item.unit), *staff]
        sent += _send_once(users, _overdue_marker(item), item,
                           _("%(item)s 已超过办理期限，尚未答复（承办单位：%(unit)s）")
                           % {"item": workflow.describe(item), "unit": item.get_unit_display()})
    return sent


def send_task_due_notices(today=None):
    today = today or timezone.localdate()
    sent = 0
    soon = Decision.objects.filter(status=RequestStatus.ROUTED, due_date__gte=today,
                                   due_date__lte=today + timedelta(days=DUE_SOON_DAYS)).exclude(unit="")
    for task in soon:
        marker = _("【即将到期 期限%(due)s】") % {"due": task.due_date.isoformat()}
        sent += _send_once(workflow.unit_officers(task.unit), marker, task,
                           _("%(item)s 将于%(due)s到期，请按期办结")
                           % {"item": workflow.describe(task), "due": task.due_date.isoformat()})
    return sent


def send_request_reminders(today=None):
    """The daily hook (settings.DAILY_REMINDERS): returns how many notices were sent."""
    return send_overdue_notices(today) + send_task_due_notices(today)
