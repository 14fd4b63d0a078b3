"""Plans: imported from an extracted document (with a programme when it has phases), edited, published, deleted."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanwei.changes import set_fields
from orgs import audit
from orgs.models import AuditEvent, Committee
from plans.extraction import ExtractedPlan
from plans.models import (
    Milestone,
    MilestoneKind,
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
                        # A metric chosen from the words is a guess until a person saves the target.
                        wiring_guessed=bool(ext_target.metric),
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
