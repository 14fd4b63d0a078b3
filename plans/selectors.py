"""Reads of plans and programmes, always starting from the user's scope.

Visibility: a plan is seen by its committee's subtree (drafts included) and,
once published, by the committees below it (`ancestor_scope_q`). Those lower
committees see only the points they own: points for every sub-committee, and
points assigned to their committee (or to a committee above them, below the
plan's committee).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest

from orgs import tree
from orgs.models import Committee, MemberUnit
from orgs.scoping import (
    Perm,
    ancestor_scope_q,
    can,
    committees_for,
    deny,
    is_system_admin,
    not_found,
    scope_q,
    scoped,
)
from plans.models import (
    Deliverable,
    Milestone,
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


def _not_found(user: Any, request: HttpRequest | None, model: type, pk: Any) -> None:
    raise not_found(user, request, model, pk)


def plans_for(user: Any) -> QuerySet[Plan]:
    if is_system_admin(user):
        return Plan.objects.select_related("committee")
    own = scope_q(user, Perm.VIEW, via="committee")
    from_above = Q(status=PlanStatus.PUBLISHED) & ancestor_scope_q(user, via="committee")
    return Plan.objects.filter(own | from_above).select_related("committee")


def get_plan(user: Any, pk: int, *, perm: Perm = Perm.VIEW, request: HttpRequest | None = None) -> Plan:
    """A plan the user may see (404 otherwise, audited); 403 without `perm` on its committee."""
    plan = plans_for(user).filter(pk=pk).first()
    if plan is None:
        _not_found(user, request, Plan, pk)
    if perm != Perm.VIEW and not can(user, perm, plan.committee):
        deny(user, request, Plan, pk, f"lacks {perm}")
    return plan


def can_publish(user: Any, plan: Plan) -> bool:
    """Secretaries (EDIT) and leaders (APPROVE) of the plan's committee may publish it."""
    return can(user, Perm.EDIT, plan.committee) or can(user, Perm.APPROVE, plan.committee)


def sees_whole_plan(user: Any, plan: Plan) -> bool:
    return can(user, Perm.VIEW, plan.committee)


def _points_meant_for_q(user: Any) -> Q:
    """The points of a plan from above that a lower committee sees: for every sub-committee, or assigned to it."""
    return Q(owner_kind=OwnerKind.EACH_SUBCOMMITTEE) | (
        Q(owner_kind=OwnerKind.ASSIGNED)
        & (
            Q(pk__in=scoped(user, WorkPoint.objects.all(), via="assigned_committees").values("pk"))
            | Q(pk__in=WorkPoint.objects.filter(ancestor_scope_q(user, via="assigned_committees")).values("pk"))
        )
    )


def visible_points(user: Any, plan: Plan) -> QuerySet[WorkPoint]:
    """The points of one plan the user sees on its page."""
    qs = WorkPoint.objects.filter(section__plan=plan)
    if not sees_whole_plan(user, plan):
        qs = qs.filter(_points_meant_for_q(user))
    return qs


def points_for(user: Any) -> QuerySet[WorkPoint]:
    """Every work point the user sees on the plan pages: visible_points over all the plans they see.

    The activity form, the API and the activity page offer, accept and show only these.
    """
    qs = WorkPoint.objects.filter(section__plan__in=plans_for(user).values("pk"))
    if is_system_admin(user):
        return qs
    return qs.filter(scope_q(user, Perm.VIEW, via="section__plan__committee") | _points_meant_for_q(user))


def plan_sections(user: Any, plan: Plan) -> list[PlanSection]:
    """Sections with the points the user may see (sections left empty are dropped for lower committees)."""
    points = (
        visible_points(user, plan)
        .select_related("member_unit")
        .prefetch_related(
            Prefetch("assigned_committees", queryset=Committee.objects.order_by("code")),
            Prefetch("targets", queryset=Target.objects.order_by("position", "id")),
        )
        .order_by("position", "id")
    )
    sections = list(
        PlanSection.objects.filter(plan=plan)
        .order_by("position", "id")
        .prefetch_related(Prefetch("points", queryset=points, to_attr="visible_points"))
    )
    if not sees_whole_plan(user, plan):
        sections = [s for s in sections if s.visible_points]
    return sections


def get_point(user: Any, pk: int, *, perm: Perm = Perm.VIEW, request: HttpRequest | None = None) -> WorkPoint:
    point = WorkPoint.objects.select_related("section__plan__committee").filter(pk=pk).first()
    if point is None:
        _not_found(user, request, WorkPoint, pk)
    plan = get_plan(user, point.section.plan_id, request=request)
    if not visible_points(user, plan).filter(pk=pk).exists():
        _not_found(user, request, WorkPoint, pk)
    if perm != Perm.VIEW and not can(user, perm, plan.committee):
        deny(user, request, WorkPoint, pk, f"lacks {perm}")
    return point


def get_target(user: Any, pk: int, *, perm: Perm = Perm.VIEW, request: HttpRequest | None = None) -> Target:
    target = (
        Target.objects.select_related("work_point__section__plan__committee", "work_point__member_unit")
        .prefetch_related("work_point__assigned_committees")
        .filter(pk=pk)
        .first()
    )
    if target is None:
        _not_found(user, request, Target, pk)
    plan = get_plan(user, target.work_point.section.plan_id, request=request)
    if not visible_points(user, plan).filter(pk=target.work_point_id).exists():
        _not_found(user, request, Target, pk)
    if perm != Perm.VIEW and not can(user, perm, plan.committee):
        deny(user, request, Target, pk, f"lacks {perm}")
    return target


def sub_committees(committee: Committee) -> list[Committee]:
    return list(Committee.objects.filter(parent=committee).order_by("code"))


def descendants(committee: Committee) -> QuerySet[Committee]:
    return Committee.objects.filter(tree.subtree_q(committee, "", include_self=False)).order_by("path")


def member_units_of(committee: Committee) -> QuerySet[MemberUnit]:
    return MemberUnit.objects.filter(committee=committee).order_by("name")


def editable_committees(user: Any) -> QuerySet[Committee]:
    return committees_for(user, Perm.EDIT).order_by("path")


def plan_years(user: Any) -> list[int]:
    return sorted(set(plans_for(user).values_list("year", flat=True)), reverse=True)


# ---------------------------------------------------------------------------
# Programmes


def programmes_for(user: Any) -> QuerySet[Programme]:
    if is_system_admin(user):
        return Programme.objects.select_related("committee")
    own = scope_q(user, Perm.VIEW, via="committee")
    return Programme.objects.filter(own | ancestor_scope_q(user, via="committee")).select_related("committee")


def get_programme(user: Any, pk: int, *, request: HttpRequest | None = None) -> Programme:
    programme = programmes_for(user).filter(pk=pk).first()
    if programme is None:
        _not_found(user, request, Programme, pk)
    return programme


def programme_phases(programme: Programme) -> list[Phase]:
    return list(Phase.objects.filter(programme=programme).order_by("starts_on", "position", "id"))


def programme_milestones(programme: Programme) -> list[Milestone]:
    return list(Milestone.objects.filter(programme=programme).select_related("phase").order_by("due_on", "id"))


def programme_participants(user: Any, programme: Programme) -> list[ProgrammeParticipant]:
    """Participants the user may see: all for the programme's own subtree, else their own committees."""
    qs = ProgrammeParticipant.objects.filter(programme=programme).select_related("committee")
    if not can(user, Perm.VIEW, programme.committee):
        qs = scoped(user, qs, via="committee")
    return list(qs.order_by("committee__path"))


def programme_deliverables(user: Any, programme: Programme) -> list[Deliverable]:
    qs = Deliverable.objects.filter(milestone__programme=programme).select_related("committee", "milestone")
    if not can(user, Perm.VIEW, programme.committee):
        qs = scoped(user, qs, via="committee")
    return list(qs.order_by("milestone__due_on", "committee__path", "-uploaded_at"))


def get_milestone(user: Any, pk: int, *, request: HttpRequest | None = None) -> Milestone:
    milestone = Milestone.objects.select_related("programme__committee").filter(pk=pk).first()
    if milestone is None:
        _not_found(user, request, Milestone, pk)
    get_programme(user, milestone.programme_id, request=request)
    return milestone


def get_deliverable(user: Any, pk: int, *, request: HttpRequest | None = None) -> Deliverable:
    """A deliverable of a committee in the user's scope, or of a programme the user's subtree runs."""
    deliverable = (
        Deliverable.objects.select_related("committee", "milestone__programme__committee").filter(pk=pk).first()
    )
    if deliverable is None:
        _not_found(user, request, Deliverable, pk)
    if not (
        can(user, Perm.VIEW, deliverable.committee) or can(user, Perm.VIEW, deliverable.milestone.programme.committee)
    ):
        _not_found(user, request, Deliverable, pk)
    return deliverable


def get_participant(user: Any, pk: int, *, request: HttpRequest | None = None) -> ProgrammeParticipant:
    participant = ProgrammeParticipant.objects.select_related("committee", "programme__committee").filter(pk=pk).first()
    if participant is None or not (
        can(user, Perm.VIEW, participant.committee) or can(user, Perm.VIEW, participant.programme.committee)
    ):
        _not_found(user, request, ProgrammeParticipant, pk)
    return participant


def can_review_programme(user: Any, programme: Programme) -> bool:
    """Leaders and reviewers of the programme's committee accept or return deliverables."""
    return can(user, Perm.APPROVE, programme.committee) or can(user, Perm.REVIEW, programme.committee)


def upload_committees(user: Any, programme: Programme) -> QuerySet[Committee]:
    """Participating committees the user may hand files in for."""
    ids = ProgrammeParticipant.objects.filter(programme=programme).values("committee_id")
    return committees_for(user, Perm.EDIT).filter(pk__in=ids).order_by("path")


def get_programme_to_edit(user: Any, pk: int, *, request: HttpRequest | None = None) -> Programme:
    """A programme the user may see (404 otherwise) and change: EDIT on its committee (403 otherwise)."""
    programme = get_programme(user, pk, request=request)
    if not can(user, Perm.EDIT, programme.committee):
        deny(user, request, Programme, pk, f"lacks {Perm.EDIT}")
    return programme


def _part_of_programme_to_edit(user: Any, queryset: QuerySet, pk: int, request: HttpRequest | None) -> Any:
    """A phase, milestone or participant of a programme the user may change (404 / 403 as for the programme)."""
    obj = queryset.select_related("programme__committee").filter(pk=pk).first()
    if obj is None:
        _not_found(user, request, queryset.model, pk)
    get_programme(user, obj.programme_id, request=request)
    if not can(user, Perm.EDIT, obj.programme.committee):
        deny(user, request, queryset.model, pk, f"lacks {Perm.EDIT}")
    return obj


def get_phase_to_edit(user: Any, pk: int, *, request: HttpRequest | None = None) -> Phase:
    return _part_of_programme_to_edit(user, Phase.objects.all(), pk, request)


def get_milestone_to_edit(user: Any, pk: int, *, request: HttpRequest | None = None) -> Milestone:
    return _part_of_programme_to_edit(user, Milestone.objects.all(), pk, request)


def get_participant_to_edit(user: Any, pk: int, *, request: HttpRequest | None = None) -> ProgrammeParticipant:
    return _part_of_programme_to_edit(user, ProgrammeParticipant.objects.select_related("committee"), pk, request)


def phases_to_choose(programme: Programme) -> QuerySet[Phase]:
    """The programme's phases, for a milestone's choice of phase."""
    return Phase.objects.filter(programme=programme).order_by("starts_on", "position", "id")


def programme_milestones_with_counts(programme: Programme) -> list[Milestone]:
    """Milestones with `deliverable_count` (one that has deliverables is not deleted)."""
    return list(
        Milestone.objects.filter(programme=programme)
        .select_related("phase")
        .annotate(deliverable_count=Count("deliverables"))
        .order_by("due_on", "id")
    )


def programme_participants_with_counts(programme: Programme) -> list[ProgrammeParticipant]:
    """Every participant with `deliverable_count`, the files its committee handed in for the programme."""
    participants = list(
        ProgrammeParticipant.objects.filter(programme=programme).select_related("committee").order_by("committee__path")
    )
    counts = dict(
        Deliverable.objects.filter(milestone__programme=programme)
        .order_by()
        .values("committee_id")
        .annotate(n=Count("id"))
        .values_list("committee_id", "n")
    )
    for p in participants:
        p.deliverable_count = counts.get(p.committee_id, 0)
    return participants


def participant_candidates(user: Any, programme: Programme) -> QuerySet[Committee]:
    """Committees the user may add to a programme: its committee's subtree, in the user's EDIT scope,
    not taking part yet."""
    owner = programme.committee
    return (
        committees_for(user, Perm.EDIT)
        .filter(tree.subtree_q(owner, ""))
        .exclude(pk__in=ProgrammeParticipant.objects.filter(programme=programme).values("committee_id"))
        .order_by("path")
    )


def plans_to_link(user: Any) -> QuerySet[Plan]:
    """Plans of committees the user may edit, which a new programme may name as its source."""
    return (
        scoped(user, Plan.objects.all(), Perm.EDIT, via="committee")
        .select_related("committee")
        .order_by("-year", "committee__path", "id")
    )


def plan_programmes(plan: Plan) -> list[Programme]:
    return list(Programme.objects.filter(plan=plan).order_by("id"))


def activity_kind_choices() -> list[tuple[str, str]]:
    from activities.models import ActivityKind

    return list(ActivityKind.objects.order_by("sort_order", "id").values_list("code", "name"))


def targets_to_review(plan: Plan) -> list[Target]:
    """Every target of a plan for its review: those whose metric was guessed on reading first, then the
    rest, each group in the order of the plan."""
    return list(
        Target.objects.filter(work_point__section__plan=plan)
        .select_related("work_point__section")
        .order_by(
            "-wiring_guessed",
            "work_point__section__position",
            "work_point__section_id",
            "work_point__position",
            "work_point_id",
            "position",
            "id",
        )
    )
