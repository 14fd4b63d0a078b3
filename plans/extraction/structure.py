"""Step 2: numbered headings (一、 （一） 1. （1）) and the tree of paragraphs under them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plans.extraction.normalise import CN_NUM, TERMINAL

HEADING_PATTERNS = (
    (1, re.compile(rf"^([{CN_NUM}]{{1,3}})、\s*(.*)$")),
    (2, re.compile(rf"^[（(]([{CN_NUM}]{{1,3}})[）)]\s*(.*)$")),
    (3, re.compile(r"^(\d{1,2})[\.．、](?!\d)\s*(.*)$")),
    (4, re.compile(r"^[（(](\d{1,2})[）)]\s*(.*)$")),
)
NUMBER_FORMATS = {1: "{}、", 2: "（{}）", 3: "{}.", 4: "（{}）"}


def heading(line: str) -> tuple[int, str, str] | None:
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(line)
        if m and m.group(2):
            return level, m.group(1), m.group(2).strip()
    return None


@dataclass
class Node:
    level: int
    number: str
    title: str
    body: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def all_text(self) -> str:
        parts = [self.title, *self.body]
        parts += [NUMBER_FORMATS[c.level].format(c.number) + c.all_text() for c in self.children]
        return "\n".join(p for p in parts if p)


def split_lead(text: str, limit: int = 30) -> tuple[str, str]:
    """Split "党政重视。学院领导…" → ("党政重视", "学院领导…"); no short lead → ("", text)."""
    m = re.match(rf"^([^。；：:]{{1,{limit}}})[。；：:]\s*(.*)$", text, re.S)
    if m and m.group(2):
        return m.group(1), m.group(2)
    if m and not m.group(2):
        return m.group(1), ""
    return "", text


def is_closing_line(line: str) -> bool:
    return len(line) <= 40 and not line.endswith(("。", "；", ";")) and heading(line) is None


def merge_broken_paragraphs(lines: list[str]) -> list[str]:
    """Join paragraphs cut by page breaks ("…尽己所能，为" + "党分忧，…"); table rows stay apart."""
    merged: list[str] = []
    for line in lines:
        if merged and heading(line) is None and "｜" not in line:
            prev = merged[-1]
            if (
                heading(prev) is None
                and "｜" not in prev
                and not prev.endswith(TERMINAL + ("”", "）", ")", "】", "」"))
            ):
                merged[-1] = prev + line
                continue
        merged.append(line)
    return merged


def build_tree(lines: list[str]) -> tuple[list[str], list[Node]]:
    """Paragraphs → (text before any heading, heading nodes nested by level)."""
    loose: list[str] = []
    roots: list[Node] = []
    stack: list[Node] = []
    for line in lines:
        head = heading(line)
        if head is None:
            if stack:
                stack[-1].body.append(line)
            else:
                loose.append(line)
            continue
        level, number, title = head
        node = Node(level, number, title)
        while stack and stack[-1].level >= level:
            stack.pop()
        if stack:
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)
    return loose, roots
