"""Activity and news photos are stored re-encoded and served as pictures, never as code (issue 20)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from activities.models import Activity, ActivityPhoto, NewsPhoto, NewsReport
from activities.tests.conftest import png_upload
from activities.tests.test_activity_views import entry_data
from guanwei.tests.polyglots import GPS_IFD, assert_inert, body, hostile_uploads, jpeg_with_gps


def _log_activity_with(client, tree, kinds, photos):
    response = client.post(
        reverse("activities:create"), entry_data(tree, kinds, held_on="2024-05-01") | {"photos": photos}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Activity.objects.get()


def test_polyglot_activity_photos_are_served_as_plain_pictures(client_for, tree, kinds):
    client = client_for("sec_college")
    uploads = hostile_uploads()
    activity = _log_activity_with(client, tree, kinds, uploads)
    photos = list(activity.photos.order_by("pk"))
    assert len(photos) == len(uploads)
    for photo in photos:
        assert photo.image.name.endswith((".png", ".jpg"))
        assert not photo.image.name.endswith((".html", ".js", ".svg"))
        for viewer in ("sec_college", "leader", "admin"):
            assert_inert(client_for(viewer).get(reverse("activities:photo", args=[photo.pk])), inline=True)
        assert_inert(client.get(reverse("activities:photo_thumbnail", args=[photo.pk])), inline=True)


def test_polyglot_news_photos_are_served_as_plain_pictures(client_for, tree):
    client = client_for("sec_college")
    response = client.post(
        reverse("activities:news_create"),
        {
            "committee": tree.college.pk,
            "title": "五老走进课堂",
            "published_on": "2023-03-10",
            "outlet": "学校关工网站",
            "outlet_level": "school",
            "photos": hostile_uploads(),
        },
    )
    assert response.status_code == 302
    photos = list(NewsReport.objects.get().photos.all())
    assert len(photos) == len(hostile_uploads())
    for photo in photos:
        assert photo.image.name.endswith((".png", ".jpg"))
        assert_inert(client_for("leader").get(reverse("activities:news_photo", args=[photo.pk])), inline=True)


def test_a_phone_photo_is_stored_upright_without_its_gps_position(client_for, tree, kinds):
    original = jpeg_with_gps((64, 48))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the upload has a position
    client = client_for("sec_college")
    activity = _log_activity_with(client, tree, kinds, [SimpleUploadedFile("IMG_0001.JPG", original)])
    photo = activity.photos.get()
    with photo.image.open("rb") as f:
        stored = f.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert not image.getexif().get_ifd(GPS_IFD)
    assert len(image.getexif()) == 0  # no camera, no orientation tag left behind
    assert image.size == (48, 64)  # the orientation was applied to the pixels
    served = assert_inert(client.get(reverse("activities:photo", args=[photo.pk])), inline=True)
    assert served == stored
    assert photo.original_name == "IMG_0001.JPG"


def _one_bit_png(side: int) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("1", (side, side), 0).save(buf, format="PNG", optimize=True)
    return SimpleUploadedFile("tiny.png", buf.getvalue())


def test_a_small_file_with_huge_dimensions_is_refused_before_it_is_decoded(client_for, tree, kinds):
    bomb = _one_bit_png(7745)  # ~7 KB on disk, 60 megapixels (hundreds of MB once decoded)
    assert bomb.size < 50_000
    data = entry_data(tree, kinds, held_on="2024-05-01") | {"photos": [bomb]}
    response = client_for("sec_college").post(reverse("activities:create"), data)
    assert response.status_code == 200
    assert "图片尺寸过大" in response.content.decode()
    assert not Activity.objects.exists()


@override_settings(GUANWEI_MAX_REQUEST_IMAGE_PIXELS=1_000_000)
def test_photos_of_one_request_are_held_to_a_total_of_pixels(client_for, tree, kinds):
    photos = [png_upload(f"p{i}.png", size=(800, 600)) for i in range(3)]  # 1.44 MP together
    data = entry_data(tree, kinds, held_on="2024-05-01") | {"photos": photos}
    response = client_for("sec_college").post(reverse("activities:create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "分批上传" in page
    assert not ActivityPhoto.objects.exists() and not Activity.objects.exists()


@pytest.mark.parametrize("size", [(5000, 100), (100, 5000)])
def test_a_long_picture_is_kept_at_a_sensible_size(client_for, tree, kinds, size):
    activity = _log_activity_with(client_for("sec_college"), tree, kinds, [png_upload("long.png", size=size)])
    with activity.photos.get().image.open("rb") as f:
        assert max(Image.open(f).size) == 4096


def test_news_photo_serving_checks_scope(client_for, tree):
    client_for("sec_college").post(
        reverse("activities:news_create"),
        {
            "committee": tree.college.pk,
            "title": "报道",
            "published_on": "2023-03-10",
            "outlet": "网站",
            "outlet_level": "school",
            "photos": [png_upload()],
        },
    )
    photo = NewsPhoto.objects.get()
    assert client_for("sec_sibling").get(reverse("activities:news_photo", args=[photo.pk])).status_code == 404
    assert body(client_for("leader").get(reverse("activities:news_photo", args=[photo.pk])))
