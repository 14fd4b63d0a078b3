"""Reminders 7 days and 1 day before the deadline, to the committee's secretaries, once each.

They go through the shared mechanism (`assessments/reminders.py`, collected by
`notifications.tasks.send_due_reminders`), in-app and by e-mail.
"""

import datetime as dt

from django.core import mail

from assessments import services
from assessments.reminders import collect
from notifications.models import Notification
from notifications.tasks import send_due_reminders

from .conftest import FULL, score_all


def evaluation_notifications():
    return Notification.objects.filter(key__startswith="evaluation:")


def run(time_machine, when, capture):
    time_machine.move_to(when)
    before = evaluation_notifications().count()
    with capture(execute=True):
        send_due_reminders.delay().get()
    return evaluation_notifications().count() - before


def test_secretaries_are_reminded_seven_days_and_one_day_before(
    round_, college_eval, sibling_eval, personas, time_machine, django_capture_on_commit_callbacks
):
    personas["sec_college"].email = "wang@example.cn"
    personas["sec_college"].save()
    personas["sec_sibling"].email = "zhao@example.cn"
    personas["sec_sibling"].save()
    capture = django_capture_on_commit_callbacks
    assert run(time_machine, dt.datetime(2022, 12, 13, 1, tzinfo=dt.UTC), capture) == 2  # 7 days before 20 Dec
    mailed = sorted(m.to[0] for m in mail.outbox if "自评将在7天后截止（2022-12-20）" in m.subject)
    assert mailed == ["wang@example.cn", "zhao@example.cn"]
    first = evaluation_notifications().get(user=personas["sec_college"])
    assert first.key == f"evaluation:{college_eval.pk}:due-7"
    assert "7" in first.title and "2022-12-20" in first.title
    assert first.url == f"/assessments/evaluations/{college_eval.pk}/"
    assert run(time_machine, dt.datetime(2022, 12, 13, 9, tzinfo=dt.UTC), capture) == 0  # once only
    assert run(time_machine, dt.datetime(2022, 12, 15, 1, tzinfo=dt.UTC), capture) == 0  # nothing new due
    assert run(time_machine, dt.datetime(2022, 12, 19, 1, tzinfo=dt.UTC), capture) == 2
    assert run(time_machine, dt.datetime(2022, 12, 20, 1, tzinfo=dt.UTC), capture) == 0  # the deadline itself
    assert sorted(evaluation_notifications().values_list("key", flat=True)) == sorted(
        f"evaluation:{e.pk}:due-{n}" for e in (college_eval, sibling_eval) for n in (1, 7)
    )


def test_submitted_evaluations_get_no_reminder(
    round_, college_eval, rubric_set, personas, time_machine, django_capture_on_commit_callbacks
):
    personas["sec_college"].email = "wang@example.cn"
    personas["sec_college"].save()
    time_machine.move_to(dt.datetime(2022, 12, 13, 1, tzinfo=dt.UTC))
    services.evaluation_self_score(
        evaluation=college_eval, entries=score_all(rubric_set, **FULL), by=personas["sec_college"]
    )
    services.evaluation_submit(evaluation=college_eval, by=personas["sec_college"])
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders.delay()
    assert not evaluation_notifications().filter(user=personas["sec_college"]).exists()
    assert evaluation_notifications().filter(user=personas["sec_sibling"]).count() == 1  # still to submit
    assert [m for m in mail.outbox if "自评" in m.subject] == []  # the sibling secretary has no address


def test_a_committee_without_a_secretary_reminds_the_nearest_one_above(round_, college_eval, tree, personas):
    from orgs.models import Grant

    Grant.objects.filter(user=personas["sec_college"]).delete()
    reminders = [r for r in collect(dt.date(2022, 12, 13)) if r.key == f"evaluation:{college_eval.pk}:due-7"]
    assert reminders == []  # nobody keeps the college or the university as secretary
    from orgs.models import GrantRole
    from orgs.services import grant_access

    grant_access(user=personas["sec_sibling"], committee=tree.university, role=GrantRole.SECRETARY)
    reminders = [r for r in collect(dt.date(2022, 12, 13)) if r.key == f"evaluation:{college_eval.pk}:due-7"]
    assert [r.user for r in reminders] == [personas["sec_sibling"]]
