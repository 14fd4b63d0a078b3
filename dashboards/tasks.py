"""Celery tasks of the dashboards: snapshot recomputes. They take no objects, only ids or nothing.

Both are idempotent (running twice writes the same rows), so they are
acknowledged late and re-queued when a worker dies mid-task.
"""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

IDEMPOTENT = {"acks_late": True, "reject_on_worker_lost": True, "max_retries": 3, "default_retry_delay": 60}


@shared_task(bind=True, **IDEMPOTENT)
def recompute_dirty_snapshots(self) -> int:
    """The debounced run after activities change: recompute only the dirty committees."""
    from dashboards import services

    # Clear the debounce first: a change from now on schedules the next run.
    cache.delete(services.DEBOUNCE_KEY)
    try:
        return services.snapshots_recompute_dirty()
    except Exception as exc:  # a database hiccup: try again later, a few times
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, **IDEMPOTENT)
def recompute_all_snapshots(self) -> int:
    """Nightly (beat): every committee, this year and last year."""
    from dashboards import services

    try:
        return services.snapshots_recompute_all()
    except Exception as exc:
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, **IDEMPOTENT)
def send_weekly_dashboards(self) -> int:
    """Monday morning (beat): plan this week's workbooks for the leaders; each is sent by its own task."""
    from django.utils import timezone

    from dashboards import services

    return len(services.weekly_mailings_plan(today=timezone.localdate()))


@shared_task(bind=True, **IDEMPOTENT)
def send_weekly_mailing(self, mailing_id: int) -> bool:
    from django.utils import timezone

    from dashboards import services

    try:
        return services.weekly_mailing_send(mailing_id=mailing_id, today=timezone.localdate())
    except OSError as exc:  # the mail server is away: the row was released, try again later
        raise self.retry(exc=exc) from exc
