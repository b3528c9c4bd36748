# Loaded with Django so that `shared_task` binds to the portal's Celery app and its settings.
from .celery import app as celery_app

__all__ = ("celery_app",)
