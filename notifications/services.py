"""Writes for notifications. Reminder tasks of every app call `notify`; the e-mail goes out after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from guanwei.queue import on_commit_task
from notifications.models import Notification, Preference


def email_enabled(user: Any) -> bool:
    if not user.email:
        return False
    pref = Preference.objects.filter(user=user).first()
    return pref.email_enabled if pref is not None else True


@transaction.atomic
def notify(*, user: Any, key: str, title: str, body: str = "", url: str = "") -> Notification | None:
    """Notify `user` of an occasion once; returns None when already notified."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(user=user, key=key[:200], title=title[:200], body=body, url=url)
    except IntegrityError:
        return None  # this occasion was already delivered (possibly by a racing run)
    if email_enabled(user):
        on_commit_task("notifications.tasks.send_notification_email", notification.pk)
    return notification


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail a notification once: False when it was already sent (or is being sent).

    The e-mail is claimed first, so a second run (a retry, a duplicate message,
    a worker restarted mid-task) finds it claimed and sends nothing. A mail
    server that fails releases the claim and raises OSError, for a retry.
    """
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
    except OSError:
        Notification.objects.filter(pk=notification_id).update(email_sent_at=None)
        raise
    return True


@transaction.atomic
def mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def set_email_preference(*, user: Any, enabled: bool) -> Preference:
    pref, _ = Preference.objects.update_or_create(user=user, defaults={"email_enabled": enabled})
    return pref
