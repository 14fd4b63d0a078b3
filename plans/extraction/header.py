"""The lines before the first heading (文号, issuer, date, title) and the closing lines after the last."""

from __future__ import annotations

import re
from datetime import date

from plans.extraction.normalise import TERMINAL
from plans.extraction.results import ExtractedPlan

DOC_NUMBER = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,20}[（(〔\[［【]\d{4}[）)〕\]］】]\d{1,4}号$")
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
ISSUER_DATE = re.compile(r"^[（(]([^，,（）()]{2,60})[，,]\s*(\d{4})年(\d{1,2})月(\d{1,2})日[）)]$")
NOTICE_TITLE = re.compile(r"关于印发《(.+?)》的通知")
TITLE_WORDS = re.compile(r"(要点|方案|规划|计划|意见|安排)$")


def _date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def parse_header(lines: list[str], plan: ExtractedPlan) -> None:
    consumed: set[int] = set()
    for i, line in enumerate(lines):
        if not plan.doc_number and DOC_NUMBER.match(line) and len(line) <= 30:
            plan.doc_number = line
            consumed.add(i)
        elif plan.issued_on is None and (m := DATE_LINE.match(line)):
            plan.issued_on = _date(*m.groups())
            consumed.add(i)
            prev = i - 1
            if prev >= 0 and prev not in consumed and len(lines[prev]) <= 40 and not lines[prev].endswith(TERMINAL):
                plan.issuer = plan.issuer or lines[prev]
                consumed.add(prev)
        elif plan.issued_on is None and (m := ISSUER_DATE.match(line)):
            plan.issuer = m.group(1).strip()
            plan.issued_on = _date(*m.groups()[1:])
            consumed.add(i)
    for i, line in enumerate(lines):
        if line.endswith("文件") and len(line) <= 40 and i not in consumed:
            plan.issuer = plan.issuer or line[: -len("文件")]
            consumed.add(i)
    for line in lines:
        if m := NOTICE_TITLE.search(line):
            plan.title = m.group(1).strip()
            break
    if not plan.title:
        for i, line in enumerate(lines):
            if i not in consumed and TITLE_WORDS.search(line) and not line.startswith(("【", "[")) and len(line) <= 80:
                plan.title = line
                consumed.add(i)
                break
    if plan.title:
        # A title broken over several lines (无锡职业技术学院 / 关心下一代工作委员会2022年工作要点).
        compact = plan.title.replace(" ", "")
        for i, line in enumerate(lines):
            if i not in consumed and not line.endswith(TERMINAL) and line.replace(" ", "") in compact:
                consumed.add(i)
    plan.preamble = "\n".join(line for i, line in enumerate(lines) if i not in consumed)


def parse_closing(closing: list[str], plan: ExtractedPlan) -> None:
    for i, line in enumerate(closing):
        if m := DATE_LINE.match(line):
            plan.issued_on = plan.issued_on or _date(*m.groups())
            if i > 0 and not plan.issuer:
                plan.issuer = closing[i - 1]
            return
