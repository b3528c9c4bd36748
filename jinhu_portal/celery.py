"""The Celery application: `celery -A jinhu_portal worker` (deploy/jinhu-worker.service)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinhu_portal.settings.prod")

app = Celery("jinhu_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
