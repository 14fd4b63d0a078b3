"""The seam between criteria and the metric engine (`plans.metrics`).

Every measurement comes from `plans.metrics`; this module only turns a
criterion and a round into the engine's arguments, and keeps the rest of the
app working while the engine is not installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from assessments.models import Criterion, CriterionKind, Round
from orgs.models import Committee


def _engine() -> Any | None:
    try:
        from plans import metrics
    except ImportError:
        return None
    return metrics


def metric_choices() -> list[tuple[str, str]]:
    engine = _engine()
    if engine is None:
        return []
    return [(code, str(getattr(defn, "label", code))) for code, defn in engine.METRICS.items()]


def metric_label(code: str) -> str:
    engine = _engine()
    if engine is None or code not in engine.METRICS:
        return code
    return str(getattr(engine.METRICS[code], "label", code))


def round_period(round_: Round) -> Any:
    return _engine().Period.year(round_.year)


def is_measurable(criterion: Criterion) -> bool:
    engine = _engine()
    return (
        criterion.kind == CriterionKind.METRIC
        and engine is not None
        and bool(criterion.metric_code)
        and criterion.metric_code in engine.METRICS
    )


def measure_many(criterion: Criterion, committees: list[Committee], round_: Round) -> dict[int, Decimal]:
    """committee id → measured value, in one call to the engine for all committees."""
    if not is_measurable(criterion):
        return {}
    engine = _engine()
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
    engine = _engine()
    result = engine.evaluate(
        criterion.metric_code,
        committee=committee,
        period=round_period(round_),
        params=criterion.metric_params or {},
        subtree=criterion.metric_subtree,
    )
    return Decimal(result.value)


@dataclass
class CountedRecord:
    when: date | None
    text: str


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
    engine = _engine()
    requests = [
        engine.MetricRequest(c.metric_code, [committee], round_period(round_), c.metric_params or {}, c.metric_subtree)
        for c in measurable
    ]
    found = engine.records_batch(requests, limit)
    return {c.pk: [_counted(obj) for obj in objs] for c, objs in zip(measurable, found, strict=True)}


def _counted(obj: Any) -> CountedRecord:
    when = next((getattr(obj, f) for f in ("held_on", "published_on", "donated_on") if hasattr(obj, f)), None)
    text = str(obj)
    if when is not None and when.isoformat() in text:
        when = None  # the record already names its date
    return CountedRecord(when=when, text=text)
