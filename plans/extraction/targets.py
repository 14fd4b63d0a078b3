"""Step 3a: the quantified targets in a point's text ("不少于4次", "达100%", "1比200"), wired by `wiring`."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from plans.extraction.normalise import CN_NUM, chinese_number
from plans.extraction.results import ExtractedTarget
from plans.extraction.wiring import each_subcommittee, wire

UNITS = "人次|课时|万元|小时|场|次|篇|人|个|项|期|名|元|家|所|批|份|节|门|天|本|支|条"
NUM = rf"(\d+(?:\.\d+)?|[{CN_NUM}两百]+)"
COUNT_PATTERNS = (
    (">=", re.compile(rf"(?:不少于|不低于|不得少于)[^，。；\d%]{{0,15}}?{NUM}\s*({UNITS})")),
    (">=", re.compile(rf"至少[^，。；\d%]{{0,15}}?{NUM}\s*({UNITS})")),
    (">=", re.compile(rf"{NUM}\s*({UNITS})(?:及|或)?以上")),
    ("<=", re.compile(rf"(?:不超过|不多于|至多|最多)[^，。；\d%]{{0,15}}?{NUM}\s*({UNITS})")),
    (">=", re.compile(rf"每(?:学期|年|月|季度)(?:都|均|要)?(?:有|开展|召开|举办|组织)?{NUM}\s*(次|场|篇)")),
    # "开展一次…征文活动", "召开2次全委会": a number of occasions the plan commits to.
    (">=", re.compile(rf"(?:开展|召开|举办|组织|举行|作){NUM}\s*(次|场|期)(?!性)")),
)
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
PERCENT_REACH = re.compile(r"达|不少于|不低于|以上|确保|实现|满足")
PERCENT_AT_MOST = re.compile(r"不超过|不高于|以下|低于")
RATIO = re.compile(r"1\s*[比:：]\s*(\d+)")
ASPIRATION = ("力争", "争取")


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
            before = _strip_brackets(clauses[i - 1]) if i > 0 else ""
            for target in _clause_targets(clause, sentence):
                target.text = shown.rstrip("。；;")
                wiring = wire(_strip_brackets(target.text), target.unit, before=before)
                target.metric, target.params = wiring.metric, wiring.params
                found.append(target)
        ratios = [t for t in found if t.unit == "比"]
        if len(ratios) > 1:
            # "满足1比500的要求，达到1比200": the plan aims at the stricter ratio.
            keep = min(ratios, key=lambda t: t.value)
            found = [t for t in found if t.unit != "比" or t is keep]
        for target in found:
            if each_subcommittee(sentence) and target.unit != "%":
                target.scope = "each_subcommittee"
        targets.extend(found)
    return targets


def suggest_metric(target: ExtractedTarget) -> tuple[str, dict[str, Any]]:
    """The metric (and its parameters) a target's words name, or ("", {}) when none counts it."""
    wiring = wire(_strip_brackets(target.text), target.unit)
    return wiring.metric, wiring.params
