"""Writes of the dashboards: the leaders' weekly workbook mailings.

The metric snapshots the dashboards read are written by `metrics.recompute`.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from dashboards.models import WeeklyMailing
from guanwei.queue import on_commit_task


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@transaction.atomic
def weekly_mailings_plan(*, today: date) -> list[int]:
    """Claim this week's workbook for every leader (with e-mail on) and each committee they lead.

    Returns the ids of mailings not sent yet; each is sent by its own task
    after the commit. Running this twice in a week plans nothing new.
    """
    from notifications.services import email_enabled
    from orgs.models import Grant, GrantRole

    week = iso_week(today)
    grants = Grant.objects.filter(role=GrantRole.LEADER, user__is_active=True).exclude(user__email="")
    rows = [
        WeeklyMailing(user_id=g.user_id, committee_id=g.committee_id, week=week)
        for g in grants.select_related("user")
        if email_enabled(g.user)
    ]
    WeeklyMailing.objects.bulk_create(rows, ignore_conflicts=True)
    pending = list(WeeklyMailing.objects.filter(week=week, sent_at__isnull=True).values_list("pk", flat=True))
    for pk in pending:
        on_commit_task("dashboards.tasks.send_weekly_mailing", pk)
    return pending


def weekly_mailing_send(*, mailing_id: int, today: date) -> bool:
    """Send one workbook, at most once: claim the row first (a second run finds it claimed)."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.utils import translation
    from django.utils.translation import gettext as _

    from dashboards.board import Dashboard
    from dashboards.exports import workbook_bytes

    claimed = WeeklyMailing.objects.filter(pk=mailing_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if claimed != 1:
        return False
    mailing = WeeklyMailing.objects.select_related("user", "committee").get(pk=mailing_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            board = Dashboard(mailing.user, mailing.committee, today.year, today)
            content = workbook_bytes(board)
            subject = _("[Guanwei] Weekly dashboard of %(name)s, %(week)s") % {
                "name": mailing.committee.display_name,
                "week": mailing.week,
            }
            counts = board.rag_counts
            body = _(
                "Activities this year: %(activities)s. Targets: %(red)s red, %(amber)s amber, %(green)s green.\n"
                "The attached workbook has the numbers of every chart on the dashboard."
            ) % {
                "activities": board.totals["activities"],
                "red": counts["bad"],
                "amber": counts["warn"],
                "green": counts["ok"],
            }
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [mailing.user.email])
        message.attach(
            f"dashboard-{mailing.committee.code}-{mailing.week}.xlsx",
            content,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        message.send()
    except Exception:
        WeeklyMailing.objects.filter(pk=mailing_id).update(sent_at=None)  # let a retry send it
        raise
    return True
