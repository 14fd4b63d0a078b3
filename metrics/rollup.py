"""Roll-up: additive activity metrics of many subtrees from one pass over the records.

This is how the nightly snapshot run counts a whole province in seconds instead
of one correlated subquery per committee and figure: each committee's own live
activities are read per month and kind, then added up the tree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from metrics import records
from metrics.engine import MetricRequest
from metrics.periods import Period
from metrics.results import MetricResult
from orgs import tree
from orgs.models import Committee

# Metrics whose subtree value is the sum of its committees' own values: a count, or a sum
# of one column, of live activities (index into the [count, youth, talked] cells below).
_ROLLUP_COLUMNS = {"activity_count": 0, "youth_reached": 1, "students_talked": 2}


def rolls_up(code: str, period: Period, params: dict[str, Any] | None, subtree: bool) -> bool:
    """Whether `evaluate_rollup` gives this request's values (equal to `evaluate_many`'s)."""
    return (
        subtree
        and code in _ROLLUP_COLUMNS
        and set(params or {}) <= {"kinds"}
        and period.start.day == 1
        and (period.end + timedelta(days=1)).day == 1
    )


def _cover(ids: set[int]) -> list[str]:
    """The paths of the fewest subtrees that hold all these committees."""
    return tree.outermost(Committee.objects.filter(pk__in=ids).values_list("path", flat=True))


def evaluate_rollup(requests: Sequence[MetricRequest]) -> Iterable[tuple[int, list[MetricResult | None]]]:
    """For every committee asked about: (its id, one result per request, None where not asked).

    Each request must pass `rolls_up`. One grouped query reads each committee's own live
    activities per month and kind over the subtrees asked about; each subtree's value is then
    the sum of its committees' own, added up the tree from the deepest level. This is how the
    nightly snapshot run counts a whole province in seconds instead of one subquery per
    committee and figure; tests check it against `evaluate_many`.
    """
    if not requests:
        return
    groups: dict[int, tuple[set[int], list[int]]] = {}  # requests sharing one list of committees
    for index, request in enumerate(requests):
        if not rolls_up(request.code, request.period, request.params, request.subtree):
            raise ValueError(f"{request.code} over {request.period} cannot be rolled up")
        key = id(request.committees)
        if key not in groups:
            groups[key] = ({c if isinstance(c, int) else c.pk for c in request.committees}, [])
        groups[key][1].append(index)
    asked = set().union(*(ids for ids, _indices in groups.values()))
    if not asked:
        return
    cover = _cover(asked)
    activity_cover = tree.subtrees_q(cover, "committee")
    start = min(r.period.start for r in requests)
    end = max(r.period.end for r in requests)
    own: dict[int, dict[tuple[date, str], list[int]]] = {}
    cells = (
        records.activities(Period.custom(start, end), {})
        .filter(activity_cover)
        .annotate(month=TruncMonth("held_on"))
        .values_list("committee_id", "month", "kind__code")
        .annotate(n=Count("pk"), youth=Sum("youth_reached"), talked=Sum("students_talked"))
        .order_by()
    )
    for committee_id, month, kind, n, youth, talked in cells:
        own.setdefault(committee_id, {})[(month, kind)] = [n, youth or 0, talked or 0]
    wanted = [(ids, indices) for ids, indices in groups.values()]
    kinds = [set(r.params.get("kinds") or []) if r.params else set() for r in requests]
    nodes = sorted(
        Committee.objects.filter(tree.subtrees_q(cover, "")).values_list("depth", "pk", "parent_id"), reverse=True
    )
    inside = {pk for _depth, pk, _parent in nodes}
    below: dict[int, dict[tuple[date, str], list[int]]] = {}
    for _depth, pk, parent in nodes:
        total = below.pop(pk, None) or {}
        _add_cells(total, own.pop(pk, None))
        indices = [i for ids, group in wanted if pk in ids for i in group]
        if indices:
            results: list[MetricResult | None] = [None] * len(requests)
            for i in indices:
                results[i] = _rolled_value(requests[i], kinds[i], total)
            yield pk, results
        if parent in inside and total:
            if parent in below:
                _add_cells(below[parent], total)
            else:
                below[parent] = total


def _add_cells(into: dict[tuple[date, str], list[int]], cells: dict[tuple[date, str], list[int]] | None) -> None:
    for key, values in (cells or {}).items():
        found = into.get(key)
        if found is None:
            into[key] = list(values)
        else:
            found[0] += values[0]
            found[1] += values[1]
            found[2] += values[2]


def _rolled_value(request: MetricRequest, kinds: set[str], cells: dict[tuple[date, str], list[int]]) -> MetricResult:
    column = _ROLLUP_COLUMNS[request.code]
    start, end = request.period.start, request.period.end
    total = sum(
        values[column]
        for (month, kind), values in cells.items()
        if start <= month <= end and (not kinds or kind in kinds)
    )
    return MetricResult(Decimal(total))
