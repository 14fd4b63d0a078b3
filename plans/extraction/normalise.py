"""Step 1: each line of the document cleaned (full-width digits, stray spaces), and Chinese numerals read."""

from __future__ import annotations

import re

_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2018-\u201d"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_SPACE_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}0-9A-Za-z%])")
_SPACE_BEFORE_CJK = re.compile(rf"(?<=[0-9A-Za-z%])[ \t\u00a0\u3000]+(?=[{_CJK}])")
TERMINAL = tuple("。；！？：!?;:")


def normalise_line(line: str) -> str:
    line = line.translate(_FULLWIDTH_DIGITS).replace("**", "").replace("\u00a0", " ").strip(" \t\u3000\ufeff")
    line = _SPACE_AFTER_CJK.sub("", line)
    line = _SPACE_BEFORE_CJK.sub("", line)
    return re.sub(r"[ \t]{2,}", " ", line)


CN_NUM = "一二三四五六七八九十"
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
