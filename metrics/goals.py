"""A metric's value against a goal: met or not, how much is left, how it reads, how far along.

A goal is anything with a `comparator` (">=", "<=" or "="), a `value` and a
`unit`: a plan's target is one, and so may be a criterion or a report's
threshold. Comparisons are exact: a rate is compared through its numerator
and denominator, never through a rounded quotient.

Units with a meaning for the comparison: "%" (the value is a percentage) and
"比" ("1比200": value 200 means a ratio of at least one per 200); any other
unit is a plain count or sum.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from metrics.results import MetricResult

PERCENT_UNIT = "%"
RATIO_UNIT = "比"  # "1比200": value 200 means a ratio of at least 1/200

COMPARATORS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    "=": lambda a, b: a == b,
}


class Goal(Protocol):
    comparator: str
    value: Any  # a Decimal, or what Decimal() reads
    unit: str


def compare(comparator: str, left: Decimal, right: Decimal) -> bool:
    if comparator == ">=":
        return left >= right
    if comparator == "<=":
        return left <= right
    return left == right


def meets(goal: Goal, result: MetricResult) -> bool:
    """Exact comparison of a result with the goal, in the goal's unit."""
    value = Decimal(goal.value)
    has_fraction = result.numerator is not None and result.denominator is not None
    if goal.unit == PERCENT_UNIT:
        if has_fraction:
            if not result.denominator:
                return False
            return compare(goal.comparator, result.numerator * 100, value * result.denominator)
        return compare(goal.comparator, result.value * 100, value)
    if goal.unit == RATIO_UNIT and value:
        # "1比200": at least one per 200, i.e. numerator × 200 ≥ denominator
        if has_fraction:
            if not result.denominator:
                return False
            return compare(goal.comparator, result.numerator * value, result.denominator)
        return compare(goal.comparator, result.value * value, Decimal(1))
    return compare(goal.comparator, result.value, value)


def left_to_do(goal: Goal, result: MetricResult) -> Decimal | None:
    """How many more records (activities, people, reports …) reach an at-least goal; None if not applicable."""
    if goal.comparator != ">=" or meets(goal, result):
        return Decimal(0) if goal.comparator == ">=" else None
    value = Decimal(goal.value)
    if goal.unit in (PERCENT_UNIT, RATIO_UNIT) and result.denominator is not None:
        if goal.unit == PERCENT_UNIT:
            needed = math.ceil(value * result.denominator / 100)
        else:
            needed = math.ceil(result.denominator / value) if value else 0
        return max(Decimal(needed) - (result.numerator or 0), Decimal(0))
    if goal.unit in (PERCENT_UNIT, RATIO_UNIT):
        return None
    return max(value - result.value, Decimal(0))


def show_result(goal: Goal, result: MetricResult) -> str:
    """The result in the goal's unit: "12", "45.5%", "1比180"."""
    if goal.unit == PERCENT_UNIT:
        return f"{(result.value * 100).quantize(Decimal('0.1'), ROUND_HALF_UP).normalize():f}%"
    if goal.unit == RATIO_UNIT:
        if not result.value:
            return "0"
        per = (Decimal(1) / result.value).quantize(Decimal(1), ROUND_HALF_UP)
        return f"1比{per}"
    return f"{result.value.normalize():f}"


def fraction(goal: Goal, result: MetricResult) -> float:
    """0..1 for a progress bar."""
    if meets(goal, result):
        return 1.0
    value = Decimal(goal.value)
    if goal.comparator != ">=" or not value:
        return 0.0
    if goal.unit == PERCENT_UNIT:
        current = result.value * 100
    elif goal.unit == RATIO_UNIT:
        current = result.value * value
        value = Decimal(1)
    else:
        current = result.value
    return max(0.0, min(1.0, float(current / value)))
