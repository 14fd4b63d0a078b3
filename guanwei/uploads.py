"""Checks every uploaded file by its content, not its name.

Used by every form that takes a file (photos, evidence, Excel imports, Word
plans). A file is refused with a plain message when it is too large, is not
what it claims to be, or is a compression or XML entity bomb.
"""

from __future__ import annotations

import zipfile
from enum import StrEnum
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError


class FileKind(StrEnum):
    IMAGE = "image"
    XLSX = "xlsx"
    DOCX = "docx"
    PDF = "pdf"


KIND_LABELS = {
    FileKind.IMAGE: "JPG/PNG/GIF/WebP",
    FileKind.XLSX: "Excel (.xlsx)",
    FileKind.DOCX: "Word (.docx)",
    FileKind.PDF: "PDF",
}

IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200  # uncompressed / compressed, per entry
ZIP_MARKERS = {FileKind.XLSX: "xl/workbook.xml", FileKind.DOCX: "word/document.xml"}


def _head(f: IO[bytes], n: int = 16) -> bytes:
    f.seek(0)
    data = f.read(n)
    f.seek(0)
    return data


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ):
        return "image"
    return None


def _wrong_type(kinds: tuple[FileKind, ...]) -> ValidationError:
    wanted = "、".join(KIND_LABELS[k] for k in kinds)
    return ValidationError(
        _("This file is not a %(kinds)s file. Please choose a file of that type.") % {"kinds": wanted},
        code="file_type",
    )


def _check_image(f: IO[bytes]) -> None:
    try:
        f.seek(0)
        with Image.open(f) as img:
            if img.format not in IMAGE_FORMATS:
                raise ValidationError(_("This picture format is not supported."), code="file_type")
            width, height = img.size
            if width * height > settings.GUANWEI_MAX_IMAGE_PIXELS:
                raise ValidationError(_("This picture is too large to process."), code="image_bomb")
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This picture is damaged or is not really a picture."), code="file_type") from exc
    finally:
        f.seek(0)


def _check_office_zip(f: IO[bytes], kind: FileKind) -> None:
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise ValidationError(_("This file contains too many parts."), code="zip_bomb")
            total = 0
            names = set()
            for info in infos:
                names.add(info.filename)
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_ZIP_UNCOMPRESSED or (info.file_size > 1024 * 1024 and ratio > MAX_ZIP_RATIO):
                    raise ValidationError(
                        _("This file expands to an unreasonable size and was refused."), code="zip_bomb"
                    )
            if ZIP_MARKERS[kind] not in names:
                raise _wrong_type((kind,))
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with archive.open(info) as part:
                        # DOCTYPE/ENTITY declarations have no place in Office XML; they
                        # are how entity-expansion ("billion laughs") attacks start.
                        start = part.read(4096)
                        if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                            raise ValidationError(
                                _("This file contains unsafe content and was refused."), code="xml_entities"
                            )
    except zipfile.BadZipFile as exc:
        raise ValidationError(_("This file is damaged and cannot be opened."), code="file_damaged") from exc
    finally:
        f.seek(0)


def check_upload(f: IO[bytes], *, kinds: tuple[FileKind, ...], max_bytes: int | None = None) -> FileKind:
    """Return the kind of a valid upload, or raise ValidationError with a message for the user."""
    limit = max_bytes or settings.GUANWEI_MAX_UPLOAD_BYTES
    size = getattr(f, "size", None)
    if size is None:
        f.seek(0, 2)
        size = f.tell()
        f.seek(0)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    sniffed = _sniff(_head(f))
    if sniffed == "image" and FileKind.IMAGE in kinds:
        _check_image(f)
        return FileKind.IMAGE
    if sniffed == "pdf" and FileKind.PDF in kinds:
        return FileKind.PDF
    if sniffed == "zip":
        for kind in (FileKind.XLSX, FileKind.DOCX):
            if kind in kinds:
                try:
                    _check_office_zip(f, kind)
                except ValidationError as exc:
                    if exc.code == "file_type" and len([k for k in kinds if k in ZIP_MARKERS]) > 1:
                        continue
                    raise
                return kind
    raise _wrong_type(kinds)


KIND_EXTENSIONS = {FileKind.XLSX: "xlsx", FileKind.DOCX: "docx", FileKind.PDF: "pdf"}


def stored_upload(f: IO[bytes], kind: FileKind) -> tuple[IO[bytes], str]:
    """What to store for a checked upload, and the extension its stored name gets.

    A picture is re-encoded (no metadata, nothing after its pixels); any other kind is kept
    as uploaded under the extension of what it was detected to be, never the uploader's.
    """
    if kind == FileKind.IMAGE:
        from guanwei import images

        clean = images.reencode(f)
        return clean.content, clean.extension
    f.seek(0)
    return f, KIND_EXTENSIONS[kind]
