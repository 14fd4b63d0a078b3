"""Serving stored files (plans' originals, deliverables, evidence, reports) to users already checked.

A row can outlive its file: a restore of the database without the media folder, a file
removed by hand, a disk replaced. The user then gets the site's 404 page saying the file
is missing, and the administrator a warning in the log naming the row and the path, so
it can be restored; never a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

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


def stored_file_response(
    stored: FieldFile,
    *,
    filename: str,
    as_attachment: bool = True,
    content_type: str | None = None,
    missing_message: str = "",
) -> FileResponse:
    """Stream a stored file; a 404 page explaining it is missing when the row has no file on disk."""
    if not stored:
        raise Http404
    handle = open_stored(stored)
    if handle is None:
        raise missing_file(filename, missing_message)
    kwargs = {"content_type": content_type} if content_type else {}
    return FileResponse(handle, as_attachment=as_attachment, filename=filename, **kwargs)
