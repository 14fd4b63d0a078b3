"""Every demo activity, donation and news report, drawn from one seeded generator (see `demo.activities`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from activities.models import DonorKind, OutletLevel
from demo.orgs import data

FIRST_YEAR = 2022
SEMESTERS = ((3, 6), (9, 12))  # spring and autumn terms, by month
STATION_COUNT = len(data.QJP_TOWNS_WITH_STATIONS) * data.QJP_STATIONS_PER_TOWN
SECRETARY_OF = {data.ZJ_CODE: "sec_college", data.WXIT_CODE: "sec_wuxi", data.QJP_CODE: "sec_qjp"}

LECTURE_TOPICS = [
    "党的二十大精神进课堂",
    "百年党史中的青春力量",
    "从“两弹一星”看科学家精神",
    "无锡民族工商业与家国情怀",
    "劳模精神与工匠精神",
    "新时代的青年担当",
    "红色家书里的初心",
    "改革开放亲历记",
    "抗美援朝老兵的故事",
    "大国工匠成长之路",
]
LECTURE_PLACES = ["学术报告厅", "图书馆报告厅", "大学生活动中心", "机电楼阶梯教室", "线上直播"]
THEME_TITLES = ["“读懂中国”主题教育", "清明祭英烈", "红色之旅：参观党史教育基地", "国家安全教育日专题活动"]
STATION_TITLES = [
    "暑期书法兴趣班",
    "“小手拉大手”安全教育",
    "经典诵读会",
    "作业辅导",
    "传统节日手工课",
    "老战士讲革命故事",
    "防溺水安全课",
    "电子阅览室读书活动",
]
ARTICLE_TITLES = ["我的入党初心", "跟着老教授学针灸", "见习手记", "一封写给未来的信", "我身边的五老", "实习路上"]


@dataclass(frozen=True)
class ActivitySpec:
    committee: str
    kind: str
    held_on: date
    title: str
    place: str = ""
    youth: int = 0
    talked: int = 0
    picks: tuple[float, ...] = ()  # positions in the committee's 五老 list, as fractions
    people: tuple[str, ...] = ()  # or people by name
    photos: int = 0
    summary: str = ""
    user: str = ""


@dataclass
class Plan:
    activities: list[ActivitySpec] = field(default_factory=list)
    donations: list[dict[str, Any]] = field(default_factory=list)
    news: list[dict[str, Any]] = field(default_factory=list)


def _day(rng: random.Random, year: int, months: tuple[int, int]) -> date:
    return date(year, rng.randint(*months), rng.randint(1, 28))


def plan_years(today: date) -> list[int]:
    return sorted({FIRST_YEAR, today.year})


def _picks(rng: random.Random, low: int, high: int) -> tuple[float, ...]:
    return tuple(rng.random() for _ in range(rng.randint(low, high)))


def build_plan(*, organisers: list[str], mentors: list[str], zj_wulao: list[str], years: list[int]) -> Plan:
    """Every record of the demo, drawn from one seeded generator in a fixed order."""
    rng = random.Random(2022)  # noqa: S311 - demo data, not secrets
    plan = Plan()
    add = plan.activities.append
    for year in years:
        # 无锡职业技术学院: the 讲师团 gives at least 25 talks a year (seed 001).
        for n in range(1, 29):
            add(
                ActivitySpec(
                    data.WXIT_CODE,
                    "lecture",
                    _day(rng, year, SEMESTERS[n % 2]),
                    f"讲师团宣讲第{n}场：{rng.choice(LECTURE_TOPICS)}",
                    rng.choice(LECTURE_PLACES),
                    youth=rng.randint(60, 320),
                    picks=_picks(rng, 1, 3),
                    photos=1 if n <= 6 else 0,
                    summary="老同志结合亲身经历宣讲，学生踊跃提问交流。",
                    user="sec_wuxi",
                )
            )
        for suffix, name, students, _retirees, _staff in data.WXIT_COLLEGES:
            code = f"{data.WXIT_CODE}-{suffix}"
            for term, months in enumerate(SEMESTERS, start=1):
                add(
                    ActivitySpec(
                        code,
                        "meeting",
                        _day(rng, year, months),
                        f"{name}关工委第{term}学期全委会",
                        "学院会议室",
                        picks=_picks(rng, 2, 4),
                        user="sec_wuxi",
                    )
                )
                add(
                    ActivitySpec(
                        code,
                        "theme_education",
                        _day(rng, year, months),
                        f"{rng.choice(THEME_TITLES)}（{name}）",
                        "学院报告厅",
                        youth=rng.randint(40, 200) if students else 0,
                        picks=_picks(rng, 1, 2),
                        user="sec_wuxi",
                    )
                )
                add(
                    ActivitySpec(
                        code,
                        "heart_talk",
                        _day(rng, year, months),
                        f"“谈心屋”与学生谈心（第{term}学期）",
                        "谈心屋",
                        talked=rng.randint(2, 9) if students else 0,
                        picks=_picks(rng, 1, 1),
                        user="sec_wuxi",
                    )
                )
        # 针灸康复临床医学院 (seed 002): organisers talk with students every term, ...
        for term, months in enumerate(SEMESTERS, start=1):
            for organiser in organisers:
                add(
                    ActivitySpec(
                        data.ZJ_CODE,
                        "party_talk",
                        _day(rng, year, months),
                        f"{organiser}与学生发展对象谈话（第{term}学期）",
                        "针灸楼325",
                        talked=rng.randint(1, 3),
                        people=(organiser,),
                        user="sec_college",
                    )
                )
            # ... the 四师 serve every term, ...
            for mentor in mentors:
                add(
                    ActivitySpec(
                        data.ZJ_CODE,
                        "mentor_duty",
                        _day(rng, year, months),
                        f"{mentor}履职：指导学生（第{term}学期）",
                        "针灸楼",
                        youth=rng.randint(3, 20),
                        people=(mentor,),
                        user="sec_college",
                    )
                )
            # ... the committee meets once a term, ...
            add(
                ActivitySpec(
                    data.ZJ_CODE,
                    "meeting",
                    _day(rng, year, months),
                    f"关工分委第{term}学期全委会议",
                    data.ZJ_OFFICE,
                    picks=_picks(rng, 3, 5),
                    photos=1,
                    user="sec_college",
                )
            )
        add(
            ActivitySpec(
                data.ZJ_CODE,
                "essay",
                _day(rng, year, (4, 5)),
                f"{year}年“我与中医”主题征文",
                "线上",
                youth=rng.randint(80, 160),
                picks=_picks(rng, 2, 3),
                user="sec_college",
            )
        )
        add(
            ActivitySpec(
                data.ZJ_CODE,
                "training",
                _day(rng, year, (10, 11)),
                f"{year}年离退休老同志关工业务培训",
                data.ZJ_OFFICE,
                picks=_picks(rng, 4, 6),
                user="sec_college",
            )
        )
        # Student articles on the 关工 website: at least 1% of 1800 students.
        for n in range(1, 21):
            add(
                ActivitySpec(
                    data.ZJ_CODE,
                    "article",
                    _day(rng, year, SEMESTERS[n % 2]),
                    f"学生投稿第{n}篇：《{rng.choice(ARTICLE_TITLES)}》",
                    "学校关工网站",
                    youth=1,
                    user="sec_college",
                )
            )
        # 基础医学院, so the sibling college has a log of its own.
        for n in range(1, 9):
            add(
                ActivitySpec(
                    data.JC_CODE,
                    rng.choice(["report", "story", "heart_talk", "theme_education"]),
                    _day(rng, year, SEMESTERS[n % 2]),
                    f"基础医学院关工活动第{n}次",
                    "基础医学院学生活动室",
                    youth=rng.randint(20, 150),
                    picks=_picks(rng, 1, 2),
                    user="sec_sibling",
                )
            )
        # 清江浦区 (seed 003): stations aim at 24 activities a year; some fall short.
        for station in range(1, STATION_COUNT + 1):
            plan.activities.extend(_station_specs(rng, year, station, rng.choice([26, 25, 24, 20, 14])))
        add(
            ActivitySpec(
                data.QJP_CODE,
                "research",
                _day(rng, year, (5, 6)),
                f"{year}年校外辅导站建设专题调研",
                "清江浦区各镇（街道）",
                picks=_picks(rng, 2, 3),
                user="sec_qjp",
            )
        )
        plan.donations.extend(_donations(rng, year, zj_wulao))
        plan.news.extend(_news(rng, year))
    return plan


def _station_specs(rng: random.Random, year: int, station: int, count: int) -> list[ActivitySpec]:
    specs = []
    for n in range(1, count + 1):
        month = 1 + (n * 12 // (count + 1)) % 12
        specs.append(
            ActivitySpec(
                f"station:{station}",
                "station_activity",
                date(year, month, rng.randint(1, 28)),
                f"{rng.choice(STATION_TITLES)}（第{n}次）",
                "校外辅导站",
                youth=rng.randint(8, 45),
                picks=_picks(rng, 0, 1),
                user="sec_qjp",
            )
        )
    return specs


def _donations(rng: random.Random, year: int, zj_wulao: list[str]) -> list[dict[str, Any]]:
    """每人每月十元: the 五老 of 针灸康复临床医学院 give 120 yuan a year; units give more."""
    rows = [
        {
            "committee": data.ZJ_CODE,
            "donor_kind": DonorKind.PERSON,
            "donor_name": name,
            "amount": Decimal(120),
            "donated_on": date(year, 12, rng.randint(1, 20)),
            "purpose": "助学基金（每人每月十元）",
        }
        for name in zj_wulao
    ]
    rows.append(
        {
            "committee": data.ZJ_CODE,
            "donor_kind": DonorKind.UNIT,
            "donor_name": "针灸康复临床医学院工会",
            "amount": Decimal(rng.choice([2000, 3000, 5000])),
            "donated_on": date(year, 9, rng.randint(1, 20)),
            "purpose": "助学基金",
        }
    )
    rows.append(
        {
            "committee": data.WXIT_CODE,
            "donor_kind": DonorKind.UNIT,
            "donor_name": "无锡职业技术学院工会",
            "amount": Decimal(rng.choice([8000, 10000])),
            "donated_on": date(year, 6, rng.randint(1, 20)),
            "purpose": "关心下一代助学基金",
        }
    )
    return rows


def _news(rng: random.Random, year: int) -> list[dict[str, Any]]:
    """Two reports with photos per term for 针灸康复 (seed 002), and some elsewhere."""
    rows = []
    for term, months in enumerate(SEMESTERS, start=1):
        for n in (1, 2):
            rows.append(
                {
                    "committee": data.ZJ_CODE,
                    "title": f"针灸康复临床医学院关工分委{year}年第{term}学期动态（{n}）",
                    "published_on": _day(rng, year, months),
                    "outlet": "学校关工网站",
                    "outlet_level": OutletLevel.SCHOOL,
                    "photos": 1,
                }
            )
    rows.append(
        {
            "committee": data.WXIT_CODE,
            "title": f"无锡职业技术学院讲师团{year}年宣讲活动综述",
            "published_on": _day(rng, year, (11, 12)),
            "outlet": "江苏教育关工网",
            "outlet_level": OutletLevel.PROVINCE,
            "photos": 2,
        }
    )
    rows.append(
        {
            "committee": data.WXIT_CODE,
            "title": f"{year}年“读懂中国”活动启动",
            "published_on": _day(rng, year, (3, 4)),
            "outlet": "学校新闻网",
            "outlet_level": OutletLevel.SCHOOL,
            "photos": 0,
        }
    )
    rows.append(
        {
            "committee": data.QJP_CODE,
            "title": f"清江浦区校外辅导站{year}年暑期活动丰富多彩",
            "published_on": _day(rng, year, (8, 9)),
            "outlet": "淮安日报",
            "outlet_level": OutletLevel.CITY,
            "photos": 1,
        }
    )
    return rows
