"""Collects the reminders every app wants sent today and delivers them once.

Each app may provide `<app>/reminders.py` with
`collect(today: date) -> Iterable[Reminder]`; `send_due_reminders` (a daily
Celery beat task) gathers them all and calls `notify`, which delivers each
(user, key) at most once however often it runs.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from notifications.services import notify

REMINDER_APPS = ("activities", "plans", "assessments")


@dataclass(frozen=True)
class Reminder:
    user: Any
    key: str
    title: str
    body: str = ""
    url: str = ""


def providers() -> list[Any]:
    found = []
    for app in REMINDER_APPS:
        if importlib.util.find_spec(f"{app}.reminders") is not None:
            found.append(importlib.import_module(f"{app}.reminders"))
    return found


def deliver(reminders: Iterable[Reminder]) -> int:
    sent = 0
    for reminder in reminders:
        if notify(user=reminder.user, key=reminder.key, title=reminder.title, body=reminder.body, url=reminder.url):
            sent += 1
    return sent


def send_due_reminders(today: date) -> int:
    return sum(deliver(provider.collect(today)) for provider in providers())
