"""公示 objections and background round reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Evaluation, Objection, ReportJob, ReportJobStatus, Round
from guanwei.queue import on_commit_task
from orgs import audit
from orgs.models import AuditEvent, Committee


@transaction.atomic
def objection_record(
    *,
    round_: Round,
    raised_by: str,
    received_on: date,
    content: str,
    evaluation: Evaluation | None = None,
    by: Any = None,
    request: Any = None,
) -> Objection:
    """Record an objection; only during the notice period of the round's 公示 list."""
    if round_.notice_start is None or round_.notice_end is None:
        raise ValidationError(_("The results have not been put up for public notice yet."))
    if not (round_.notice_start <= received_on <= round_.notice_end):
        raise ValidationError(
            {
                "received_on": _("Objections are accepted from %(start)s to %(end)s.")
                % {"start": round_.notice_start.isoformat(), "end": round_.notice_end.isoformat()}
            }
        )
    if evaluation is not None and evaluation.round_id != round_.pk:
        raise ValidationError({"evaluation": _("This committee is not part of the round.")})
    objection = Objection(
        round=round_,
        evaluation=evaluation,
        raised_by=raised_by,
        received_on=received_on,
        content=content,
        recorded_by=by,
    )
    objection.full_clean()
    objection.save()
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=objection)
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, response: str, by: Any = None, request: Any = None) -> Objection:
    if not response.strip():
        raise ValidationError({"response": _("Write down how the objection was answered.")})
    objection.response = response
    objection.resolved = True
    objection.save()
    audit.record(action=AuditEvent.Action.UPDATE, user=by, request=request, obj=objection)
    return objection


def data_stamp(round_: Round) -> str:
    return f"{round_.pk}:{round_.data_changed_at.isoformat()}"


@transaction.atomic
def report_job_request(*, round_: Round, committee: Committee, by: Any = None, request: Any = None) -> ReportJob:
    """Reuse the report made for the round's current data, or queue a new one (after commit)."""
    round_ = Round.objects.get(pk=round_.pk)
    stamp = data_stamp(round_)
    existing = (
        ReportJob.objects.filter(round=round_, committee=committee, data_stamp=stamp)
        .exclude(status=ReportJobStatus.FAILED)
        .first()
    )
    if existing is not None:
        return existing
    job = ReportJob.objects.create(round=round_, committee=committee, data_stamp=stamp, requested_by=by)
    audit.record(action=AuditEvent.Action.EXPORT, user=by, request=request, obj=job, summary=f"{round_} / {committee}")
    on_commit_task("assessments.tasks.render_round_report", job.pk)
    return job
