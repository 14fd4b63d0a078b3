"""The seam between criteria and the metric engine (`metrics`).

Every measurement comes from `metrics.engine`; this module only turns a
criterion and a round into the engine's arguments. `gate_evaluations` is the
other way round: the records of `gate_reached`, which the engine reads through
`metrics.records` (registered in `AssessmentsConfig.ready`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from assessments.models import Criterion, CriterionKind, Evaluation, EvaluationStatus, Round
from metrics import engine
from metrics.catalogue import METRICS
from metrics.periods import Period
from metrics.records import CountedRecord, counted
from orgs.models import Committee


def metric_choices() -> list[tuple[str, str]]:
    return [(code, str(getattr(defn, "label", code))) for code, defn in METRICS.items()]


def round_period(round_: Round) -> Any:
    return Period.year(round_.year)


def is_measurable(criterion: Criterion) -> bool:
    return criterion.kind == CriterionKind.METRIC and bool(criterion.metric_code) and criterion.metric_code in METRICS


def measure_many(criterion: Criterion, committees: list[Committee], round_: Round) -> dict[int, Decimal]:
    """committee id → measured value, in one call to the engine for all committees."""
    if not is_measurable(criterion):
        return {}
    results = engine.evaluate_many(
        criterion.metric_code,
        committees=committees,
        period=round_period(round_),
        params=criterion.metric_params or {},
        subtree=criterion.metric_subtree,
    )
    return {cid: Decimal(result.value) for cid, result in results.items()}


def measure(criterion: Criterion, committee: Committee, round_: Round) -> Decimal | None:
    if not is_measurable(criterion):
        return None
    result = engine.evaluate(
        criterion.metric_code,
        committee=committee,
        period=round_period(round_),
        params=criterion.metric_params or {},
        subtree=criterion.metric_subtree,
    )
    return Decimal(result.value)


def counted_records(criterion: Criterion, committee: Committee, round_: Round, limit: int = 30) -> list[CountedRecord]:
    """The rows that counted towards the measured value, newest first."""
    return counted_records_many([criterion], committee, round_, limit).get(criterion.pk, [])


def counted_records_many(
    criteria: list[Criterion], committee: Committee, round_: Round, limit: int = 30
) -> dict[int, list[CountedRecord]]:
    """criterion id → `counted_records`, for every measurable criterion; a query per kind of record."""
    measurable = [c for c in criteria if is_measurable(c)]
    if not measurable:
        return {}
    requests = [
        engine.MetricRequest(c.metric_code, [committee], round_period(round_), c.metric_params or {}, c.metric_subtree)
        for c in measurable
    ]
    found = engine.records_batch(requests, limit)
    return {c.pk: [counted(obj) for obj in objs] for c, objs in zip(measurable, found, strict=True)}


def gate_evaluations(period: Period) -> QuerySet:
    """Finalised evaluations of rounds held in the period's years that reached their rubric's gate."""
    return Evaluation.objects.filter(
        status=EvaluationStatus.FINALISED,
        gate_passed=True,
        round__year__gte=period.start.year,
        round__year__lte=period.end.year,
    )
