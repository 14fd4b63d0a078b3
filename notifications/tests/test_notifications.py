import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from notifications.reminders import Reminder, deliver
from notifications.services import notify, set_email_preference
from notifications.tasks import send_notification_email


@pytest.fixture
def secretary(personas):
    user = personas["sec_college"]
    user.email = "wang@example.edu.cn"
    user.save()
    return user


def test_an_occasion_is_notified_once_however_often_it_is_sent(secretary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user=secretary, key="milestone:1:due-7", title="中期评估报告 7 天后截止")
        second = notify(user=secretary, key="milestone:1:due-7", title="中期评估报告 7 天后截止")
    assert first is not None and second is None
    assert Notification.objects.filter(user=secretary).count() == 1
    assert len(mail.outbox) == 1
    assert "中期评估报告" in mail.outbox[0].subject


def test_the_email_task_run_twice_sends_one_email(secretary):
    notification = Notification.objects.create(user=secretary, key="k", title="提醒")
    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False
    assert len(mail.outbox) == 1


def test_no_email_when_the_user_turned_it_off(secretary, django_capture_on_commit_callbacks):
    set_email_preference(user=secretary, enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=secretary, key="k", title="提醒")
    assert Notification.objects.filter(user=secretary).count() == 1
    assert mail.outbox == []


def test_deliver_counts_only_new_occasions(secretary, personas):
    reminders = [
        Reminder(user=secretary, key="a", title="甲"),
        Reminder(user=secretary, key="a", title="甲"),
        Reminder(user=personas["leader"], key="a", title="甲"),
    ]
    assert deliver(reminders) == 2


def test_notification_page_matrix(client_for, personas):
    url = reverse("notifications:index")
    assert [client_for(n).get(url).status_code for n in (None, "sec_sibling", "sec_college", "admin")] == [
        302,
        200,
        200,
        200,
    ]


def test_each_user_sees_only_their_own_notifications(client_for, personas):
    notify(user=personas["sec_college"], key="k1", title="针灸学院的提醒")
    body = client_for("sec_sibling").get(reverse("notifications:index")).content.decode()
    assert "针灸学院的提醒" not in body
    assert "针灸学院的提醒" in client_for("sec_college").get(reverse("notifications:index")).content.decode()


def test_unread_count_shows_in_the_menu_and_clears_when_read(client_for, personas):
    notify(user=personas["sec_college"], key="k1", title="提醒一")
    notify(user=personas["sec_college"], key="k2", title="提醒二")
    client = client_for("sec_college")
    assert '<span class="badge bad">2</span>' in client.get(reverse("home")).content.decode()
    client.post(reverse("notifications:mark_read"))
    assert '<span class="badge bad">' not in client.get(reverse("home")).content.decode()


def test_marking_read_is_post_only_and_cannot_touch_another_users_notification(client_for, personas):
    theirs = notify(user=personas["sec_college"], key="k1", title="提醒")
    outsider = client_for("sec_sibling")
    assert outsider.get(reverse("notifications:mark_read")).status_code == 405
    outsider.post(reverse("notifications:mark_read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_email_preference_is_saved(client_for, personas):
    client = client_for("sec_college")
    client.post(reverse("notifications:preference"), {})
    assert personas["sec_college"].notification_preference.email_enabled is False
    assert client.get(reverse("notifications:preference")).status_code == 405
