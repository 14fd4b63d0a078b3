"""Writes of metric snapshots: mark committees dirty, recompute them, and the nightly full run.

Snapshots are derived numbers, not anybody's records: they are not written to
the audit log (the activity change that caused a recompute already is).

What is stored: the figures other apps show, which each registers at start-up
(`register_figures` in its `AppConfig.ready`: the dashboards' totals, plans'
targets …), so this module knows none of them.

Freshness: `activities.services` calls `mark_dirty` after every activity
change commits; the committee and all its ancestors become dirty, and one
debounced task (`metrics.tasks.recompute_dirty_snapshots`) recomputes them.
Changes that do not go through activities (people registries, moves in the
tree, news and donations) are picked up by the nightly full recompute.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from metrics.engine import MetricRequest, evaluate_many
from metrics.models import DirtyCommittee, MetricSnapshot
from metrics.results import MetricResult
from metrics.rollup import evaluate_rollup, rolls_up
from metrics.snapshots import Spec
from orgs import tree
from orgs.models import Committee

logger = logging.getLogger(__name__)

# A burst of saves within this many seconds schedules one recompute.
DEBOUNCE_SECONDS = 30
DEBOUNCE_KEY = "metrics:recompute-scheduled"
CHUNK = 500

# The figures an app wants stored, for these committees (ids) and years on this day:
# (figure, the committees among `ids` it is wanted for).
FigureSource = Callable[[list[int], list[int], date], Iterable[tuple[Spec, Iterable[int]]]]
_FIGURE_SOURCES: dict[str, FigureSource] = {}

# The Celery task that runs `snapshots_recompute_dirty`. `metrics.tasks` imports this module, so this
# module never imports it: `MetricsConfig.ready` hands it over through `use_recompute_task`.
_recompute_task: Any = None


def register_figures(name: str, source: FigureSource) -> None:
    """Have the recompute store these figures too (called from the owning app's `AppConfig.ready`)."""
    _FIGURE_SOURCES[name] = source


def use_recompute_task(task: Any) -> None:
    global _recompute_task  # set once, at start-up
    _recompute_task = task


def _with_ancestors(committee_ids: set[int]) -> list[int]:
    """The committees and everything above them: their paths' prefixes, in two queries."""
    paths = list(Committee.objects.filter(pk__in=committee_ids).values_list("path", flat=True))
    if not paths:
        return []
    return list(
        Committee.objects.filter(tree.ancestors_of_any_q(paths, "", include_self=True)).values_list("pk", flat=True)
    )


@transaction.atomic
def mark_dirty(committee_ids: Iterable[int | None]) -> int:
    """Record that these committees' numbers (and so their ancestors') changed; schedule one recompute."""
    ids = {pk for pk in committee_ids if pk}
    dirty = _with_ancestors(ids)
    if not dirty:
        return 0
    now = timezone.now()
    DirtyCommittee.objects.bulk_create(
        [DirtyCommittee(committee_id=pk, marked_at=now) for pk in dirty],
        update_conflicts=True,
        unique_fields=["committee"],
        update_fields=["marked_at"],
    )
    transaction.on_commit(schedule_recompute)
    return len(dirty)


def schedule_recompute() -> bool:
    """Send the recompute task unless one is already waiting (a cache `add` is the debounce)."""
    if not cache.add(DEBOUNCE_KEY, 1, timeout=DEBOUNCE_SECONDS * 4):
        return False
    try:
        _recompute_task.apply_async(countdown=DEBOUNCE_SECONDS)
    except Exception:  # a broker outage must not fail the save; the nightly run catches up
        cache.delete(DEBOUNCE_KEY)
        logger.exception("could not schedule the snapshot recompute")
        return False
    return True


class _SnapshotWriter:
    """Upserts snapshot rows in batches; one row per natural key in a batch (specs may repeat one another)."""

    BATCH = 5000

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.rows: dict[tuple, MetricSnapshot] = {}
        self.written = 0

    def add(self, pk: int, spec: Spec, result: MetricResult) -> None:
        metric, key, subtree, start, end = spec.key
        self.rows[(pk, *spec.key)] = MetricSnapshot(
            committee_id=pk,
            metric=metric,
            params_key=key,
            subtree=subtree,
            period_start=start,
            period_end=end,
            value=result.value,
            numerator=result.numerator,
            denominator=result.denominator,
            computed_at=self.now,
        )
        if len(self.rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        MetricSnapshot.objects.bulk_create(
            list(self.rows.values()),
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["committee", "metric", "params_key", "subtree", "period_start", "period_end"],
            update_fields=["value", "numerator", "denominator", "computed_at"],
        )
        self.written += len(self.rows)
        self.rows = {}


@transaction.atomic
def snapshots_recompute(*, committee_ids: Iterable[int], years: Iterable[int]) -> int:
    """Compute and store every figure the registered sources want for these committees and years
    (the dashboards' figures, the progress of the published targets they are measured by …). Idempotent.

    Counts and sums of activities over whole months come from one roll-up over the tree
    (`metrics.rollup.evaluate_rollup`); every other figure from the metric engine, a chunk
    of committees at a time.
    """
    ids = sorted(set(committee_ids))
    years = sorted(set(years))
    today = timezone.localdate()
    jobs = [(spec, sorted(pks)) for source in _FIGURE_SOURCES.values() for spec, pks in source(ids, years, today)]
    rolled = [(s, pks) for s, pks in jobs if rolls_up(s.metric, s.period, s.params, s.subtree)]
    counted = [(s, pks) for s, pks in jobs if not rolls_up(s.metric, s.period, s.params, s.subtree)]
    writer = _SnapshotWriter(timezone.now())
    requests = [MetricRequest(s.metric, pks, s.period, s.params, s.subtree) for s, pks in rolled]
    for pk, results in evaluate_rollup(requests):
        for (spec, _pks), result in zip(rolled, results, strict=True):
            if result is not None:
                writer.add(pk, spec, result)
    for start in range(0, len(ids), CHUNK):
        chunk = set(ids[start : start + CHUNK])
        for spec, pks in counted:
            part = [pk for pk in pks if pk in chunk]
            if not part:
                continue
            results = evaluate_many(
                spec.metric, committees=part, period=spec.period, params=spec.params, subtree=spec.subtree
            )
            for pk, result in results.items():
                writer.add(pk, spec, result)
    writer.flush()
    return writer.written


def _claimed_q(claimed: list[tuple[int, datetime]]) -> Q:
    q = Q(pk__in=[])
    for committee_id, marked_at in claimed:
        q |= Q(committee_id=committee_id, marked_at=marked_at)
    return q


@transaction.atomic
def snapshots_recompute_dirty() -> int:
    """Recompute the dirty committees (current year, plus every year they have snapshots for).

    Only the dirty marks read here are cleared: a committee marked again while
    this ran keeps its mark and is recomputed by the next run.
    """
    claimed = list(DirtyCommittee.objects.values_list("committee_id", "marked_at"))
    if not claimed:
        return 0
    ids = [pk for pk, _ in claimed]
    years = {timezone.localdate().year}
    years |= {d.year for d in MetricSnapshot.objects.filter(committee_id__in=ids).dates("period_start", "year")}
    snapshots_recompute(committee_ids=ids, years=years)
    for start in range(0, len(claimed), 200):
        DirtyCommittee.objects.filter(_claimed_q(claimed[start : start + 200])).delete()
    return len(ids)


@transaction.atomic
def snapshots_recompute_all(*, years: Iterable[int] | None = None) -> int:
    """The nightly run: the dirty committees first (all their years), then every committee
    for this year and last year."""
    snapshots_recompute_dirty()
    today = timezone.localdate()
    years = list(years) if years is not None else [today.year - 1, today.year]
    ids = list(Committee.objects.values_list("pk", flat=True))
    for year in years:  # a year at a time: the roll-up holds one year's cells of the whole province
        snapshots_recompute(committee_ids=ids, years=[year])
    return len(ids)
