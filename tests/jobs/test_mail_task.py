"""Notification mail goes through the task queue: sent at once without Redis, tried again when the mail
server refuses, and sent in the request when the queue cannot be reached."""
from smtplib import SMTPServerDisconnected

from django.core import mail

from enterprises import tasks
from enterprises.models import Notification
from enterprises.notify import notify
from tests.jobs.test_jobs import unreachable_queue  # noqa: F401


def test_a_notification_is_in_the_inbox_and_mailed(alice):
    alice.email = "caiwu@example.com"
    alice.save()
    notify(alice, "申报已退回", "请补充研发费用明细。", "/criteria/declarations/1/")
    assert Notification.objects.get(user=alice).title == "申报已退回"
    (message,) = mail.outbox
    assert (message.subject, message.to, message.body) == (
        "申报已退回", ["caiwu@example.com"], "请补充研发费用明细。\n/criteria/declarations/1/")


def test_a_mail_server_that_refuses_once_is_tried_again(alice, monkeypatch):
    real, calls = tasks.send_mail, []

    def refuses_first(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 1:
            raise SMTPServerDisconnected("connection unexpectedly closed")
        return real(*args, **kwargs)

    monkeypatch.setattr(tasks, "send_mail", refuses_first)
    alice.email = "caiwu@example.com"
    notify(alice, "入库申报已通过")
    assert calls == ["入库申报已通过", "入库申报已通过"]
    assert [m.subject for m in mail.outbox] == ["入库申报已通过"]


def test_with_the_queue_down_the_mail_is_sent_in_the_request(alice, unreachable_queue):  # noqa: F811
    alice.email = "caiwu@example.com"
    notify(alice, "申报截止提醒")
    assert [m.subject for m in mail.outbox] == ["申报截止提醒"]
    assert Notification.objects.filter(user=alice, title="申报截止提醒").exists()


def test_a_user_without_an_email_gets_the_inbox_only(alice):
    alice.email = ""
    notify(alice, "申报已退回")
    assert mail.outbox == [] and Notification.objects.filter(user=alice).count() == 1
