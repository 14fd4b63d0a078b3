import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from activities import services
from activities.models import Activity, ActivityPhoto
from activities.tests.conftest import png_upload
from activities.tests.test_activity_views import entry_data, statuses


def test_photo_urls_matrix(client_for, college_activity):
    photo = college_activity.photos.get()
    for name in ("photo", "photo_thumbnail"):
        url = reverse(f"activities:{name}", args=[photo.pk])
        assert statuses(client_for, "get", url) == [302, 404, 200, 200, 200, 200]


def test_photo_delete_matrix(client_for, college_activity):
    photo = college_activity.photos.get()
    url = reverse("activities:photo_delete", args=[photo.pk])
    assert statuses(client_for, "get", url) == [302, 405, 405, 405, 405, 405]
    assert statuses(client_for, "post", url, personas=[None, "sec_sibling", "leader", "reviewer"]) == [
        302,
        404,
        403,
        403,
    ]
    assert client_for("sec_college").post(url).status_code == 302
    assert not ActivityPhoto.objects.exists()


def test_outsider_gets_404_on_a_photo_url(client_for, college_activity):
    photo = college_activity.photos.get()
    client = client_for("sec_sibling")
    assert client.get(reverse("activities:photo", args=[photo.pk])).status_code == 404
    assert client.get(reverse("activities:photo_thumbnail", args=[photo.pk])).status_code == 404


def test_photo_is_served_with_its_bytes_and_a_small_jpeg_thumbnail(client_for, college_activity):
    photo = college_activity.photos.get()
    client = client_for("sec_college")
    full = client.get(reverse("activities:photo", args=[photo.pk]))
    assert full["Content-Type"] == "image/png"
    assert b"".join(full.streaming_content).startswith(b"\x89PNG")
    thumb = client.get(reverse("activities:photo_thumbnail", args=[photo.pk]))
    image = Image.open(io.BytesIO(b"".join(thumb.streaming_content)))
    assert image.format == "JPEG"
    assert max(image.size) == 480
    assert photo.original_name == "photo.png"
    assert "photo.png" not in photo.image.name  # stored under a random name


def test_photos_of_a_deleted_activity_are_not_served(client_for, college_activity, personas):
    photo = college_activity.photos.get()
    services.activity_delete(activity=college_activity, by=personas["sec_college"])
    assert client_for("sec_college").get(reverse("activities:photo", args=[photo.pk])).status_code == 404


def test_a_file_that_is_not_really_an_image_is_refused_with_a_clear_message(client_for, tree, kinds):
    fake = SimpleUploadedFile("holiday.jpg", b"MZ\x90\x00 this is a program, not a picture", content_type="image/jpeg")
    data = entry_data(tree, kinds, held_on="2022-05-01")
    data["photos"] = [png_upload("ok.png"), fake]
    response = client_for("sec_college").post(reverse("activities:create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "holiday.jpg" in body
    assert "这个文件不是 JPG/PNG/GIF/WebP 文件" in body
    assert not Activity.objects.exists()
    assert not ActivityPhoto.objects.exists()


def test_a_damaged_picture_is_refused(client_for, tree, kinds):
    broken = SimpleUploadedFile("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, content_type="image/png")
    data = entry_data(tree, kinds, held_on="2022-05-01")
    data["photos"] = [broken]
    body = client_for("sec_college").post(reverse("activities:create"), data).content.decode()
    assert "这个文件已损坏，或者并不是图片文件。" in body
    assert not Activity.objects.exists()


def test_the_service_refuses_a_photo_over_the_limit(make_activity, monkeypatch):
    activity = make_activity(title="大照片")
    monkeypatch.setattr(services, "MAX_PHOTO_BYTES", 100)
    with pytest.raises(ValidationError):
        services.activity_photo_add(activity=activity, file=png_upload())
    assert not ActivityPhoto.objects.exists()


def test_photos_can_be_added_when_editing(client_for, college_activity, tree, kinds):
    data = entry_data(tree, kinds, title=college_activity.title, held_on="2022-05-01")
    data["photos"] = [png_upload("more.png")]
    response = client_for("sec_college").post(reverse("activities:edit", args=[college_activity.pk]), data)
    assert response.status_code == 302
    assert college_activity.photos.count() == 2
