"""Step 3b: wire a target to the metric that counts what its words name, with the metric's parameters.

A target read from a plan ("全年开展活动不少于12次", "受教育学生不少于600人次") is
wired to a metric of `metrics.catalogue` when its words name something the
engine counts: activities (of which kinds), young people reached, 五老 taking
part, students talked with, news reports, registration and participation rates,
organisers per student, articles per student, donations, and the share of
sub-committees reaching 均衡发展. Words that name nothing the engine counts
(满意度, 知晓率, students given aid, members of a lecture team) leave the target
unmeasured: a wrong wiring is worse than none, because its figure looks real.

Every wiring made here is a guess; the plan keeps it marked for review until a
person saves the target (`Target.wiring_guessed`).

The activity kinds are matched by their stable codes (see the `activities`
migration that creates them) and the words plans use for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Kind codes with the words plans use for them, longest first within a kind. Order matters only for
# words that contain each other across kinds (报告会 is a report, 宣讲会 a lecture).
KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lecture", ("宣讲会", "宣讲团", "讲师团", "宣讲")),
    ("report", ("报告会", "报告团", "作报告", "专题讲座", "讲座", "讲课")),
    ("story", ("故事会", "讲故事")),
    ("theme_education", ("主题教育",)),
    ("essay", ("征文",)),
    ("party_talk", ("党建谈话",)),
    ("heart_talk", ("谈心",)),
    ("aid", ("帮困助学活动", "助学活动", "帮困活动")),
    ("mentor_duty", ("四师履职", "履职")),
    ("meeting", ("全委会", "全体会议", "委员会会议", "例会", "会议", "推进会", "座谈会", "动员会", "发动大会")),
    ("training", ("培训",)),
    ("research", ("调研", "调查研究")),
    ("station_activity", ("校外教育辅导站", "校外辅导站", "辅导站")),
)

ACTIVITY_UNITS = ("次", "场", "场次", "期", "项", "节")
PEOPLE_UNITS = ("人", "人次", "名")
WRITING_UNITS = ("篇", "条", "份")

YOUTH = ("学生", "青少年", "少年儿童", "儿童", "未成年人", "孩子", "学员")
REACHED = ("受教育", "受众", "听众", "覆盖", "参与", "参加", "受益", "惠及", "服务")
WULAO = ("五老", "老同志", "离退休", "退休", "老干部", "老教师", "老专家")
NEWS = ("新闻", "报道", "宣传稿件", "稿件", "信息", "简讯", "动态")
# Words that name people or money the engine does not count: students given aid, members of a team.
NOT_COUNTED = ("帮扶", "资助", "救助", "结对", "慰问", "培养", "发展", "吸收", "选聘", "聘请", "成员", "骨干")
NOT_ACTIVITIES = ("汇报", "听取", "检查", "督导", "考核", "验收", "评选", "表彰")
SUBCOMMITTEE_WORDS = (
    "各二级学院",
    "每个二级学院",
    "各学院",
    "每个学院",
    "各分委",
    "每个分委",
    "各关工分委",
    "每个关工分委",
    "各分关工委",
    "每个分关工委",
    "各二级关工委",
    "每个二级关工委",
    "各基层关工委",
    "每个基层关工委",
    "各院系",
    "各系",
    "各镇",
    "每个镇",
    "各乡镇",
    "每个乡镇",
    "各街道",
    "各村",
    "每个村",
    "各社区",
    "每个社区",
    "各学校",
    "每所学校",
    "各校",
)


# "开展活动不少于12次", "各类活动": activities of every kind. "亲子实践活动", "宣传活动" name a kind of
# activity the catalogue does not know; counting every kind for them would overstate them.
GENERIC_ACTIVITIES = re.compile(
    r"(?:^|开展|组织|举办|举行|各类|各项|各种|下一代|关工委|五老|全年|每年|每学期|每月)活动"
)


@dataclass(frozen=True)
class Wiring:
    metric: str
    params: dict[str, Any]


NOT_WIRED = Wiring("", {})


def _any(words: tuple[str, ...], text: str) -> bool:
    return any(w in text for w in words)


def kinds_named(text: str) -> list[str]:
    """The activity kinds a text names, in the order they are written."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for code, words in KIND_WORDS:
        for word in words:
            for m in re.finditer(re.escape(word), text):
                span = (m.start(), m.end())
                if any(s < span[1] and span[0] < e for s, e in taken):
                    continue  # part of a longer word already read (宣讲会, not 会议)
                taken.append(span)
                found.append((m.start(), code))
    ordered: list[str] = []
    for _, code in sorted(found):
        if code not in ordered:
            ordered.append(code)
    return ordered


def _kinds_params(kinds: list[str]) -> dict[str, Any]:
    return {"kinds": kinds} if kinds else {}


def wire(text: str, unit: str, *, before: str = "") -> Wiring:
    """The metric a target's words name. `text` is the target's clause (brackets removed), `before` the
    clause before it in the same sentence, which may name the activities a count of people refers to."""
    if unit == "%":
        return _wire_percent(text)
    if unit == "比":
        return Wiring("party_organiser_ratio", {}) if "组织员" in text else NOT_WIRED
    if unit in ("元", "万元"):
        if _any(("捐款", "捐赠", "募捐", "捐助"), text) and not _any(("帮扶资金", "资助金"), text):
            return Wiring("donation_amount", {})
        return NOT_WIRED
    if unit in PEOPLE_UNITS:
        return _wire_people(text, before)
    if unit in WRITING_UNITS or unit in ACTIVITY_UNITS:
        if "学生" in text and _any(("文章", "投稿"), text):
            return Wiring("activity_count", {"kinds": ["article"]})
        if _any(NEWS, text) and not _any(("征文", "文章"), text):
            return Wiring("news_with_photos", {})
    if unit in ACTIVITY_UNITS:
        return _wire_activities(text)
    return NOT_WIRED


def _wire_percent(text: str) -> Wiring:
    if "均衡发展" in text:
        return Wiring("subcommittee_share", {"metric": "gate_reached", "params": {}, "comparator": ">=", "value": "1"})
    if _any(("文章", "投稿"), text) and "学生" in text:
        return Wiring("student_articles_ratio", {})
    if _any(("捐款", "捐赠", "助学基金"), text):
        return Wiring("donation_participation", {})
    if _any(("注册率", "登记率", "实名注册", "实名登记", "注册登记"), text):
        return Wiring("wulao_registered_ratio", {})
    if "参与率" in text and _any(WULAO, text):
        return Wiring("wulao_registered_ratio", {})
    return NOT_WIRED


def _wire_people(text: str, before: str) -> Wiring:
    if _any(("谈话", "谈心"), text):
        return Wiring("students_talked", {"kinds": ["party_talk", "heart_talk"]})
    if _any(NOT_COUNTED, text):
        return NOT_WIRED
    kinds = kinds_named(text) or kinds_named(before)
    if _any(WULAO, text) and _any(("参与", "参加"), text):
        return Wiring("wulao_participants", _kinds_params(kinds))
    if _any(("受教育", "受众", "听众"), text) or (_any(YOUTH, text) and _any(REACHED, text)):
        return Wiring("youth_reached", _kinds_params(kinds))
    return NOT_WIRED


def _wire_activities(text: str) -> Wiring:
    if _any(NOT_ACTIVITIES, text):
        return NOT_WIRED
    kinds = kinds_named(text)
    if kinds:
        return Wiring("activity_count", {"kinds": kinds})
    if GENERIC_ACTIVITIES.search(text):
        return Wiring("activity_count", {})
    return NOT_WIRED


def each_subcommittee(sentence: str) -> bool:
    """Whether a sentence asks the target of every sub-committee ("各二级学院…", "每个社区…")."""
    return _any(SUBCOMMITTEE_WORDS, sentence)
