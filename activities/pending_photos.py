"""Photos chosen on an entry form that came back with an error, kept for the next try.

A browser cannot put a chosen file back into a file input, so when the activity form is
redrawn with an error the photos would be lost. Instead each one is checked and re-encoded
(guanwei.uploads, guanwei.images) exactly as it would be when saved, stored under a random
token in a folder of the user's own, and listed in the user's session. The form then
carries only the tokens. A token is honoured only when it is in the session of the same
user and younger than PENDING_TTL: the browser never names a path, and another user's
token is unknown here. What is not saved within the TTL is swept away.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.http import HttpRequest

from activities.services import THUMBNAIL_SIZE
from guanwei import images

logger = logging.getLogger(__name__)

SESSION_KEY = "activities_pending_photos"
PENDING_DIR = "pending-photos"
PENDING_TTL = timedelta(hours=6)
# The form's own fields: the tokens offered, and those still ticked.
OFFERED_FIELD = "pending_offered"
KEPT_FIELD = "pending_kept"


@dataclass(frozen=True)
class PendingPhoto:
    token: str
    name: str  # the uploader's file name, shown beside the thumbnail
    path: str
    thumb: str


def _now() -> float:
    return time.time()


def _entries(request: HttpRequest) -> dict[str, dict[str, Any]]:
    """The user's pending photos that have not expired (expired ones are forgotten and deleted)."""
    raw = request.session.get(SESSION_KEY)
    entries = raw if isinstance(raw, dict) else {}
    limit = _now() - PENDING_TTL.total_seconds()
    live: dict[str, dict[str, Any]] = {}
    expired = []
    for token, entry in entries.items():
        if isinstance(entry, dict) and entry.get("user") == request.user.pk and entry.get("at", 0) >= limit:
            live[token] = entry
        else:
            expired.append(entry)
    if expired:
        _delete_files(e for e in expired if isinstance(e, dict))
        _store(request, live)
    return live


def _store(request: HttpRequest, entries: dict[str, dict[str, Any]]) -> None:
    if entries:
        request.session[SESSION_KEY] = entries
    else:
        request.session.pop(SESSION_KEY, None)
    request.session.modified = True


def _as_photo(token: str, entry: dict[str, Any]) -> PendingPhoto:
    return PendingPhoto(token=token, name=entry["name"], path=entry["path"], thumb=entry["thumb"])


def _own_folder(request: HttpRequest) -> str:
    return f"{PENDING_DIR}/{request.user.pk}/"


def _delete_files(entries: Iterable[dict[str, Any]]) -> None:
    for entry in entries:
        for key in ("path", "thumb"):
            name = entry.get(key)
            if isinstance(name, str) and name.startswith(f"{PENDING_DIR}/"):
                try:
                    default_storage.delete(name)
                except OSError:  # already gone: nothing to keep
                    logger.info("Pending photo already removed: %s", name)


def stash(request: HttpRequest, files: Iterable[Any]) -> list[PendingPhoto]:
    """Re-encode and keep these already checked uploads for this user; returns them with their tokens."""
    sweep_expired()
    entries = _entries(request)
    kept = []
    for f in files:
        clean = images.reencode(f)
        token = secrets.token_urlsafe(18)
        base = f"{_own_folder(request)}{token}"
        path = default_storage.save(f"{base}.{clean.extension}", clean.content)
        thumb = default_storage.save(f"{base}-thumb.jpg", images.thumbnail(clean.content, THUMBNAIL_SIZE))
        name = PurePath(getattr(f, "name", "") or "photo").name[:255]
        entries[token] = {"user": request.user.pk, "name": name, "path": path, "thumb": thumb, "at": _now()}
        kept.append(_as_photo(token, entries[token]))
    _store(request, entries)
    return kept


def get(request: HttpRequest, token: str) -> PendingPhoto | None:
    """The user's own pending photo of this token, or None."""
    entry = _entries(request).get(token)
    if entry is None or not str(entry.get("path", "")).startswith(_own_folder(request)):
        return None
    return _as_photo(token, entry)


def from_post(request: HttpRequest) -> list[PendingPhoto]:
    """The pending photos the form still ticks; the ones it offered and no longer ticks are thrown away."""
    if request.method != "POST":
        return []
    kept_tokens = list(dict.fromkeys(request.POST.getlist(KEPT_FIELD)))
    offered = set(request.POST.getlist(OFFERED_FIELD))
    dropped = offered - set(kept_tokens)
    if dropped:
        discard(request, dropped)
    return [photo for token in kept_tokens if (photo := get(request, token)) is not None]


def open_files(photos: Iterable[PendingPhoto]) -> list[File]:
    """The kept photos opened for saving, each under the uploader's file name (the caller closes them)."""
    opened = []
    for photo in photos:
        try:
            handle = default_storage.open(photo.path, "rb")
        except FileNotFoundError:
            logger.warning("Pending photo missing from storage: %s", photo.path)
            continue
        opened.append(File(handle, name=photo.name))
    return opened


def discard(request: HttpRequest, tokens: Iterable[str]) -> None:
    entries = _entries(request)
    gone = [entries.pop(token) for token in list(tokens) if token in entries]
    if gone:
        _delete_files(gone)
        _store(request, entries)


def sweep_expired() -> int:
    """Delete pending files older than the TTL, of every user (sessions that were abandoned)."""
    if not default_storage.exists(PENDING_DIR):
        return 0
    limit = _now() - PENDING_TTL.total_seconds()
    removed = 0
    users, _files = default_storage.listdir(PENDING_DIR)
    for user_dir in users:
        folder = f"{PENDING_DIR}/{user_dir}"
        _dirs, names = default_storage.listdir(folder)
        for name in names:
            path = f"{folder}/{name}"
            try:
                if default_storage.get_modified_time(path).timestamp() < limit:
                    default_storage.delete(path)
                    removed += 1
            except (OSError, NotImplementedError):
                continue
    return removed
