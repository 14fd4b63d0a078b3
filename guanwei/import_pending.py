"""The cells a preview read (a `guanwei.imports.Sheet`), kept until the user confirms the import.

They are kept as JSON, bound to the session: the confirmation checks and saves exactly what was previewed.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any

import tablib
from django.conf import settings
from django.http import HttpRequest

PENDING_DIR = "import-pending"
PENDING_MAX_AGE_SECONDS = 24 * 3600
SESSION_KEY = "guanwei_pending_imports"


def _pending_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / PENDING_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def _encode_cell(value: Any) -> Any:
    """A cell as JSON: dates and times are tagged so they come back as the same type."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, dt_time):
        return {"t": value.isoformat()}
    if isinstance(value, timedelta):
        return {"td": value.total_seconds()}
    return str(value)


def _decode_cell(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "dt" in value:
        return datetime.fromisoformat(value["dt"])
    if "d" in value:
        return date.fromisoformat(value["d"])
    if "t" in value:
        return dt_time.fromisoformat(value["t"])
    return timedelta(seconds=value["td"])


def _store_pending(request: HttpRequest, sheet: Any) -> str:
    """Keep the previewed cells for the confirmation; only this session may confirm them."""
    directory = _pending_dir()
    cutoff = time.time() - PENDING_MAX_AGE_SECONDS
    for old in [*directory.glob("*.json"), *directory.glob("*.xlsx")]:
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = uuid.uuid4().hex
    payload = {
        "headers": list(sheet.dataset.headers or []),
        "excel_rows": sheet.excel_rows,
        "rows": [[_encode_cell(v) for v in row] for row in sheet.dataset],
    }
    with open(directory / f"{token}.json", "w", encoding="utf-8") as out:
        json.dump(payload, out, ensure_ascii=False, separators=(",", ":"))
    pending = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [*pending[-9:], token]
    return token


def _open_pending(request: HttpRequest, token: str) -> tuple[tablib.Dataset, list[int]] | None:
    if token not in request.session.get(SESSION_KEY, []) or not token.isalnum():
        return None
    path = _pending_dir() / f"{token}.json"
    try:
        with open(path, encoding="utf-8") as stored:
            payload = json.load(stored)
    except (OSError, ValueError):
        return None
    dataset = tablib.Dataset(headers=payload["headers"])
    dataset.extend([tuple(_decode_cell(v) for v in row) for row in payload["rows"]])
    return dataset, payload["excel_rows"]


def _forget_pending(request: HttpRequest, token: str) -> None:
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]
    (_pending_dir() / f"{token}.json").unlink(missing_ok=True)
