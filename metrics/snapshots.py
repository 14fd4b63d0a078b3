"""Snapshot reads: figures from stored snapshots where fresh, from the engine otherwise.

A figure is a `Spec`: a named call of the engine (metric, period, parameters,
subtree). `metric_values` / `figures_of` serve a figure from its snapshot when
the committee is clean and the snapshot exists, and otherwise ask the engine
directly (one `evaluate_batch` for every figure some committee lacks). Either
way the number equals the engine's; snapshots only make big subtrees cheap.
Which figures are stored is up to the apps that show them (`metrics.recompute`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Max, Q

from metrics.engine import MetricRequest, evaluate_batch
from metrics.models import DirtyCommittee, MetricSnapshot
from metrics.periods import Period
from metrics.results import MetricResult
from orgs import tree
from orgs.models import Committee


def params_key(params: dict[str, Any]) -> str:
    return json.dumps(params or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Spec:
    """A figure: one engine call, named by the app that shows it (the name keys its value in `Figures`)."""

    name: str  # e.g. "year:activity_count", "month:3", "kind:lecture"
    metric: str
    period: Period
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    subtree: bool = True

    @property
    def key(self) -> tuple[str, str, bool, Any, Any]:
        return (self.metric, params_key(self.params), self.subtree, self.period.start, self.period.end)


STORED = ("value", "numerator", "denominator", "computed_at")


def _plain(value: Decimal | None) -> Decimal | None:
    # The column stores 6 decimal places; give back the engine's own form (66, not 66.000000).
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class Figures(dict):
    """{(committee id, spec name): result}, and when the oldest stale snapshot served was taken.

    `as_of` is None when every number is current. It is set only for big subtrees
    (more than `GUANWEI_LIVE_SUBTREE_LIMIT` committees) whose records changed since
    their snapshot: recounting a province on every page view would take seconds,
    so the page shows the last snapshot and says when it was taken, until the
    debounced recompute (half a minute or so) catches up.
    """

    as_of: datetime | None = None

    def note_stale(self, computed_at: datetime) -> None:
        if self.as_of is None or computed_at < self.as_of:
            self.as_of = computed_at


def _dirty_split(committee_ids: list[int]) -> tuple[set[int], set[int]]:
    """(dirty committees, those of them big enough to be served from a stale snapshot)."""
    limit = settings.GUANWEI_LIVE_SUBTREE_LIMIT
    dirty, big = set(), set()
    rows = (
        DirtyCommittee.objects.filter(committee_id__in=committee_ids)
        .annotate(big=tree.outer_subtree_exceeds(limit, outer="committee__path"))
        .values_list("committee_id", "big")
    )
    for pk, is_big in rows:
        dirty.add(pk)
        if is_big:
            big.add(pk)
    return dirty, big


def metric_values(committee_ids: list[int], specs: list[Spec]) -> Figures:
    """{(committee id, spec name): result}: snapshots where fresh, the metric engine otherwise.

    Two queries when every figure has a snapshot; one more for all the figures
    some committee lacks. The count depends neither on how many committees nor
    on how many figures there are.
    """
    return figures_of([(spec, committee_ids) for spec in specs])


def figures_of(wanted: list[tuple[Spec, list[int]]]) -> Figures:
    """`metric_values` where each figure (spec) is wanted for its own committees."""
    out = Figures()
    committee_ids = sorted({pk for _spec, ids in wanted for pk in ids})
    if not committee_ids:
        return out
    dirty, big = _dirty_split(committee_ids)
    readable = [pk for pk in committee_ids if pk not in dirty or pk in big]
    found: dict[tuple[int, tuple], tuple] = {}
    if readable:
        keys = Q(pk__in=[])
        for metric, key, subtree, start, end in {spec.key for spec, _ids in wanted}:
            keys |= Q(metric=metric, params_key=key, subtree=subtree, period_start=start, period_end=end)
        rows = MetricSnapshot.objects.filter(keys, committee_id__in=readable).values_list(
            "committee_id", "metric", "params_key", "subtree", "period_start", "period_end", *STORED
        )
        for pk, *key, value, numerator, denominator, computed_at in rows:
            found[(pk, tuple(key))] = (value, numerator, denominator, computed_at)
    missing = [[pk for pk in ids if (pk, spec.key) not in found] for spec, ids in wanted]
    live = evaluate_batch(
        [
            MetricRequest(spec.metric, gaps, spec.period, spec.params, spec.subtree)
            for (spec, _ids), gaps in zip(wanted, missing, strict=True)
        ]
    )
    for (spec, ids), results in zip(wanted, live, strict=True):
        for pk in ids:
            row = found.get((pk, spec.key))
            if row is None:
                out[(pk, spec.name)] = results[pk]
                continue
            value, numerator, denominator, computed_at = row
            if pk in dirty:
                out.note_stale(computed_at)
            out[(pk, spec.name)] = MetricResult(
                value=_plain(value), numerator=_plain(numerator), denominator=_plain(denominator)
            )
    return out


def snapshot_stamps(committee: Committee) -> tuple[datetime | None, datetime | None]:
    """(when the committee's newest snapshot was computed, when it was last marked dirty): what a cache
    of pages built from its figures must follow."""
    computed = MetricSnapshot.objects.filter(committee=committee).aggregate(at=Max("computed_at"))["at"]
    marked = DirtyCommittee.objects.filter(committee=committee).values_list("marked_at", flat=True).first()
    return computed, marked


class SnapshotEvaluator:
    """`metrics.engine.evaluate_many` read through the snapshots (for target progress in `plans.progress`).

    Remembers the oldest stale snapshot it served, for the page to say so.
    """

    def __init__(self) -> None:
        self.as_of: datetime | None = None

    def __call__(
        self, code: str, *, committees: list[Any], period: Period, params: dict, subtree: bool
    ) -> dict[int, MetricResult]:
        request = MetricRequest(code, committees, period, params or {}, subtree)
        return self.batch([request])[0]

    def batch(self, requests: list[MetricRequest]) -> list[dict[int, MetricResult]]:
        """Many `evaluate_many` calls read at once (a `metrics.engine.BatchEvaluator`)."""
        wanted = [
            (
                Spec(f"target:{n}", r.code, r.period, r.params or {}, r.subtree),
                [c if isinstance(c, int) else c.pk for c in r.committees],
            )
            for n, r in enumerate(requests)
        ]
        values = figures_of(wanted)
        if values.as_of is not None and (self.as_of is None or values.as_of < self.as_of):
            self.as_of = values.as_of
        return [{pk: values[(pk, spec.name)] for pk in ids} for spec, ids in wanted]
