"""Reminders 7 days and 1 day before the deadline, to the committee's secretaries, once each."""

import datetime as dt

from django.core import mail

from assessments import services
from assessments.models import Reminder
from assessments.tasks import send_deadline_reminders

from .conftest import FULL, score_all


def test_secretaries_are_reminded_seven_days_and_one_day_before(round_, personas, time_machine):
    personas["sec_college"].email = "wang@example.cn"
    personas["sec_college"].save()
    personas["sec_sibling"].email = "zhao@example.cn"
    personas["sec_sibling"].save()
    time_machine.move_to(dt.datetime(2022, 12, 13, 1, tzinfo=dt.UTC))  # 7 days before 20 Dec, Shanghai morning
    assert send_deadline_reminders.delay().get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["wang@example.cn", "zhao@example.cn"]
    assert "7" in mail.outbox[0].subject and "2022-12-20" in mail.outbox[0].subject
    assert send_deadline_reminders.delay().get() == 0  # once only
    time_machine.move_to(dt.datetime(2022, 12, 15, 1, tzinfo=dt.UTC))
    assert send_deadline_reminders.delay().get() == 0  # nothing due
    time_machine.move_to(dt.datetime(2022, 12, 19, 1, tzinfo=dt.UTC))
    assert send_deadline_reminders.delay().get() == 2
    assert Reminder.objects.count() == 4


def test_submitted_evaluations_get_no_reminder(round_, college_eval, rubric_set, personas, time_machine):
    personas["sec_college"].email = "wang@example.cn"
    personas["sec_college"].save()
    time_machine.move_to(dt.datetime(2022, 12, 13, 1, tzinfo=dt.UTC))
    services.evaluation_self_score(
        evaluation=college_eval, entries=score_all(rubric_set, **FULL), by=personas["sec_college"]
    )
    services.evaluation_submit(evaluation=college_eval, by=personas["sec_college"])
    send_deadline_reminders.delay()
    assert [m.to for m in mail.outbox] == []  # the sibling secretary has no e-mail address; the college submitted
