"""In-app inbox plus email (console backend in development)."""
from django.conf import settings
from django.core.mail import send_mail

from .models import Notification


def notify(user, title, body="", link=""):
    Notification.objects.create(user=user, title=title, body=body, link=link)
    if user.email:
        send_mail(title, f"{body}\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)


def notify_enterprise(enterprise, title, body="", link=""):
    for scope in enterprise.users.select_related("user").filter(user__is_active=True):
        notify(scope.user, title, body, link)
