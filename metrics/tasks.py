"""Celery tasks of the metrics: snapshot recomputes. They take no arguments and call `metrics.recompute`.

Both are idempotent (running twice writes the same rows), so they are
acknowledged late and re-queued when a worker dies mid-task.
"""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from metrics import recompute

IDEMPOTENT = {"acks_late": True, "reject_on_worker_lost": True, "max_retries": 3, "default_retry_delay": 60}


@shared_task(bind=True, **IDEMPOTENT)
def recompute_dirty_snapshots(self) -> int:
    """The debounced run after activities change: recompute only the dirty committees."""
    # Clear the debounce first: a change from now on schedules the next run.
    cache.delete(recompute.DEBOUNCE_KEY)
    try:
        return recompute.snapshots_recompute_dirty()
    except Exception as exc:  # a database hiccup: try again later, a few times
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, **IDEMPOTENT)
def recompute_all_snapshots(self) -> int:
    """Nightly (beat): every committee, this year and last year."""
    try:
        return recompute.snapshots_recompute_all()
    except Exception as exc:
        raise self.retry(exc=exc) from exc
