"""Periods a metric is measured over: inclusive ranges of local dates (Asia/Shanghai).

A year, an academic semester (autumn: Sep 1 .. Jan 31; spring: Feb 1 .. Aug 31),
a month, or custom dates; a moment is placed in the period of its Shanghai date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _


def local_date(value: date | datetime) -> date:
    """The Asia/Shanghai calendar date of a date or an aware datetime."""
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            raise ValueError("naive datetime: give an aware datetime or a date")
        return timezone.localtime(value).date()
    return value


@dataclass(frozen=True)
class Period:
    """An inclusive range of local dates with a kind: year, semester, month or custom."""

    start: date
    end: date
    kind: str = "custom"
    year_number: int | None = None  # the calendar year, or the academic year a semester belongs to
    number: int | None = None  # semester 1/2, month 1..12

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period cannot end before it starts")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year", year)

    @classmethod
    def semester(cls, academic_year: int, number: int) -> Period:
        """Semester 1 (autumn): Sep 1 .. Jan 31; semester 2 (spring): Feb 1 .. Aug 31 of the next year."""
        if number == 1:
            return cls(date(academic_year, 9, 1), date(academic_year + 1, 1, 31), "semester", academic_year, 1)
        if number == 2:
            return cls(date(academic_year + 1, 2, 1), date(academic_year + 1, 8, 31), "semester", academic_year, 2)
        raise ValueError("a semester is 1 (autumn) or 2 (spring)")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), "month", year, month)

    @classmethod
    def custom(cls, start: date | datetime, end: date | datetime) -> Period:
        return cls(local_date(start), local_date(end), "custom")

    @classmethod
    def semester_of(cls, value: date | datetime) -> Period:
        d = local_date(value)
        if d.month >= 9:
            return cls.semester(d.year, 1)
        if d.month == 1:
            return cls.semester(d.year - 1, 1)
        return cls.semester(d.year - 1, 2)

    @classmethod
    def year_of(cls, value: date | datetime) -> Period:
        return cls.year(local_date(value).year)

    @classmethod
    def month_of(cls, value: date | datetime) -> Period:
        d = local_date(value)
        return cls.month(d.year, d.month)

    def contains(self, value: date | datetime) -> bool:
        return self.start <= local_date(value) <= self.end

    def previous(self) -> Period:
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        if self.kind == "semester":
            return Period.semester_of(self.start - timedelta(days=1))
        if self.kind == "month":
            return Period.month_of(self.start - timedelta(days=1))
        length = self.end - self.start
        return Period.custom(self.start - length - timedelta(days=1), self.start - timedelta(days=1))

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("%(year)s") % {"year": self.start.year}
        if self.kind == "semester":
            return _("%(first)s–%(second)s semester %(n)s") % {
                "first": self.year_number,
                "second": (self.year_number or 0) + 1,
                "n": self.number,
            }
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    def __str__(self) -> str:
        return self.label
