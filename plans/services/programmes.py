"""Programmes, their phases, milestones and participants, made by hand; `plan_import` makes one from a plan's phases."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanwei.changes import set_fields
from orgs import audit, tree
from orgs.models import AuditEvent, Committee
from plans.models import Deliverable, Milestone, Phase, Plan, Programme, ProgrammeParticipant


@transaction.atomic
def participant_set_status(
    *, participant: ProgrammeParticipant, status: str, note: str = "", by: Any = None, request: Any = None
) -> ProgrammeParticipant:
    participant.status = status
    participant.note = note
    participant.full_clean()
    participant.save()
    audit.record(
        action=AuditEvent.Action.UPDATE,
        user=by,
        request=request,
        obj=participant,
        summary=f"{participant}: {status}",
    )
    return participant


@transaction.atomic
def participant_add(
    *, programme: Programme, committee: Committee, by: Any = None, request: Any = None
) -> ProgrammeParticipant:
    owner = programme.committee
    if not tree.contains(owner, committee):
        raise ValidationError(_("Only the committee and its sub-committees can take part."), code="outside")
    participant, created = ProgrammeParticipant.objects.get_or_create(programme=programme, committee=committee)
    if created:
        audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=participant)
    return participant


# ---------------------------------------------------------------------------
# Programmes made and changed by hand (a secretary with EDIT on the programme's committee)

PROGRAMME_FIELDS = ("title", "description")
PHASE_FIELDS = ("name", "starts_on", "ends_on", "description")
MILESTONE_FIELDS = ("kind", "title", "due_on", "phase", "description")


def _in_subtree(committee: Committee, owner: Committee) -> bool:
    return tree.contains(owner, committee)


def _lock_programme(programme: Programme) -> Programme:
    """Lock the programme's row: checks across its phases (overlaps) and deliverables hold until commit."""
    return Programme.objects.select_for_update().get(pk=programme.pk)


@transaction.atomic
def programme_create(
    *,
    committee: Committee,
    title: str,
    description: str = "",
    plan: Plan | None = None,
    by: Any = None,
    request: Any = None,
) -> Programme:
    """A programme of a committee, which takes part in it itself; the plan, if named, is that committee's."""
    if plan is not None and plan.committee_id != committee.pk:
        raise ValidationError({"plan": _("Choose a plan of the same committee.")}, code="plan")
    programme = Programme(committee=committee, title=title.strip(), description=description, plan=plan)
    programme.full_clean()
    programme.save()
    ProgrammeParticipant.objects.create(programme=programme, committee=committee)
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=programme)
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, by: Any = None, request: Any = None, **fields: Any) -> Programme:
    if "title" in fields:
        fields["title"] = fields["title"].strip()
    changed = set_fields(programme, PROGRAMME_FIELDS, fields)
    if changed:
        programme.full_clean()
        programme.save()
        audit.record_update(programme, changed, user=by, request=request)
    return programme


@transaction.atomic
def programme_delete(*, programme: Programme, by: Any = None, request: Any = None) -> None:
    """Delete a programme with its phases and milestones, as long as nobody handed a file in for it."""
    programme = _lock_programme(programme)
    if Deliverable.objects.filter(milestone__programme=programme).exists():
        raise ValidationError(
            _("Files were already handed in for this programme, so it cannot be deleted."), code="deliverables"
        )
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=programme)
    programme.delete()


def _check_phase(phase: Phase) -> None:
    """Dates in order and no overlap with another phase of the programme (both days count)."""
    if phase.starts_on and phase.ends_on and phase.ends_on < phase.starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")}, code="dates")
    phase.full_clean()
    clash = (
        Phase.objects.filter(
            programme_id=phase.programme_id, starts_on__lte=phase.ends_on, ends_on__gte=phase.starts_on
        )
        .exclude(pk=phase.pk)
        .order_by("starts_on", "id")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "starts_on": _("These dates overlap the phase “%(name)s” (%(start)s – %(end)s).")
                % {"name": clash.name, "start": clash.starts_on.isoformat(), "end": clash.ends_on.isoformat()}
            },
            code="overlap",
        )


def _milestones_left_outside(phase: Phase) -> list[Milestone]:
    return list(
        Milestone.objects.filter(phase=phase)
        .exclude(due_on__gte=phase.starts_on, due_on__lte=phase.ends_on)
        .order_by("due_on", "id")
    )


@transaction.atomic
def phase_create(*, programme: Programme, by: Any = None, request: Any = None, **fields: Any) -> Phase:
    programme = _lock_programme(programme)
    phase = Phase(
        programme=programme,
        position=Phase.objects.filter(programme=programme).count(),
        **{k: v for k, v in fields.items() if k in PHASE_FIELDS},
    )
    _check_phase(phase)
    phase.save()
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=phase)
    return phase


@transaction.atomic
def phase_update(*, phase: Phase, by: Any = None, request: Any = None, **fields: Any) -> Phase:
    """Change a phase; new dates may not overlap another phase nor leave one of its milestones outside."""
    _lock_programme(phase.programme)
    changed = set_fields(phase, PHASE_FIELDS, fields)
    if not changed:
        return phase
    _check_phase(phase)
    if {"starts_on", "ends_on"} & set(changed):
        outside = _milestones_left_outside(phase)
        if outside:
            raise ValidationError(
                _("The milestone “%(title)s” (due %(due)s) would fall outside the phase; move it first.")
                % {"title": outside[0].title, "due": outside[0].due_on.isoformat()},
                code="milestone_outside",
            )
    phase.save()
    audit.record_update(phase, changed, user=by, request=request)
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase, by: Any = None, request: Any = None) -> None:
    """Delete a phase; its milestones stay in the programme without a phase."""
    _lock_programme(phase.programme)
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=phase)
    phase.delete()


def _check_milestone(milestone: Milestone) -> None:
    phase = milestone.phase
    if phase is not None:
        if phase.programme_id != milestone.programme_id:
            raise ValidationError({"phase": _("Choose a phase of this programme.")}, code="phase")
        if milestone.due_on and not phase.starts_on <= milestone.due_on <= phase.ends_on:
            raise ValidationError(
                {
                    "due_on": _("The due date must fall within the phase “%(name)s” (%(start)s – %(end)s).")
                    % {"name": phase.name, "start": phase.starts_on.isoformat(), "end": phase.ends_on.isoformat()}
                },
                code="outside_phase",
            )
    milestone.full_clean()


@transaction.atomic
def milestone_create(*, programme: Programme, by: Any = None, request: Any = None, **fields: Any) -> Milestone:
    programme = _lock_programme(programme)
    milestone = Milestone(programme=programme, **{k: v for k, v in fields.items() if k in MILESTONE_FIELDS})
    _check_milestone(milestone)
    milestone.save()
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=milestone)
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, by: Any = None, request: Any = None, **fields: Any) -> Milestone:
    _lock_programme(milestone.programme)
    changed = set_fields(milestone, MILESTONE_FIELDS, fields)
    if changed:
        _check_milestone(milestone)
        milestone.save()
        audit.record_update(milestone, changed, user=by, request=request)
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by: Any = None, request: Any = None) -> None:
    """Delete a milestone nobody handed a file in for (its deliverables would go with it)."""
    _lock_programme(milestone.programme)
    if Deliverable.objects.filter(milestone=milestone).exists():
        raise ValidationError(
            _("Files were already handed in for this milestone, so it cannot be deleted."), code="deliverables"
        )
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=milestone)
    milestone.delete()


@transaction.atomic
def participants_add(
    *, programme: Programme, committees: list[Committee], by: Any = None, request: Any = None
) -> list[ProgrammeParticipant]:
    """Let the programme's committee or committees below it take part; all or none are added."""
    if not committees:
        raise ValidationError({"committees": _("Choose at least one committee.")}, code="committees")
    programme = _lock_programme(programme)
    outside = [c for c in committees if not _in_subtree(c, programme.committee)]
    if outside:
        raise ValidationError(
            {"committees": _("Only the committee and its sub-committees can take part.")}, code="outside"
        )
    added = []
    for committee in committees:
        participant, created = ProgrammeParticipant.objects.get_or_create(programme=programme, committee=committee)
        if created:
            audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=participant)
            added.append(participant)
    return added


@transaction.atomic
def participant_remove(*, participant: ProgrammeParticipant, by: Any = None, request: Any = None) -> None:
    """Take a committee out of a programme, unless it already handed files in for it."""
    _lock_programme(participant.programme)
    if Deliverable.objects.filter(
        milestone__programme_id=participant.programme_id, committee_id=participant.committee_id
    ).exists():
        raise ValidationError(
            _("%(committee)s already handed in files for this programme, so it stays.")
            % {"committee": participant.committee.display_name},
            code="deliverables",
        )
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=participant)
    participant.delete()
