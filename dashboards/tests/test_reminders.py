"""Reminders of milestones and of the semester's news reports and meetings: on time, to the right people, once."""

import datetime as dt

import pytest
from django.core import mail

from activities.reminders import reminder_window
from notifications.models import Notification
from notifications.tasks import send_due_reminders
from orgs.models import GrantRole
from orgs.services import grant_access
from plans.models import Milestone, Programme, ProgrammeParticipant
from plans.reminders import step_for

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def secretaries(personas, tree, django_user_model):
    """Both college secretaries have e-mail; the university office has its own secretary."""
    for name in ("sec_college", "sec_sibling"):
        personas[name].email = f"{name}@example.edu.cn"
        personas[name].save()
    office = django_user_model.objects.create_user("sec_uni", password="x-test-password", email="office@example.edu.cn")
    grant_access(user=office, committee=tree.university, role=GrantRole.SECRETARY)
    return {**personas, "sec_uni": office}


def run_at(time_machine, when, capture, prefix="milestone:"):
    """Run the daily reminder task at `when`; the number of new notifications whose key starts with `prefix`."""
    before = Notification.objects.filter(key__startswith=prefix).count()
    time_machine.move_to(when)
    with capture(execute=True):
        send_due_reminders.delay().get()
    return Notification.objects.filter(key__startswith=prefix).count() - before


def keys(user, prefix=""):
    return sorted(Notification.objects.filter(user=user, key__startswith=prefix).values_list("key", flat=True))


# --- milestones ----------------------------------------------------------------------


def test_reminder_steps():
    assert [step_for(d) for d in (15, 14, 8, 7, 2, 1, 0)] == [None, 14, 14, 7, 7, 1, None]


def test_milestone_reminders_14_7_and_1_days_before_each_once(
    tree, secretaries, time_machine, django_capture_on_commit_callbacks
):
    programme = Programme.objects.create(committee=tree.university, title="优质化建设规划")
    ProgrammeParticipant.objects.create(programme=programme, committee=tree.college)
    milestone = Milestone.objects.create(programme=programme, title="中期评估报告", due_on=dt.date(2022, 7, 15))
    capture = django_capture_on_commit_callbacks
    assert run_at(time_machine, dt.datetime(2022, 6, 30, 9, tzinfo=SHANGHAI), capture) == 0  # 15 days: too early
    assert run_at(time_machine, dt.datetime(2022, 7, 1, 9, tzinfo=SHANGHAI), capture) == 2  # office + college
    assert run_at(time_machine, dt.datetime(2022, 7, 1, 18, tzinfo=SHANGHAI), capture) == 0  # the task ran twice
    assert run_at(time_machine, dt.datetime(2022, 7, 8, 9, tzinfo=SHANGHAI), capture) == 2
    assert run_at(time_machine, dt.datetime(2022, 7, 14, 23, 30, tzinfo=SHANGHAI), capture) == 2  # 15:30 UTC
    assert run_at(time_machine, dt.datetime(2022, 7, 15, 9, tzinfo=SHANGHAI), capture) == 0  # due today: done
    expected = [
        f"milestone:{milestone.pk}:due-1",
        f"milestone:{milestone.pk}:due-14",
        f"milestone:{milestone.pk}:due-7",
    ]
    assert keys(secretaries["sec_college"], "milestone:") == keys(secretaries["sec_uni"], "milestone:") == expected
    assert keys(secretaries["sec_sibling"], "milestone:") == []  # not taking part
    first = (
        Notification.objects.filter(user=secretaries["sec_college"], key__startswith="milestone:")
        .order_by("created_at")
        .first()
    )
    assert first.title == "中期评估报告14天后截止（2022-07-15）"
    mailed = [m for m in mail.outbox if m.to == ["sec_college@example.edu.cn"] and "中期评估报告" in m.subject]
    assert len(mailed) == 3


def test_a_missed_day_still_sends_the_step_due(tree, secretaries, time_machine, django_capture_on_commit_callbacks):
    programme = Programme.objects.create(committee=tree.college, title="五好创建")
    milestone = Milestone.objects.create(programme=programme, title="自查", due_on=dt.date(2022, 7, 15))
    run_at(time_machine, dt.datetime(2022, 7, 10, 9, tzinfo=SHANGHAI), django_capture_on_commit_callbacks)
    assert keys(secretaries["sec_college"], "milestone:") == [f"milestone:{milestone.pk}:due-7"]


# --- the semester's news reports and meetings --------------------------------------------


def test_the_reminder_window_is_the_last_third_of_the_semester():
    assert reminder_window(dt.date(2022, 6, 10))[1] is False
    assert reminder_window(dt.date(2022, 6, 30))[1] is True
    semester, open_now = reminder_window(dt.date(2022, 9, 1))
    assert (semester.label, open_now) == ("2022–2023学年第1学期", False)
    assert reminder_window(dt.date(2023, 1, 31))[1] is True


def test_a_semester_short_of_news_and_meetings_reminds_the_secretaries_once(
    tree, secretaries, make_news, make_activity, time_machine, django_capture_on_commit_callbacks
):
    make_news(tree.sibling, dt.date(2022, 3, 1))
    make_news(tree.sibling, dt.date(2022, 5, 1))
    make_activity(tree.sibling, dt.date(2022, 4, 1), "meeting")  # the sibling college has done its part
    make_news(tree.college, dt.date(2022, 4, 1))
    capture = django_capture_on_commit_callbacks
    run_at(time_machine, dt.datetime(2022, 6, 10, 9, tzinfo=SHANGHAI), capture)  # too early to remind
    assert not Notification.objects.filter(key__startswith="semester:").exists()
    run_at(time_machine, dt.datetime(2022, 6, 30, 23, 30, tzinfo=SHANGHAI), capture)  # spring semester, late June
    run_at(time_machine, dt.datetime(2022, 8, 31, 23, 30, tzinfo=SHANGHAI), capture)  # again: nothing new
    key = f"semester:{tree.college.pk}:2021-2"
    college = Notification.objects.filter(key__startswith="semester:", user=secretaries["sec_college"])
    assert list(college.values_list("key", flat=True)) == [key]
    assert "还需1篇附照片的信息报道（目前1篇，要求2篇）" in college.get().body
    assert "还需1次全委会（目前0次，要求1次）" in college.get().body
    assert not Notification.objects.filter(key__startswith="semester:", user=secretaries["sec_sibling"]).exists()
    # The university office has no report either: its own secretary is reminded for it.
    assert keys(secretaries["sec_uni"], "semester:") == [f"semester:{tree.university.pk}:2021-2"]
    run_at(time_machine, dt.datetime(2022, 9, 1, 0, 30, tzinfo=SHANGHAI), capture)  # a new semester has begun
    assert Notification.objects.filter(key__startswith="semester:").count() == 2
