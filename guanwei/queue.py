"""Queue a Celery task once the current transaction commits, naming the task instead of importing it.

Tasks are thin entry points that import the services they call, so a service
that imported its app's `tasks` module would close a circle. A service calls
`on_commit_task("notifications.tasks.send_notification_email", pk)` instead:
the name is the task's dotted path (Celery's default name), its module is
imported only when the transaction has committed, and the task runs as
Celery is configured (eagerly in the embedded default and the tests).
"""

from __future__ import annotations

import importlib
from typing import Any

from django.db import transaction

from guanwei.celery import app


def on_commit_task(name: str, *args: Any) -> None:
    """Send the task `name` with `args` (ids, JSON) after the current transaction commits."""

    def send() -> None:
        importlib.import_module(name.rpartition(".")[0])  # registers the task with the app
        app.tasks[name].delay(*args)

    transaction.on_commit(send)
