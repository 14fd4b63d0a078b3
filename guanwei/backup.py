"""Backups of a committee subtree: `export_all DIR --committee CODE` and `import_all DIR`.

The format is our own and stable, so a backup can go into a database that
already holds other committees (ids are never reused, so nothing there is
overwritten):

    DIR/manifest.json                 what was exported, counts, anything left out
    DIR/data/<app>.<model>.json       one list of rows per model, in load order
    DIR/files/<stored name>           every uploaded file the rows refer to

Each row keeps its old id; a foreign key holds the old id of a row in the same
backup, except that committees are named by their unique code (so the
subtree's root can hang under its parent again, found by code), users by user
name, and activity kinds by code. Rubric versions already present in the
target (same family and version) are reused, not copied. Import runs in one
transaction: all of it lands, or nothing does (files copied in are removed
again on failure).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from activities.models import Activity, ActivityKind, ActivityPhoto, Donation, NewsPhoto, NewsReport
from assessments.models import (
    Criterion,
    Dimension,
    Evaluation,
    EvaluationEvent,
    Evidence,
    GradeBand,
    Objection,
    ReviewAssignment,
    ReviewPanel,
    Round,
    Rubric,
    Score,
    ScoreChange,
)
from orgs import tree
from orgs.models import Committee, Grant, Grouping, Membership, MemberUnit, Person
from orgs.services import lock_tree
from plans.models import (
    Deliverable,
    Milestone,
    Phase,
    Plan,
    PlanSection,
    Programme,
    ProgrammeParticipant,
    Target,
    WorkPoint,
)

FORMAT = "guanwei-subtree-backup"
VERSION = 1
TREE_FIELDS = set(Committee._TREE_FIELDS)  # recomputed where the backup is loaded
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active")


class BackupError(Exception):
    """A backup that cannot be written or loaded; the message says why."""


# --- what goes in, in load order ---------------------------------------------


@dataclass
class Selection:
    """The subtree being exported and the ids written so far, per model."""

    root: Committee
    ids: dict[type, set[int]] = field(default_factory=dict)

    def q(self, prefix: str = "") -> Q:
        return tree.subtree_q(self.root, prefix.removesuffix("__"))

    def of(self, model: type) -> set[int]:
        return self.ids.get(model, set())


Select = Callable[[Selection], QuerySet]


def _in_subtree(model: type, prefix: str, manager: str = "_base_manager") -> Select:
    return lambda s: getattr(model, manager).filter(s.q(prefix))


def _child_of(model: type, link: str, parent: type) -> Select:
    return lambda s: model._base_manager.filter(**{f"{link}__in": s.of(parent)})


PARTS: list[tuple[type, Select]] = [
    (Committee, lambda s: Committee.objects.filter(s.q("")).order_by("path")),
    (Person, _in_subtree(Person, "committee__")),
    (Membership, _in_subtree(Membership, "committee__")),
    (MemberUnit, _in_subtree(MemberUnit, "committee__")),
    (Grouping, _in_subtree(Grouping, "lead__")),
    (Grant, _in_subtree(Grant, "committee__")),
    (ActivityKind, lambda s: ActivityKind.objects.all()),
    (Plan, _in_subtree(Plan, "committee__")),
    (PlanSection, _child_of(PlanSection, "plan", Plan)),
    (WorkPoint, _child_of(WorkPoint, "section", PlanSection)),
    (Target, _child_of(Target, "work_point", WorkPoint)),
    (Programme, _in_subtree(Programme, "committee__")),
    (Phase, _child_of(Phase, "programme", Programme)),
    (Milestone, _child_of(Milestone, "programme", Programme)),
    (ProgrammeParticipant, _child_of(ProgrammeParticipant, "programme", Programme)),
    (Deliverable, _child_of(Deliverable, "milestone", Milestone)),
    (Activity, _in_subtree(Activity, "committee__")),  # the base manager: soft-deleted ones too
    (ActivityPhoto, _child_of(ActivityPhoto, "activity", Activity)),
    (Donation, _in_subtree(Donation, "committee__")),
    (NewsReport, _in_subtree(NewsReport, "committee__")),
    (NewsPhoto, _child_of(NewsPhoto, "report", NewsReport)),
    (Rubric, lambda s: Rubric.objects.filter(s.q("owner__") | s.q("rounds__committee__")).distinct()),
    (Dimension, _child_of(Dimension, "rubric", Rubric)),
    (Criterion, _child_of(Criterion, "dimension", Dimension)),
    (GradeBand, _child_of(GradeBand, "rubric", Rubric)),
    (Round, _in_subtree(Round, "committee__")),
    (Evaluation, _child_of(Evaluation, "round", Round)),
    (Score, _child_of(Score, "evaluation", Evaluation)),
    (ScoreChange, _child_of(ScoreChange, "score", Score)),
    (EvaluationEvent, _child_of(EvaluationEvent, "evaluation", Evaluation)),
    (Evidence, _child_of(Evidence, "score", Score)),
    (ReviewPanel, _child_of(ReviewPanel, "round", Round)),
    (ReviewAssignment, _child_of(ReviewAssignment, "evaluation", Evaluation)),
    (Objection, _child_of(Objection, "round", Round)),
]


def _label(model: type) -> str:
    return model._meta.label_lower


def _fields(model: type) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not (model is Committee and f.name in TREE_FIELDS)
    ]


def _m2m_fields(model: type) -> list[models.Field]:
    """Plain many-to-many fields; those with their own through model travel as that model's rows."""
    return [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]


def _encode(value: Any) -> Any:
    """JSON values that read back exactly (full microseconds, exact decimals)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- export ---------------------------------------------------------------------


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
            label = _label(model)
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
        "order": [_label(m) for m, _ in PARTS],
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
    for f in _fields(model):
        if f.is_relation:
            target_id = getattr(obj, f.attname)
            value = _export_link(f, target_id, selection, codes, usernames, users)
            if value is None and target_id is not None:
                if not f.null:
                    return None  # the row needs something outside the backup
                key = f"{_label(model)}.{f.name}"
                report.dropped_links[key] = report.dropped_links.get(key, 0) + 1
            row[f.name] = value
        elif isinstance(f, models.FileField):
            row[f.name] = _export_file(getattr(obj, f.attname), directory, report)
        else:
            row[f.name] = _encode(f.value_from_object(obj))
    for f in _m2m_fields(model):
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


# --- import -----------------------------------------------------------------------


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
    codes = [row.get("code") for row in _read_rows(directory, _label(Committee))]
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
    label = _label(model)
    rows = _read_rows(state.directory, label)
    ids = state.ids.setdefault(label, {})
    stamps = [f for f in _fields(model) if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    created = 0
    for row in rows:
        values = {}
        for f in _fields(model):
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
    for f in _m2m_fields(model):
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
    return state.ids.get(_label(target), {}).get(value)


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
    if values[link] not in state.reused.get(_label(parent), set()):
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
