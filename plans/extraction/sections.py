"""Step 4: a heading node into a section with its points ("一是…二是…" included) and their targets."""

from __future__ import annotations

import re

from plans.extraction.normalise import CN_NUM, chinese_number
from plans.extraction.results import ExtractedPoint, ExtractedSection
from plans.extraction.structure import NUMBER_FORMATS, Node, split_lead
from plans.extraction.targets import extract_targets


def _inline_points(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Split "…：一是强基层建设。…二是抓关键指标。…" into (intro, [(number, text), …])."""
    hits = []
    expected = 1
    for m in re.finditer(rf"(?:^|(?<=[。；：:\n]))\s*([{CN_NUM}]{{1,2}})是", text):
        if chinese_number(m.group(1)) == expected:
            hits.append(m)
            expected += 1
    if len(hits) < 2:
        return text, []
    intro = text[: hits[0].start()].strip()
    items = []
    for i, m in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(text)
        items.append((m.group(1), text[m.end() : end].strip()))
    return intro, items


def _point(number: str, content: str) -> ExtractedPoint:
    title, rest = split_lead(content)
    point = ExtractedPoint(number=number, title=title, text=rest if title else content)
    point.targets = extract_targets(content)
    return point


def section_from(node: Node, part: str = "") -> ExtractedSection:
    number = NUMBER_FORMATS[node.level].format(node.number).rstrip("、.")
    title, lead_rest = split_lead(node.title, 60) if "。" in node.title else (node.title, "")
    section = ExtractedSection(number=number, title=title, part=part)
    intro = [lead_rest] if lead_rest else []
    intro += node.body
    if node.children:
        section.text = "\n".join(intro)
        for child in node.children:
            content = "\n".join([child.title, *child.body])
            content += "".join("\n" + NUMBER_FORMATS[g.level].format(g.number) + g.all_text() for g in child.children)
            section.points.append(_point(child.number, content))
        return section
    body = "\n".join(intro)
    lead, items = _inline_points(body)
    if items:
        section.text = lead
        section.points = [_point(num, content) for num, content in items]
    elif body:
        section.points = [_point("", body)]
    return section
