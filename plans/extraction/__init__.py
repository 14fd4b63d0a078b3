"""Plan documents into data: text or .docx → title, 文号, issuer, sections, points, targets, phases.

Pure functions, no database. Whatever cannot be read into a structure stays as
plain text on the nearest point, section, preamble or closing: nothing of the
document is dropped. `extract_text` raises `ExtractionError` (a ValidationError
with a message for the user) for an empty document or one without numbered
sections.

The read, in the order `pipeline.extract_text` runs it:
1. `normalise`: each line cleaned (full-width digits, stray spaces), Chinese numerals;
2. `structure`: numbered headings and the tree of paragraphs under them;
   `header`: 文号, issuer, date and title before the first heading, the closing after the last;
3. `phases`: a schedule heading's phases and yearly steps; `targets`: the quantified
   targets in a point's text, with a metric guessed;
4. `sections`: each heading into a section with its points and their targets.
`results` holds what comes out (`ExtractedPlan` and its parts); `document` reads a
.docx into text, bounded before python-docx parses it.
"""

from plans.extraction.document import check_plan_document, docx_text
from plans.extraction.normalise import chinese_number
from plans.extraction.pipeline import extract_docx, extract_text
from plans.extraction.results import (
    ExtractedPhase,
    ExtractedPlan,
    ExtractedPoint,
    ExtractedSection,
    ExtractedTarget,
    ExtractionError,
    PhaseStep,
)
from plans.extraction.targets import extract_targets, suggest_metric

__all__ = [
    "ExtractedPhase",
    "ExtractedPlan",
    "ExtractedPoint",
    "ExtractedSection",
    "ExtractedTarget",
    "ExtractionError",
    "PhaseStep",
    "check_plan_document",
    "chinese_number",
    "docx_text",
    "extract_docx",
    "extract_targets",
    "extract_text",
    "suggest_metric",
]
