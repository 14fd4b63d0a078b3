from django.urls import reverse

from activities import services
from activities.models import Activity
from orgs.models import AuditEvent


def test_deleting_hides_the_activity_but_keeps_the_row_and_its_photos(client_for, college_activity):
    response = client_for("sec_college").post(reverse("activities:delete", args=[college_activity.pk]))
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=college_activity.pk).exists()  # gone from lists and metrics
    kept = Activity.all_objects.get(pk=college_activity.pk)
    assert kept.deleted_by.username == "sec_college"
    assert kept.photos.count() == 1
    body = client_for("sec_college").get(reverse("activities:index")).content.decode()
    assert "红色故事进课堂" not in body
    assert client_for("sec_college").get(reverse("activities:detail", args=[kept.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="delete", object_id=str(kept.pk)).exists()


def test_an_admin_finds_and_restores_a_deleted_activity(client_for, college_activity, personas):
    services.activity_delete(activity=college_activity, by=personas["sec_college"])
    admin = client_for("admin")
    listing = admin.get(reverse("activities:deleted")).content.decode()
    assert "红色故事进课堂" in listing
    response = admin.post(reverse("activities:restore", args=[college_activity.pk]))
    assert response.status_code == 302
    restored = Activity.objects.get(pk=college_activity.pk)
    assert restored.deleted_at is None
    assert restored.participants.count() == 1
    page = admin.get(reverse("activities:detail", args=[restored.pk])).content.decode()
    history = page.split('id="history"')[1]
    assert "删除了这次活动" in history
    assert "恢复了这次活动" in history


def test_restoring_a_live_activity_is_not_found(client_for, college_activity):
    assert client_for("admin").post(reverse("activities:restore", args=[college_activity.pk])).status_code == 404


def test_history_keeps_every_version(college_activity, personas):
    services.activity_update(activity=college_activity, title="新标题", by=personas["sec_college"])
    titles = [h.title for h in college_activity.history.order_by("history_date")]
    assert titles == ["红色故事进课堂", "新标题"]
    assert college_activity.history.latest().history_user == personas["sec_college"]
