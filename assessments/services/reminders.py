"""Deadline reminders: 7 days and 1 day before, to the committee's secretaries, each sent once."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import Evaluation, EvaluationStatus, Reminder
from orgs.models import Grant, GrantRole

REMINDER_DAYS = (7, 1)


def _deadline(evaluation: Evaluation) -> date:
    if evaluation.status == EvaluationStatus.RETURNED:
        return evaluation.round.review_deadline
    return evaluation.round.self_deadline


def secretaries_of(evaluation: Evaluation) -> list:
    """Secretaries of the committee itself, or else of the nearest committee above it."""
    committee = evaluation.committee
    ancestors = list(committee.get_ancestors(ascending=True, include_self=True))
    grants = Grant.objects.filter(
        committee__in=ancestors, role=GrantRole.SECRETARY, user__is_active=True
    ).select_related("user")
    by_committee: dict[int, list] = {}
    for grant in grants:
        by_committee.setdefault(grant.committee_id, []).append(grant.user)
    for c in ancestors:
        if c.pk in by_committee:
            return by_committee[c.pk]
    return []


def send_deadline_reminders(*, today: date | None = None) -> int:
    """Email the secretaries of unsubmitted evaluations whose deadline is 7 or 1 days away. Returns mails sent."""
    today = today or timezone.localdate()
    targets = {today + timedelta(days=d): d for d in REMINDER_DAYS}
    candidates = Evaluation.objects.select_related("committee", "round").filter(
        status__in=[EvaluationStatus.DRAFT, EvaluationStatus.RETURNED]
    ).filter(round__self_deadline__in=list(targets)) | Evaluation.objects.select_related("committee", "round").filter(
        status=EvaluationStatus.RETURNED, round__review_deadline__in=list(targets)
    )
    sent = 0
    for evaluation in candidates.distinct():
        deadline = _deadline(evaluation)
        days = targets.get(deadline)
        if days is None:
            continue
        recipients = [u for u in secretaries_of(evaluation) if u.email]
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    evaluation=evaluation, days_before=days, deadline=deadline, recipients=len(recipients)
                )
        except IntegrityError:
            continue  # already sent by an earlier or parallel run
        if not recipients:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("%(committee)s: the self-assessment is due in %(days)s days (%(date)s)") % {
                "committee": evaluation.committee.name,
                "days": days,
                "date": deadline.isoformat(),
            }
            body = _(
                "%(round)s\n\nThe self-assessment of %(committee)s has not been submitted yet. "
                "Please score every criterion, attach the evidence and submit it before %(date)s.\n\n%(path)s"
            ) % {
                "round": evaluation.round.name,
                "committee": evaluation.committee.name,
                "date": deadline.isoformat(),
                "path": reverse("assessments:evaluation_detail", args=[evaluation.pk]),
            }
        send_mail(subject, body, None, [u.email for u in recipients])
        sent += 1
    return sent
