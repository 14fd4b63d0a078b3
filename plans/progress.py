"""Target progress: where a target stands now, what is left, and which sub-committees are behind.

A target's metric runs for the plan's committee and its sub-committees in one
`evaluate_many` call (one aggregate query), so a target page costs the same
whatever the size of the subtree; a plan's targets all go in one
`evaluate_batch` call, so a plan page costs the same whatever its length.

Semantics:
- scope "aggregate": the committee as a whole must reach the value; a
  sub-committee is "behind" when it has less than its even share of a count
  or sum, or (for rates) is itself below the value.
- scope "each_subcommittee": every sub-committee (the point's assigned ones, or
  all direct sub-committees) must reach the value itself; the target is met
  only when all do, and the behind list names those that do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from metrics.catalogue import METRICS
from metrics.engine import BatchEvaluator, Evaluator, MetricRequest, evaluate_batch, evaluate_many, one_by_one
from metrics.goals import PERCENT_UNIT, RATIO_UNIT
from metrics.periods import Period
from metrics.readings import Reading, elapsed_share, read_applies, read_count, read_own, read_share, show_goal
from metrics.results import MetricResult
from metrics.snapshots import Spec
from orgs.models import Committee
from plans.models import OwnerKind, PeriodKind, PlanStatus, Target, TargetScope
from plans.selectors import sub_committees


def target_period(target: Target, year: int, today: date | None = None) -> Period:
    """The period a target is measured over now: the plan's year, or its current semester/month."""
    today = today or timezone.localdate()
    year_period = Period.year(year)
    if target.period_kind == PeriodKind.CUSTOM and target.period_start and target.period_end:
        return Period.custom(target.period_start, target.period_end)
    if target.period_kind == PeriodKind.SEMESTER:
        if today > year_period.end:
            return Period.semester(year, 1)  # the last semester that starts in the plan's year
        if today < year_period.start:
            return Period.semester(year - 1, 2)
        return Period.semester_of(today)
    if target.period_kind == PeriodKind.MONTH:
        if today > year_period.end:
            return Period.month(year, 12)
        if today < year_period.start:
            return Period.month(year, 1)
        return Period.month_of(today)
    return year_period


def show_target(target: Target) -> str:
    """The goal of a target in its own words: "≥ 20次"."""
    return show_goal(target)


@dataclass
class Standing:
    """A committee on a target: its figure and the one reading of it (`metrics.readings`)."""

    committee: Committee
    result: MetricResult
    reading: Reading
    behind: bool = False

    @property
    def met(self) -> bool:
        return self.reading.met

    @property
    def left(self) -> Decimal | None:
        return self.reading.left

    @property
    def shown(self) -> str:
        return self.reading.now

    @property
    def fraction(self) -> float:
        return self.reading.fraction

    @property
    def percent(self) -> int:
        return self.reading.percent

    @property
    def status(self) -> str:
        return self.reading.status


@dataclass
class TargetProgress:
    target: Target
    period: Period
    overall: Standing
    subjects: list[Standing]
    met: bool

    @property
    def behind(self) -> list[Standing]:
        return [s for s in self.subjects if s.behind]

    reading: Reading  # the target as its committee reads it; for "each sub-committee": how many reach it

    @property
    def status(self) -> str:
        """ "ok", "warn" or "bad", for badges."""
        return self.reading.status


def shared_out(target: Target) -> bool:
    """Whether a sub-committee's part of this target is an even share of it (a count or a sum for
    the whole committee), rather than the target itself (a rate, or one each sub-committee must reach)."""
    if target.scope == TargetScope.EACH_SUBCOMMITTEE:
        return False
    return not (METRICS[target.metric].is_ratio or target.unit in (PERCENT_UNIT, RATIO_UNIT))


def _subject_reading(
    target: Target, result: MetricResult, *, parts: int, whose: str, elapsed: float, whole_met: bool
) -> Reading:
    if shared_out(target):
        return read_share(target, result, parts=parts, whose=whose, elapsed=elapsed, whole_met=whole_met)
    each = target.scope == TargetScope.EACH_SUBCOMMITTEE
    return read_applies(target, result, whose=whose, each=each, elapsed=elapsed)


def subject_committees(target: Target, committee: Committee, children: list[Committee]) -> list[Committee]:
    """Who a target is checked for: the point's assigned sub-committees, or all direct ones."""
    point = target.work_point
    if point.owner_kind == OwnerKind.ASSIGNED:
        assigned = list(point.assigned_committees.all())
        if assigned:
            return assigned
    return children


def target_progress(
    target: Target,
    *,
    committee: Committee,
    year: int,
    children: list[Committee],
    today: date | None = None,
    evaluate: Evaluator = evaluate_many,
) -> TargetProgress | None:
    """Progress of a target wired to a metric; None when it is not measured.

    `evaluate` is the metric engine unless the caller reads stored snapshots of it
    (dashboards do, so a province's page does not recount a million records).
    """
    return progress_many([Measure(target, committee, year, children)], today, evaluate_batch=one_by_one(evaluate))[0]


@dataclass
class Measure:
    """A target to measure for a committee (the plan's) in a plan year, shared out to `children`."""

    target: Target
    committee: Committee
    year: int
    children: list[Committee]


def progress_many(
    measures: list[Measure], today: date | None = None, *, evaluate_batch: BatchEvaluator = evaluate_batch
) -> list[TargetProgress | None]:
    """Progress of many targets (None for those not measured), in one `evaluate_batch` call."""
    asked: list[tuple[Measure, Period, list[Committee]]] = []
    requests: list[MetricRequest] = []
    for m in measures:
        if not m.target.metric or m.target.metric not in METRICS:
            continue
        period = target_period(m.target, m.year, today)
        subjects = subject_committees(m.target, m.committee, m.children)
        asked.append((m, period, subjects))
        requests.append(
            MetricRequest(m.target.metric, [m.committee, *subjects], period, m.target.params or {}, m.target.subtree)
        )
    today = today or timezone.localdate()
    found = {
        id(m): _progress(m, period, subjects, results, elapsed_share(period, today))
        for (m, period, subjects), results in zip(asked, evaluate_batch(requests), strict=True)
    }
    return [found.get(id(m)) for m in measures]


def _progress(
    m: Measure, period: Period, subjects: list[Committee], results: dict[int, MetricResult], elapsed: float
) -> TargetProgress:
    target = m.target
    whose = m.committee.display_name
    own = results[m.committee.pk]
    overall = Standing(m.committee, own, read_own(target, own, elapsed=elapsed))
    standings = [
        Standing(
            c,
            results[c.pk],
            _subject_reading(
                target, results[c.pk], parts=len(subjects), whose=whose, elapsed=elapsed, whole_met=overall.met
            ),
        )
        for c in subjects
    ]
    reading = overall.reading
    if target.scope == TargetScope.EACH_SUBCOMMITTEE:
        reached = sum(1 for s in standings if s.met)
        reading = read_count(target, reached=reached, total=len(standings), elapsed=elapsed)
    met = reading.met
    # Behind: a sub-committee short of what its line compares it with, while the whole is not met.
    if not met or target.scope == TargetScope.EACH_SUBCOMMITTEE:
        for s in standings:
            s.behind = not s.met
    standings.sort(key=lambda s: (not s.behind, s.fraction, s.committee.code))
    return TargetProgress(target=target, period=period, overall=overall, subjects=standings, met=met, reading=reading)


def progress_for_plan(
    plan: Any,
    targets: list[Target],
    children: list[Committee],
    today: date | None = None,
    evaluate_batch: BatchEvaluator = evaluate_batch,
) -> dict:
    """{target id: TargetProgress} for the measured targets of a plan, in one query for all of them."""
    measures = [Measure(target, plan.committee, plan.year, children) for target in targets]
    return {
        m.target.pk: progress
        for m, progress in zip(measures, progress_many(measures, today, evaluate_batch=evaluate_batch), strict=True)
        if progress is not None
    }


def target_figures(ids: list[int], years: list[int], today: date) -> list[tuple[Spec, set[int]]]:
    """What target progress reads, for the metric snapshots (`metrics.recompute.register_figures`):
    each published target of these years, for the plan's committee and the sub-committees it is
    checked for, limited to `ids`."""
    wanted = set(ids)
    parents = set(
        Committee.objects.filter(pk__in=ids, parent__isnull=False).values_list("parent_id", flat=True).distinct()
    )
    targets = (
        Target.objects.filter(
            work_point__section__plan__status=PlanStatus.PUBLISHED,
            work_point__section__plan__year__in=years,
            metric__in=list(METRICS),
        )
        .filter(
            Q(work_point__section__plan__committee_id__in=wanted | parents) | Q(work_point__assigned_committees__in=ids)
        )
        .distinct()
        .select_related("work_point__section__plan__committee")
        .prefetch_related("work_point__assigned_committees")
    )
    children: dict[int, list[Committee]] = {}
    jobs = []
    for target in targets:
        plan = target.work_point.section.plan
        if plan.committee_id not in children:
            children[plan.committee_id] = sub_committees(plan.committee)
        subjects = subject_committees(target, plan.committee, children[plan.committee_id])
        committees = {plan.committee_id, *(c.pk for c in subjects)} & wanted
        if committees:
            period = target_period(target, plan.year, today)
            spec = Spec(f"target:{target.pk}", target.metric, period, target.params or {}, target.subtree)
            jobs.append((spec, committees))
    return jobs
