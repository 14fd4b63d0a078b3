"""Deliverables: files a participating committee hands in for a milestone, and their review."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanwei.uploads import FileKind, check_upload, stored_upload
from orgs import audit
from orgs.models import AuditEvent, Committee
from plans.models import Deliverable, DeliverableStatus, Milestone, ProgrammeParticipant

DELIVERABLE_KINDS = (FileKind.PDF, FileKind.DOCX, FileKind.XLSX, FileKind.IMAGE)


@transaction.atomic
def deliverable_upload(
    *,
    milestone: Milestone,
    committee: Committee,
    file: Any,
    title: str = "",
    by: Any = None,
    request: Any = None,
) -> Deliverable:
    """Hand in a file for a milestone; the file was checked by the form (guanwei.uploads)."""
    if not ProgrammeParticipant.objects.filter(programme_id=milestone.programme_id, committee=committee).exists():
        raise ValidationError(_("This committee does not take part in the programme."), code="not_participant")
    kind = check_upload(file, kinds=DELIVERABLE_KINDS)
    name = getattr(file, "name", "") or "file"
    deliverable = Deliverable(
        milestone=milestone,
        committee=committee,
        title=(title or name)[:200],
        original_name=name[:200],
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    content, extension = stored_upload(file, kind)
    deliverable.file.save(f"m{milestone.pk}-c{committee.pk}.{extension}", content, save=False)
    deliverable.save()
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=deliverable)
    return deliverable


@transaction.atomic
def deliverable_review(
    *, deliverable: Deliverable, status: str, note: str = "", by: Any = None, request: Any = None
) -> Deliverable:
    if status not in (DeliverableStatus.ACCEPTED, DeliverableStatus.RETURNED):
        raise ValidationError(_("Choose accept or return."), code="status")
    if status == DeliverableStatus.RETURNED and not note.strip():
        raise ValidationError({"reviewer_note": _("Please say why the file is returned.")}, code="note")
    deliverable.status = status
    deliverable.reviewer_note = note
    deliverable.reviewed_by = by if getattr(by, "is_authenticated", False) else None
    deliverable.reviewed_at = timezone.now()
    deliverable.save()
    audit.record(
        action=AuditEvent.Action.UPDATE,
        user=by,
        request=request,
        obj=deliverable,
        summary=f"{deliverable}: {status}",
    )
    return deliverable
