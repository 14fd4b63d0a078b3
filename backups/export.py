"""`export_subtree`: write a committee subtree, its rows and its files to a backup directory."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from backups.parts import (
    FORMAT,
    PARTS,
    USER_FIELDS,
    VERSION,
    BackupError,
    Selection,
    data_fields,
    label_of,
    m2m_fields,
)
from orgs.models import Committee


def _encode(value: Any) -> Any:
    """JSON values that read back exactly (full microseconds, exact decimals)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


@dataclass
class ExportReport:
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    missing_files: list[str] = field(default_factory=list)
    dropped_links: dict[str, int] = field(default_factory=dict)
    skipped_rows: dict[str, int] = field(default_factory=dict)


def export_subtree(directory: Path, code: str) -> ExportReport:
    """Write the committee `code`, everything below it and everything they own to `directory`."""
    root = Committee.objects.filter(code=code).first()
    if root is None:
        raise BackupError(f"There is no committee with the code {code!r}.")
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty; choose a new or empty directory.")
    (directory / "data").mkdir(parents=True, exist_ok=True)
    (directory / "files").mkdir(exist_ok=True)
    selection = Selection(root=root)
    report = ExportReport()
    codes = dict(Committee.objects.values_list("pk", "code"))
    users: dict[int, dict[str, Any]] = {}
    user_model = get_user_model()
    usernames = dict(user_model._base_manager.values_list("pk", "username"))
    with transaction.atomic():  # one consistent snapshot
        for model, select in PARTS:
            label = label_of(model)
            rows = []
            kept: set[int] = set()
            for obj in select(selection).order_by(*(["path"] if model is Committee else ["pk"])):
                row = _export_row(obj, selection, codes, usernames, users, directory, report)
                if row is None:
                    report.skipped_rows[label] = report.skipped_rows.get(label, 0) + 1
                    continue
                rows.append(row)
                kept.add(obj.pk)
            selection.ids[model] = kept
            report.counts[label] = len(rows)
            _write_json(directory / "data" / f"{label}.json", rows)
    user_rows = [
        {name: getattr(u, name) for name in USER_FIELDS}
        for u in user_model._base_manager.filter(pk__in=users).order_by("pk")
    ]
    _write_json(directory / "data" / "users.json", user_rows)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "committee": root.code,
        "committee_name": root.name,
        "parent_code": codes.get(root.parent_id),
        "exported_at": timezone.now().isoformat(),
        "order": [label_of(m) for m, _ in PARTS],
        "counts": report.counts,
        "users": len(user_rows),
        "files": report.files,
        "missing_files": report.missing_files,
        "dropped_links": report.dropped_links,
        "skipped_rows": report.skipped_rows,
    }
    _write_json(directory / "manifest.json", manifest)
    return report


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _export_row(
    obj: models.Model,
    selection: Selection,
    codes: dict[int, str],
    usernames: dict[int, str],
    users: dict[int, dict],
    directory: Path,
    report: ExportReport,
) -> dict[str, Any] | None:
    model = type(obj)
    row: dict[str, Any] = {"id": obj.pk}
    for f in data_fields(model):
        if f.is_relation:
            target_id = getattr(obj, f.attname)
            value = _export_link(f, target_id, selection, codes, usernames, users)
            if value is None and target_id is not None:
                if not f.null:
                    return None  # the row needs something outside the backup
                key = f"{label_of(model)}.{f.name}"
                report.dropped_links[key] = report.dropped_links.get(key, 0) + 1
            row[f.name] = value
        elif isinstance(f, models.FileField):
            row[f.name] = _export_file(getattr(obj, f.attname), directory, report)
        else:
            row[f.name] = _encode(f.value_from_object(obj))
    for f in m2m_fields(model):
        targets = [t.pk for t in getattr(obj, f.name).all()]
        values = [_export_link(f, t, selection, codes, usernames, users) for t in targets]
        row[f.name] = [v for v in values if v is not None]
    return row


def _export_link(
    f: models.Field,
    target_id: int | None,
    selection: Selection,
    codes: dict[int, str],
    usernames: dict[int, str],
    users: dict[int, dict],
) -> Any:
    if target_id is None:
        return None
    target = f.related_model
    if target is Committee:
        return codes.get(target_id)
    if target is get_user_model():
        users[target_id] = {}
        return usernames.get(target_id)
    return target_id if target_id in selection.of(target) else None


def _export_file(stored: Any, directory: Path, report: ExportReport) -> str:
    name = getattr(stored, "name", "") or ""
    if not name:
        return ""
    destination = directory / "files" / name
    try:
        with stored.storage.open(name, "rb") as source:
            destination.parent.mkdir(parents=True, exist_ok=True)
            with destination.open("wb") as out:
                shutil.copyfileobj(source, out)
        report.files += 1
    except FileNotFoundError:
        report.missing_files.append(name)
    return name
