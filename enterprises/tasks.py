"""Notification mail as a background task: a slow or refusing mail server never holds up the page
that notifies, and a failed send is tried again later."""
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=60)
def send_notification_mail(self, title, text, address):
    try:
        send_mail(title, text, settings.DEFAULT_FROM_EMAIL, [address])
    except (SMTPException, OSError) as exc:
        raise self.retry(exc=exc)
