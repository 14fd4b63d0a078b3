"""Helpers shared by the plan pages."""

from __future__ import annotations

from typing import Any

from metrics.snapshots import SnapshotEvaluator


def stored_figures() -> Any:
    """Target progress read through the metric snapshots: the engine's own numbers, stored
    (a province's plan does not recount millions of records on every view); see metrics.snapshots."""
    return SnapshotEvaluator()
