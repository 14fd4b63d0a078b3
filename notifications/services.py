"""Writes for notifications. Reminder tasks of every app call `notify`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

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
        from notifications.tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


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
