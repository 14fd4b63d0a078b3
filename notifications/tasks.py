"""Celery tasks: thin entry points that look rows up by id and call the services; retries are capped."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications import reminders, services

IDEMPOTENT = {"acks_late": True, "reject_on_worker_lost": True, "max_retries": 3, "default_retry_delay": 60}


@shared_task(bind=True, **IDEMPOTENT)
def send_notification_email(self, notification_id: int) -> bool:
    try:
        return services.notification_email_send(notification_id=notification_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task(**IDEMPOTENT)
def deliver_reminder(user_id: int, key: str, title: str, body: str = "", url: str = "") -> bool:
    user = get_user_model().objects.get(pk=user_id)
    return services.notify(user=user, key=key, title=title, body=body, url=url) is not None


@shared_task(**IDEMPOTENT)
def send_due_reminders() -> int:
    return reminders.send_due_reminders(timezone.localdate())
