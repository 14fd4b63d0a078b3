from typing import Any

from django.db.models import QuerySet

from notifications.models import Notification, Preference


def notifications_for(user: Any) -> QuerySet[Notification]:
    """A user's own notifications; nobody sees anybody else's."""
    return Notification.objects.filter(user=user)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def preference_of(user: Any) -> bool:
    pref = Preference.objects.filter(user=user).first()
    return pref.email_enabled if pref is not None else True
