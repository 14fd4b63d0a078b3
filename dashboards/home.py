"""What the home page answers first for a leader: this year's targets and the sub-committees behind.

Everything comes from `dashboards.board.Dashboard` (snapshot-based figures, no
recount), so home and the committee dashboard cannot disagree. Nothing here is
computed until the template asks for it: a cached panel asks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from dashboards import selectors
from dashboards.board import Dashboard, RankRow, TargetRow
from orgs.models import Committee

TARGET_LINES = 5  # worst first; the rest are one tap away on the dashboard
BEHIND_LINES = 5
PANELS = 3  # a leader of more committees than this reads the others on their dashboards


@dataclass
class LeaderPanel:
    committee: Committee
    board: Dashboard
    cache_key: str | None

    @cached_property
    def targets(self) -> list[TargetRow]:
        """The targets furthest behind first (the board's order: red, amber, green)."""
        return self.board.target_rows[:TARGET_LINES]

    @property
    def more_targets(self) -> int:
        return max(len(self.board.target_rows) - TARGET_LINES, 0)

    @property
    def rag(self) -> dict[str, int]:
        return self.board.rag_counts

    @cached_property
    def behind(self) -> list[RankRow]:
        """Sub-committees behind on at least one target, furthest behind first."""
        return [r for r in self.board.ranking if r.behind][:BEHIND_LINES]

    @property
    def measured(self) -> bool:
        """Whether any sub-committee is measured by a target at all (else "none behind" would mislead)."""
        return any(r.measured for r in self.board.ranking)


def leader_panels(user: Any, today: date) -> list[LeaderPanel]:
    return [
        LeaderPanel(c, Dashboard(user, c, today.year, today), selectors.board_cache_key(user, c, today.year, today))
        for c in selectors.led_committees(user)[:PANELS]
    ]
