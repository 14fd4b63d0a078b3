"""Wording of the reminders that activities/ and plans/ collect (kept here, with its translations).

The providers live in their apps (`activities/reminders.py`,
`plans/reminders.py`); their words live in this app's catalogue, so the
reminders can be added without touching those apps' catalogues.
Texts are made in the site's language: a reminder is read later, by e-mail too.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def semester_reminder(
    *, committee: str, semester: str, ends: date, news: tuple[Decimal, Decimal], meetings: tuple[Decimal, Decimal]
) -> tuple[str, str]:
    """(title, body) for a semester short of news reports or meetings; pairs are (done, required)."""
    with translation.override(settings.LANGUAGE_CODE):
        missing = []
        if news[0] < news[1]:
            missing.append(
                _("%(short)s more news reports with photos (%(done)s of %(required)s so far)")
                % {"short": news[1] - news[0], "done": news[0], "required": news[1]}
            )
        if meetings[0] < meetings[1]:
            missing.append(
                _("%(short)s more full committee meetings (%(done)s of %(required)s so far)")
                % {"short": meetings[1] - meetings[0], "done": meetings[0], "required": meetings[1]}
            )
        title = _("%(committee)s: %(semester)s ends on %(date)s") % {
            "committee": committee,
            "semester": semester,
            "date": ends.isoformat(),
        }
        body = _("Still needed this semester: %(items)s.") % {"items": "；".join(missing)}
    return title, body


def milestone_reminder(*, milestone: str, programme: str, due_on: date, days_left: int) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(milestone)s is due in %(days)s days (%(date)s)") % {
            "milestone": milestone,
            "days": days_left,
            "date": due_on.isoformat(),
        }
        body = _("%(programme)s: please hand in what this milestone needs before %(date)s.") % {
            "programme": programme,
            "date": due_on.isoformat(),
        }
    return title, body
