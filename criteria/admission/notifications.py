"""Notices that go to every enterprise user: a round has opened, a round closes in three days."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.notify import notify
from jinhu_portal.roles import GROUP_NAMES, Role

from .models import Declaration, Round
from .models.declarations import Status

REMINDER_DAYS = 3
# A firm whose declaration is still in its own hands is reminded; one already submitted or decided is not.
STILL_TO_DO = (Status.DRAFT, Status.RETURNED)


def enterprise_users():
    """Active users of the enterprise role that belong to a firm."""
    return (get_user_model().objects
            .filter(is_active=True, groups__name=GROUP_NAMES[Role.ENTERPRISE], scope__enterprise__isnull=False)
            .distinct().order_by("pk"))


def _link(round_):
    try:
        return round_.get_absolute_url()
    except NoReverseMatch:  # the round pages may not be wired yet
        return ""


def notify_round_opened(round_):
    """Tell every active enterprise user that the round is open; returns how many were told."""
    title = _("申报批次“%(title)s”已开放，截止日期%(closes_on)s") % {
        "title": round_.title, "closes_on": round_.closes_on.isoformat()}
    body = _("申报时间：%(opens_on)s 至 %(closes_on)s。") % {
        "opens_on": round_.opens_on.isoformat(), "closes_on": round_.closes_on.isoformat()}
    link = _link(round_)
    sent = 0
    for user in enterprise_users():
        notify(user, title, body, link)
        sent += 1
    return sent


def reminder_recipients(round_):
    """Firms with no declaration in the round, or whose declaration is still a draft or returned."""
    done = Declaration.objects.filter(round=round_).exclude(status__in=STILL_TO_DO).values("enterprise_id")
    return enterprise_users().exclude(scope__enterprise_id__in=done)


def send_deadline_reminders(today=None):
    """Remind, once per round, the firms that have not submitted a round closing in three days.

    Returns the number of notifications sent; running it again the same day sends nothing.
    """
    today = today or timezone.localdate()
    sent = 0
    for round_ in Round.objects.filter(closes_on=today + timedelta(days=REMINDER_DAYS), reminded=False):
        # Claim the round first, so two runs at once cannot both remind.
        if not Round.objects.filter(pk=round_.pk, reminded=False).update(reminded=True):
            continue
        title = _("申报批次“%(title)s”将于%(closes_on)s截止，请尽快完成申报") % {
            "title": round_.title, "closes_on": round_.closes_on.isoformat()}
        body = _("本企业在该批次尚未提交申报（或申报已退回待修改），逾期将无法提交。")
        link = _link(round_)
        for user in reminder_recipients(round_):
            notify(user, title, body, link)
            sent += 1
    return sent


def send_daily_reminders(today=None):
    """Every daily notice: the deadline reminders, then the other apps' (settings.DAILY_REMINDERS, named
    there so that criteria imports none of them). Returns [(what, how many sent)]; safe to run twice.
    The beat (criteria.tasks.daily_reminders) and `manage.py send_reminders` both call this."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    sent = [(_("截止提醒"), send_deadline_reminders(today))]
    for dotted in getattr(settings, "DAILY_REMINDERS", ()):
        sent.append((dotted, import_string(dotted)(today)))
    return sent
