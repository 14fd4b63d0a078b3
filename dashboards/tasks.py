"""Celery tasks of the dashboards: the weekly workbooks. They take no objects, only ids or nothing.

The snapshot recomputes are `metrics.tasks`.
"""

from __future__ import annotations

from celery import shared_task

IDEMPOTENT = {"acks_late": True, "reject_on_worker_lost": True, "max_retries": 3, "default_retry_delay": 60}


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
