"""Reminders of programme milestones due in 14, 7 and 1 days.

Sent to the secretaries of the programme's committee and of every committee
taking part. Each step (14, 7, 1) is one occasion per milestone and user
(`milestone:<id>:due-<n>`): if the daily task missed a day, the next run still
sends the step that is due (e.g. 5 days before: the 7-day reminder), and
`notify` never sends a step twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.urls import reverse

from notifications.reminders import Reminder

STEPS = (14, 7, 1)


def step_for(days_left: int, steps: tuple[int, ...] = STEPS) -> int | None:
    """The reminder step a day falls in: 14 for 8–14 days left, 7 for 2–7, 1 for the last day."""
    if days_left < 1:
        return None
    fitting = [s for s in steps if days_left <= s]
    return min(fitting) if fitting else None


def collect(today: date) -> Iterator[Reminder]:
    from dashboards.reminder_texts import milestone_reminder
    from dashboards.selectors import secretaries_by_committee
    from plans.models import Milestone, ProgrammeParticipant

    milestones = list(
        Milestone.objects.filter(due_on__gt=today, due_on__lte=today + timedelta(days=max(STEPS)))
        .select_related("programme__committee")
        .order_by("due_on", "id")
    )
    if not milestones:
        return
    programme_ids = {m.programme_id for m in milestones}
    committees: dict[int, set[int]] = {pk: set() for pk in programme_ids}
    for m in milestones:
        committees[m.programme_id].add(m.programme.committee_id)
    for programme_id, committee_id in ProgrammeParticipant.objects.filter(programme_id__in=programme_ids).values_list(
        "programme_id", "committee_id"
    ):
        committees[programme_id].add(committee_id)
    secretaries = secretaries_by_committee([pk for ids in committees.values() for pk in ids])
    for m in milestones:
        days_left = (m.due_on - today).days
        step = step_for(days_left)
        if step is None:
            continue
        title, body = milestone_reminder(
            milestone=m.title, programme=m.programme.title, due_on=m.due_on, days_left=days_left
        )
        url = reverse("plans:programme_detail", args=[m.programme_id])
        users = {u.pk: u for pk in sorted(committees[m.programme_id]) for u in secretaries.get(pk, [])}
        for user in users.values():
            yield Reminder(user=user, key=f"milestone:{m.pk}:due-{step}", title=title, body=body, url=url)
