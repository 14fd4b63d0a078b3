"""The entry form keeps what the user chose: photos survive an error, work points say where they are from."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from activities import pending_photos
from activities.models import Activity, ActivityPhoto
from activities.tests.conftest import png_upload
from activities.tests.test_activity_views import entry_data
from plans.models import OwnerKind, Plan, PlanSection, PlanStatus, WorkPoint

CREATE = reverse("activities:create")


def kept_tokens(page: str) -> list[str]:
    return re.findall(r'name="pending_kept" value="([^"]+)" checked', page)


def thumbnail_url(token: str) -> str:
    return reverse("activities:pending_photo_thumbnail", args=[token])


def failed_try(client, tree, kinds, *names):
    """A submit without a title (a form error) with these photos chosen."""
    data = entry_data(tree, kinds, held_on="2024-05-01", title="")
    data["photos"] = [png_upload(name) for name in names]
    response = client.post(CREATE, data)
    assert response.status_code == 200
    return response.content.decode()


def test_a_chosen_photo_survives_a_validation_error_and_is_saved_on_the_next_try(client_for, tree, kinds):
    client = client_for("sec_college")
    page = failed_try(client, tree, kinds, "开学第一课.png")
    assert "该字段是必填项。" in page  # the missing title is named
    assert "已选择、尚未保存的照片" in page and "开学第一课.png" in page
    (token,) = kept_tokens(page)
    assert f'src="{thumbnail_url(token)}"' in page
    assert not ActivityPhoto.objects.exists()
    # The thumbnail is the user's re-encoded copy, shown as a JPEG.
    thumb = client.get(thumbnail_url(token))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(thumb.streaming_content))).format == "JPEG"
    stored = pending_photos.get(thumb.wsgi_request, token)
    assert stored.path.startswith("pending-photos/")

    data = entry_data(tree, kinds, held_on="2024-05-01", pending_offered=token, pending_kept=token)
    response = client.post(CREATE, data)
    assert response.status_code == 302
    photo = Activity.objects.get().photos.get()
    assert photo.original_name == "开学第一课.png"
    assert Image.open(photo.image.open("rb")).size == (800, 600)
    # Once saved, the kept copy is gone from the server and from the session.
    assert not default_storage.exists(stored.path) and not default_storage.exists(stored.thumb)
    assert client.get(thumbnail_url(token)).status_code == 404


def test_a_kept_photo_and_a_new_one_are_saved_together(client_for, tree, kinds):
    client = client_for("sec_college")
    (token,) = kept_tokens(failed_try(client, tree, kinds, "first.png"))
    data = entry_data(tree, kinds, held_on="2024-05-01", pending_offered=token, pending_kept=token)
    data["photos"] = [png_upload("second.png")]
    assert client.post(CREATE, data).status_code == 302
    assert sorted(Activity.objects.get().photos.values_list("original_name", flat=True)) == ["first.png", "second.png"]


def test_an_unticked_photo_is_left_out_and_thrown_away(client_for, tree, kinds):
    client = client_for("sec_college")
    tokens = kept_tokens(failed_try(client, tree, kinds, "keep.png", "drop.png"))
    assert len(tokens) == 2
    keep, drop = tokens
    dropped = pending_photos.get(client.get(thumbnail_url(drop)).wsgi_request, drop)
    data = entry_data(tree, kinds, held_on="2024-05-01", pending_offered=[keep, drop], pending_kept=[keep])
    assert client.post(CREATE, data).status_code == 302
    assert list(Activity.objects.get().photos.values_list("original_name", flat=True)) == ["keep.png"]
    assert not default_storage.exists(dropped.path)


def test_photos_stay_through_a_second_error_too(client_for, tree, kinds):
    client = client_for("sec_college")
    (token,) = kept_tokens(failed_try(client, tree, kinds, "a.png"))
    data = entry_data(tree, kinds, held_on="2024-05-01", title="", pending_offered=token, pending_kept=token)
    data["photos"] = [png_upload("b.png")]
    page = client.post(CREATE, data).content.decode()
    tokens = kept_tokens(page)
    assert len(tokens) == 2 and token in tokens
    assert "a.png" in page and "b.png" in page


def test_another_users_token_attaches_nothing(client_for, tree, kinds, personas):
    (token,) = kept_tokens(failed_try(client_for("sec_college"), tree, kinds, "mine.png"))
    # The sibling college's secretary cannot see it, nor attach it to an activity of their own.
    other = client_for("sec_sibling")
    assert other.get(thumbnail_url(token)).status_code == 404
    data = entry_data(tree, kinds, held_on="2024-05-01", committee=tree.sibling.pk)
    data.update(pending_offered=token, pending_kept=token)
    assert other.post(CREATE, data).status_code == 302
    assert not ActivityPhoto.objects.exists()
    # The owner's copy was not thrown away by the other user's post either.
    assert client_for("sec_college").get(thumbnail_url(token)).status_code in (200, 404)


def test_a_forged_token_or_path_is_ignored(client_for, tree, kinds):
    client = client_for("sec_college")
    for forged in ("../../../etc/passwd", "pending-photos/1/x.jpg", "not-a-token"):
        data = entry_data(tree, kinds, held_on="2024-05-01", title=f"活动{forged[-3:]}")
        data.update(pending_offered=forged, pending_kept=forged)
        assert client.post(CREATE, data).status_code == 302
        assert client.get(thumbnail_url(forged.replace("/", "_"))).status_code == 404
    assert Activity.objects.count() == 3
    assert not ActivityPhoto.objects.exists()


def test_kept_photos_expire(client_for, tree, kinds):
    with time_machine.travel(dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC), tick=False):
        client = client_for("sec_college")
        (token,) = kept_tokens(failed_try(client, tree, kinds, "old.png"))
    with time_machine.travel(dt.datetime(2024, 5, 1, 16, tzinfo=dt.UTC), tick=False):
        assert client.get(thumbnail_url(token)).status_code == 404
        data = entry_data(tree, kinds, held_on="2024-05-01", pending_offered=token, pending_kept=token)
        assert client.post(CREATE, data).status_code == 302
    assert not ActivityPhoto.objects.exists()


def test_the_edit_form_keeps_photos_too(client_for, college_activity):
    client = client_for("sec_college")
    url = reverse("activities:edit", args=[college_activity.pk])
    data = {
        "committee": college_activity.committee_id,
        "kind": college_activity.kind_id,
        "held_on": "not a date",
        "title": college_activity.title,
        "place": "针灸楼325",
        "youth_reached": "80",
        "students_talked": "0",
        "photos": [png_upload("later.png")],
    }
    page = client.post(url, data).content.decode()
    (token,) = kept_tokens(page)
    data.update(held_on="2024-05-02", pending_offered=token, pending_kept=token, photos=[])
    assert client.post(url, data).status_code == 302
    names = sorted(college_activity.photos.values_list("original_name", flat=True))
    assert names == ["later.png", "photo.png"]


def test_photos_chosen_before_redrawing_for_another_committee_are_kept(client_for, tree, kinds):
    data = entry_data(tree, kinds, held_on="2024-05-01", _refresh="1")
    data["photos"] = [png_upload("before-refresh.png")]
    page = client_for("sec_college").post(CREATE, data).content.decode()
    assert len(kept_tokens(page)) == 1 and "before-refresh.png" in page


# The work points offered: plan and section in every label, long words cut with … and whole in title.


@pytest.fixture
def college_plan(tree):
    plan = Plan.objects.create(
        committee=tree.college, year=2024, title="针灸康复临床医学院关工分委2024年工作要点", status=PlanStatus.PUBLISHED
    )
    first = PlanSection.objects.create(plan=plan, position=1, number="一", title="思想引领")
    second = PlanSection.objects.create(
        plan=plan, position=2, number="二", title="夯实二级学院关工委工作基础，推进优质化建设"
    )
    short = WorkPoint.objects.create(
        section=first, position=1, number="1", title="开展党史宣讲", owner_kind=OwnerKind.SELF
    )
    long_text = (
        "本年度90%二级学院关工委达到“均衡发展”要求（即优质化建设均衡发展基本要求设定的3个关键指标须全部满分，"
        "关工委考核总分不低于90分）"
    )
    long = WorkPoint.objects.create(section=second, position=2, number="", text=long_text, owner_kind=OwnerKind.SELF)
    return short, long, long_text


def test_work_points_are_named_with_plan_and_section(client_for, tree, kinds, college_plan):
    short, long, long_text = college_plan
    page = (
        client_for("sec_college")
        .post(CREATE, entry_data(tree, kinds, held_on="2024-05-01", _refresh="1"))
        .content.decode()
    )
    assert (
        f'<option value="{short.pk}" title="针灸康复临床医学院关工分委2024年工作要点 · 一、思想引领 · 1. 开展党史宣讲">'
        in page
    )
    assert "2024年工作要点 · 一、思想引领 · 1. 开展党史宣讲</option>" in page
    option = re.search(rf'<option value="{long.pk}" title="([^"]*)">([^<]*)</option>', page)
    title, label = option.group(1), option.group(2)
    # The last option is cut with … in its label, never mid-word without a mark, and is whole in its title.
    assert label.startswith("2024年工作要点 · 二、夯实二级学院关工委工作基础，推… · 本年度90%二级学院")
    assert label.endswith("…")
    assert (
        title
        == f"针灸康复临床医学院关工分委2024年工作要点 · 二、夯实二级学院关工委工作基础，推进优质化建设 · {long_text}"
    )


def test_kind_is_not_chosen_for_the_user(client_for, tree, kinds):
    page = client_for("sec_college").get(CREATE).content.decode()
    select = page.split('name="kind"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected>— 请选择活动类型 —</option>' in select
    data = entry_data(tree, kinds, held_on="2024-05-01", kind="")
    response = client_for("sec_college").post(CREATE, data)
    assert response.status_code == 200 and not Activity.objects.exists()
