"""Reads for assessments, always starting from the user's scope.

Who sees an evaluation:
- secretaries, leaders and admins whose grant covers its committee
  (EDIT, APPROVE or MANAGE there, through `orgs.scoping`);
- reviewers only when the evaluation is assigned to them, directly or through
  a panel (考核小组): a reviewer grant alone shows nothing, however wide.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest

from assessments import scoring
from assessments.models import (
    Criterion,
    Dimension,
    Evaluation,
    EvaluationStatus,
    Evidence,
    Objection,
    ReportJob,
    ReviewAssignment,
    ReviewPanel,
    Round,
    Rubric,
    Score,
)
from orgs import tree
from orgs.models import Committee
from orgs.scoping import Perm, can, can_anywhere, is_system_admin, not_found, scope_q, scoped

# --- rubrics ---------------------------------------------------------------


def rubrics_for(user: Any, perm: Perm = Perm.MANAGE) -> QuerySet[Rubric]:
    return scoped(user, Rubric.objects.select_related("owner"), perm, via="owner")


def rubric_tree(rubric: Rubric) -> list[Dimension]:
    """Dimensions with their criteria, two queries."""
    return list(
        rubric.dimensions.prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id")))
    )


def rubric_criteria(rubric: Rubric) -> list[Criterion]:
    return list(
        Criterion.objects.filter(dimension__rubric=rubric)
        .select_related("dimension")
        .order_by("dimension__order", "dimension_id", "order", "id")
    )


def rubric_in_use(rubric: Rubric) -> bool:
    return rubric.rounds.exists()


def rubric_versions(rubric: Rubric) -> QuerySet[Rubric]:
    return Rubric.objects.filter(family=rubric.family).order_by("-version")


def rubric_rules(rubric: Rubric, criteria: list[Criterion] | None = None) -> tuple[scoring.RubricRules, list]:
    """The rubric as plain data for `assessments.scoring`."""
    criteria = rubric_criteria(rubric) if criteria is None else criteria
    gate = None
    if rubric.gate_label:
        gate = scoring.Gate(label=rubric.gate_label, min_total=rubric.gate_min_total, key_full=rubric.gate_key_full)
    rules = scoring.RubricRules(
        step=rubric.step,
        bands=tuple(scoring.Band(b.label, b.min_total, b.tone) for b in rubric.bands.all()),
        bonus_cap=rubric.bonus_cap,
        gate=gate,
    )
    return rules, [criterion_rule(c) for c in criteria]


def criterion_rule(c: Criterion) -> scoring.CriterionRule:
    return scoring.CriterionRule(
        id=c.pk,
        kind=c.kind,
        max_points=c.max_points,
        is_key=c.is_key,
        full_at=c.full_at,
        step_points=c.step_points,
        step_unit=c.step_unit,
    )


def rubric_base_total(rubric: Rubric) -> Decimal:
    return sum((c.max_points for c in rubric_criteria(rubric) if c.counts_in_base), Decimal("0"))


# --- rounds ----------------------------------------------------------------


def rounds_for(user: Any) -> QuerySet[Round]:
    """Rounds the user manages or leads (MANAGE or APPROVE on the organising committee)."""
    qs = Round.objects.select_related("committee", "rubric")
    if is_system_admin(user):
        return qs
    return qs.filter(scope_q(user, Perm.MANAGE) | scope_q(user, Perm.APPROVE))


def may_manage_round(user: Any, round_: Round) -> bool:
    return can(user, Perm.MANAGE, round_.committee)


def may_view_results(user: Any, round_: Round) -> bool:
    return can(user, Perm.APPROVE, round_.committee) or can(user, Perm.MANAGE, round_.committee)


def round_evaluations(round_: Round, within: Committee | None = None) -> QuerySet[Evaluation]:
    qs = round_.evaluations.select_related("committee").order_by("committee__path")
    if within is not None:
        qs = qs.filter(tree.subtree_q(within, "committee"))
    return qs


def round_status_counts(round_: Round) -> dict[str, int]:
    rows = round_.evaluations.values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def round_is_finished(round_: Round) -> bool:
    return not round_.evaluations.exclude(status=EvaluationStatus.FINALISED).exists()


def round_panels(round_: Round) -> QuerySet[ReviewPanel]:
    return round_.panels.prefetch_related("members").select_related("grouping")


def round_assignments(round_: Round) -> dict[int, list[str]]:
    """evaluation id → names of its reviewers and panels."""
    names: dict[int, list[str]] = {}
    rows = ReviewAssignment.objects.filter(evaluation__round=round_).select_related("user", "panel")
    for a in rows:
        label = a.panel.name if a.panel_id else (a.user.get_full_name() or a.user.get_username())
        names.setdefault(a.evaluation_id, []).append(label)
    return names


def round_assignment_list(round_: Round) -> QuerySet[ReviewAssignment]:
    """The round's assignments with their evaluation, reviewer or panel, in the tree's order."""
    return (
        ReviewAssignment.objects.filter(evaluation__round=round_)
        .select_related("evaluation__committee", "user", "panel")
        .order_by("evaluation__committee__path", "created_at", "pk")
    )


def get_assignment_for_user(user: Any, pk: int, request: HttpRequest | None = None) -> ReviewAssignment:
    """An assignment on an evaluation the user may see; 404 (audited) otherwise, exactly like a missing one."""
    assignment = (
        ReviewAssignment.objects.select_related(
            "evaluation__round__committee", "evaluation__committee", "user", "panel"
        )
        .filter(pk=pk, evaluation__in=evaluations_for(user).values("pk"))
        .first()
    )
    if assignment is None:
        raise not_found(user, request, "assessments.reviewassignment", pk)
    return assignment


def round_objections(round_: Round) -> QuerySet[Objection]:
    return round_.objections.select_related("evaluation__committee")


def rounds_with_notice_for(user: Any) -> QuerySet[Round]:
    """Rounds whose 公示 list the user may read: those they run, lead, or take part in."""
    visible = evaluations_for(user).values("round_id")
    return Round.objects.filter(Q(pk__in=rounds_for(user).values("pk")) | Q(pk__in=visible))


# --- evaluations -----------------------------------------------------------


def assigned_q(user: Any) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    ids = ReviewAssignment.objects.filter(Q(user=user) | Q(panel__members=user)).values("evaluation_id")
    return Q(pk__in=ids)


def evaluations_for(user: Any) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.select_related("committee", "round", "round__rubric", "round__committee")
    if is_system_admin(user):
        return qs
    return qs.filter(
        scope_q(user, Perm.EDIT) | scope_q(user, Perm.APPROVE) | scope_q(user, Perm.MANAGE) | assigned_q(user)
    )


def evaluations_to_review(user: Any) -> QuerySet[Evaluation]:
    return Evaluation.objects.select_related("committee", "round").filter(assigned_q(user))


def evaluations_to_fill(user: Any) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.select_related("committee", "round")
        .filter(scope_q(user, Perm.EDIT) if not is_system_admin(user) else Q(pk__in=[]))
        .filter(status__in=[EvaluationStatus.DRAFT, EvaluationStatus.RETURNED])
    )


def get_evaluation_for_user(user: Any, pk: int, request: HttpRequest | None = None) -> Evaluation:
    """One evaluation the user may see; 404 (audited) otherwise, exactly like a missing one."""
    evaluation = evaluations_for(user).filter(pk=pk).first()
    if evaluation is None:
        raise not_found(user, request, "assessments.evaluation", pk)
    return evaluation


def is_assigned(user: Any, evaluation: Evaluation) -> bool:
    if not user.is_authenticated:
        return False
    return ReviewAssignment.objects.filter(Q(user=user) | Q(panel__members=user), evaluation_id=evaluation.pk).exists()


def may_self_assess(user: Any, evaluation: Evaluation) -> bool:
    return can(user, Perm.EDIT, evaluation.committee)


def may_review(user: Any, evaluation: Evaluation) -> bool:
    return is_assigned(user, evaluation) or can(user, Perm.MANAGE, evaluation.round.committee)


def may_use_assessments(user: Any) -> bool:
    return can_anywhere(user, Perm.VIEW) or ReviewAssignment.objects.filter(assigned_q(user)).exists()


@dataclass
class Line:
    """A criterion row on the evaluation page, report and exports."""

    criterion: Criterion
    score: Score
    evidence: list[Evidence]
    self_points: Decimal | None
    review_points: Decimal | None


def evaluation_lines(evaluation: Evaluation) -> list[tuple[Dimension, list[Line]]]:
    """Criteria grouped by dimension with scores and evidence, in three queries."""
    scores = (
        Score.objects.filter(evaluation=evaluation)
        .select_related("criterion__dimension")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id")))
        .order_by("criterion__dimension__order", "criterion__dimension_id", "criterion__order", "criterion_id")
    )
    groups: dict[int, tuple[Dimension, list[Line]]] = {}
    for s in scores:
        dim = s.criterion.dimension
        groups.setdefault(dim.pk, (dim, []))[1].append(
            Line(s.criterion, s, list(s.evidence.all()), s.self_points, s.review_points)
        )
    return list(groups.values())


def missing_review_scores(evaluation: Evaluation, lines: list | None = None) -> list[Criterion]:
    """Criteria that count in the base total and have no review score yet: finalising waits for them.

    `lines` (from evaluation_lines) saves the query on a page that already has them.
    """
    if lines is not None:
        return [
            line.criterion
            for _dimension, rows in lines
            for line in rows
            if line.criterion.counts_in_base and line.review_points is None
        ]
    scores = (
        evaluation.scores.filter(review_points__isnull=True)
        .select_related("criterion")
        .order_by("criterion__dimension__order", "criterion__dimension_id", "criterion__order", "criterion_id")
    )
    return [s.criterion for s in scores if s.criterion.counts_in_base]


def evaluation_outcomes(evaluation: Evaluation) -> tuple[scoring.Outcome, scoring.Outcome]:
    """(self outcome, review outcome) computed from the stored scores."""
    rubric = evaluation.round.rubric
    rules, criteria = rubric_rules(rubric)
    rows = list(evaluation.scores.values_list("criterion_id", "self_points", "review_points"))
    self_scores = {cid: sp for cid, sp, _ in rows}
    review_scores = {cid: rp for cid, _, rp in rows}
    return scoring.evaluate(rules, criteria, self_scores), scoring.evaluate(rules, criteria, review_scores)


def evaluation_evidence(evaluation: Evaluation) -> QuerySet[Evidence]:
    return Evidence.objects.filter(score__evaluation=evaluation).select_related("score__criterion__dimension")


def evaluation_changes(evaluation: Evaluation, limit: int = 200) -> QuerySet:
    from assessments.models import ScoreChange

    return (
        ScoreChange.objects.filter(score__evaluation=evaluation)
        .select_related("score__criterion", "by")
        .order_by("-at", "-id")[:limit]
    )


def evaluation_events(evaluation: Evaluation) -> QuerySet:
    return evaluation.events.select_related("by")


# --- results ---------------------------------------------------------------


@dataclass
class Results:
    ranking: list[Evaluation]
    distribution: list[tuple[str, str, int]]  # (grade, tone, count)
    finalised: int
    total: int
    gate_label: str
    gate_reached: int
    gate_share: Decimal | None  # percent of finalised evaluations reaching the gate
    target: Decimal | None

    @property
    def target_met(self) -> bool | None:
        if self.target is None or self.gate_share is None:
            return None
        return self.gate_share >= self.target


def round_results(round_: Round, within: Committee | None = None) -> Results:
    """Ranking by final total, grade distribution and the share reaching the gate; a fixed number of queries."""
    evaluations = list(round_evaluations(round_, within))
    finalised = [e for e in evaluations if e.status == EvaluationStatus.FINALISED]
    ranking = sorted(finalised, key=lambda e: (-(e.review_total or 0), e.committee.code))
    counts = Counter(e.grade for e in finalised)
    bands = list(round_.rubric.bands.all())
    distribution = [(b.label, b.tone, counts.get(b.label, 0)) for b in bands]
    ungraded = counts.get("", 0)
    if ungraded:
        distribution.append(("—", "", ungraded))
    reached = sum(1 for e in finalised if e.gate_passed)
    share = (Decimal(reached * 100) / len(finalised)).quantize(Decimal("0.1")) if finalised else None
    return Results(
        ranking=ranking,
        distribution=distribution,
        finalised=len(finalised),
        total=len(evaluations),
        gate_label=round_.rubric.gate_label,
        gate_reached=reached,
        gate_share=share if round_.rubric.gate_label else None,
        target=round_.balanced_target,
    )


def latest_report_job(round_: Round, committee: Committee) -> ReportJob | None:
    return ReportJob.objects.filter(round=round_, committee=committee).first()
