"""What a dashboard measures: each figure is one metric engine call (`metrics.snapshots.Spec`), named here once.

Snapshots are stored for exactly these specs (`dashboard_figures`, registered
with `metrics.recompute` in `DashboardsConfig.ready`), so the recompute task
and the dashboard agree on what "activities in March 2022" means.
"""

from __future__ import annotations

from datetime import date

from metrics.periods import Period
from metrics.snapshots import Spec

TOTAL_METRICS = ("activity_count", "youth_reached", "wulao_participants")


def kind_codes() -> list[str]:
    from activities.models import ActivityKind

    return list(ActivityKind.objects.order_by("sort_order", "id").values_list("code", flat=True))


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


def dashboard_figures(ids: list[int], years: list[int], today: date) -> list[tuple[Spec, list[int]]]:
    """Every dashboard figure of these years, for all these committees (a `metrics.recompute.FigureSource`)."""
    codes = kind_codes()
    return [(spec, ids) for year in years for spec in dashboard_specs(year, codes)]
