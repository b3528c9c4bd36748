"""In-app inbox plus email (console backend in development); the email goes through the task queue."""
import logging

from django.conf import settings
from django.core.mail import send_mail
from kombu.exceptions import OperationalError as BrokerDown

from .models import Notification

logger = logging.getLogger(__name__)


def notify(user, title, body="", link=""):
    Notification.objects.create(user=user, title=title, body=body, link=link)
    if user.email:
        send_email(title, f"{body}\n{link}".strip(), user.email)


def send_email(title, text, address):
    from .tasks import send_notification_mail

    try:
        send_notification_mail.delay(title, text, address)
    except BrokerDown:       # no queue: send it now, as before there was one
        logger.warning("task queue unreachable: notification mail sent in the request")
        send_mail(title, text, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)


def notify_enterprise(enterprise, title, body="", link=""):
    for scope in enterprise.users.select_related("user").filter(user__is_active=True):
        notify(scope.user, title, body, link)
