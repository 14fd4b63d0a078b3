"""Files stored before uploads were made inert are rewritten by the data migrations' helper (issue 20)."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from activities.models import ActivityPhoto
from guanwei.files import make_rows_inert
from guanwei.tests.polyglots import GPS_IFD, assert_inert, gif_with_script, jpeg_with_gps


def _old_photo(activity, name: str, data: bytes) -> ActivityPhoto:
    """A photo row as the portal stored it before: the uploader's bytes under the uploader's extension."""
    photo = ActivityPhoto(activity=activity, original_name=name, size=len(data))
    photo.image.save(name, ContentFile(data), save=False)
    photo.save()
    return photo


def test_old_polyglot_and_gps_photos_are_rewritten_and_the_old_files_removed(
    college_activity, client_for, django_capture_on_commit_callbacks
):
    polyglot = _old_photo(college_activity, "evil.html", gif_with_script())
    phone = _old_photo(college_activity, "IMG_1.jpg", jpeg_with_gps())
    old_names = {polyglot.image.name, phone.image.name}
    storage = polyglot.image.storage
    assert polyglot.image.name.endswith(".html")

    with django_capture_on_commit_callbacks(execute=True):
        changed = make_rows_inert(
            ActivityPhoto.objects.filter(pk__in=[polyglot.pk, phone.pk]), "image", size_field="size"
        )
    assert changed == 2
    polyglot.refresh_from_db()
    phone.refresh_from_db()
    assert polyglot.image.name.endswith(".png") and phone.image.name.endswith(".jpg")
    assert not any(storage.exists(name) for name in old_names)
    with phone.image.open("rb") as f:
        assert not Image.open(io.BytesIO(f.read())).getexif().get_ifd(GPS_IFD)
    assert phone.size == phone.image.size
    assert_inert(client_for("leader").get(reverse("activities:photo", args=[polyglot.pk])), inline=True)


def test_a_row_whose_file_is_gone_is_left_alone(college_activity, django_capture_on_commit_callbacks):
    photo = _old_photo(college_activity, "lost.jpg", jpeg_with_gps())
    photo.image.storage.delete(photo.image.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert make_rows_inert(ActivityPhoto.objects.filter(pk=photo.pk), "image") == 0
