"""Targets wired to the metric their words name when a plan is read (issue 21), each phrasing from a real
plan (plans/corpus/, the demo plans) or from the pasted 工作要点 of the issue."""

from __future__ import annotations

import pytest

from plans.extraction import extract_targets, extract_text


def wiring_of(text: str) -> list[tuple[str, dict, str, str]]:
    return [(t.metric, t.params, t.period, t.scope) for t in extract_targets(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The four of the issue's pasted 工作要点 that came in as 不自动统计.
        ("全年开展活动不少于12次。", ("activity_count", {}, "year", "aggregate")),
        ("受教育学生不少于600人次。", ("youth_reached", {}, "year", "aggregate")),
        ("组织五老参与关心下一代活动不少于50人次。", ("wulao_participants", {}, "year", "aggregate")),
        ("五老志愿者实名注册率达到90%。", ("wulao_registered_ratio", {}, "year", "aggregate")),
        # plans/corpus/school_plan: experts' lectures are 报告会, the lecture team's talks 宣讲会.
        ("每年请专家来校讲课不少于2次。", ("activity_count", {"kinds": ["report"]}, "year", "aggregate")),
        ("本校讲师团全年不少于4次。", ("activity_count", {"kinds": ["lecture"]}, "year", "aggregate")),
        ("我们每年召开二次全体委员会会议。", ("activity_count", {"kinds": ["meeting"]}, "year", "aggregate")),
        # plans/corpus/bureau_plan and town_wuhao: "开展一次…" is a target of one.
        ("开展一次“少儿科技”有奖答题暨征文活动。", ("activity_count", {"kinds": ["essay"]}, "year", "aggregate")),
        ("召开一次再次发动大会。", ("activity_count", {"kinds": ["meeting"]}, "year", "aggregate")),
        # demo/documents/gzucm_year_plan: scope and period words.
        (
            "各二级学院关工委每学期都有一次关工分委全委会议。",
            ("activity_count", {"kinds": ["meeting"]}, "semester", "each_subcommittee"),
        ),
        (
            "各二级学院关工委每学期至少向学校关工网站提供两篇附有照片的动态信息报道。",
            ("news_with_photos", {}, "semester", "each_subcommittee"),
        ),
        (
            "每个学院全年开展宣讲活动不少于8场。",
            ("activity_count", {"kinds": ["lecture"]}, "year", "each_subcommittee"),
        ),
        ("全年报送宣传稿件不少于10篇。", ("news_with_photos", {}, "year", "aggregate")),
        ("每月召开一次例会。", ("activity_count", {"kinds": ["meeting"]}, "month", "aggregate")),
        # demo/documents/002: talks, organisers, articles, donations.
        (
            "年均由特邀党建组织员与学生发展对象谈话总人次6人及以上。",
            ("students_talked", {"kinds": ["party_talk", "heart_talk"]}, "year", "aggregate"),
        ),
        ("特邀党建组织员与在校学生的比例达到1比200。", ("party_organiser_ratio", {}, "year", "aggregate")),
        ("为关心下一代助学基金会捐款，参与率达100%。", ("donation_participation", {}, "year", "aggregate")),
        ("全年向助学基金捐款不少于2万元。", ("donation_amount", {}, "year", "aggregate")),
    ],
)
def test_a_target_is_wired_to_the_metric_its_words_name(text, expected):
    assert wiring_of(text) == [expected]


def test_people_reached_count_the_activities_the_clause_before_names():
    # plans/corpus/community_2025
    text = "预计到2025年，每年至少开展100场以上主题教育活动，覆盖社区青少年5000人次以上。"
    assert wiring_of(text) == [
        ("activity_count", {"kinds": ["theme_education"]}, "year", "aggregate"),
        ("youth_reached", {"kinds": ["theme_education"]}, "year", "aggregate"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "社区关工委工作的知晓率和满意度达到90%以上。",  # plans/corpus/community_2025: nothing counts satisfaction
        "乡镇关工委和中学、中心小学关工委帮扶困难学生达100人以上。",  # district_aid_programme: students aided
        "向党委作一次汇报。",  # town_wuhao: a report to the party committee is no activity
        "开展一次社会主义核心价值的宣传活动。",  # bureau_plan: a kind the catalogue does not know
        "每学期开展2次亲子实践活动。",  # counting every kind would overstate it
        "暑期校外教育辅导站活动时长至少一个月。",  # district_wuyou_wuhao: a duration
        "全校所有在校学生的家长，参加者应达60%。",  # parents_school_2022: parents are not counted
        "培训五老骨干不少于100人次。",
    ],
)
def test_words_that_name_nothing_the_engine_counts_leave_the_target_unmeasured(text):
    assert [t.metric for t in extract_targets(text)] == [""]


ISSUE_PLAN = """某学院关心下一代工作委员会2026年工作要点
一、思想引领
（一）全年开展活动不少于12次。
（二）受教育学生不少于600人次。
（三）组织五老参与活动不少于50人次。
（四）全年在学校网站发布新闻报道不少于10篇。
二、自身建设
（一）每学期召开全委会议不少于1次。
（二）五老志愿者实名注册率达到90%。
（三）全年开展宣讲活动不少于8场。
（四）各二级学院每学期开展主题教育活动不少于2次。
"""


def test_every_target_of_the_issues_pasted_plan_is_wired():
    plan = extract_text(ISSUE_PLAN)
    targets = [t for s in plan.sections for p in s.points for t in p.targets]
    assert [t.metric for t in targets] == [
        "activity_count",
        "youth_reached",
        "wulao_participants",
        "news_with_photos",
        "activity_count",
        "wulao_registered_ratio",
        "activity_count",
        "activity_count",
    ]
    assert [t.params.get("kinds") for t in targets if t.metric == "activity_count"] == [
        None,
        ["meeting"],
        ["lecture"],
        ["theme_education"],
    ]
    assert targets[-1].scope == "each_subcommittee" and targets[-1].period == "semester"
