"""What extraction produces: the plan and its parts as plain data, and the error for the user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError


class ExtractionError(ValidationError):
    """The document cannot become a plan; the message says why, for the user."""


@dataclass
class ExtractedTarget:
    text: str
    comparator: str  # ">=", "<=", "="
    value: Decimal
    unit: str
    period: str  # "year", "semester", "month"
    metric: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    scope: str = "aggregate"

    def as_json(self) -> dict[str, Any]:
        value: Any = int(self.value) if self.value == self.value.to_integral_value() else float(self.value)
        return {
            "text": self.text,
            "comparator": self.comparator,
            "value": value,
            "unit": self.unit,
            "period": self.period,
        }


@dataclass
class ExtractedPoint:
    number: str
    title: str
    text: str
    targets: list[ExtractedTarget] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "targets": [t.as_json() for t in self.targets],
        }


@dataclass
class ExtractedSection:
    number: str
    title: str
    text: str = ""
    part: str = ""  # the higher heading this section sits under, e.g. "二、创建“五好”具体内容"
    points: list[ExtractedPoint] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "points": [p.as_json() for p in self.points]}


@dataclass
class PhaseStep:
    year: int
    text: str


@dataclass
class ExtractedPhase:
    name: str
    start: date
    end: date
    text: str = ""
    steps: list[PhaseStep] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass
class ExtractedPlan:
    title: str = ""
    doc_number: str = ""
    issuer: str = ""
    issued_on: date | None = None
    preamble: str = ""
    closing: str = ""
    schedule_text: str = ""  # text of the heading that held the phases, e.g. "一、创建工作时间安排"
    sections: list[ExtractedSection] = field(default_factory=list)
    phases: list[ExtractedPhase] = field(default_factory=list)
    source_text: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "sections": [s.as_json() for s in self.sections],
            "phases": [p.as_json() for p in self.phases],
        }

    @property
    def target_count(self) -> int:
        return sum(len(p.targets) for s in self.sections for p in s.points)
