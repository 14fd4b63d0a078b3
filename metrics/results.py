"""What a metric gives: an exact Decimal, and for ratios its numerator and denominator."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class MetricResult:
    value: Decimal  # exact; ratios are Decimal too (e.g. Decimal("0.0045"))
    numerator: Decimal | None = None  # for ratios
    denominator: Decimal | None = None


def ratio(numerator: Any, denominator: Any) -> MetricResult:
    num, den = Decimal(numerator or 0), Decimal(denominator or 0)
    return MetricResult(value=num / den if den else Decimal(0), numerator=num, denominator=den)


def zero(is_ratio: bool) -> MetricResult:
    """The value of a committee nothing counted for."""
    return MetricResult(Decimal(0), Decimal(0), Decimal(0)) if is_ratio else MetricResult(Decimal(0))
