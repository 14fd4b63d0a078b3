"""A row whose file is gone from storage: a 404 page saying so and a warning for the administrator, never a 500.

Files go missing when a database is restored without its media folder, or a file is removed by
hand. Each test deletes the stored file from MEDIA_ROOT, asks for it as a user who may see it,
and checks the page and the pages around it still work.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import Score
from guanwei.tests.url_matrix_world import World, _png, build_world

pytestmark = pytest.mark.django_db

MISSING = "已不在服务器上"  # "is no longer on the server", in every message about a lost file


@pytest.fixture
def world(tree, personas, kinds) -> World:
    return build_world(tree, personas, kinds)


def _delete(stored) -> None:
    path = Path(settings.MEDIA_ROOT) / stored.name
    assert path.is_file(), "the world should have stored this file"
    path.unlink()


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "attr", "field", "persona", "shown", "page_name"),
    [
        ("plans:plan_source", "plan", "source_file", "sec_college", "文件“工作要点.docx”", "plans:plan_detail"),
        ("plans:deliverable_download", "deliverable", "file", "sec_college", "文件“中期报告.pdf”", None),
        ("assessments:evidence_download", "evidence", "file", "sec_college", "文件“evidence.png”", None),
        ("assessments:report_download", "report_job", "file", "admin", "重新生成汇总PDF", "assessments:report_status"),
    ],
)
def test_a_download_whose_file_is_gone_answers_a_404_page_that_says_so(
    world, client_for, caplog, url_name, attr, field, persona, shown, page_name
):
    obj = getattr(world, attr)
    stored = getattr(obj, field)
    client = client_for(persona)
    assert client.get(reverse(url_name, args=[obj.pk])).status_code == 200  # served while it is there
    _delete(stored)

    with caplog.at_level(logging.WARNING, logger="guanwei.files"):
        response = client.get(reverse(url_name, args=[obj.pk]))

    assert response.status_code == 404
    text = _text(response)
    assert "找不到文件" in text and MISSING in text and shown in text
    assert "返回首页" in text  # the site's own 404 page, in its layout
    # The administrator learns which row lost which file.
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and r.name == "guanwei.files"]
    assert len(warnings) == 1
    assert f"#{obj.pk}" in warnings[0] and stored.name in warnings[0]
    if page_name:  # the page the download belongs to still opens
        assert client.get(reverse(page_name, args=[obj.pk])).status_code == 200


def test_the_pages_around_a_lost_deliverable_and_a_lost_evidence_file_still_open(world, client_for):
    _delete(world.deliverable.file)
    _delete(world.evidence.file)
    client = client_for("sec_college")
    assert client.get(reverse("plans:programme_detail", args=[world.programme.pk])).status_code == 200
    assert client.get(reverse("assessments:evaluation_detail", args=[world.evaluation.pk])).status_code == 200
    pdf = client.get(reverse("assessments:evaluation_pdf", args=[world.evaluation.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_an_unknown_page_keeps_the_general_404_message(world, client_for):
    response = client_for("sec_college").get("/plans/999999/original/")
    assert response.status_code == 404
    assert "页面不存在" in _text(response) and MISSING not in _text(response)


def test_the_evidence_dossier_leaves_out_a_lost_file_and_lists_it(world, client_for, caplog):
    # A second file on the same criterion, still in storage (world.user is the college's secretary).
    score = Score.objects.get(pk=world.score.pk)
    assessment_services.evidence_add(evaluation=world.evaluation, score=score, upload=_png("kept.png"), by=world.user)
    _delete(world.evidence.file)

    with caplog.at_level(logging.WARNING, logger="guanwei.files"):
        response = client_for("sec_college").get(reverse("assessments:evaluation_dossier", args=[world.evaluation.pk]))

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert any(name.endswith("kept.png") for name in names)
    assert not any(name.endswith("evidence.png") for name in names)
    assert "缺失的文件.txt" in names
    note = archive.read("缺失的文件.txt").decode()
    assert MISSING in note and "evidence.png" in note
    assert any(world.evidence.file.name in r.getMessage() for r in caplog.records if r.name == "guanwei.files")


@pytest.mark.parametrize(
    ("url_name", "attr"),
    [
        ("activities:photo", "photo"),
        ("activities:photo_thumbnail", "photo"),
        ("activities:news_photo", "news_photo"),
        ("activities:news_photo_thumbnail", "news_photo"),
    ],
)
def test_a_lost_photo_or_thumbnail_is_a_404_not_a_crash(world, client_for, url_name, attr):
    photo = getattr(world, attr)
    for stored in (photo.image, photo.thumbnail):
        if stored:
            _delete(stored)
    response = client_for("sec_college").get(reverse(url_name, args=[photo.pk]))
    assert response.status_code == 404
    assert MISSING in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "attr"), [("activities:photo_thumbnail", "photo"), ("activities:news_photo_thumbnail", "news_photo")]
)
def test_a_lost_thumbnail_shows_the_photo_itself(world, client_for, url_name, attr):
    photo = getattr(world, attr)
    assert photo.thumbnail, "the world's photos have thumbnails"
    _delete(photo.thumbnail)
    response = client_for("sec_college").get(reverse(url_name, args=[photo.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == photo.image.open("rb").read()
