"""The rubric arithmetic, pure and in Decimal: no database, no Django.

Rules, as the committees write them:
- a criterion earns 0 … its points; a score is rounded half-up to the rubric's
  step (0.5 or 0.1);
- a metric criterion with steps: full marks at or above `full_at`; each step
  (or part of a step) below costs `step_points`, down to 0 (扣完为止);
- bonus items each add at most their points, and all bonus together at most
  the rubric's bonus cap;
- deduction items take away at most their points; the total never goes below 0;
- the grade is the highest band whose minimum the total reaches;
- a gate (e.g. 均衡发展) is reached when every key indicator is at full marks
  (if the rubric asks for that) and the total is at least the gate's minimum.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

ZERO = Decimal("0")

MANUAL = "manual"
METRIC = "metric"
BONUS = "bonus"
DEDUCTION = "deduction"


@dataclass(frozen=True)
class CriterionRule:
    id: int
    kind: str
    max_points: Decimal
    is_key: bool = False
    full_at: Decimal | None = None
    step_points: Decimal | None = None
    step_unit: Decimal = Decimal("1")

    @property
    def in_base(self) -> bool:
        return self.kind in (MANUAL, METRIC)


@dataclass(frozen=True)
class Band:
    label: str
    min_total: Decimal
    tone: str = ""


@dataclass(frozen=True)
class Gate:
    label: str
    min_total: Decimal | None
    key_full: bool = True


@dataclass(frozen=True)
class RubricRules:
    step: Decimal
    bands: tuple[Band, ...] = ()
    bonus_cap: Decimal | None = None
    gate: Gate | None = None


@dataclass(frozen=True)
class Outcome:
    base: Decimal
    bonus: Decimal
    deductions: Decimal
    total: Decimal
    band: Band | None
    gate_passed: bool | None
    complete: bool
    points: Mapping[int, Decimal] = field(default_factory=dict)


def round_to_step(value: Decimal, step: Decimal) -> Decimal:
    """Round half-up to a multiple of `step` (0.5 → 84.25 becomes 84.5; 0.1 → 84.25 becomes 84.3)."""
    units = (Decimal(value) / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return (units * step).quantize(Decimal("0.1"))


def clamp_points(rule: CriterionRule, points: Decimal, step: Decimal) -> Decimal:
    """A typed or computed score, rounded to the step and kept within 0 … max points."""
    rounded = round_to_step(points, step)
    return min(max(rounded, ZERO), rule.max_points)


def metric_points(rule: CriterionRule, value: Decimal, step: Decimal) -> Decimal:
    """Points from a measured value: full at `full_at`, minus `step_points` per step short, floored at 0."""
    if rule.full_at is None:
        raise ValueError("a metric criterion needs full_at")
    value = Decimal(value)
    if value >= rule.full_at:
        return clamp_points(rule, rule.max_points, step)
    if not rule.step_points:
        return ZERO  # all or nothing
    shortfall = rule.full_at - value
    steps = (shortfall / rule.step_unit).to_integral_value(rounding=ROUND_CEILING)
    return clamp_points(rule, rule.max_points - steps * rule.step_points, step)


def band_for(bands: Iterable[Band], total: Decimal) -> Band | None:
    for band in sorted(bands, key=lambda b: b.min_total, reverse=True):
        if total >= band.min_total:
            return band
    return None


def evaluate(rubric: RubricRules, criteria: Iterable[CriterionRule], scores: Mapping[int, Decimal | None]) -> Outcome:
    """Total, bonus, grade and gate for one set of scores (self or review).

    `scores` maps criterion id → points (None or missing: not scored yet). A
    missing bonus or deduction counts as 0; a missing base criterion makes the
    outcome incomplete and counts as 0 meanwhile.
    """
    step = rubric.step
    base = bonus = deductions = ZERO
    complete = True
    keys_full = True
    points: dict[int, Decimal] = {}
    for rule in criteria:
        raw = scores.get(rule.id)
        if raw is None:
            if rule.in_base:
                complete = False
                if rule.is_key:
                    keys_full = False
            continue
        p = clamp_points(rule, Decimal(raw), step)
        points[rule.id] = p
        if rule.kind == BONUS:
            bonus += p
        elif rule.kind == DEDUCTION:
            deductions += p
        else:
            base += p
            if rule.is_key and p < rule.max_points:
                keys_full = False
    if rubric.bonus_cap is not None:
        bonus = min(bonus, rubric.bonus_cap)
    total = round_to_step(max(base + bonus - deductions, ZERO), step)
    gate_passed = None
    if rubric.gate is not None:
        gate_passed = (keys_full or not rubric.gate.key_full) and (
            rubric.gate.min_total is None or total >= rubric.gate.min_total
        )
    return Outcome(
        base=base,
        bonus=bonus,
        deductions=deductions,
        total=total,
        band=band_for(rubric.bands, total),
        gate_passed=gate_passed,
        complete=complete,
        points=points,
    )
