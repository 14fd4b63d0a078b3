"""Rounds, evaluations and their workflow.

draft → submitted → under review → returned (reasons per criterion) → … → finalised.
Every transition locks the evaluation row (`select_for_update`) and checks the
status on the locked row, so a racing double finalise or an edit after
finalisation fails cleanly with a ValidationError. Every score change keeps
who, when, old, new and why (`ScoreChange`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import metric_source, scoring, selectors
from assessments.models import (
    CriterionKind,
    Evaluation,
    EvaluationEvent,
    EvaluationStatus,
    Round,
    Rubric,
    Score,
    ScoreChange,
    ScoreSide,
)
from orgs import audit, tree
from orgs.models import AuditEvent, Committee

S = EvaluationStatus
ROUND_FIELDS = (
    "name",
    "year",
    "self_deadline",
    "review_deadline",
    "balanced_target",
    "notice_start",
    "notice_end",
    "notice_text",
)


def touch_round(round_id: int) -> None:
    """Mark the round's data as changed: cached reports keyed on it go stale."""
    Round.objects.filter(pk=round_id).update(data_changed_at=timezone.now())


# --- rounds ----------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    committee: Committee,
    rubric: Rubric,
    committees: Iterable[Committee],
    by: Any = None,
    request: Any = None,
    **fields: Any,
) -> Round:
    """Open a round: one evaluation, with an empty score per criterion, for each chosen committee."""
    members = list(committees)
    if not members:
        raise ValidationError({"committees": _("Choose at least one committee to assess.")})
    outside = [c for c in members if not tree.contains(committee, c)]
    if outside:
        raise ValidationError(
            {"committees": _("Every assessed committee must belong to the organising committee's tree.")}
        )
    if not rubric.dimensions.filter(criteria__isnull=False).exists():
        raise ValidationError({"rubric": _("This rubric has no criteria yet.")})
    round_ = Round(
        committee=committee, rubric=rubric, created_by=by, **{k: v for k, v in fields.items() if k in ROUND_FIELDS}
    )
    round_.full_clean()
    round_.save()
    criteria = selectors.rubric_criteria(rubric)
    evaluations = Evaluation.objects.bulk_create([Evaluation(round=round_, committee=c) for c in members])
    Score.objects.bulk_create([Score(evaluation=e, criterion=c) for e in evaluations for c in criteria])
    round_prefill_metrics(round_=round_, by=by)
    audit.record(
        action=AuditEvent.Action.CREATE, user=by, request=request, obj=round_, summary=f"{round_}: {len(members)}"
    )
    return round_


@transaction.atomic
def round_update(*, round_: Round, by: Any = None, request: Any = None, **fields: Any) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    for key, value in fields.items():
        if key not in ROUND_FIELDS:
            raise ValueError(f"unknown round field {key}")
        setattr(round_, key, value)
    round_.full_clean()
    round_.data_changed_at = timezone.now()
    round_.save()
    audit.record(action=AuditEvent.Action.UPDATE, user=by, request=request, obj=round_)
    return round_


@transaction.atomic
def notice_publish(
    *, round_: Round, start: date, end: date, text: str = "", by: Any = None, request: Any = None
) -> Round:
    """Put the 公示 list up for its notice period; only a finished round can be published."""
    if not selectors.round_is_finished(round_):
        raise ValidationError(_("The public notice can go up once every evaluation in the round is finalised."))
    if end < start:
        raise ValidationError({"notice_end": _("The notice period must end on or after its first day.")})
    return round_update(round_=round_, by=by, request=request, notice_start=start, notice_end=end, notice_text=text)


# --- helpers ---------------------------------------------------------------


def _lock(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update()
        .select_related("round__rubric", "round__committee", "committee")
        .get(pk=evaluation.pk)
    )


def _require_status(evaluation: Evaluation, allowed: Iterable[str]) -> None:
    if evaluation.status == S.FINALISED:
        raise ValidationError(_("This evaluation is finalised; its scores are locked."), code="locked")
    if evaluation.status not in allowed:
        raise ValidationError(
            _("This cannot be done while the evaluation is “%(status)s”.")
            % {"status": evaluation.get_status_display()},
            code="wrong_status",
        )


def _event(evaluation: Evaluation, old: str, by: Any, note: str = "") -> None:
    EvaluationEvent.objects.create(
        evaluation=evaluation, from_status=old, to_status=evaluation.status, by=by, note=note
    )


def recompute(evaluation: Evaluation) -> Evaluation:
    """Write totals, bonus, grade and gate from the scores (never typed)."""
    self_outcome, review_outcome = selectors.evaluation_outcomes(evaluation)
    reviewed = evaluation.status in (S.UNDER_REVIEW, S.FINALISED) or bool(review_outcome.points)
    effective = review_outcome if reviewed else self_outcome
    evaluation.self_total = self_outcome.total if self_outcome.points else None
    evaluation.review_total = review_outcome.total if review_outcome.points else None
    evaluation.bonus_total = effective.bonus if effective.points else None
    evaluation.grade = effective.band.label if effective.band and effective.points else ""
    evaluation.grade_tone = effective.band.tone if effective.band and effective.points else ""
    evaluation.gate_passed = effective.gate_passed if effective.points else None
    evaluation.save()
    touch_round(evaluation.round_id)
    return evaluation


def parse_points(raw: Any) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw}) from exc
    if not value.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw})
    return value


@dataclass
class Entry:
    """One criterion's input from a scoring form."""

    points: Decimal | None
    comment: str = ""


def _apply(evaluation: Evaluation, side: str, entries: Mapping[int, Entry], reason: str, by: Any) -> list[ScoreChange]:
    rubric = evaluation.round.rubric
    step = rubric.step
    scores = {s.criterion_id: s for s in evaluation.scores.select_related("criterion").select_for_update()}
    errors: dict[str, list[str]] = {}
    changes: list[ScoreChange] = []
    points_field, comment_field = f"{side}_points", f"{side}_comment"
    for criterion_id, entry in entries.items():
        score = scores.get(criterion_id)
        if score is None:
            raise ValidationError(_("This criterion is not part of the evaluation."))
        criterion = score.criterion
        new = entry.points
        if new is not None:
            if new < 0 or new > criterion.max_points:
                errors.setdefault(str(criterion_id), []).append(
                    _("Enter between 0 and %(max)s points.") % {"max": criterion.max_points}
                )
                continue
            new = scoring.clamp_points(selectors.criterion_rule(criterion), new, step)
        old = getattr(score, points_field)
        if old != new:
            # A score someone gave needs a reason to change; the untouched pre-fill from activity data does not
            # (the measured value stays on the page beside the score).
            prefilled = side == ScoreSide.SELF and old == score.metric_points
            if old is not None and not prefilled and not reason.strip():
                errors.setdefault(str(criterion_id), []).append(_("Say why you change a score that was already given."))
                continue
            changes.append(ScoreChange(score=score, side=side, old_points=old, new_points=new, reason=reason, by=by))
            setattr(score, points_field, new)
        setattr(score, comment_field, entry.comment)
        score.save()
    if errors:
        raise ValidationError(errors)
    ScoreChange.objects.bulk_create(changes)
    return changes


# --- self-assessment -------------------------------------------------------


@transaction.atomic
def evaluation_self_score(
    *, evaluation: Evaluation, entries: Mapping[int, Entry], by: Any, reason: str = "", request: Any = None
) -> Evaluation:
    """Secretaries (EDIT on the committee) score their own committee while it is a draft or returned."""
    evaluation = _lock(evaluation)
    if not selectors.may_self_assess(by, evaluation):
        raise PermissionDenied
    _require_status(evaluation, (S.DRAFT, S.RETURNED))
    changes = _apply(evaluation, ScoreSide.SELF, entries, reason, by)
    recompute(evaluation)
    if changes:
        audit.record(
            action=AuditEvent.Action.UPDATE,
            user=by,
            request=request,
            obj=evaluation,
            summary=f"{evaluation}: {len(changes)} self-score(s)",
        )
    return evaluation


def _measured(score: Score, value: Decimal, step: Decimal, by: Any, now: Any) -> ScoreChange | None:
    """Store a measured value on a score; pre-fill the self-score unless someone changed it by hand."""
    points = scoring.metric_points(selectors.criterion_rule(score.criterion), value, step)
    change = None
    untouched = score.self_points is None or score.self_points == score.metric_points
    if untouched and score.self_points != points:
        change = ScoreChange(
            score=score,
            side=ScoreSide.SELF,
            old_points=score.self_points,
            new_points=points,
            reason=_("Pre-filled from activity data (%(value)s)") % {"value": value.normalize()},
            by=by,
        )
        score.self_points = points
    score.metric_value, score.metric_points, score.metric_at = value, points, now
    score.save()
    return change


@transaction.atomic
def evaluation_prefill_metrics(*, evaluation: Evaluation, by: Any = None, request: Any = None) -> int:
    """Measure metric criteria from activity data; pre-fill self-scores nobody has changed by hand.

    Returns how many criteria were measured.
    """
    evaluation = _lock(evaluation)
    if evaluation.status not in (S.DRAFT, S.RETURNED):
        return 0
    step = evaluation.round.rubric.step
    now = timezone.now()
    measured = 0
    changes = []
    for score in evaluation.scores.select_related("criterion").filter(criterion__kind=CriterionKind.METRIC):
        value = metric_source.measure(score.criterion, evaluation.committee, evaluation.round)
        if value is None:
            continue
        measured += 1
        change = _measured(score, value, step, by, now)
        if change is not None:
            changes.append(change)
    ScoreChange.objects.bulk_create(changes)
    if measured:
        recompute(evaluation)
    return measured


def round_prefill_metrics(*, round_: Round, by: Any = None) -> int:
    """Pre-fill every open evaluation of a round: one engine call per metric criterion, for all committees."""
    evaluations = list(
        round_.evaluations.select_related("committee").filter(status__in=[S.DRAFT, S.RETURNED]).select_for_update()
    )
    if not evaluations:
        return 0
    committees = [e.committee for e in evaluations]
    step = round_.rubric.step
    now = timezone.now()
    changes = []
    touched: set[int] = set()
    for criterion in selectors.rubric_criteria(round_.rubric):
        if criterion.kind != CriterionKind.METRIC:
            continue
        values = metric_source.measure_many(criterion, committees, round_)
        if not values:
            continue
        by_committee = {e.pk: e.committee_id for e in evaluations}
        for score in Score.objects.filter(evaluation__in=evaluations, criterion=criterion).select_related("criterion"):
            value = values.get(by_committee[score.evaluation_id])
            if value is None:
                continue
            change = _measured(score, value, step, by, now)
            touched.add(score.evaluation_id)
            if change is not None:
                changes.append(change)
    ScoreChange.objects.bulk_create(changes)
    for evaluation in evaluations:
        if evaluation.pk in touched:
            recompute(evaluation)
    return len(touched)


@transaction.atomic
def evaluation_submit(*, evaluation: Evaluation, by: Any, request: Any = None) -> Evaluation:
    evaluation = _lock(evaluation)
    if not selectors.may_self_assess(by, evaluation):
        raise PermissionDenied
    _require_status(evaluation, (S.DRAFT, S.RETURNED))
    today = timezone.localdate()
    deadline = evaluation.round.self_deadline if evaluation.status == S.DRAFT else evaluation.round.review_deadline
    if today > deadline:
        raise ValidationError(
            _("The deadline (%(date)s) has passed. Please ask the committee office to extend it.")
            % {"date": deadline.isoformat()},
            code="deadline",
        )
    missing = [
        str(s.criterion)
        for s in evaluation.scores.select_related("criterion").order_by(
            "criterion__dimension__order", "criterion__order"
        )
        if s.criterion.counts_in_base and s.self_points is None
    ]
    if missing:
        raise ValidationError(
            _("Score every criterion before submitting. Not yet scored: %(list)s") % {"list": "；".join(missing)},
            code="incomplete",
        )
    old = evaluation.status
    evaluation.status = S.SUBMITTED
    evaluation.submitted_at = timezone.now()
    evaluation.save()
    _event(evaluation, old, by)
    recompute(evaluation)
    audit.record(
        action=AuditEvent.Action.UPDATE, user=by, request=request, obj=evaluation, summary=f"{evaluation}: submitted"
    )
    return evaluation


# --- review ----------------------------------------------------------------


def _require_reviewer(by: Any, evaluation: Evaluation) -> None:
    if not selectors.may_review(by, evaluation):
        raise PermissionDenied


@transaction.atomic
def evaluation_start_review(*, evaluation: Evaluation, by: Any, request: Any = None) -> Evaluation:
    evaluation = _lock(evaluation)
    _require_reviewer(by, evaluation)
    _require_status(evaluation, (S.SUBMITTED,))
    evaluation.status = S.UNDER_REVIEW
    evaluation.save()
    _event(evaluation, S.SUBMITTED, by)
    audit.record(
        action=AuditEvent.Action.UPDATE,
        user=by,
        request=request,
        obj=evaluation,
        summary=f"{evaluation}: review started",
    )
    return evaluation


@transaction.atomic
def evaluation_review_score(
    *, evaluation: Evaluation, entries: Mapping[int, Entry], by: Any, reason: str = "", request: Any = None
) -> Evaluation:
    """Assigned reviewers (or the round's managers) score beside the self-score."""
    evaluation = _lock(evaluation)
    _require_reviewer(by, evaluation)
    _require_status(evaluation, (S.SUBMITTED, S.UNDER_REVIEW))
    if evaluation.status == S.SUBMITTED:
        evaluation.status = S.UNDER_REVIEW
        evaluation.save()
        _event(evaluation, S.SUBMITTED, by)
    changes = _apply(evaluation, ScoreSide.REVIEW, entries, reason, by)
    recompute(evaluation)
    if changes:
        audit.record(
            action=AuditEvent.Action.UPDATE,
            user=by,
            request=request,
            obj=evaluation,
            summary=f"{evaluation}: {len(changes)} review score(s)",
        )
    return evaluation


@transaction.atomic
def evaluation_return(
    *, evaluation: Evaluation, by: Any, reasons: Mapping[int, str], request: Any = None
) -> Evaluation:
    """Send back to the committee with a reason on one or more criteria."""
    evaluation = _lock(evaluation)
    _require_reviewer(by, evaluation)
    _require_status(evaluation, (S.SUBMITTED, S.UNDER_REVIEW))
    reasons = {cid: text.strip() for cid, text in reasons.items() if text and text.strip()}
    if not reasons:
        raise ValidationError(_("Give a reason on at least one criterion."), code="no_reason")
    scores = {s.criterion_id: s for s in evaluation.scores.select_for_update()}
    if set(reasons) - set(scores):
        raise ValidationError(_("This criterion is not part of the evaluation."))
    for cid, score in scores.items():
        score.return_reason = reasons.get(cid, "")
        score.save(update_fields=["return_reason"])
    old = evaluation.status
    evaluation.status = S.RETURNED
    evaluation.save()
    _event(evaluation, old, by, note="\n".join(f"{scores[c].criterion}: {t}" for c, t in reasons.items()))
    touch_round(evaluation.round_id)
    audit.record(
        action=AuditEvent.Action.UPDATE, user=by, request=request, obj=evaluation, summary=f"{evaluation}: returned"
    )
    return evaluation


@transaction.atomic
def evaluation_finalise(*, evaluation: Evaluation, by: Any, request: Any = None) -> Evaluation:
    """Lock the scores; the total, grade and gate come from the reviewer's scores."""
    evaluation = _lock(evaluation)
    _require_reviewer(by, evaluation)
    _require_status(evaluation, (S.SUBMITTED, S.UNDER_REVIEW))
    missing = [str(c) for c in selectors.missing_review_scores(evaluation)]
    if missing:
        raise ValidationError(
            _("Give a review score on every criterion first. Not yet scored: %(list)s") % {"list": "；".join(missing)},
            code="incomplete",
        )
    old = evaluation.status
    evaluation.status = S.FINALISED
    evaluation.finalised_at = timezone.now()
    evaluation.finalised_by = by
    evaluation.scores.update(return_reason="")
    _event(evaluation, old, by)
    recompute(evaluation)
    audit.record(
        action=AuditEvent.Action.UPDATE,
        user=by,
        request=request,
        obj=evaluation,
        summary=f"{evaluation}: finalised {evaluation.review_total} {evaluation.grade}",
    )
    return evaluation
