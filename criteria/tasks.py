"""Periodic work the Celery beat starts (settings.CELERY_BEAT_SCHEDULE; deploy/systemd/jinhu-beat.service)."""
import logging
from datetime import date

from celery import shared_task

from .admission.notifications import send_daily_reminders

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def daily_reminders(day=None):
    """The day's notices; each kind sends an item's notice once, so a redelivered task sends nothing twice.
    `day` (YYYY-MM-DD) catches up a day the beat missed; the beat itself sends none."""
    sent = send_daily_reminders(date.fromisoformat(day) if day else None)
    for what, count in sent:
        logger.info("daily reminders: %s %s", what, count)
    return [count for _what, count in sent]
