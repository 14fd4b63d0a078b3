"""`import_subtree`: load a backup made by `export_subtree`, in one transaction, all or nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import models, transaction

from activities.models import ActivityKind
from assessments.models import Criterion, Dimension, GradeBand, Rubric
from backups.parts import FORMAT, PARTS, USER_FIELDS, VERSION, BackupError, data_fields, label_of, m2m_fields
from orgs.models import Committee
from orgs.services import lock_tree


@dataclass
class ImportState:
    directory: Path
    ids: dict[str, dict[int, int]] = field(default_factory=dict)
    committees: dict[str, int] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    reused: dict[str, set[int]] = field(default_factory=dict)
    saved_files: list[tuple[Any, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def read_manifest(directory: Path) -> dict[str, Any]:
    path = Path(directory) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{path} is missing: this is not a Guanwei backup directory.") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Guanwei subtree backup.")
    if manifest.get("version") != VERSION:
        raise BackupError(f"Backup format version {manifest.get('version')!r} is not supported (expected {VERSION}).")
    return manifest


def _read_rows(directory: Path, label: str, with_ids: bool = True) -> list[dict[str, Any]]:
    path = directory / "data" / f"{label}.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{path} is missing.") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(rows, list) or not all(
        isinstance(r, dict) and (isinstance(r.get("id"), int) or not with_ids) for r in rows
    ):
        raise BackupError(f"{path} is not a list of rows with ids.")
    return rows


def import_subtree(directory: Path) -> dict[str, int]:
    """Load a backup in one transaction; returns rows created per model. Raises BackupError and loads nothing."""
    directory = Path(directory)
    read_manifest(directory)
    state = ImportState(directory=directory)
    try:
        with transaction.atomic():
            lock_tree()
            _check_codes_free(directory)
            _import_users(state)
            for model, _select in PARTS:
                _import_model(model, state)
    except BackupError as exc:
        _remove_saved_files(state)
        raise BackupError(f"Nothing was loaded: {exc}") from exc
    except Exception as exc:
        _remove_saved_files(state)
        raise BackupError(f"Nothing was loaded, the backup does not fit this database: {exc}") from exc
    return state.counts


def _check_codes_free(directory: Path) -> None:
    codes = [row.get("code") for row in _read_rows(directory, label_of(Committee))]
    taken = list(Committee.objects.filter(code__in=codes).values_list("code", flat=True).order_by("code"))
    if taken:
        shown = ", ".join(taken[:10]) + (" …" if len(taken) > 10 else "")
        raise BackupError(f"these committee codes already exist here: {shown}")


def _import_users(state: ImportState) -> None:
    """Users are matched by user name; a missing one is created without a usable password (an admin resets it)."""
    user_model = get_user_model()
    for row in _read_rows(state.directory, "users", with_ids=False):
        username = str(row.get("username", ""))
        if not username:
            continue
        user = user_model._base_manager.filter(username=username).first()
        if user is None:
            user = user_model(**{k: row[k] for k in USER_FIELDS if k in row})
            user.set_unusable_password()
            user.save()
        state.users[username] = user.pk


def _import_model(model: type, state: ImportState) -> None:
    label = label_of(model)
    rows = _read_rows(state.directory, label)
    ids = state.ids.setdefault(label, {})
    stamps = [f for f in data_fields(model) if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    created = 0
    for row in rows:
        values = {}
        for f in data_fields(model):
            if f.name not in row:
                continue
            values[f.attname] = _import_value(f, row[f.name], state)
        obj = _match_existing(model, values, state)
        if obj is None:
            obj = model(**values)
            obj.save()
            created += 1
            if stamps:
                # auto_now fields ignore given values on save(); update() keeps the backup's times.
                model._base_manager.filter(pk=obj.pk).update(**{f.attname: values[f.attname] for f in stamps})
        else:
            state.reused.setdefault(label, set()).add(obj.pk)
        ids[row["id"]] = obj.pk
        if model is Committee:
            state.committees[obj.code] = obj.pk
    for f in m2m_fields(model):
        for row in rows:
            if row.get(f.name):
                targets = [_import_link(f, value, state) for value in row[f.name]]
                getattr(model._base_manager.get(pk=ids[row["id"]]), f.name).set([t for t in targets if t])
    state.counts[label] = created


def _import_value(f: models.Field, value: Any, state: ImportState) -> Any:
    if f.is_relation:
        target = _import_link(f, value, state)
        if target is None and value is not None and not f.null:
            raise BackupError(f"{f.model._meta.label_lower}.{f.name}: {value!r} is neither in the backup nor here.")
        return target
    if isinstance(f, models.FileField):
        return _import_file(f, value, state)
    if value is None:
        return None
    return f.to_python(value)


def _import_link(f: models.Field, value: Any, state: ImportState) -> int | None:
    if value is None:
        return None
    target = f.related_model
    if target is Committee:
        code = str(value)
        if code not in state.committees:
            found = Committee.objects.filter(code=code).values_list("pk", flat=True).first()
            if found is None:
                return None
            state.committees[code] = found
        return state.committees[code]
    if target is get_user_model():
        return state.users.get(str(value))
    if not isinstance(value, int):
        raise BackupError(f"{f.model._meta.label_lower}.{f.name}: {value!r} is not a row id.")
    return state.ids.get(label_of(target), {}).get(value)


def _match_existing(model: type, values: dict[str, Any], state: ImportState) -> Any:
    """Rows the target may already hold: activity kinds by code, rubric versions and their parts."""
    if model is ActivityKind:
        return ActivityKind.objects.filter(code=values["code"]).first()
    if model is Rubric:
        return Rubric.objects.filter(family=values["family"], version=values["version"]).first()
    parent_reused = {
        Dimension: ("rubric_id", Rubric, ("order", "title")),
        GradeBand: ("rubric_id", Rubric, ("min_total",)),
        Criterion: ("dimension_id", Dimension, ("order", "code", "title")),
    }.get(model)
    if parent_reused is None:
        return None
    link, parent, keys = parent_reused
    if values[link] not in state.reused.get(label_of(parent), set()):
        return None
    found = model._base_manager.filter(**{link: values[link]}, **{k: values[k] for k in keys}).first()
    if found is None:
        raise BackupError(f"A rubric version here differs from the backup's ({model._meta.label_lower} not found).")
    return found


def _safe_file(state: ImportState, name: str) -> Path:
    files = (state.directory / "files").resolve()
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or "\\" in name or "\x00" in name:
        raise BackupError(f"Refused a file name that leaves the backup: {name!r}")
    path = (files / relative).resolve()
    if files not in path.parents:
        raise BackupError(f"Refused a file name that leaves the backup: {name!r}")
    return path


def _import_file(f: models.Field, name: Any, state: ImportState) -> str:
    if not name:
        return ""
    name = str(name)
    source = _safe_file(state, name)
    storage = f.storage
    if not source.is_file():
        return name  # it was already missing when the backup was made (see the manifest)
    content = source.read_bytes()
    if storage.exists(name):
        with storage.open(name, "rb") as existing:
            if existing.read() == content:
                return name
    stored = storage.save(name, ContentFile(content))
    state.saved_files.append((storage, stored))
    return stored


def _remove_saved_files(state: ImportState) -> None:
    for storage, name in state.saved_files:
        storage.delete(name)
    state.saved_files.clear()
