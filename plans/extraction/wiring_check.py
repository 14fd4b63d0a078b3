"""How many targets of real plans are wired to the right metric when they are read.

The corpus (`plans/corpus/`, see its README) holds public plan documents and,
beside each, the quantified targets a careful reader finds in it with the
metric that counts each one (or none, when nothing the engine keeps counts
it). The demo plans are in it too, by their path in `demo/documents/`. Each
document is read as a pasted plan is, and each expected target is looked up
among the targets read (by its words, value and unit):

- right: wired to the expected metric with the expected parameters, period and scope;
- wrong: wired to another metric or other parameters, or wired when nothing counts it;
- not wired: read but left unmeasured although the engine counts it;
- not read: the extractor did not find it (a countable one counts as not wired).

`manage.py target_wiring_check` prints one line per expected target and the
share wired right; the benchmark's "wiring" figure and a test hold it to the bar.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

from plans.extraction.pipeline import extract_text
from plans.extraction.results import ExtractedTarget

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
# Measured on the corpus (plans/corpus/README.md): every countable target wired right, none wrong.
# The bar leaves room for a new document's phrasing, never for a wrong figure.
BAR_SHARE = Decimal("0.90")
BAR_WRONG = 0

RIGHT, WRONG, NOT_WIRED, NOT_READ, UNMEASURED = "right", "WRONG", "not wired", "not read", "left unmeasured"


@dataclass
class Line:
    document: str
    sentence: str
    verdict: str
    expected: str
    got: str = ""

    @property
    def countable(self) -> bool:
        return self.expected != "—"

    def __str__(self) -> str:
        got = f"; read as {self.got}" if self.got and self.verdict not in (RIGHT, UNMEASURED) else ""
        return f"{self.verdict:>15}  {self.document}: {self.sentence} → {self.expected}{got}"


@dataclass
class WiringResult:
    lines: list[Line] = field(default_factory=list)
    documents: int = 0

    @property
    def countable(self) -> int:
        return sum(1 for line in self.lines if line.countable)

    @property
    def right(self) -> int:
        return sum(1 for line in self.lines if line.countable and line.verdict == RIGHT)

    @property
    def wrong(self) -> int:
        return sum(1 for line in self.lines if line.verdict == WRONG)

    @property
    def unmeasured(self) -> int:
        return sum(1 for line in self.lines if line.verdict == UNMEASURED)

    @property
    def share(self) -> Decimal:
        return Decimal(self.right) / Decimal(self.countable) if self.countable else Decimal(0)

    @property
    def meets_bar(self) -> bool:
        return self.share >= BAR_SHARE and self.wrong <= BAR_WRONG

    def summary(self) -> str:
        return f"wired: {self.right}/{self.countable} ({self.share * 100:.0f}%)"


def document_text(path: Path, year: int | None = None) -> str:
    """A corpus document as a secretary would paste it: without its header comment lines."""
    text = path.read_text(encoding="utf-8")
    if year is not None:
        text = text.replace("{year}", str(year))
    return "\n".join(line for line in text.split("\n") if not line.startswith("# "))


def _describe(metric: str | None, params: dict[str, Any] | None = None, period: str = "", scope: str = "") -> str:
    if not metric:
        return "—"
    extra = [json.dumps(params, ensure_ascii=False, sort_keys=True)] if params else []
    extra += [v for v in (period, scope) if v]
    return f"{metric} {' '.join(extra)}".strip()


def _same_value(expected: Any, target: ExtractedTarget) -> bool:
    return abs(Decimal(str(expected)) - target.value) < Decimal("0.001")


def _find(expected: dict[str, Any], read: list[ExtractedTarget], used: set[int]) -> ExtractedTarget | None:
    sentence = expected["sentence"]
    for i, target in enumerate(read):
        if i in used or target.unit != expected["unit"] or not _same_value(expected["value"], target):
            continue
        if sentence in target.text or target.text in sentence:
            used.add(i)
            return target
    return None


def _verdict(expected: dict[str, Any], target: ExtractedTarget | None) -> str:
    metric = expected.get("metric")
    if not metric:
        return WRONG if target is not None and target.metric else UNMEASURED
    if target is None:
        return NOT_READ
    if not target.metric:
        return NOT_WIRED
    same = (
        target.metric == metric
        and (target.params or {}) == (expected.get("params") or {})
        and target.period == expected.get("period", "year")
        and target.scope == expected.get("scope", "aggregate")
    )
    return RIGHT if same else WRONG


def check_case(case_path: Path, base_dir: Path) -> list[Line]:
    case = json.loads(case_path.read_text(encoding="utf-8"))
    name = case_path.name.removesuffix(".targets.json")
    plan = extract_text(document_text(base_dir / case["document"], case.get("year")))
    read = [t for s in plan.sections for p in s.points for t in p.targets]
    used: set[int] = set()
    lines = []
    for expected in case["targets"]:
        target = _find(expected, read, used)
        got = _describe(target.metric, target.params, target.period, target.scope) if target else ""
        expected_text = (
            _describe(
                expected.get("metric"),
                expected.get("params"),
                expected.get("period", "year"),
                expected.get("scope", "aggregate"),
            )
            if expected.get("metric")
            else "—"
        )
        lines.append(Line(name, expected["sentence"], _verdict(expected, target), expected_text, got))
    for i, target in enumerate(read):
        if i not in used and target.metric:
            # A target nobody expects, counted as something: its figure would look real.
            got = _describe(target.metric, target.params, target.period, target.scope)
            lines.append(Line(name, target.text, WRONG, "— (not a target)", got))
    return lines


def check_corpus(corpus_dir: Path | None = None, base_dir: Path | None = None) -> WiringResult:
    corpus_dir = corpus_dir or CORPUS_DIR
    base_dir = base_dir or Path(settings.BASE_DIR)
    result = WiringResult()
    for case_path in sorted(corpus_dir.glob("*.targets.json")):
        result.documents += 1
        result.lines.extend(check_case(case_path, base_dir))
    return result
