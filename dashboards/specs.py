"""What a dashboard measures: each figure is one `plans.metrics` call, named here once.

Snapshots are stored for exactly these specs, so the recompute task and the
dashboard agree on what "activities in March 2022" means.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from plans.metrics import Period


def params_key(params: dict[str, Any]) -> str:
    return json.dumps(params or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Spec:
    name: str  # e.g. "year:activity_count", "month:3", "kind:lecture"
    metric: str
    period: Period
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    subtree: bool = True

    @property
    def key(self) -> tuple[str, str, bool, Any, Any]:
        return (self.metric, params_key(self.params), self.subtree, self.period.start, self.period.end)


TOTAL_METRICS = ("activity_count", "youth_reached", "wulao_participants")


def total_specs(year: int) -> list[Spec]:
    """The year's totals: shown for the committee and for each sub-committee."""
    return [Spec(f"year:{code}", code, Period.year(year)) for code in TOTAL_METRICS]


def month_specs(year: int) -> list[Spec]:
    return [Spec(f"month:{m}", "activity_count", Period.month(year, m)) for m in range(1, 13)]


def kind_specs(year: int, kind_codes: list[str]) -> list[Spec]:
    return [Spec(f"kind:{code}", "activity_count", Period.year(year), {"kinds": [code]}) for code in kind_codes]


def dashboard_specs(year: int, kind_codes: list[str]) -> list[Spec]:
    """Everything the dashboard of one committee shows for a year."""
    return total_specs(year) + month_specs(year) + kind_specs(year, kind_codes)
