"""Step 3b: the phases of a schedule heading ("2017～2019年", "2023年下半年") and their yearly steps."""

from __future__ import annotations

import re
from datetime import date

from plans.extraction.results import ExtractedPhase, PhaseStep
from plans.extraction.structure import NUMBER_FORMATS, Node, split_lead

# Phases: "2017～2019年", "2019～2020年", "2023年下半年或2024年", "第一年，2020年".
YEAR_RANGE = re.compile(r"(\d{4})\s*年?\s*[～~〜—–\-至到]\s*(\d{4})\s*年")
YEAR_HALF = re.compile(r"(\d{4})年(上半年|下半年)?")
STEP = re.compile(r"^(?:\d{1,2}[\.．、])?\s*(?:第[一二三四五六七八九十]+年[，,：:]\s*)?(\d{4})年[：:，,]\s*(.*)$")
SCHEDULE_WORDS = ("时间安排", "阶段", "步骤", "进度安排", "实施步骤")


def phase_from(node: Node) -> ExtractedPhase | None:
    text = node.all_text()
    starts: list[date] = []
    ends: list[date] = []
    for m in YEAR_RANGE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if 1990 <= a <= b <= 2100:
            starts.append(date(a, 1, 1))
            ends.append(date(b, 12, 31))
    for m in YEAR_HALF.finditer(text):
        year = int(m.group(1))
        if not 1990 <= year <= 2100:
            continue
        half = m.group(2)
        starts.append(date(year, 7, 1) if half == "下半年" else date(year, 1, 1))
        ends.append(date(year, 6, 30) if half == "上半年" else date(year, 12, 31))
    if not starts:
        return None
    steps = []
    for line in [*node.body, *(NUMBER_FORMATS[c.level].format(c.number) + c.all_text() for c in node.children)]:
        if m := STEP.match(line):
            steps.append(PhaseStep(int(m.group(1)), line))
    name = split_lead(node.title, 20)[0] or node.title
    return ExtractedPhase(name=name, start=min(starts), end=max(ends), text=text, steps=steps)
