"""Plan documents into data: text or .docx → title, 文号, issuer, sections, points, targets, phases.

Pure functions, no database. Whatever cannot be read into a structure stays as
plain text on the nearest point, section, preamble or closing: nothing of the
document is dropped. `extract_text` raises `ExtractionError` (a ValidationError
with a message for the user) for an empty document or one without numbered
sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanwei.uploads import FileKind, check_upload


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


# ---------------------------------------------------------------------------
# Text normalisation

_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2018-\u201d"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_SPACE_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}0-9A-Za-z%])")
_SPACE_BEFORE_CJK = re.compile(rf"(?<=[0-9A-Za-z%])[ \t\u00a0\u3000]+(?=[{_CJK}])")
_TERMINAL = tuple("。；！？：!?;:")


def _normalise_line(line: str) -> str:
    line = line.translate(_FULLWIDTH_DIGITS).replace("**", "").replace("\u00a0", " ").strip(" \t\u3000\ufeff")
    line = _SPACE_AFTER_CJK.sub("", line)
    line = _SPACE_BEFORE_CJK.sub("", line)
    return re.sub(r"[ \t]{2,}", " ", line)


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """ "25" → 25, "二十五" → 25, "两" → 2, "十" → 10; None if it is not a number."""
    if text.isdecimal():  # what int() takes (ASCII or full-width digits); "²" is a digit it refuses
        return int(text) if len(text) <= 18 else None  # and thousands of them pass its digit limit
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


# ---------------------------------------------------------------------------
# Headings

_CN_NUM = "一二三四五六七八九十"
HEADING_PATTERNS = (
    (1, re.compile(rf"^([{_CN_NUM}]{{1,3}})、\s*(.*)$")),
    (2, re.compile(rf"^[（(]([{_CN_NUM}]{{1,3}})[）)]\s*(.*)$")),
    (3, re.compile(r"^(\d{1,2})[\.．、](?!\d)\s*(.*)$")),
    (4, re.compile(r"^[（(](\d{1,2})[）)]\s*(.*)$")),
)
NUMBER_FORMATS = {1: "{}、", 2: "（{}）", 3: "{}.", 4: "（{}）"}


def _heading(line: str) -> tuple[int, str, str] | None:
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(line)
        if m and m.group(2):
            return level, m.group(1), m.group(2).strip()
    return None


@dataclass
class _Node:
    level: int
    number: str
    title: str
    body: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    def all_text(self) -> str:
        parts = [self.title, *self.body]
        parts += [NUMBER_FORMATS[c.level].format(c.number) + c.all_text() for c in self.children]
        return "\n".join(p for p in parts if p)


def _split_lead(text: str, limit: int = 30) -> tuple[str, str]:
    """Split "党政重视。学院领导…" → ("党政重视", "学院领导…"); no short lead → ("", text)."""
    m = re.match(rf"^([^。；：:]{{1,{limit}}})[。；：:]\s*(.*)$", text, re.S)
    if m and m.group(2):
        return m.group(1), m.group(2)
    if m and not m.group(2):
        return m.group(1), ""
    return "", text


# ---------------------------------------------------------------------------
# Header: 文号, issuer, date, title

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


def _parse_header(lines: list[str], plan: ExtractedPlan) -> None:
    consumed: set[int] = set()
    for i, line in enumerate(lines):
        if not plan.doc_number and DOC_NUMBER.match(line) and len(line) <= 30:
            plan.doc_number = line
            consumed.add(i)
        elif plan.issued_on is None and (m := DATE_LINE.match(line)):
            plan.issued_on = _date(*m.groups())
            consumed.add(i)
            prev = i - 1
            if prev >= 0 and prev not in consumed and len(lines[prev]) <= 40 and not lines[prev].endswith(_TERMINAL):
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
            if i not in consumed and not line.endswith(_TERMINAL) and line.replace(" ", "") in compact:
                consumed.add(i)
    plan.preamble = "\n".join(line for i, line in enumerate(lines) if i not in consumed)


# ---------------------------------------------------------------------------
# Body


def _is_closing_line(line: str) -> bool:
    return len(line) <= 40 and not line.endswith(("。", "；", ";")) and _heading(line) is None


TABLE_CELL_SEPARATOR = " ｜ "


def _merge_broken_paragraphs(lines: list[str]) -> list[str]:
    """Join paragraphs cut by page breaks ("…尽己所能，为" + "党分忧，…"); table rows stay apart."""
    merged: list[str] = []
    for line in lines:
        if merged and _heading(line) is None and "｜" not in line:
            prev = merged[-1]
            if (
                _heading(prev) is None
                and "｜" not in prev
                and not prev.endswith(_TERMINAL + ("”", "）", ")", "】", "」"))
            ):
                merged[-1] = prev + line
                continue
        merged.append(line)
    return merged


def _build_tree(lines: list[str]) -> tuple[list[str], list[_Node]]:
    """Paragraphs → (text before any heading, heading nodes nested by level)."""
    loose: list[str] = []
    roots: list[_Node] = []
    stack: list[_Node] = []
    for line in lines:
        head = _heading(line)
        if head is None:
            if stack:
                stack[-1].body.append(line)
            else:
                loose.append(line)
            continue
        level, number, title = head
        node = _Node(level, number, title)
        while stack and stack[-1].level >= level:
            stack.pop()
        if stack:
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)
    return loose, roots


# Phases: "2017～2019年", "2019～2020年", "2023年下半年或2024年", "第一年，2020年".
YEAR_RANGE = re.compile(r"(\d{4})\s*年?\s*[～~〜—–\-至到]\s*(\d{4})\s*年")
YEAR_HALF = re.compile(r"(\d{4})年(上半年|下半年)?")
STEP = re.compile(r"^(?:\d{1,2}[\.．、])?\s*(?:第[一二三四五六七八九十]+年[，,：:]\s*)?(\d{4})年[：:，,]\s*(.*)$")
SCHEDULE_WORDS = ("时间安排", "阶段", "步骤", "进度安排", "实施步骤")


def _phase_from(node: _Node) -> ExtractedPhase | None:
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
    name = _split_lead(node.title, 20)[0] or node.title
    return ExtractedPhase(name=name, start=min(starts), end=max(ends), text=text, steps=steps)


def _inline_points(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Split "…：一是强基层建设。…二是抓关键指标。…" into (intro, [(number, text), …])."""
    hits = []
    expected = 1
    for m in re.finditer(rf"(?:^|(?<=[。；：:\n]))\s*([{_CN_NUM}]{{1,2}})是", text):
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
    title, rest = _split_lead(content)
    point = ExtractedPoint(number=number, title=title, text=rest if title else content)
    point.targets = extract_targets(content)
    return point


def _section_from(node: _Node, part: str = "") -> ExtractedSection:
    number = NUMBER_FORMATS[node.level].format(node.number).rstrip("、.")
    title, lead_rest = _split_lead(node.title, 60) if "。" in node.title else (node.title, "")
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


def extract_text(text: str) -> ExtractedPlan:
    """Read a plan from its text. Raises ExtractionError for an empty or non-plan document."""
    raw_lines = [_normalise_line(line) for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in raw_lines if line]
    if not lines:
        raise ExtractionError(_("The document is empty: there is no text to read."), code="empty")
    plan = ExtractedPlan(source_text=text)
    first_heading = next((i for i, line in enumerate(lines) if _heading(line)), None)
    if first_heading is None:
        raise ExtractionError(
            _(
                "No numbered sections (一、二、… or （一）（二）… or 1. 2. …) were found. "
                "This does not look like a work plan; please check the file."
            ),
            code="no_sections",
        )
    _parse_header(lines[:first_heading], plan)
    body = lines[first_heading:]
    closing: list[str] = []
    while len(body) > 1 and _is_closing_line(body[-1]):
        closing.insert(0, body.pop())
    plan.closing = "\n".join(closing)
    if not plan.issued_on or not plan.issuer:
        _parse_closing(closing, plan)
    roots = _build_tree(_merge_broken_paragraphs(body))[1]

    schedule: list[str] = []
    for root in roots:
        if root.children and root.level < 3 and all(c.level == root.level + 1 for c in root.children):
            is_schedule = any(w in root.title for w in SCHEDULE_WORDS)
            phases = [_phase_from(c) for c in root.children] if is_schedule else []
            if phases and all(phases):
                plan.phases.extend(p for p in phases if p)
                schedule.append(NUMBER_FORMATS[root.level].format(root.number) + root.title)
                schedule.extend(root.body)
                continue
            if root.level == 1 and any(c.children or c.body for c in root.children):
                part = NUMBER_FORMATS[root.level].format(root.number) + root.title
                for child in root.children:
                    plan.sections.append(_section_from(child, part=part))
                if root.body:
                    plan.sections[-len(root.children)].text = "\n".join(
                        filter(None, ["\n".join(root.body), plan.sections[-len(root.children)].text])
                    )
                continue
        if any(w in root.title for w in SCHEDULE_WORDS) and (phase := _phase_from(root)):
            plan.phases.append(phase)
            schedule.append(NUMBER_FORMATS[root.level].format(root.number) + root.title)
            continue
        plan.sections.append(_section_from(root))
    plan.schedule_text = "\n".join(schedule)
    if not plan.sections and not plan.phases:
        raise ExtractionError(_("No work points could be read from this document."), code="no_points")
    return plan


def _parse_closing(closing: list[str], plan: ExtractedPlan) -> None:
    for i, line in enumerate(closing):
        if m := DATE_LINE.match(line):
            plan.issued_on = plan.issued_on or _date(*m.groups())
            if i > 0 and not plan.issuer:
                plan.issuer = closing[i - 1]
            return


# ---------------------------------------------------------------------------
# Targets

UNITS = "人次|课时|万元|小时|场|次|篇|人|个|项|期|名|元|家|所|批|份|节|门|天|本|支|条"
NUM = rf"(\d+(?:\.\d+)?|[{_CN_NUM}两百]+)"
COUNT_PATTERNS = (
    (">=", re.compile(rf"(?:不少于|不低于|不得少于)[^，。；\d%]{{0,15}}?{NUM}\s*({UNITS})")),
    (">=", re.compile(rf"至少[^，。；\d%]{{0,15}}?{NUM}\s*({UNITS})")),
    (">=", re.compile(rf"{NUM}\s*({UNITS})(?:及|或)?以上")),
    ("<=", re.compile(rf"(?:不超过|不多于|至多|最多)[^，。；\d%]{{0,15}}?{NUM}\s*({UNITS})")),
    (">=", re.compile(rf"每(?:学期|年|月|季度)(?:都|均|要)?(?:有|开展|召开|举办|组织)?{NUM}\s*(次|场|篇)")),
)
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
PERCENT_REACH = re.compile(r"达|不少于|不低于|以上|确保|实现|满足")
PERCENT_AT_MOST = re.compile(r"不超过|不高于|以下|低于")
RATIO = re.compile(r"1\s*[比:：]\s*(\d+)")
ASPIRATION = ("力争", "争取")
EACH_SUBCOMMITTEE_WORDS = ("各二级学院", "每个二级学院", "各分委", "各关工分委", "每个分委", "各基层关工委")


def _clauses(sentence: str) -> list[str]:
    """Split a sentence at commas that are not inside brackets."""
    parts, depth, current = [], 0, ""
    for ch in sentence:
        if ch in "（(《“":
            depth += 1
        elif ch in "）)》”" and depth:
            depth -= 1
        if ch in "，," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _strip_brackets(text: str) -> str:
    return re.sub(r"[（(][^（）()]*[）)]", "", text)


def _period_of(clause: str, sentence: str) -> str:
    for scope in (clause, sentence):
        if "每学期" in scope or "学期" in scope:
            return "semester"
        if "每月" in scope or "每个月" in scope:
            return "month"
        if re.search(r"每年|全年|年均|本年度|年度|每一年", scope):
            return "year"
    return "year"


def _clause_targets(clause: str, sentence: str) -> list[ExtractedTarget]:
    bare = _strip_brackets(clause)
    if any(w in bare for w in ASPIRATION):
        return []
    found: list[ExtractedTarget] = []
    period = _period_of(bare, sentence)
    for m in RATIO.finditer(bare):
        found.append(ExtractedTarget(clause, ">=", Decimal(m.group(1)), "比", period))
    for m in PERCENT.finditer(bare):
        if PERCENT_AT_MOST.search(bare):
            comparator = "<="
        elif PERCENT_REACH.search(bare):
            comparator = ">="
        else:
            continue
        found.append(ExtractedTarget(clause, comparator, Decimal(m.group(1)), "%", period))
    for comparator, pattern in COUNT_PATTERNS:
        m = pattern.search(bare)
        if m and (n := _decimal(m.group(1))) is not None:
            found.append(ExtractedTarget(clause, comparator, n, m.group(2), period))
            break  # one count per clause: "至少与…谈话1人次以上" is one target
    return found


def _decimal(text: str) -> Decimal | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Decimal(text)
    n = chinese_number(text)
    return Decimal(n) if n is not None else None


def extract_targets(text: str) -> list[ExtractedTarget]:
    """Every quantified target in a point's text, in reading order."""
    targets: list[ExtractedTarget] = []
    for sentence in re.split(r"(?<=[。；;！!\n])", text):
        sentence = sentence.strip()
        if not sentence:
            continue
        clauses = _clauses(sentence)
        found: list[ExtractedTarget] = []
        for i, clause in enumerate(clauses):
            # A short clause ("参与率达100%", "达到1比200") needs the one before it to make sense.
            shown = f"{clauses[i - 1]}，{clause}" if i > 0 and len(_strip_brackets(clause)) < 12 else clause
            for target in _clause_targets(clause, sentence):
                target.text = shown.rstrip("。；;")
                found.append(target)
        ratios = [t for t in found if t.unit == "比"]
        if len(ratios) > 1:
            # "满足1比500的要求，达到1比200": the plan aims at the stricter ratio.
            keep = min(ratios, key=lambda t: t.value)
            found = [t for t in found if t.unit != "比" or t is keep]
        for target in found:
            target.metric, target.params = suggest_metric(target)
            if any(w in sentence for w in EACH_SUBCOMMITTEE_WORDS) and target.unit != "%":
                target.scope = "each_subcommittee"
        targets.extend(found)
    return targets


# Keywords → (metric code, params). First match wins; the secretary corrects it on review.
METRIC_HINTS: tuple[tuple[tuple[str, ...], tuple[str, ...], str, dict[str, Any]], ...] = (
    (
        ("均衡发展",),
        ("%",),
        "subcommittee_share",
        {"metric": "gate_reached", "params": {}, "comparator": ">=", "value": "1"},
    ),
    (("组织员",), ("比",), "party_organiser_ratio", {}),
    (("文章",), ("%",), "student_articles_ratio", {}),
    (("捐款", "助学基金"), ("%",), "donation_participation", {}),
    (("参与率",), ("%",), "wulao_registered_ratio", {}),
    (("报道", "信息"), ("篇", "次"), "news_with_photos", {}),
    (("谈话",), ("人", "人次"), "students_talked", {"kinds": ["party_talk", "heart_talk"]}),
    (("宣讲",), (), "activity_count", {"kinds": ["lecture"]}),
    (("征文",), (), "activity_count", {"kinds": ["essay"]}),
    (("履职",), (), "activity_count", {"kinds": ["mentor_duty"]}),
    (("调研",), (), "activity_count", {"kinds": ["research"]}),
    (("会议",), (), "activity_count", {"kinds": ["meeting"]}),
    (("培训",), (), "activity_count", {"kinds": ["training"]}),
    (("辅导站",), (), "activity_count", {"kinds": ["station_activity"]}),
    (("主题教育",), (), "activity_count", {"kinds": ["theme_education"]}),
    (("报告会",), (), "activity_count", {"kinds": ["report"]}),
)


def suggest_metric(target: ExtractedTarget) -> tuple[str, dict[str, Any]]:
    for words, units, code, params in METRIC_HINTS:
        if any(w in target.text for w in words) and (not units or target.unit in units):
            return code, dict(params)
    return "", {}


# ---------------------------------------------------------------------------
# Word documents


def docx_text(f: IO[bytes]) -> str:
    """The text of a .docx: paragraphs and table rows in document order.

    Word's automatic list numbering is not part of the paragraph text, so it
    is rebuilt here ("一、", "（一）", "1.") from the numbering definitions.
    """
    check_upload(f, kinds=(FileKind.DOCX,))
    from docx import Document
    from docx.oxml.ns import qn

    try:
        f.seek(0)
        document = Document(f)
    except Exception as exc:  # python-docx raises several unrelated types for broken files
        raise ExtractionError(_("This Word file is damaged and cannot be read."), code="file_damaged") from exc
    numbering = _NumberingFormats(document)
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            prefix = numbering.prefix(child) if text.strip() else ""
            lines.append(prefix + text)
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = []
                for cell in row.iter(qn("w:tc")):
                    cells.append("".join(t.text or "" for t in cell.iter(qn("w:t"))).strip())
                lines.append(TABLE_CELL_SEPARATOR.join(c for c in cells if c))
    return "\n".join(lines)


class _NumberingFormats:
    """Rebuilds the visible numbers of Word's automatic lists."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, str], int] = {}
        from docx.opc.constants import RELATIONSHIP_TYPE

        # Look the numbering part up by relationship: python-docx's
        # `numbering_part` property tries to create one when it is missing.
        try:
            root = document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
        except KeyError:
            return  # a document without automatic lists
        abstract: dict[str, dict[str, tuple[str, str, int]]] = {}
        for a in root.iter(qn("w:abstractNum")):
            lv = {}
            for lvl in a.iter(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                lv[lvl.get(qn("w:ilvl"))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
            abstract[a.get(qn("w:abstractNumId"))] = lv
        for num in root.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                for ilvl, spec in abstract.get(ref.get(qn("w:val")), {}).items():
                    self.levels[(num.get(qn("w:numId")), ilvl)] = spec

    def prefix(self, paragraph: Any) -> str:
        qn = self.qn
        num_pr = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            return ""
        num_id_el, ilvl_el = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        num_id = num_id_el.get(qn("w:val")) if num_id_el is not None else None
        ilvl = ilvl_el.get(qn("w:val")) if ilvl_el is not None else "0"
        spec = self.levels.get((num_id, ilvl))
        if spec is None:
            return ""
        fmt, text, start = spec
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for k in list(self.counters):  # a higher level restarts the deeper ones
            if k[0] == num_id and int(k[1]) > int(ilvl):
                del self.counters[k]
        value = self.counters[key]
        shown = _format_number(value, fmt)
        return re.sub(r"%\d", shown, text, count=1) if text else ""


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified"):
        return _to_chinese(value)
    return str(value)


def _to_chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def extract_docx(f: IO[bytes]) -> ExtractedPlan:
    """Validate an uploaded .docx and read the plan in it."""
    return extract_text(docx_text(f))
