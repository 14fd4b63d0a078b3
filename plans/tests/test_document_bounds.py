"""A plan document is bounded before python-docx parses it (issue 20).

The finding: a 1.35 MB .docx whose word/document.xml is 150 MiB of short
paragraphs (compression about 113:1, under the upload checks' ratio and size
limits) took 34 s and 2.7 GB to parse. Here the same shape is written in a
stream, and the parse (`plans.extraction.document._open_document`) must never run.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from guanwei.uploads import FileKind, check_upload
from plans import extraction
from plans.extraction import document
from plans.models import Plan
from plans.tests.test_views import login, seed_docx

DOCUMENT = "word/document.xml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _template_parts() -> dict[str, bytes]:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as template:
        return {info.filename: template.read(info) for info in template.infolist()}


def huge_plan_docx(expanded_mib: int = 150) -> bytes:
    """A valid .docx whose document part is `expanded_mib` MiB of short numbered paragraphs, written in a stream."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in _template_parts().items():
            if name != DOCUMENT:
                out.writestr(name, data)
        with out.open(DOCUMENT, "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode())
            # One block of paragraphs numbered in a scrambled order, written again and again: it
            # compresses about 90:1, near the finding's 113:1, and takes a second or two to build.
            block = "".join(f"<w:p><w:r><w:t>第{n * 7919 % 100}段</w:t></w:r></w:p>" for n in range(20_000)).encode()
            for _ in range(expanded_mib * 1024 * 1024 // len(block) + 1):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def huge_docx() -> bytes:
    return huge_plan_docx()


@pytest.fixture
def never_parsed(monkeypatch):
    def parse(_f):
        raise AssertionError("python-docx was asked to parse a document past the limits")

    monkeypatch.setattr(document, "_open_document", parse)


def test_the_document_of_the_finding_passes_the_general_upload_checks(huge_docx):
    with zipfile.ZipFile(io.BytesIO(huge_docx)) as archive:
        info = archive.getinfo(DOCUMENT)
    assert info.file_size >= 150 * 1024 * 1024
    assert len(huge_docx) < 2 * 1024 * 1024
    assert 50 < info.file_size / info.compress_size < 200
    assert check_upload(io.BytesIO(huge_docx), kinds=(FileKind.DOCX,)) == FileKind.DOCX


def test_the_upload_form_refuses_it_in_chinese_before_parsing(tree, sec_uni, huge_docx, never_parsed):
    response = login(sec_uni).post(
        reverse("plans:upload"),
        {"committee": tree.university.pk, "year": 2022, "document": SimpleUploadedFile("plan.docx", huge_docx)},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "这个 Word 文件太大，无法作为计划读取：解压后为 15" in body
    assert "计划文件解压后最多 32.0" in body
    assert not Plan.objects.exists()


def test_import_plan_refuses_it_in_chinese_before_parsing(tree, tmp_path, huge_docx, never_parsed):
    path = tmp_path / "plan.docx"
    path.write_bytes(huge_docx)
    with pytest.raises(CommandError, match="这个 Word 文件太大，无法作为计划读取"):
        call_command("import_plan", str(path), committee="UNI", year=2022)
    assert not Plan.objects.exists()


def _docx_with_paragraphs(count: int) -> io.BytesIO:
    document = docx.Document()
    document.add_paragraph("某某学院关工委2023年工作要点")
    document.add_paragraph("一、活动安排")
    for n in range(count - 3):
        document.add_paragraph(f"{n + 1}.全年宣讲不少于10场。")
    document.add_paragraph("二、最后一节")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def test_a_document_with_more_paragraphs_than_a_plan_may_have_is_refused_before_parsing(settings, monkeypatch):
    settings.GUANWEI_PLAN_MAX_PARAGRAPHS = 50
    assert extraction.docx_text(_docx_with_paragraphs(50)).count("\n") == 49
    monkeypatch.setattr(document, "_open_document", lambda _f: pytest.fail("parsed"))
    with pytest.raises(extraction.ExtractionError) as err:
        extraction.docx_text(_docx_with_paragraphs(51))
    assert err.value.messages == ["这个 Word 文件超过 50 个段落，超出了计划文件的上限。请拆分文档后再上传。"]


def _with_part(name: str, content_type: str, size: int) -> io.BytesIO:
    """The seed plan plus a part of `size` bytes declared (in [Content_Types].xml) as `content_type`."""
    plan = seed_docx().read()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plan)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode()
                )
            out.writestr(info, data)
        out.writestr(name, bytes(n % 251 for n in range(size)))
    buffer.seek(0)
    return buffer


def test_xml_parts_count_by_their_declared_type_not_their_name(settings):
    settings.GUANWEI_PLAN_MAX_XML_BYTES = 1200 * 1024  # the seed plan holds about 830 KB of XML (styles mostly)
    header = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
    with pytest.raises(extraction.ExtractionError, match="这个 Word 文件太大"):
        extraction.check_plan_document(_with_part("word/media/image9.png", header, 600 * 1024))
    extraction.check_plan_document(_with_part("word/media/image9.png", "image/png", 600 * 1024))


def test_a_normal_plan_still_uploads(tree, sec_uni):
    response = login(sec_uni).post(
        reverse("plans:upload"), {"committee": tree.university.pk, "year": 2022, "document": seed_docx()}
    )
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert plan.sections.count() > 0
