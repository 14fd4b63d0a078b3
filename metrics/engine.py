"""The metric engine: one metric for many committees, many metrics at once, and what counted.

`evaluate` and `evaluate_many` compute one metric (from `metrics.catalogue`)
for one or many committees in one aggregate query; `evaluate_batch` computes
many such requests in one query for all of them (a plan page); `records` and
`records_batch` list the rows that counted. Roll-ups of additive figures over a
whole province are in `metrics.rollup`.

Results are exact Decimals; ratios keep their numerator and denominator so
comparisons stay exact. Periods are inclusive local dates (Asia/Shanghai);
deleted activities never count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Case, Q, QuerySet, Value, When

from metrics.catalogue import MetricDef, definition
from metrics.periods import Period
from metrics.queries import Columns, run_columns
from metrics.results import MetricResult, zero
from orgs.models import Committee


def evaluate(
    code: str, *, committee: Committee, period: Period, params: dict[str, Any] | None = None, subtree: bool = True
) -> MetricResult:
    return evaluate_many(code, committees=[committee], period=period, params=params, subtree=subtree)[committee.pk]


def evaluate_many(
    code: str,
    *,
    committees: Iterable[Committee | int],
    period: Period,
    params: dict[str, Any] | None = None,
    subtree: bool = True,
) -> dict[int, MetricResult]:
    """Values for many committees in one (or, for shares, two) aggregate queries."""
    defn = definition(code)
    params = params or {}
    ids = [c if isinstance(c, int) else c.pk for c in committees]
    if not ids:
        return {}
    values = defn.compute_many(ids, period, params, subtree)
    if isinstance(values, Columns):
        values = run_columns(ids, [(ids, values)])[0]
    return _filled(defn, ids, values)


def _filled(defn: MetricDef, ids: list[int], values: dict[int, MetricResult]) -> dict[int, MetricResult]:
    nothing = zero(defn.is_ratio)
    return {pk: values.get(pk, nothing) for pk in ids}


@dataclass
class MetricRequest:
    """The arguments of one `evaluate_many` call, for `evaluate_batch`."""

    code: str
    committees: list[Committee | int]
    period: Period
    params: dict[str, Any] = field(default_factory=dict)
    subtree: bool = True


# Correlated subqueries per statement in `evaluate_batch`; PostgreSQL allows 1,664 columns.
BATCH_COLUMNS = 400


def evaluate_batch(requests: Sequence[MetricRequest]) -> list[dict[int, MetricResult]]:
    """`evaluate_many` for each request, in one query for all of them.

    Each request's columns are computed only for its own committees (a CASE
    around the subquery), so a target measured over a thousand towns does not
    make the other targets count for them too. Shares of sub-committees run
    their own two queries; past `BATCH_COLUMNS` columns a second statement starts.
    """
    out: list[dict[int, MetricResult]] = [{} for _ in requests]
    pending: list[tuple[int, list[int], Columns]] = []
    for i, request in enumerate(requests):
        defn = definition(request.code)
        ids = [c if isinstance(c, int) else c.pk for c in request.committees]
        if not ids:
            continue
        values = defn.compute_many(ids, request.period, request.params or {}, request.subtree)
        if isinstance(values, Columns):
            pending.append((i, ids, values))
        else:
            out[i] = _filled(defn, ids, values)
    chunks: list[list[tuple[int, list[int], Columns]]] = []
    width = BATCH_COLUMNS
    for item in pending:
        if width + len(item[2].annotations) > BATCH_COLUMNS:
            chunks.append([])
            width = 0
        chunks[-1].append(item)
        width += len(item[2].annotations)
    for chunk in chunks:
        union = sorted({pk for _i, ids, _columns in chunk for pk in ids})
        results = run_columns(union, [(ids, columns) for _i, ids, columns in chunk])
        for (i, ids, _columns), values in zip(chunk, results, strict=True):
            out[i] = _filled(definition(requests[i].code), ids, values)
    return out


def records(
    code: str, *, committee: Committee, period: Period, params: dict[str, Any] | None = None, subtree: bool = True
) -> QuerySet:
    """The rows that counted (for ratios: the numerator's rows)."""
    return definition(code).records(committee, period, params or {}, subtree)


def records_batch(requests: Sequence[MetricRequest], limit: int) -> list[list[Any]]:
    """The first `limit` rows of `records` for each request (for its one committee), newest first.

    Requests whose rows are of one kind in one order (activities by date, people
    by name …) are read in one query: the rows of any of them, each marked with
    the requests it belongs to. So a page listing what counted for many criteria
    costs a query per kind of row, not one per criterion.
    """
    out: list[list[Any]] = [[] for _ in requests]
    groups: dict[tuple, list[tuple[int, QuerySet]]] = {}
    for i, r in enumerate(requests):
        (committee,) = r.committees
        qs = records(r.code, committee=committee, period=r.period, params=r.params, subtree=r.subtree)
        groups.setdefault((qs.model, tuple(qs.query.order_by)), []).append((i, qs))
    for (model, order), members in groups.items():
        if len(members) == 1 or not all(isinstance(o, str) for o in order):
            for i, qs in members:
                out[i] = list(qs[:limit])
            continue
        wanted = Q(pk__in=[])
        marks: dict[str, Any] = {}
        for n, (_i, qs) in enumerate(members):
            first = qs.values("pk")[:limit]
            wanted |= Q(pk__in=first)
            marks[f"_in_{n}"] = Case(When(pk__in=first, then=Value(True)), default=Value(False))
        rows = model._base_manager.filter(wanted).annotate(**marks).order_by(*order)
        related = _related_paths(members)
        if related:
            rows = rows.select_related(*related)
        for row in rows:
            for n, (i, _qs) in enumerate(members):
                if getattr(row, f"_in_{n}"):
                    out[i].append(row)
    return out


def _related_paths(members: list[tuple[int, QuerySet]]) -> list[str]:
    """The select_related paths of all the querysets, for the one query that reads their rows."""
    paths: set[str] = set()

    def walk(tree: dict, prefix: str) -> None:
        for name, below in tree.items():
            path = f"{prefix}{name}"
            paths.add(path)
            if below:
                walk(below, f"{path}__")

    for _i, qs in members:
        if isinstance(qs.query.select_related, dict):
            walk(qs.query.select_related, "")
    return sorted(paths)


class Evaluator(Protocol):
    """`evaluate_many`, or a reader of stored results that gives the same numbers."""

    def __call__(
        self, code: str, *, committees: list[Any], period: Period, params: dict, subtree: bool
    ) -> dict[int, MetricResult]: ...


# `evaluate_batch`, or a reader of stored results that gives the same numbers.
BatchEvaluator = Callable[[list[MetricRequest]], list[dict[int, MetricResult]]]


def one_by_one(evaluate: Evaluator) -> BatchEvaluator:
    """A batch evaluator that makes one `evaluate` call per request."""

    def batch(requests: list[MetricRequest]) -> list[dict[int, MetricResult]]:
        return [
            evaluate(r.code, committees=r.committees, period=r.period, params=r.params, subtree=r.subtree)
            for r in requests
        ]

    return batch
