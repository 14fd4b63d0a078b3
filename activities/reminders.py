"""Reminders of the semester's rules: news reports with photos and full committee meetings.

From the day two thirds of a semester have passed until its last day, the
secretaries of a committee that has fewer news reports or meetings than it
must have (its published semester targets, else 2 reports and 1 meeting; see
`dashboards.selectors.semester_standings`) get one reminder for that semester.
Collected daily by `notifications.reminders`; `notify` delivers each
(secretary, committee, semester) once however often the task runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.urls import reverse

from metrics.periods import Period
from notifications.reminders import Reminder

REMIND_AFTER_SHARE = 2 / 3  # remind in the last third of the semester, while there is time to act


def reminder_window(today: date) -> tuple[Period, bool]:
    semester = Period.semester_of(today)
    length = (semester.end - semester.start).days + 1
    opens = semester.start + timedelta(days=int(length * REMIND_AFTER_SHARE))
    return semester, opens <= today <= semester.end


def collect(today: date) -> Iterator[Reminder]:
    from dashboards.reminder_texts import semester_reminder
    from dashboards.selectors import secretaries_by_committee, semester_standings
    from orgs.models import Committee

    semester, open_now = reminder_window(today)
    if not open_now:
        return
    secretaries = secretaries_by_committee()
    committees = list(Committee.objects.filter(pk__in=list(secretaries)).order_by("path"))
    for standing in semester_standings(committees, today):
        if not standing.behind:
            continue
        title, body = semester_reminder(
            committee=standing.committee.display_name,
            semester=semester.label,
            ends=semester.end,
            news=(standing.news.done, standing.news.required),
            meetings=(standing.meetings.done, standing.meetings.required),
        )
        key = f"semester:{standing.committee.pk}:{semester.year_number}-{semester.number}"
        for user in secretaries.get(standing.committee.pk, []):
            yield Reminder(user=user, key=key, title=title, body=body, url=reverse("home"))
