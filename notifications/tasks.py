"""Celery tasks: take ids, claim work with a conditional update, retry with a cap."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone

from notifications.models import Notification

IDEMPOTENT = {"acks_late": True, "reject_on_worker_lost": True, "max_retries": 3, "default_retry_delay": 60}


@shared_task(bind=True, **IDEMPOTENT)
def send_notification_email(self, notification_id: int) -> bool:
    # Claim the e-mail first: a second run (a retry, a duplicate message, a
    # worker restarted mid-task) finds it claimed and sends nothing.
    claimed = Notification.objects.filter(pk=notification_id, email_sent_at__isnull=True).update(
        email_sent_at=timezone.now()
    )
    if claimed != 1:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        send_mail(
            subject=f"[关委] {notification.title}",
            message=f"{notification.body}\n\n{notification.url}".strip(),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.user.email],
        )
    except OSError as exc:
        Notification.objects.filter(pk=notification_id).update(email_sent_at=None)
        raise self.retry(exc=exc) from exc
    return True


@shared_task(**IDEMPOTENT)
def deliver_reminder(user_id: int, key: str, title: str, body: str = "", url: str = "") -> bool:
    from notifications.services import notify

    user = get_user_model().objects.get(pk=user_id)
    return notify(user=user, key=key, title=title, body=body, url=url) is not None


@shared_task(**IDEMPOTENT)
def send_due_reminders() -> int:
    from notifications.reminders import send_due_reminders as run

    return run(timezone.localdate())
