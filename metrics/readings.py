"""One reading of a goal for one committee: what is compared with what, how far along, what colour.

Every page, download and API answer that shows a target line prints a
`Reading` made here, so a target reads the same wherever a leader meets it.
A reading knows its role, i.e. what the committee's figure is compared with:

- OWN: the committee's own goal. "目前 17次，目标 ≥ 20次：已完成 85%".
- SHARE: a sub-committee's part of a parent's count or sum, compared with an
  even share of the parent's goal and saying so: "17次，计入广州中医药大学目标
  ≥ 20次；12 个下级平均每个 ≥ 1.67次：已达到".
- APPLIES: a goal each sub-committee must reach itself ("每个学院至少 1 次"), or a
  parent's rate (a rate is not shared out): the figure against the goal, naming
  whose goal it is.
- COUNT: the parent of an "each sub-committee" goal: how many of them reach it,
  "12 个下级中 1 个达到 ≥ 1次：已完成 8%".

Invariants every line keeps: `percent` is 100 exactly when the goal is met
(a figure one short of its goal never rounds up to 100%), and a met goal is
green. The colour otherwise follows the time passed in the period (`elapsed`,
0..1):
- green ("ok"): met, or progress ≥ elapsed (on track pro rata);
- amber ("warn"): behind pro rata, but progress ≥ half of elapsed;
- red ("bad"): progress < half of elapsed, or an upper limit (≤ / =) not kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from metrics.goals import RATIO_UNIT, Goal, compare, fraction, left_to_do, meets, show_result
from metrics.periods import Period
from metrics.results import MetricResult

OWN = "own"
SHARE = "share"
APPLIES = "applies"
COUNT = "count"

SIGNS = {">=": "≥", "<=": "≤", "=": "="}


def elapsed_share(period: Period, today: date) -> float:
    """How much of the period has passed on `today`, 0..1, in whole local days."""
    if today < period.start:
        return 0.0
    if today >= period.end:
        return 1.0
    return ((today - period.start).days + 1) / ((period.end - period.start).days + 1)


def colour(*, met: bool, fraction: float, elapsed: float, at_least: bool = True) -> str:
    """Red / amber / green: "bad", "warn" or "ok" (see the module's docstring)."""
    if met:
        return "ok"
    if not at_least:
        return "bad"
    if fraction >= elapsed:
        return "ok"
    if fraction >= elapsed / 2:
        return "warn"
    return "bad"


def status_label(status: str) -> str:
    return {"ok": _("Green"), "warn": _("Amber"), "bad": _("Red")}.get(status, "—")


def number(value: Decimal, places: str = "0.01") -> str:
    """A plain number for reading: 12, 1.67, 45.5 (never 12.0000)."""
    return f"{value.quantize(Decimal(places), ROUND_HALF_UP).normalize():f}"


def show_goal(goal: Goal, value: Decimal | None = None) -> str:
    """The goal in its own words: "≥ 20次", "≥ 90%", "≥ 1比200"."""
    shown = number(Decimal(goal.value), "0.0001") if value is None else number(value)
    sign = SIGNS.get(goal.comparator, goal.comparator)
    if goal.unit == RATIO_UNIT:
        return f"{sign} 1比{shown}"
    return f"{sign} {shown}{goal.unit}"


def with_unit(goal: Goal, result: MetricResult) -> tuple[str, str]:
    """The figure in the goal's unit and the unit of a count: ("17", "次"), ("45.5%", ""), ("1比180", "")."""
    shown = show_result(goal, result)
    if goal.unit in ("%", RATIO_UNIT):
        return shown, ""
    return shown, goal.unit


@dataclass(frozen=True)
class Reading:
    role: str
    now: str  # the committee's figure in the goal's unit: "17", "45.5%", "1比180"
    goal: str  # the goal as the target states it: "≥ 20次"
    compared_with: str  # what the figure is compared with: the goal, or the share of it
    met: bool
    fraction: float  # 0..1 towards what it is compared with
    left: Decimal | None  # how many more reach it (None where that means nothing)
    elapsed: float  # 0..1 of the period passed
    status: str  # "ok", "warn", "bad"
    line: str  # the whole line, as every page, download and API answer prints it
    html: SafeString = mark_safe("")  # the same line for a page, the figure in <strong>
    value: Decimal | None = None  # the figure as a number in the goal's unit (None for a ratio "1比N")

    @property
    def percent(self) -> int:
        """100 when met, otherwise at most 99: a line never says 100% for a figure short of its goal."""
        return _percent(self.met, self.fraction)

    @property
    def expected_percent(self) -> int:
        return round(self.elapsed * 100)

    @property
    def status_label(self) -> str:
        return status_label(self.status)


def _compose(message: str, values: dict, state: str) -> tuple[str, SafeString]:
    """The line as text, and as HTML with the committee's figure (`values["now"]`, a pair) in <strong>."""
    plain = {k: "".join(v) if isinstance(v, tuple) else v for k, v in values.items()}
    marked = {k: conditional_escape(v) for k, v in plain.items()}
    if "now" in values:
        marked["now"] = format_html("<strong>{}</strong>{}", *values["now"])
    line = _("%(comparison)s: %(state)s")
    text = line % {"comparison": message % plain, "state": state}
    html = line % {"comparison": message % marked, "state": conditional_escape(state)}
    return text, mark_safe(html)  # noqa: S308 — every part is escaped above


def _state(met: bool, percent: int, at_least: bool) -> str:
    if met:
        return pgettext("target reading", "reached")
    if not at_least:
        return pgettext("target reading", "not kept")
    return _("%(percent)s%% done") % {"percent": percent}


def _percent(met: bool, frac: float) -> int:
    return 100 if met else min(99, math.floor(frac * 100))


def _figure(goal: Goal, result: MetricResult) -> Decimal | None:
    if goal.unit == RATIO_UNIT:
        return None
    if goal.unit == "%":
        return (result.value * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return result.value


def _make(role, goal, result, *, compared_with, met, frac, left, elapsed, message, values, state=None) -> Reading:
    at_least = goal.comparator == ">="
    text, html = _compose(message, values, state or _state(met, _percent(met, frac), at_least))
    return Reading(
        role=role,
        now=show_result(goal, result),
        goal=show_goal(goal),
        compared_with=compared_with,
        met=met,
        fraction=frac,
        left=left,
        elapsed=elapsed,
        status=colour(met=met, fraction=frac, elapsed=elapsed, at_least=at_least),
        line=text,
        html=html,
        value=_figure(goal, result),
    )


def read_own(goal: Goal, result: MetricResult, *, elapsed: float) -> Reading:
    """The committee's own goal: its figure against it."""
    return _make(
        OWN,
        goal,
        result,
        compared_with=show_goal(goal),
        met=meets(goal, result),
        frac=fraction(goal, result),
        left=left_to_do(goal, result),
        elapsed=elapsed,
        message=_("Now %(now)s, goal %(goal)s"),
        values={"now": with_unit(goal, result), "goal": show_goal(goal)},
    )


def read_share(
    goal: Goal, result: MetricResult, *, parts: int, whose: str, elapsed: float, whole_met: bool = False
) -> Reading:
    """A sub-committee's part of a parent's count or sum: against an even share of it, stated as such.
    Once the parent as a whole has reached the goal, every part of it has: the line says so."""
    value = Decimal(goal.value)
    parts = max(parts, 1)
    share = value / parts
    if whole_met:
        return _make(
            SHARE,
            goal,
            result,
            compared_with=show_goal(goal),
            met=True,
            frac=1.0,
            left=Decimal(0) if goal.comparator == ">=" else None,
            elapsed=elapsed,
            message=_("%(now)s towards %(whose)s's goal %(goal)s"),
            values={"now": with_unit(goal, result), "whose": whose, "goal": show_goal(goal)},
            state=_("reached by %(whose)s as a whole") % {"whose": whose},
        )
    # Exact: the figure × parts against the goal, never a rounded share.
    met = compare(goal.comparator, result.value * parts, value)
    if goal.comparator == ">=":
        frac = 1.0 if met or not value else max(0.0, min(1.0, float(result.value * parts / value)))
        left = Decimal(0) if met else Decimal(max(0, math.ceil(share - result.value)))
    else:
        frac, left = (1.0 if met else 0.0), None
    return _make(
        SHARE,
        goal,
        result,
        compared_with=show_goal(goal, share),
        met=met,
        frac=frac,
        left=left,
        elapsed=elapsed,
        message=_("%(now)s towards %(whose)s's goal %(goal)s; an even share of %(parts)s is %(share)s each"),
        values={
            "now": with_unit(goal, result),
            "whose": whose,
            "goal": show_goal(goal),
            "parts": parts,
            "share": show_goal(goal, share),
        },
    )


def read_applies(goal: Goal, result: MetricResult, *, whose: str, each: bool, elapsed: float) -> Reading:
    """A goal that applies to the committee itself although a parent set it (each sub-committee, or a rate)."""
    if each:
        message = _("Now %(now)s, %(whose)s's goal for each sub-committee %(goal)s")
    else:
        message = _("Now %(now)s, %(whose)s's goal %(goal)s")
    return _make(
        APPLIES,
        goal,
        result,
        compared_with=show_goal(goal),
        met=meets(goal, result),
        frac=fraction(goal, result),
        left=left_to_do(goal, result),
        elapsed=elapsed,
        message=message,
        values={"now": with_unit(goal, result), "whose": whose, "goal": show_goal(goal)},
    )


def read_count(goal: Goal, *, reached: int, total: int, elapsed: float) -> Reading:
    """The parent of a goal each sub-committee must reach: how many of them do (more is always better)."""
    met = total > 0 and reached == total
    frac = reached / total if total else 0.0
    text, html = _compose(
        _("%(now)s of %(total)s sub-committees reach %(goal)s"),
        {"now": (str(reached), ""), "total": total, "goal": show_goal(goal)},
        _state(met, _percent(met, frac), True),
    )
    return Reading(
        role=COUNT,
        now=_("%(reached)s of %(total)s") % {"reached": reached, "total": total},
        goal=show_goal(goal),
        compared_with=_("all %(total)s") % {"total": total},
        met=met,
        fraction=frac,
        left=Decimal(total - reached),
        elapsed=elapsed,
        status=colour(met=met, fraction=frac, elapsed=elapsed),
        line=text,
        html=html,
        value=Decimal(reached),
    )
