"""Deadline reminders of evaluations, through the shared notifications mechanism.

7 days and 1 day before the deadline (the self-assessment deadline; for an
evaluation returned for changes, the review deadline), the secretaries of the
committee (or, if it has none, of the nearest committee above it that has)
get a reminder while the evaluation is not submitted. Each step is one
occasion per evaluation and user (`evaluation:<id>:due-<n>`), so the daily
task (`notifications.tasks.send_due_reminders`) may run twice, or miss a day,
without sending a step twice or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.models import Evaluation, EvaluationStatus
from notifications.reminders import Reminder
from orgs import tree
from orgs.models import Committee, Grant, GrantRole

STEPS = (7, 1)


def deadline_of(evaluation: Evaluation) -> date:
    if evaluation.status == EvaluationStatus.RETURNED:
        return evaluation.round.review_deadline
    return evaluation.round.self_deadline


def step_for(days_left: int) -> int | None:
    """7 for 2–7 days left, 1 for the last day; None otherwise."""
    if days_left < 1:
        return None
    fitting = [s for s in STEPS if days_left <= s]
    return min(fitting) if fitting else None


def secretaries_of(evaluation: Evaluation) -> list:
    """Secretaries of the committee itself, or else of the nearest committee above it."""
    nearest_first = Committee.objects.filter(tree.ancestors_q(evaluation.committee, "", include_self=True))
    ancestors = list(nearest_first.order_by("-depth"))
    grants = Grant.objects.filter(
        committee__in=ancestors, role=GrantRole.SECRETARY, user__is_active=True
    ).select_related("user")
    by_committee: dict[int, list] = {}
    for grant in grants.order_by("user_id"):
        by_committee.setdefault(grant.committee_id, []).append(grant.user)
    for committee in ancestors:
        if committee.pk in by_committee:
            return by_committee[committee.pk]
    return []


def collect(today: date) -> Iterator[Reminder]:
    horizon = today + timedelta(days=max(STEPS))
    open_statuses = [EvaluationStatus.DRAFT, EvaluationStatus.RETURNED]
    due_soon = Q(status__in=open_statuses, round__self_deadline__gt=today, round__self_deadline__lte=horizon) | Q(
        status=EvaluationStatus.RETURNED, round__review_deadline__gt=today, round__review_deadline__lte=horizon
    )
    candidates = Evaluation.objects.select_related("committee", "round").filter(due_soon)
    with translation.override(settings.LANGUAGE_CODE):
        for evaluation in candidates.order_by("round__self_deadline", "id"):
            deadline = deadline_of(evaluation)
            days_left = (deadline - today).days
            step = step_for(days_left)
            if step is None:
                continue
            title = _("%(committee)s: the self-assessment is due in %(days)s days (%(date)s)") % {
                "committee": evaluation.committee.name,
                "days": days_left,
                "date": deadline.isoformat(),
            }
            body = _(
                "%(round)s\n\nThe self-assessment of %(committee)s has not been submitted yet. "
                "Please score every criterion, attach the evidence and submit it before %(date)s.\n\n%(path)s"
            ) % {
                "round": evaluation.round.name,
                "committee": evaluation.committee.name,
                "date": deadline.isoformat(),
                "path": "",  # the link travels as the notification's URL
            }
            url = reverse("assessments:evaluation_detail", args=[evaluation.pk])
            for user in secretaries_of(evaluation):
                yield Reminder(
                    user=user, key=f"evaluation:{evaluation.pk}:due-{step}", title=title, body=body.strip(), url=url
                )
