"""Writes to plans and programmes. Views, the import command and the demo call these."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanwei.changes import set_fields
from guanwei.uploads import FileKind, check_upload, stored_upload
from orgs import audit, tree
from orgs.models import AuditEvent, Committee, MemberUnit
from plans.extraction import ExtractedPlan
from plans.models import (
    Deliverable,
    DeliverableStatus,
    Milestone,
    MilestoneKind,
    OwnerKind,
    Phase,
    Plan,
    PlanSection,
    PlanStatus,
    Programme,
    ProgrammeParticipant,
    Target,
    WorkPoint,
)

# Words in a phase's yearly step that announce a milestone, with its kind.
DELIVERABLE_KINDS = (FileKind.PDF, FileKind.DOCX, FileKind.XLSX, FileKind.IMAGE)
MILESTONE_WORDS = (
    ("中期", MilestoneKind.MID_TERM),
    ("自查", MilestoneKind.SELF_CHECK),
    ("验收", MilestoneKind.ACCEPTANCE),
    ("接受考核", MilestoneKind.ACCEPTANCE),
)


@transaction.atomic
def plan_import(
    *,
    committee: Committee,
    year: int,
    extracted: ExtractedPlan,
    by: Any = None,
    request: Any = None,
    source_file: Any = None,
    source_name: str = "",
) -> Plan:
    """Create a draft plan (and a programme when the document has phases) from an extraction."""
    plan = Plan(
        committee=committee,
        year=year,
        title=(extracted.title or _("%(year)s work plan") % {"year": year})[:300],
        doc_number=extracted.doc_number[:100],
        issuer=extracted.issuer[:200],
        issued_on=extracted.issued_on,
        preamble=extracted.preamble,
        closing=extracted.closing,
        source_text=extracted.source_text,
        source_name=source_name[:200],
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if source_file is not None:
        source_file.seek(0)
        plan.source_file.save(f"plan-{committee.pk}-{year}.docx", source_file, save=False)
    plan.full_clean()
    plan.save()
    targets: list[Target] = []
    for s_pos, ext_section in enumerate(extracted.sections):
        text = ext_section.text
        if ext_section.part and (s_pos == 0 or extracted.sections[s_pos - 1].part != ext_section.part):
            text = "\n".join(filter(None, [ext_section.part, text]))
        section = PlanSection.objects.create(
            plan=plan, position=s_pos, number=ext_section.number[:20], title=ext_section.title[:300], text=text
        )
        for p_pos, ext_point in enumerate(ext_section.points):
            point = WorkPoint.objects.create(
                section=section,
                position=p_pos,
                number=ext_point.number[:20],
                title=ext_point.title[:300],
                text=ext_point.text,
            )
            for t_pos, ext_target in enumerate(ext_point.targets):
                targets.append(
                    Target(
                        work_point=point,
                        position=t_pos,
                        text=ext_target.text,
                        metric=ext_target.metric,
                        params=ext_target.params,
                        comparator=ext_target.comparator,
                        value=ext_target.value,
                        unit=ext_target.unit[:20],
                        period_kind=ext_target.period,
                        scope=ext_target.scope,
                    )
                )
    Target.objects.bulk_create(targets)
    if extracted.phases:
        _programme_from_phases(plan=plan, extracted=extracted)
    audit.record(
        action=AuditEvent.Action.IMPORT,
        user=by,
        request=request,
        obj=plan,
        summary=f"{plan.title}: {len(extracted.sections)} sections, {len(targets)} targets",
    )
    return plan


def _programme_from_phases(*, plan: Plan, extracted: ExtractedPlan) -> Programme:
    programme = Programme.objects.create(
        committee=plan.committee,
        title=plan.title[:300],
        description="\n".join(filter(None, [extracted.schedule_text])),
        plan=plan,
    )
    for position, ext_phase in enumerate(extracted.phases):
        phase = Phase.objects.create(
            programme=programme,
            position=position,
            name=ext_phase.name[:200],
            starts_on=ext_phase.start,
            ends_on=ext_phase.end,
            description=ext_phase.text,
        )
        for step in ext_phase.steps:
            seen = set()
            for word, kind in MILESTONE_WORDS:
                if word in step.text and kind not in seen:
                    seen.add(kind)
                    Milestone.objects.create(
                        programme=programme,
                        phase=phase,
                        kind=kind,
                        title=f"{step.year}年{MilestoneKind(kind).label}"[:200],
                        due_on=date(step.year, 12, 31),
                        description=step.text,
                    )
    ProgrammeParticipant.objects.create(programme=programme, committee=plan.committee)
    return programme


PLAN_FIELDS = ("title", "doc_number", "issuer", "issued_on", "year", "preamble", "closing")


@transaction.atomic
def plan_update(*, plan: Plan, by: Any = None, request: Any = None, **fields: Any) -> Plan:
    changed = set_fields(plan, PLAN_FIELDS, fields)
    if changed:
        plan.full_clean()
        plan.save()
        audit.record_update(plan, changed, user=by, request=request)
    return plan


@transaction.atomic
def plan_publish(*, plan: Plan, by: Any = None, request: Any = None) -> Plan:
    """Publish a draft: from now on the sub-committees see it and the points they own."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.PUBLISHED:
        raise ValidationError(_("This plan is already published."), code="published")
    if not PlanSection.objects.filter(plan=plan).exists():
        raise ValidationError(_("A plan without sections cannot be published."), code="empty")
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    plan.published_by = by if getattr(by, "is_authenticated", False) else None
    plan.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit.record(action=AuditEvent.Action.UPDATE, user=by, request=request, obj=plan, summary=f"{plan}: published")
    return plan


@transaction.atomic
def plan_delete(*, plan: Plan, by: Any = None, request: Any = None) -> None:
    """Delete a draft plan (a published plan stays: committees below rely on it)."""
    if plan.status == PlanStatus.PUBLISHED:
        raise ValidationError(_("A published plan cannot be deleted."), code="published")
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=plan)
    Programme.objects.filter(plan=plan).update(plan=None)
    stored, storage = plan.source_file.name, plan.source_file.storage
    plan.delete()
    if stored:
        # Only once the row is gone for good: a rolled-back delete must keep the original.
        transaction.on_commit(lambda: storage.delete(stored))


TARGET_FIELDS = (
    "text",
    "metric",
    "params",
    "comparator",
    "value",
    "unit",
    "period_kind",
    "period_start",
    "period_end",
    "scope",
    "subtree",
)


def _check_target(target: Target) -> None:
    from metrics.catalogue import METRICS

    if target.metric and target.metric not in METRICS:
        raise ValidationError({"metric": _("Unknown metric.")}, code="metric")
    if target.metric:
        METRICS[target.metric].check_params(target.params or {})
    if target.period_kind == "custom" and target.period_start and target.period_end:
        if target.period_end < target.period_start:
            raise ValidationError({"period_end": _("The end date is before the start date.")}, code="dates")
    target.full_clean()


@transaction.atomic
def target_create(*, work_point: WorkPoint, by: Any = None, request: Any = None, **fields: Any) -> Target:
    target = Target(
        work_point=work_point,
        position=work_point.targets.count(),
        **{k: v for k, v in fields.items() if k in TARGET_FIELDS},
    )
    _check_target(target)
    target.save()
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=target)
    return target


@transaction.atomic
def target_update(*, target: Target, by: Any = None, request: Any = None, **fields: Any) -> Target:
    if fields.get("value") is not None:
        fields["value"] = Decimal(fields["value"])
    changed = set_fields(target, TARGET_FIELDS, fields)
    if changed:
        _check_target(target)
        target.save()
        audit.record_update(target, changed, user=by, request=request, label=f"target {target.pk}")
    return target


@transaction.atomic
def target_delete(*, target: Target, by: Any = None, request: Any = None) -> None:
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=target)
    target.delete()


POINT_FIELDS = ("number", "title", "text")


@transaction.atomic
def work_point_update(*, point: WorkPoint, by: Any = None, request: Any = None, **fields: Any) -> WorkPoint:
    changed = set_fields(point, POINT_FIELDS, fields)
    if changed:
        point.full_clean()
        point.save()
        audit.record(action=AuditEvent.Action.UPDATE, user=by, request=request, obj=point)
    return point


@transaction.atomic
def work_point_assign(
    *,
    point: WorkPoint,
    owner_kind: str,
    member_unit: MemberUnit | None = None,
    committees: list[Committee] | tuple[Committee, ...] = (),
    by: Any = None,
    request: Any = None,
) -> WorkPoint:
    """Say who owns a point: the committee, one of its member units, every or some sub-committees."""
    plan_committee = point.section.plan.committee
    if owner_kind == OwnerKind.MEMBER_UNIT:
        if member_unit is None or member_unit.committee_id != plan_committee.pk:
            raise ValidationError({"member_unit": _("Choose a member unit of this committee.")}, code="member_unit")
    else:
        member_unit = None
    if owner_kind == OwnerKind.ASSIGNED:
        if not committees:
            raise ValidationError({"committees": _("Choose at least one sub-committee.")}, code="committees")
        for c in committees:
            if not tree.contains(plan_committee, c, strict=True):
                raise ValidationError(
                    {"committees": _("Only sub-committees of the plan's committee can own its points.")},
                    code="committees",
                )
    else:
        committees = ()
    point.owner_kind = owner_kind
    point.member_unit = member_unit
    point.save(update_fields=["owner_kind", "member_unit"])
    point.assigned_committees.set(committees)
    audit.record(
        action=AuditEvent.Action.UPDATE,
        user=by,
        request=request,
        obj=point,
        summary=f"point {point.pk}: owner {owner_kind} {', '.join(c.code for c in committees)}",
    )
    return point


# ---------------------------------------------------------------------------
# Programmes


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
