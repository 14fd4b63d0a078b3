"""Serving stored files (plans' originals, deliverables, evidence, reports) to users already checked.

A row can outlive its file: a restore of the database without the media folder, a file
removed by hand, a disk replaced. The user then gets the site's 404 page saying the file
is missing, and the administrator a warning in the log naming the row and the path, so
it can be restored; never a 500.
"""

from __future__ import annotations

import io
import logging
import uuid
import zipfile
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from guanwei import images
from guanwei.errors import ExplainedNotFound

logger = logging.getLogger(__name__)


def describe(stored: FieldFile) -> str:
    """The row and path of a stored file, for the administrator reading the log."""
    instance = getattr(stored, "instance", None)
    owner = f"{instance._meta.label_lower} #{instance.pk}" if instance is not None else "?"
    return f"{owner}, field {stored.field.name}, path {stored.name!r}"


def open_stored(stored: FieldFile) -> Any | None:
    """The stored file opened for reading, or None (and a warning in the log) when it is not in storage."""
    try:
        return stored.open("rb")
    except FileNotFoundError:
        logger.warning("Stored file missing from storage: %s", describe(stored))
        return None


def missing_file(name: str, message: str = "") -> ExplainedNotFound:
    return ExplainedNotFound(
        message
        or _(
            "The file “%(name)s” is no longer on the server. Please tell the system administrator, "
            "who can restore it from a backup."
        )
        % {"name": name},
        title=_("File not found"),
    )


# Every stored file is served so that a browser can only show it as what it is: the type
# comes from its bytes, it may not be sniffed into something else, and were it ever taken
# for a page it would run in a sandbox with nothing allowed.
INERT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}
ZIP_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TYPE_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    **{content_type: ext for ext, content_type in ZIP_TYPES.items()},
}


def content_type_of(head: bytes, stored_name: str) -> str:
    """The type of a stored file from its first bytes; the stored name only tells .docx from .xlsx."""
    raster = images.raster_type(head)
    if raster:
        return raster
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return ZIP_TYPES.get(PurePath(stored_name).suffix.lower(), "application/octet-stream")
    return "application/octet-stream"


def download_name(name: str, content_type: str) -> str:
    """The user's own file name, with the extension of what the file really is."""
    base = PurePath(name).name or "file"
    wanted = TYPE_EXTENSIONS.get(content_type)
    suffix = PurePath(base).suffix.lower()
    if wanted and suffix != wanted and not (wanted == ".jpg" and suffix == ".jpeg"):
        base = f"{PurePath(base).stem or 'file'}{wanted}"
    return base


def inert_response(handle: Any, *, stored_name: str, filename: str, inline_image: bool = False) -> FileResponse:
    """Stream an opened stored file: inline only when it is a raster picture and asked for, else a download."""
    head = handle.read(16)
    handle.seek(0)
    content_type = content_type_of(head, stored_name)
    # Only the two formats the portal writes when it re-encodes a picture are shown inline.
    inline = inline_image and content_type in images.REENCODED_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=download_name(filename, content_type),
        content_type=content_type,
    )
    for header, value in INERT_HEADERS.items():
        response[header] = value
    return response


def stored_file_response(
    stored: FieldFile,
    *,
    filename: str,
    inline_image: bool = False,
    missing_message: str = "",
) -> FileResponse:
    """Stream a stored file inertly; a 404 page explaining it is missing when the row has no file on disk."""
    if not stored:
        raise Http404
    handle = open_stored(stored)
    if handle is None:
        raise missing_file(filename, missing_message)
    return inert_response(handle, stored_name=stored.name, filename=filename, inline_image=inline_image)


def _extension_of(data: bytes, current: str) -> str:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if current in ("docx", "xlsx"):
            return current
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
        return "docx" if "word/document.xml" in names else "xlsx" if "xl/workbook.xml" in names else "bin"
    return "bin"


def make_inert(stored: FieldFile) -> tuple[str, int] | None:
    """Rewrite one file stored before uploads were made inert; the new (name, size), or None if unchanged.

    A picture is re-encoded (no metadata, no GPS, nothing after its pixels); anything else
    keeps its bytes under the extension of what it is. The new file is written beside the
    old one under a new random name; the caller points the row at it and deletes the old
    file once the row is saved, so an interrupted run loses nothing.
    """
    handle = open_stored(stored)
    if handle is None:
        return None
    with handle:
        data = handle.read()
    current = PurePath(stored.name).suffix.lower().lstrip(".")
    if images.raster_type(data[:16]):
        try:
            clean = images.reencode(io.BytesIO(data))
        except ValidationError:
            logger.warning("Stored picture could not be re-encoded, kept as a download: %s", describe(stored))
            content, extension = data, "bin"
        else:
            content, extension = clean.content.read(), clean.extension
    else:
        content, extension = data, _extension_of(data, current)
        if extension == current:
            return None
    folder = PurePath(stored.name).parent
    name = stored.storage.save(str(folder / f"{uuid.uuid4().hex}.{extension}"), ContentFile(content))
    return name, len(content)


def make_rows_inert(rows: Any, field: str, *, size_field: str | None = None) -> int:
    """make_inert for the named file field of every row; old files are removed after commit. Returns rows changed."""
    changed = 0
    for row in rows.iterator(chunk_size=500):
        stored = getattr(row, field)
        if not stored:
            continue
        result = make_inert(stored)
        if result is None:
            continue
        old_name, storage = stored.name, stored.storage
        new_name, size = result
        updates = {field: new_name} | ({size_field: size} if size_field else {})
        type(row)._default_manager.filter(pk=row.pk).update(**updates)
        transaction.on_commit(lambda name=old_name, storage=storage: storage.delete(name))
        changed += 1
    return changed
