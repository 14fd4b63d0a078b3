"""The leader's dashboard of one committee for one year, as plain data.

The page, its tables and its xlsx downloads are all drawn from one
`Dashboard`, so they cannot disagree. Figures come from the metric engine
(through snapshots, see `metrics.snapshots.figures_of`), target progress
from `plans.progress`, rounds and grades from `assessments.selectors`.

Every target line is one `metrics.readings.Reading` made by `plans.progress`:
the committee's own target against its goal, or its part of a parent's
target stated as such (an even share of a count, the target itself for a
rate or an "each sub-committee" target), with red / amber / green against
the time passed. The page, the xlsx, the PDF and the API print that reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

from dashboards import selectors
from dashboards.specs import kind_specs, month_specs, total_specs
from metrics.periods import Period
from metrics.readings import Reading, status_label
from metrics.results import MetricResult
from metrics.snapshots import SnapshotEvaluator, figures_of
from orgs.models import Committee
from plans.progress import Measure, TargetProgress, progress_many


@dataclass
class TargetRow:
    """A target line of the dashboard: the target, its plan, and the committee's one reading of it."""

    progress: TargetProgress
    plan: Any
    own: bool  # the committee's own plan (else: its parent's, the committee measured as a sub-committee)
    reading: Reading

    @property
    def target(self) -> Any:
        return self.progress.target

    @property
    def met(self) -> bool:
        return self.reading.met

    @property
    def fraction(self) -> float:
        return self.reading.fraction

    @property
    def elapsed(self) -> float:
        return self.reading.elapsed

    @property
    def status(self) -> str:
        return self.reading.status

    @property
    def shown(self) -> str:
        return self.reading.now

    @property
    def goal(self) -> str:
        return self.reading.goal

    @property
    def sentence(self) -> str:
        return self.reading.line

    @property
    def percent(self) -> int:
        return self.reading.percent

    @property
    def expected_percent(self) -> int:
        return self.reading.expected_percent

    @property
    def status_label(self) -> str:
        return self.reading.status_label


@dataclass
class RankRow:
    committee: Committee
    activities: Decimal
    youth: Decimal
    wulao: Decimal
    red: int = 0
    amber: int = 0
    measured: int = 0
    fractions: list[float] = field(default_factory=list)
    behind_targets: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.red:
            return "bad"
        if self.amber:
            return "warn"
        return "ok" if self.measured else ""

    @property
    def behind(self) -> int:
        return self.red + self.amber

    @property
    def mean_fraction(self) -> float:
        return sum(self.fractions) / len(self.fractions) if self.fractions else 1.0


@dataclass
class RoundSummary:
    round: Any
    stages: list[tuple[str, str, int]]  # (code, label, count)
    results: Any  # assessments.selectors.Results
    total: int


class Dashboard:
    def __init__(self, user: Any, committee: Committee, year: int, today: date) -> None:
        self.user = user
        self.committee = committee
        self.year = year
        self.today = today
        self.period = Period.year(year)
        self._evaluate = SnapshotEvaluator()

    # --- numbers from the metric engine -----------------------------------

    @cached_property
    def children(self) -> list[Committee]:
        return selectors.sub_committees(self.user, self.committee)

    @cached_property
    def kinds(self) -> list[tuple[str, str]]:
        return selectors.activity_kinds()

    @cached_property
    def _values(self) -> dict[tuple[int, str], MetricResult]:
        own = total_specs(self.year) + month_specs(self.year) + kind_specs(self.year, [c for c, _ in self.kinds])
        children = [c.pk for c in self.children]
        return figures_of(
            [(spec, [self.committee.pk]) for spec in own] + [(spec, children) for spec in total_specs(self.year)]
        )

    @property
    def as_of(self) -> datetime | None:
        """When the oldest figure shown was counted, if some are a snapshot older than the latest change."""
        self.target_rows  # noqa: B018 — evaluating the targets is what reveals their snapshots' age
        stamps = [t for t in (self._values.as_of, self._evaluate.as_of) if t is not None]
        return min(stamps) if stamps else None

    def value(self, committee_id: int, name: str) -> Decimal:
        return self._values[(committee_id, name)].value

    @property
    def totals(self) -> dict[str, Decimal]:
        pk = self.committee.pk
        return {
            "activities": self.value(pk, "year:activity_count"),
            "youth": self.value(pk, "year:youth_reached"),
            "wulao": self.value(pk, "year:wulao_participants"),
        }

    @cached_property
    def months(self) -> list[tuple[int, Decimal]]:
        return [(m, self.value(self.committee.pk, f"month:{m}")) for m in range(1, 13)]

    @property
    def empty_months(self) -> list[int]:
        """Months already over (or under way) without a single activity."""
        last = 12 if self.year < self.today.year else (self.today.month if self.year == self.today.year else 0)
        return [m for m, v in self.months if m <= last and not v]

    @cached_property
    def by_kind(self) -> list[tuple[str, str, Decimal]]:
        """(code, name, count) of kinds with activities this year, most first."""
        rows = [(code, name, self.value(self.committee.pk, f"kind:{code}")) for code, name in self.kinds]
        return sorted((r for r in rows if r[2]), key=lambda r: -r[2])

    # --- targets --------------------------------------------------------------

    @cached_property
    def target_rows(self) -> list[TargetRow]:
        rows = []
        measured: list[tuple[Any, bool]] = []
        measures: list[Measure] = []
        for plan in selectors.dashboard_plans(self.user, self.committee, self.year):
            own = plan.committee_id == self.committee.pk
            # The parent's target is shared among all its sub-committees, seen or not (as plans.progress does).
            subjects_of = self.children if own else selectors.all_sub_committees(plan.committee)
            for target in selectors.plan_targets(self.user, plan):
                measured.append((plan, own))
                measures.append(Measure(target, plan.committee, self.year, subjects_of))
        # Every target of both plans in one read of the snapshots (and one count for what they lack).
        progresses = progress_many(measures, self.today, evaluate_batch=self._evaluate.batch)
        for (plan, own), progress in zip(measured, progresses, strict=True):
            if progress is None:
                continue
            if own:
                reading = progress.reading
            else:
                mine = next((s for s in progress.subjects if s.committee.pk == self.committee.pk), None)
                if mine is None:
                    continue
                reading = mine.reading
            rows.append(TargetRow(progress, plan, own, reading))
        order = {"bad": 0, "warn": 1, "ok": 2}
        return sorted(rows, key=lambda r: (order[r.status], r.fraction))

    @property
    def plans(self) -> list[tuple[Any, list[TargetRow]]]:
        """The target rows under their plan, each plan named once (for the PDF)."""
        grouped: dict[int, tuple[Any, list[TargetRow]]] = {}
        for row in self.target_rows:
            grouped.setdefault(row.plan.pk, (row.plan, []))[1].append(row)
        return list(grouped.values())

    @property
    def rag_counts(self) -> dict[str, int]:
        counts = {"ok": 0, "warn": 0, "bad": 0}
        for row in self.target_rows:
            counts[row.status] += 1
        return counts

    # --- sub-committees, worst first --------------------------------------------

    @cached_property
    def ranking(self) -> list[RankRow]:
        rows = {
            c.pk: RankRow(
                c,
                self.value(c.pk, "year:activity_count"),
                self.value(c.pk, "year:youth_reached"),
                self.value(c.pk, "year:wulao_participants"),
            )
            for c in self.children
        }
        for row in self.target_rows:
            if not row.own:
                continue
            for standing in row.progress.subjects:
                rank = rows.get(standing.committee.pk)
                if rank is None:
                    continue
                status = standing.reading.status
                rank.measured += 1
                rank.fractions.append(standing.reading.fraction)
                if status == "bad":
                    rank.red += 1
                elif status == "warn":
                    rank.amber += 1
                if status != "ok":
                    rank.behind_targets.append(row.target.text)
        return sorted(
            rows.values(),
            key=lambda r: (-r.red, -r.amber, r.mean_fraction, r.activities, r.committee.code),
        )

    @property
    def furthest_behind(self) -> list[RankRow]:
        """Up to five sub-committees behind on some target, worst first (the top of the page)."""
        return [r for r in self.ranking if r.behind][:5]

    # --- assessment round and programme milestones --------------------------------

    @cached_property
    def round_summary(self) -> RoundSummary | None:
        from assessments.selectors import round_evaluations, round_results

        round_ = selectors.current_round(self.committee, self.year)
        if round_ is None:
            return None
        evaluations = list(round_evaluations(round_, within=self.committee))
        labels = {
            "not_started": _("Not started"),
            "self_assessing": _("Self-assessing"),
            "submitted": _("Submitted"),
            "finalised": _("Finalised"),
        }
        counts = dict.fromkeys(selectors.ROUND_STAGES, 0)
        by_hand = selectors.scored_by_hand([e.pk for e in evaluations])
        for evaluation in evaluations:
            counts[selectors.stage_of(evaluation, scored_by_hand=evaluation.pk in by_hand)] += 1
        stages = [(code, labels[code], counts[code]) for code in selectors.ROUND_STAGES]
        return RoundSummary(round_, stages, round_results(round_, within=self.committee), len(evaluations))

    @cached_property
    def milestones(self) -> list[Any]:
        return selectors.upcoming_milestones(self.user, self.committee, self.today)

    # --- tables for the page and the xlsx downloads -------------------------------

    def table(self, name: str) -> tuple[list[str], list[list[Any]]]:
        if name == "months":
            return [_("Month"), _("Activities")], [[_("Month %(month)s") % {"month": m}, v] for m, v in self.months]
        if name == "kinds":
            return [_("Kind of activity"), _("Activities")], [[label, v] for _code, label, v in self.by_kind]
        if name == "subcommittees":
            headers = [
                _("Sub-committee"),
                _("Activities"),
                _("Young people reached"),
                _("五老 taking part"),
                _("Targets behind"),
                _("Status"),
            ]
            rows = [
                [r.committee.name, r.activities, r.youth, r.wulao, r.behind, self.status_label(r.status)]
                for r in self.ranking
            ]
            return headers, rows
        if name == "targets":
            headers = [
                _("Target"),
                _("Plan"),
                _("Reading"),
                _("Now"),
                _("Compared with"),
                _("Progress (%)"),
                _("Time passed (%)"),
                _("Status"),
            ]
            rows = [
                [
                    r.target.text,
                    r.plan.title,
                    r.sentence,
                    r.reading.value if r.reading.value is not None else r.shown,
                    r.reading.compared_with,
                    r.percent,
                    r.expected_percent,
                    r.status_label,
                ]
                for r in self.target_rows
            ]
            return headers, rows
        raise KeyError(name)

    @staticmethod
    def status_label(status: str) -> str:
        return status_label(status)
