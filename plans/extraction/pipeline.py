"""The whole read: normalise → header and closing → tree → phases and sections (with their targets)."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from plans.extraction.document import docx_text
from plans.extraction.header import parse_closing, parse_header
from plans.extraction.normalise import normalise_line
from plans.extraction.phases import SCHEDULE_WORDS, phase_from
from plans.extraction.results import ExtractedPlan, ExtractionError
from plans.extraction.sections import section_from
from plans.extraction.structure import NUMBER_FORMATS, build_tree, heading, is_closing_line, merge_broken_paragraphs


def extract_text(text: str) -> ExtractedPlan:
    """Read a plan from its text. Raises ExtractionError for an empty or non-plan document."""
    raw_lines = [normalise_line(line) for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in raw_lines if line]
    if not lines:
        raise ExtractionError(_("The document is empty: there is no text to read."), code="empty")
    plan = ExtractedPlan(source_text=text)
    first_heading = next((i for i, line in enumerate(lines) if heading(line)), None)
    if first_heading is None:
        raise ExtractionError(
            _(
                "No numbered sections (一、二、… or （一）（二）… or 1. 2. …) were found. "
                "This does not look like a work plan; please check the file."
            ),
            code="no_sections",
        )
    parse_header(lines[:first_heading], plan)
    body = lines[first_heading:]
    closing: list[str] = []
    while len(body) > 1 and is_closing_line(body[-1]):
        closing.insert(0, body.pop())
    plan.closing = "\n".join(closing)
    if not plan.issued_on or not plan.issuer:
        parse_closing(closing, plan)
    roots = build_tree(merge_broken_paragraphs(body))[1]

    schedule: list[str] = []
    for root in roots:
        if root.children and root.level < 3 and all(c.level == root.level + 1 for c in root.children):
            is_schedule = any(w in root.title for w in SCHEDULE_WORDS)
            phases = [phase_from(c) for c in root.children] if is_schedule else []
            if phases and all(phases):
                plan.phases.extend(p for p in phases if p)
                schedule.append(NUMBER_FORMATS[root.level].format(root.number) + root.title)
                schedule.extend(root.body)
                continue
            if root.level == 1 and any(c.children or c.body for c in root.children):
                part = NUMBER_FORMATS[root.level].format(root.number) + root.title
                for child in root.children:
                    plan.sections.append(section_from(child, part=part))
                if root.body:
                    plan.sections[-len(root.children)].text = "\n".join(
                        filter(None, ["\n".join(root.body), plan.sections[-len(root.children)].text])
                    )
                continue
        if any(w in root.title for w in SCHEDULE_WORDS) and (phase := phase_from(root)):
            plan.phases.append(phase)
            schedule.append(NUMBER_FORMATS[root.level].format(root.number) + root.title)
            continue
        plan.sections.append(section_from(root))
    plan.schedule_text = "\n".join(schedule)
    if not plan.sections and not plan.phases:
        raise ExtractionError(_("No work points could be read from this document."), code="no_points")
    return plan


def extract_docx(f: IO[bytes]) -> ExtractedPlan:
    """Validate an uploaded .docx and read the plan in it."""
    return extract_text(docx_text(f))
