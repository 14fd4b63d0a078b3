"""Evidence files on criteria."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from assessments import selectors
from assessments.models import Evaluation, EvaluationStatus, Evidence, Score
from assessments.services.evaluations import _lock, _require_status, touch_round
from guanwei.uploads import FileKind, check_upload, stored_upload
from orgs import audit
from orgs.models import AuditEvent

EVIDENCE_KINDS = (FileKind.IMAGE, FileKind.PDF, FileKind.DOCX, FileKind.XLSX)


@transaction.atomic
def evidence_add(*, evaluation: Evaluation, score: Score, upload: Any, by: Any, request: Any = None) -> Evidence:
    evaluation = _lock(evaluation)
    if not selectors.may_self_assess(by, evaluation):
        raise PermissionDenied
    _require_status(evaluation, (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED))
    if score.evaluation_id != evaluation.pk:
        raise PermissionDenied
    kind = check_upload(upload, kinds=EVIDENCE_KINDS)
    evidence = Evidence(
        score=score,
        original_name=(getattr(upload, "name", "") or "evidence")[-200:],
        kind=str(kind),
        size=getattr(upload, "size", 0) or 0,
        uploaded_by=by,
    )
    content, extension = stored_upload(upload, kind)
    evidence.size = getattr(content, "size", 0) or evidence.size
    evidence.file.save(f"evidence.{extension}", content, save=False)
    evidence.save()
    touch_round(evaluation.round_id)
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=evidence)
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by: Any, request: Any = None) -> None:
    evaluation = _lock(evidence.score.evaluation)
    if not selectors.may_self_assess(by, evaluation):
        raise PermissionDenied
    _require_status(evaluation, (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED))
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=evidence)
    stored = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    touch_round(evaluation.round_id)
    transaction.on_commit(lambda: storage.delete(stored))
