"""A Gantt-style timeline of a programme, laid out as percentages for server-rendered HTML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass
class Bar:
    label: str
    start: date
    end: date
    left: float
    width: float
    state: str  # "done", "current", "future"
    obj: Any = None


@dataclass
class Marker:
    label: str
    day: date
    left: float
    kind: str
    overdue: bool
    obj: Any = None


@dataclass
class Timeline:
    start: date
    end: date
    years: list[tuple[int, float, float]]  # (year, left %, width %)
    bars: list[Bar]
    markers: list[Marker]
    today_left: float | None


def build_timeline(phases: list[Any], milestones: list[Any], today: date) -> Timeline | None:
    days = [p.starts_on for p in phases] + [p.ends_on for p in phases] + [m.due_on for m in milestones]
    if not days:
        return None
    start = date(min(days).year, 1, 1)
    end = date(max(days).year, 12, 31)
    span = (end - start).days + 1

    def pos(day: date) -> float:
        return round(100 * (day - start).days / span, 3)

    years = []
    for y in range(start.year, end.year + 1):
        left = pos(date(y, 1, 1))
        right = 100.0 if y == end.year else pos(date(y + 1, 1, 1))
        years.append((y, left, round(right - left, 3)))
    bars = []
    for p in phases:
        state = "done" if p.ends_on < today else "current" if p.starts_on <= today else "future"
        width = round(100 * ((p.ends_on - p.starts_on).days + 1) / span, 3)
        bars.append(Bar(p.name, p.starts_on, p.ends_on, pos(p.starts_on), width, state, p))
    markers = [
        Marker(m.title, m.due_on, pos(m.due_on), m.kind, m.due_on < today and not getattr(m, "handed_in", None), m)
        for m in milestones
    ]
    today_left = pos(today) if start <= today <= end else None
    return Timeline(start, end, years, bars, markers, today_left)
