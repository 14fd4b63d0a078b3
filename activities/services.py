"""Writes to activities, photos, donations and news reports. Views, imports and the demo call these."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from operator import attrgetter
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import ACTIVITY_HISTORY, Activity, ActivityPhoto, Donation, NewsPhoto, NewsReport
from activities.resources import ActivitySheetChecker, ImportedActivity
from guanwei import images
from guanwei.changes import set_fields
from guanwei.imports import ImportReport, Sheet
from guanwei.uploads import FileKind, check_upload
from orgs import audit
from orgs.models import AuditEvent, Committee, Person

MAX_PHOTO_BYTES = 10 * 1024 * 1024
THUMBNAIL_SIZE = (480, 480)

ACTIVITY_FIELDS = (
    "committee",
    "kind",
    "held_on",
    "title",
    "place",
    "youth_reached",
    "students_talked",
    "work_point",
    "summary",
)
DONATION_FIELDS = ("committee", "donor_kind", "donor_name", "donor_person", "amount", "donated_on", "purpose")
NEWS_FIELDS = ("committee", "title", "published_on", "outlet", "outlet_level", "link")


def _as_history_user(instance: Any, by: Any) -> None:
    """Tell django-simple-history who made the change when there is no request (imports, demo, tasks)."""
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by


def check_participants(*, committee: Committee, participants: Iterable[Person]) -> list[Person]:
    """Everyone who took part must be in the activity's own committee registry."""
    people = list(participants)
    foreign = [p for p in people if p.committee_id != committee.pk]
    if foreign:
        raise ValidationError(
            {
                "participants": _("%(names)s is not in the registry of %(committee)s.")
                % {"names": "、".join(p.name for p in foreign), "committee": committee.name}
            },
            code="foreign_person",
        )
    return people


def _metrics_changed(*committee_ids: int) -> None:
    """The metric snapshots must follow: mark these committees' numbers as changed.

    The mark is written in the same transaction as the change (so it rolls back
    with it); `mark_dirty` schedules the recompute only after the commit, and a
    burst of changes in one transaction (an import, the demo) gets one run.
    """
    from metrics.recompute import mark_dirty

    mark_dirty(committee_ids)


def _save_with_participants(activity: Activity, people: list[Person] | None) -> None:
    """Save the row and its participants, then write exactly one history record of both."""
    created = activity.pk is None
    activity.skip_history_when_saving = True
    try:
        activity.save()
        if people is not None:
            activity.participants.set(people)
    finally:
        del activity.skip_history_when_saving
    ACTIVITY_HISTORY.create_historical_record(activity, "+" if created else "~")


@transaction.atomic
def activity_create(
    *,
    committee: Committee,
    kind: Any,
    title: str,
    participants: Iterable[Person] = (),
    photos: Iterable[Any] = (),
    by: Any = None,
    request: Any = None,
    **fields: Any,
) -> Activity:
    people = check_participants(committee=committee, participants=participants)
    activity = Activity(committee=committee, kind=kind, title=title, created_by=by, updated_by=by)
    set_fields(activity, ACTIVITY_FIELDS, fields)
    activity.full_clean()
    _as_history_user(activity, by)
    _save_with_participants(activity, people)
    for f in photos:
        activity_photo_add(activity=activity, file=f, by=by)
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=activity)
    _metrics_changed(activity.committee_id)  # dashboards snapshot hook
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    participants: Iterable[Person] | None = None,
    photos: Iterable[Any] = (),
    by: Any = None,
    request: Any = None,
    **fields: Any,
) -> Activity:
    # Compare with the stored row, not with a copy a form may already have changed.
    activity = Activity.all_objects.select_for_update().get(pk=activity.pk)
    committee_before = activity.committee_id
    changed = set_fields(activity, ACTIVITY_FIELDS, fields)
    people = None
    if participants is not None:
        people = check_participants(committee=activity.committee, participants=participants)
    elif "committee" in changed:
        # The old participants belong to the old committee's registry.
        people = check_participants(committee=activity.committee, participants=activity.participants.all())
    if people is not None and {p.pk for p in people} != set(activity.participants.values_list("pk", flat=True)):
        changed.append("participants")
    photos = list(photos)
    if changed:
        activity.updated_by = by
        activity.full_clean()
        _as_history_user(activity, by)
        _save_with_participants(activity, people)
    for f in photos:
        activity_photo_add(activity=activity, file=f, by=by)
    if changed or photos:
        summary = f"{activity}: {', '.join(changed + (['photos'] if photos else []))}"
        audit.record(action=AuditEvent.Action.UPDATE, user=by, request=request, obj=activity, summary=summary)
        _metrics_changed(committee_before, activity.committee_id)  # dashboards snapshot hook
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by: Any = None, request: Any = None) -> Activity:
    """Soft delete: the row stays (with its photos and history) and an admin can restore it."""
    activity.deleted_at = timezone.now()
    activity.deleted_by = by if getattr(by, "is_authenticated", False) else None
    _as_history_user(activity, by)
    activity.save(update_fields=["deleted_at", "deleted_by"])
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=activity)
    _metrics_changed(activity.committee_id)  # dashboards snapshot hook
    return activity


@transaction.atomic
def activity_restore(*, activity: Activity, by: Any = None, request: Any = None) -> Activity:
    activity.deleted_at = None
    activity.deleted_by = None
    activity.updated_by = by
    _as_history_user(activity, by)
    activity.save(update_fields=["deleted_at", "deleted_by", "updated_by", "updated_at"])
    audit.record(
        action=AuditEvent.Action.UPDATE, user=by, request=request, obj=activity, summary=f"{activity}: restored"
    )
    _metrics_changed(activity.committee_id)  # dashboards snapshot hook
    return activity


IMPORT_BATCH = 2000


def activity_import_sheet(*, sheet: Sheet, by: Any, dry_run: bool, request: Any = None) -> ImportReport:
    """Check every row of an uploaded activity sheet; unless `dry_run`, save them all or none.

    The preview (`dry_run`) only checks, it writes nothing; the confirmation checks
    again (scope and registries may have changed since) and then saves in bulk.
    """
    report, rows = ActivitySheetChecker(by).check(sheet)
    if report.has_errors or dry_run:
        return report
    batch = uuid.uuid4()
    try:
        activity_import(rows=rows, by=by, request=request, batch=batch)
    except IntegrityError:
        # A committee or person was removed between the check and the save.
        report.base_errors.append(
            _(
                "Some committees or people in the file changed while it was being imported. "
                "Nothing was saved; please upload it again."
            )
        )
    else:
        report.batch = str(batch)
    return report


@transaction.atomic
def activity_import(
    *, rows: Sequence[ImportedActivity], by: Any = None, request: Any = None, batch: uuid.UUID | None = None
) -> int:
    """Save checked rows in bulk: activities, participants, one history record of each, one audit event.

    Each activity gets a single "created" history record that already lists its
    participants (as `activity_create` writes), the import is one audit event, and
    the touched committees are marked for the dashboards once. Every row carries
    `batch`, so the rows of this import can be listed together.
    """
    user_id = by.pk if by is not None and getattr(by, "is_authenticated", False) else None
    now = timezone.now()
    through = Activity.participants.through
    for start in range(0, len(rows), IMPORT_BATCH):
        chunk = rows[start : start + IMPORT_BATCH]
        ids = _insert_activities(chunk, user_id=user_id, when=now, batch_id=batch)
        links = through.objects.bulk_create(
            [
                through(activity_id=pk, person_id=person_id)
                for pk, row in zip(ids, chunk, strict=True)
                for person_id in row.people
            ]
        )
        _created_history(ids, links, user_id=user_id, when=now)
    audit.record(
        action=AuditEvent.Action.IMPORT,
        user=by,
        request=request,
        object_type="activities.activity",
        object_id=str(batch or "")[:40],
        summary=f"{len(rows)} activities imported",
    )
    _metrics_changed(*{row.committee_id for row in rows})  # dashboards snapshot hook
    return len(rows)


IMPORTED_FIELDS = (
    "committee_id",
    "kind_id",
    "held_on",
    "title",
    "place",
    "youth_reached",
    "students_talked",
    "summary",
)


def _insert_activities(
    batch: Sequence[ImportedActivity], *, user_id: int | None, when: Any, batch_id: uuid.UUID | None = None
) -> list[int]:
    """Save new activities; their ids, in the order of `batch`.

    On PostgreSQL the rows go in with COPY, their ids taken from the table's
    sequence first: several times faster than `bulk_create`'s INSERT, which
    prepares every value of every row in Python. Fields an import does not fill
    get their model defaults.
    """
    values_of = attrgetter(*IMPORTED_FIELDS)
    if connection.vendor != "postgresql":
        activities = Activity.objects.bulk_create(
            [
                Activity(
                    **dict(zip(IMPORTED_FIELDS, values_of(row), strict=True)),
                    created_by_id=user_id,
                    updated_by_id=user_id,
                    import_batch=batch_id,
                )
                for row in batch
            ]
        )
        return [activity.pk for activity in activities]
    import_batch = Activity._meta.get_field("import_batch").get_db_prep_save(batch_id, connection)
    fixed: dict[str, Any] = {
        "created_by_id": user_id,
        "updated_by_id": user_id,
        "created_at": when,
        "updated_at": when,
        "import_batch": import_batch,
    }
    for model_field in Activity._meta.concrete_fields:
        if not model_field.primary_key and model_field.attname not in (*IMPORTED_FIELDS, *fixed):
            fixed[model_field.attname] = model_field.get_db_prep_save(model_field.get_default(), connection)
    qn = connection.ops.quote_name
    table = Activity._meta.db_table
    pk_column = Activity._meta.pk.column
    column_of = {f.attname: f.column for f in Activity._meta.concrete_fields}
    columns = ", ".join(qn(column_of[name]) for name in (Activity._meta.pk.attname, *IMPORTED_FIELDS, *fixed))
    tail = tuple(fixed.values())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk_column, len(batch)],
        )
        ids = sorted(pk for (pk,) in cursor.fetchall())
        with cursor.cursor.copy(f"COPY {qn(table)} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, batch, strict=True):
                copy.write_row((pk, *values_of(row), *tail))
    return ids


def _created_history(activity_ids: list[int], links: list[Any], *, user_id: int | None, when: Any) -> None:
    """The "created" history records of new activities, listing their participants.

    What django-simple-history's `create_historical_record` writes for each row
    (as in `_save_with_participants`). The records are copied from the saved rows
    inside the database with one INSERT … SELECT: building thousands of historical
    instances in Python cost more than saving the activities themselves.
    """
    if not activity_ids:
        return
    qn = connection.ops.quote_name
    history = Activity.history.model
    copied = [(qn(history._meta.get_field(f.name).column), qn(f.column)) for f in history.tracked_fields]
    in_ids = ", ".join(["%s"] * len(activity_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(history._meta.db_table)}"  # noqa: S608 - names from the models
            f" ({', '.join(target for target, _source in copied)},"
            f" history_date, history_change_reason, history_type, history_user_id)"
            f" SELECT {', '.join(source for _target, source in copied)}, %s, NULL, '+', %s"
            f" FROM {qn(Activity._meta.db_table)} WHERE id IN ({in_ids}) ORDER BY id"
            f" RETURNING id, history_id",
            [connection.ops.adapt_datetimefield_value(when), user_id, *activity_ids],
        )
        record_of = dict(cursor.fetchall())
    if links:
        historical_link = ACTIVITY_HISTORY.m2m_models[Activity._meta.get_field("participants")]
        historical_link.objects.bulk_create(
            [
                historical_link(
                    history_id=record_of[link.activity_id],
                    id=link.pk,
                    activity_id=link.activity_id,
                    person_id=link.person_id,
                )
                for link in links
            ]
        )


def _save_photo(photo: Any, f: Any, by: Any) -> Any:
    """Store a re-encoded copy of the picture (no metadata, no location) under a name the server chose."""
    check_upload(f, kinds=(FileKind.IMAGE,), max_bytes=MAX_PHOTO_BYTES)
    clean = images.reencode(f)
    name = PurePath(getattr(f, "name", "") or "photo").name
    photo.original_name = name[:255]
    photo.size = clean.content.size
    photo.uploaded_by = by if getattr(by, "is_authenticated", False) else None
    photo.thumbnail.save("thumb.jpg", images.thumbnail(clean.content, THUMBNAIL_SIZE), save=False)
    photo.image.save(f"photo.{clean.extension}", clean.content, save=False)
    photo.save()
    return photo


@transaction.atomic
def activity_photo_add(*, activity: Activity, file: Any, by: Any = None) -> ActivityPhoto:
    return _save_photo(ActivityPhoto(activity=activity), file, by)


def _delete_files(photo: Any) -> None:
    image, thumbnail = photo.image, photo.thumbnail

    def remove() -> None:
        for stored in (image, thumbnail):
            if stored:
                stored.storage.delete(stored.name)

    transaction.on_commit(remove)


@transaction.atomic
def activity_photo_delete(*, photo: ActivityPhoto, by: Any = None, request: Any = None) -> None:
    audit.record(
        action=AuditEvent.Action.DELETE,
        user=by,
        request=request,
        obj=photo,
        summary=f"{photo.activity}: photo {photo.original_name}",
    )
    _delete_files(photo)
    photo.delete()


@transaction.atomic
def donation_save(*, donation: Donation | None = None, by: Any = None, request: Any = None, **fields: Any) -> Donation:
    created = donation is None
    donation = donation or Donation(created_by=by if getattr(by, "is_authenticated", False) else None)
    set_fields(donation, DONATION_FIELDS, fields)
    person = donation.donor_person
    if person is not None and person.committee_id != donation.committee_id:
        raise ValidationError(
            {"donor_person": _("This person is not in the registry of the chosen committee.")}, code="foreign_person"
        )
    donation.full_clean()
    _as_history_user(donation, by)
    donation.save()
    audit.record(
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, user=by, request=request, obj=donation
    )
    return donation


@transaction.atomic
def donation_delete(*, donation: Donation, by: Any = None, request: Any = None) -> None:
    """The history table keeps the deleted row; an admin can recover it there."""
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=donation)
    _as_history_user(donation, by)
    donation.delete()


@transaction.atomic
def news_save(
    *,
    report: NewsReport | None = None,
    photos: Iterable[Any] = (),
    by: Any = None,
    request: Any = None,
    **fields: Any,
) -> NewsReport:
    created = report is None
    report = report or NewsReport(created_by=by if getattr(by, "is_authenticated", False) else None)
    set_fields(report, NEWS_FIELDS, fields)
    report.full_clean()
    _as_history_user(report, by)
    report.save()
    for f in photos:
        _save_photo(NewsPhoto(report=report), f, by)
    audit.record(
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, user=by, request=request, obj=report
    )
    return report


@transaction.atomic
def news_delete(*, report: NewsReport, by: Any = None, request: Any = None) -> None:
    """The history table keeps the report (an admin can recover it); its photo files stay on disk."""
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=report)
    _as_history_user(report, by)
    report.delete()


@transaction.atomic
def news_photo_delete(*, photo: NewsPhoto, by: Any = None, request: Any = None) -> None:
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=photo, summary=f"{photo.report}: photo")
    _delete_files(photo)
    photo.delete()
