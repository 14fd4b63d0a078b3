"""Query building blocks of the engine: correlated aggregate subqueries over committee rows.

Every metric is one SQL query for any number of committees: the committees are
the outer rows and each value is a correlated aggregate subquery over the range
of tree paths below that committee (`orgs.tree`). A metric gives `Columns` (the
annotations and how a row reads); `run_columns` runs the columns of one or many
metrics over the committee rows in one statement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Left, Length

from metrics.results import MetricResult, ratio
from orgs import tree
from orgs.models import Committee


@dataclass
class Columns:
    """What a metric computes, not yet run: columns over the committee rows and how a row reads.

    `evaluate_many` runs one metric's columns; `evaluate_batch` puts the columns
    of many metrics into one statement.
    """

    annotations: dict[str, Any]
    read: Callable[[dict[str, Any]], MetricResult]


def in_subtree(prefix: str, subtree: bool) -> Q:
    """Rows whose committee (through `prefix`) lies in the outer committee's subtree."""
    if subtree:
        return tree.outer_subtree_q(prefix)
    return Q(**{prefix: OuterRef("pk")})


def in_committee(prefix: str, committee: Committee, subtree: bool) -> Q:
    if subtree:
        return tree.subtree_q(committee, prefix)
    return Q(**{prefix: committee.pk})


def aggregate(qs: QuerySet, column: str, function: str = "COUNT", distinct: bool = False) -> Coalesce:
    """A scalar subquery: COUNT/SUM over qs, correlated to the outer committee row."""
    template = f"{function}(DISTINCT %(expressions)s)" if distinct else f"{function}(%(expressions)s)"
    agg = Func(F(column), template=template, output_field=IntegerField())
    return Coalesce(Subquery(qs.order_by().annotate(_v=agg).values("_v")[:1]), Value(0))


def headcount(column: str, subtree: bool) -> Any:
    """A committee's own headcount; with no own figure (and a subtree), the figures of the highest
    committees below it that have one: a university's figure already covers its colleges."""
    if not subtree:
        return F(column)
    # Between the outer committee and the one below it, strictly: a prefix of the latter's path that is
    # longer than the former's.
    covered = Committee.objects.filter(
        path__gt=OuterRef(OuterRef("path")),
        path__lt=OuterRef("path"),
        path=Left(OuterRef("path"), Length("path")),
        **{f"{column}__gt": 0},
    )
    below = (
        Committee.objects.filter(
            tree.outer_subtree_q("", include_self=False),
            **{f"{column}__gt": 0},
        )
        .filter(~Exists(covered))
        .order_by()
    )
    return Case(
        When(**{f"{column}__gt": 0}, then=F(column)),
        default=aggregate(below, column, "SUM"),
        output_field=IntegerField(),
    )


def plain(expr: Any) -> Columns:
    return Columns({"v": expr}, lambda row: MetricResult(Decimal(row["v"] or 0)))


def ratio_of(num: Any, den: Any) -> Columns:
    return Columns({"n": num, "d": den}, lambda row: ratio(row["n"], row["d"]))


def _run(ids: list[int], **annotations: Any) -> list[dict[str, Any]]:
    return list(Committee.objects.filter(pk__in=ids).annotate(**annotations).values("pk", *annotations))


def run_columns(ids: list[int], wanted: list[tuple[list[int], Columns]]) -> list[dict[int, MetricResult]]:
    """Run the columns of each (committee ids, columns) pair over `ids` in one statement."""
    annotations: dict[str, Any] = {}
    for n, (own, columns) in enumerate(wanted):
        everyone = set(own) >= set(ids)
        for name, expr in columns.annotations.items():
            # Only the request's own committees pay for its subquery.
            annotations[f"c{n}_{name}"] = expr if everyone else Case(When(pk__in=own, then=expr), default=None)
    rows = _run(ids, **annotations)
    out = []
    for n, (own, columns) in enumerate(wanted):
        mine = set(own)
        out.append(
            {
                row["pk"]: columns.read({name: row[f"c{n}_{name}"] for name in columns.annotations})
                for row in rows
                if row["pk"] in mine
            }
        )
    return out
