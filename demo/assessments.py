"""Demo rubrics and rounds (see the contract in `demo`).

- a 五好 rubric owned by 清江浦区关工委: the five dimensions of seed 002 with
  criteria worth 100 points, bonus items capped at 5, a deduction item, and the
  city's bands ≥85 优秀 / 70–84 先进 / <70 不达标;
- an 优质化 rubric owned by 无锡职业技术学院关工委 with 3 key indicators and the
  均衡发展 gate (key indicators at full marks and total ≥ 90), seed 001;
- a finished 2022 五好 round over the towns and villages of 清江浦区, with its
  公示 period and one objection;
- an 优质化 round in progress this year over the colleges of 无锡职业技术学院, in
  every state from draft to finalised;
- an open “五好”关工分委 round this year over the colleges of 广州中医药大学 (seed
  002's programme), its self-assessments not yet started, so `sec_college`
  can walk through journey 5 and `reviewer` through journey 6.
The `reviewer` demo account is assigned to the evaluations it should review.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessments import scoring, selectors, services
from assessments.models import CriterionKind, Evaluation, Round, Rubric
from assessments.services import Entry
from demo.orgs import data
from orgs import tree
from orgs.models import Committee, CommitteeKind

D = Decimal
WUHAO_NAME = "“五好”基层关工委考核方案"
YOUZHI_NAME = "高校关工委优质化建设均衡发展基本要求"
WUHAO_ROUND = "清江浦区2022年度“五好”基层关工委考核"
YOUZHI_ROUND_FMT = "无锡职业技术学院{year}年度二级学院关工委优质化建设考评"
GZUCM_RUBRIC = "创建“五好”关工分委考核方案"
GZUCM_ROUND_FMT = "广州中医药大学{year}年度“五好”关工分委考核"

# (dimension, [(code, title, points, kind, key, guide, evidence, metric)])
# metric: (code, params, full_at, step_points) for metric criteria
WUHAO = [
    (
        "领导班子建设好",
        [
            (
                "1.1",
                "党政重视：主任由在职领导兼任，配备常务副主任和联络员",
                "8",
                "manual",
                True,
                "主任、常务副主任、联络员三者齐全得满分，缺一项扣3分。",
                "任职文件、名单",
                None,
            ),
            (
                "1.2",
                "工作列入年度计划，定期研究部署并给予工作经费",
                "6",
                "manual",
                False,
                "有计划、有研究、有经费各2分。",
                "年度计划、会议纪要、经费凭证",
                None,
            ),
            ("1.3", "有固定办公场所，配有电话和电脑", "6", "manual", False, "", "办公室照片", None),
        ],
    ),
    (
        "五老作用发挥好",
        [
            (
                "2.1",
                "五老实名登记，退休老同志参与率100%",
                "8",
                "manual",
                True,
                "参与率每低10个百分点扣1分。",
                "五老名册",
                None,
            ),
            ("2.2", "“四师”队伍人员落实，各岗位都有老同志负责", "6", "manual", False, "", "聘任名单", None),
            ("2.3", "借助外力：邀请本单位以外的老同志参与关心下一代工作", "6", "manual", False, "", "", None),
        ],
    ),
    (
        "制度健全执行好",
        [
            (
                "3.1",
                "会议制度：每学期一次全委会议，每年一次全体会议",
                "6",
                "manual",
                False,
                "少开一次扣2分。",
                "会议记录、签到表",
                None,
            ),
            ("3.2", "学习培训制度：每年组织老同志培训", "4", "manual", False, "", "培训通知、照片", None),
            (
                "3.3",
                "信息制度：全年至少四篇附有照片的信息报道",
                "4",
                "manual",
                False,
                "每少一篇扣1分，扣完为止。",
                "报道链接或截图",
                None,
            ),
            ("3.4", "档案制度：分类立卷归档，专柜存放", "6", "manual", False, "", "档案目录", None),
        ],
    ),
    (
        "积极探索创新好",
        [
            (
                "4.1",
                "调查研究：每年至少一个重点调研课题",
                "5",
                "manual",
                False,
                "有调研课题和调研文章得满分。",
                "调研报告",
                None,
            ),
            ("4.2", "创新品牌：活动内容和形式有创新，形成品牌", "6", "manual", False, "", "", None),
            ("4.3", "建言献策：向上级反映情况，提出合理化建议", "4", "manual", False, "", "", None),
        ],
    ),
    (
        "活动经常效果好",
        [
            (
                "5.1",
                "校外辅导站全年活动不少于24次",
                "10",
                "metric",
                True,
                "不少于24次得满分，每少一次扣0.5分，扣完为止。",
                "活动记录、照片",
                ("activity_count", {"kinds": ["station_activity"]}, "24", "0.5"),
            ),
            (
                "5.2",
                "每年一次体现自身特色的主题教育活动",
                "5",
                "manual",
                False,
                "",
                "活动方案、总结",
                None,
            ),
            ("5.3", "帮困助学：助学基金捐款不空白", "5", "manual", False, "", "捐款凭证", None),
            ("5.4", "受教育青少年面广、效果好", "5", "manual", False, "", "", None),
        ],
    ),
    (
        "加分与扣分",
        [
            ("6.1", "获市级及以上表彰", "3", "bonus", False, "", "表彰文件", None),
            ("6.2", "经验做法被上级推广", "2", "bonus", False, "", "", None),
            ("6.3", "创建“零犯罪”村（社区）", "2", "bonus", False, "", "", None),
            ("6.4", "未按时报送材料", "5", "deduction", False, "每次扣1分。", "", None),
        ],
    ),
]

YOUZHI = [
    (
        "组织建设",
        [
            ("1.1", "二级学院关工委组织健全，常务副主任到位并发挥作用", "10", "manual", True, "", "任职文件", None),
            ("1.2", "关工委工作纳入学院年度工作计划和考核", "8", "manual", False, "", "", None),
            ("1.3", "会议、学习、档案等制度完善并执行", "7", "manual", False, "", "", None),
        ],
    ),
    (
        "队伍建设",
        [
            ("2.1", "五老实名登记，当年退休优秀教师参与关工委工作", "10", "manual", False, "", "五老名册", None),
            ("2.2", "特邀党建组织员与学生之比达到1:500（力争1:200）", "10", "manual", False, "", "聘任名单", None),
        ],
    ),
    (
        "活动开展",
        [
            (
                "3.1",
                "宣讲、报告会、主题教育全年不少于2场",
                "10",
                "metric",
                True,
                "每少一场扣5分，扣完为止。",
                "活动记录",
                ("activity_count", {"kinds": ["lecture", "report", "theme_education"]}, "2", "5"),
            ),
            ("3.2", "谈心谈话、关爱帮扶有针对性、有实效", "10", "manual", False, "", "", None),
            (
                "3.3",
                "每学期至少两篇附有照片的信息报道（全年4篇）",
                "10",
                "manual",
                True,
                "每少一篇扣2.5分。",
                "报道链接或截图",
                None,
            ),
            ("3.4", "帮困助学：动员离退休老同志和在职教工为助学基金捐款", "10", "manual", False, "", "", None),
        ],
    ),
    (
        "工作成效",
        [
            ("4.1", "“一院一品”特色工作有成效、有影响", "10", "manual", False, "", "", None),
            ("4.2", "学生和青年教师评价好", "5", "manual", False, "", "", None),
            ("4.3", "获省级及以上表彰或经验交流", "3", "bonus", False, "", "", None),
        ],
    ),
]


def _say(stdout: Any, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


def _rubric(owner: Committee, name: str, spec: list, *, bands, admin, **settings: Any) -> Rubric:
    existing = Rubric.objects.filter(owner=owner, name=name).order_by("version").first()
    if existing is not None:
        return existing
    rubric = services.rubric_create(owner=owner, name=name, by=admin, **settings)
    for title, criteria in spec:
        dimension = services.dimension_save(rubric=rubric, title=title, by=admin)
        for code, ctitle, points, kind, key, guide, evidence, metric in criteria:
            fields: dict[str, Any] = {
                "code": code,
                "title": ctitle,
                "max_points": D(points),
                "kind": kind,
                "is_key": key,
                "guide": guide,
                "evidence_required": evidence,
            }
            if metric:
                mcode, params, full_at, step = metric
                fields.update(metric_code=mcode, metric_params=params, full_at=D(full_at))
                fields["step_points"] = D(step) if step else None
            services.criterion_save(dimension=dimension, by=admin, **fields)
    for label, low, tone in bands:
        services.band_save(rubric=rubric, label=label, min_total=D(low), tone=tone, by=admin)
    return rubric


def _points(rng: random.Random, maximum: Decimal, quality: float) -> Decimal:
    share = min(1.0, max(0.0, quality + rng.uniform(-0.08, 0.06)))
    return scoring.round_to_step(maximum * D(str(round(share, 3))), D("0.5"))


def _entries(rng: random.Random, evaluation: Evaluation, quality: float, side: str) -> dict[int, Entry]:
    entries = {}
    for score in evaluation.scores.select_related("criterion"):
        c = score.criterion
        if c.kind == CriterionKind.METRIC:
            points = score.metric_points if score.metric_points is not None else _points(rng, c.max_points, quality)
        elif c.kind == CriterionKind.BONUS:
            points = c.max_points if rng.random() < quality - 0.55 else None
        elif c.kind == CriterionKind.DEDUCTION:
            points = D("1") if rng.random() > quality + 0.15 else None
        elif c.is_key and quality > 0.9:
            points = c.max_points
        else:
            points = _points(rng, c.max_points, quality)
            if side == "self":
                points = min(c.max_points, points + D("0.5"))
        comment = "" if side == "self" or rng.random() < 0.7 else "材料齐全，情况属实。"
        entries[c.pk] = Entry(points, comment)
    return entries


def _finished_wuhao_round(rng: random.Random, admin: Any, reviewer: Any, stdout: Any) -> None:
    district = Committee.objects.filter(code=data.QJP_CODE).first()
    if district is None or Round.objects.filter(committee=district, name=WUHAO_ROUND).exists():
        return
    rubric = _rubric(
        district,
        WUHAO_NAME,
        WUHAO,
        bands=[("优秀", "85", "ok"), ("先进", "70", "warn"), ("不达标", "0", "bad")],
        admin=admin,
        score_step="0.5",
        bonus_cap=D("5"),
        description="依据《创建“五好”关工委活动实施方案》：领导班子建设好、五老作用发挥好、制度健全执行好、"
        "积极探索创新好、活动经常效果好。≥85分为优秀，70–84分为先进，70分以下为不达标（不予奖励，报区委）。",
    )
    committees = list(
        Committee.objects.filter(
            tree.subtree_q(district, ""), kind__in=[CommitteeKind.TOWN, CommitteeKind.VILLAGE]
        ).order_by("path")
    )
    today = timezone.localdate()
    round_ = services.round_create(
        committee=district,
        rubric=rubric,
        committees=committees,
        name=WUHAO_ROUND,
        year=2022,
        # Opened with deadlines ahead so the workflow runs today; set to the real 2022 dates below.
        self_deadline=today + timedelta(days=30),
        review_deadline=today + timedelta(days=60),
        by=admin,
    )
    evaluations = list(round_.evaluations.select_related("committee").order_by("committee__code"))
    for evaluation in evaluations:
        quality = rng.uniform(0.8, 1.05)
        services.evaluation_self_score(
            evaluation=evaluation, entries=_entries(rng, evaluation, quality, "self"), by=admin
        )
        services.evaluation_submit(evaluation=evaluation, by=admin)
        if evaluation.committee.kind == CommitteeKind.TOWN and reviewer is not None:
            services.assignment_add(evaluation=evaluation, user=reviewer, by=admin)
        by = reviewer if evaluation.committee.kind == CommitteeKind.TOWN and reviewer is not None else admin
        services.evaluation_review_score(
            evaluation=evaluation, entries=_entries(rng, evaluation, quality - 0.03, "review"), by=by
        )
        services.evaluation_finalise(evaluation=evaluation, by=by)
    services.round_update(round_=round_, self_deadline=date(2022, 12, 20), review_deadline=date(2023, 1, 10), by=admin)
    round_.refresh_from_db()
    services.notice_publish(
        round_=round_,
        start=date(2023, 1, 16),
        end=date(2023, 1, 22),
        text="公示期内如有异议，请以书面形式向区关工委办公室反映。",
        by=admin,
    )
    round_.refresh_from_db()
    lowest = min(evaluations, key=lambda e: Evaluation.objects.get(pk=e.pk).review_total or 0)
    services.objection_record(
        round_=round_,
        evaluation=lowest,
        raised_by=f"{lowest.committee.short_name or lowest.committee.name}关工委常务副主任",
        received_on=date(2023, 1, 18),
        content="本单位校外辅导站暑期活动有6次未及时录入系统，申请复核“校外辅导站全年活动不少于24次”一项。",
        by=admin,
    )
    _say(stdout, f"assessments: finished 五好 round over {len(evaluations)} towns and villages of 清江浦区, with 公示")


def _youzhi_round(rng: random.Random, admin: Any, reviewer: Any, secretary: Any, stdout: Any) -> None:
    university = Committee.objects.filter(code=data.WXIT_CODE).first()
    today = timezone.localdate()
    name = YOUZHI_ROUND_FMT.format(year=today.year)
    if university is None or Round.objects.filter(committee=university, name=name).exists():
        return
    rubric = _rubric(
        university,
        YOUZHI_NAME,
        YOUZHI,
        bands=[("优秀", "90", "ok"), ("合格", "75", "warn"), ("待改进", "0", "bad")],
        admin=admin,
        score_step="0.5",
        bonus_cap=D("3"),
        gate_label="均衡发展",
        gate_min_total=D("90"),
        gate_key_full=True,
        description="依据苏教办关（2021）3号《江苏省高等学校关工委优质化建设均衡发展基本要求》："
        "3个关键指标须全部满分，考核总分达到90分以上，为达到“均衡发展”要求。",
    )
    colleges = list(Committee.objects.filter(parent=university, kind=CommitteeKind.COLLEGE).order_by("path"))
    round_ = services.round_create(
        committee=university,
        rubric=rubric,
        committees=colleges,
        name=name,
        year=today.year,
        self_deadline=today + timedelta(days=21),
        review_deadline=today + timedelta(days=45),
        balanced_target=D("90"),
        by=admin,
    )
    by = secretary or admin
    plan = [
        "finalised",
        "finalised",
        "under_review",
        "under_review",
        "returned",
        "submitted",
        "draft_half",
        "draft",
        "draft",
    ]
    for evaluation, state in zip(
        round_.evaluations.select_related("committee").order_by("committee__code"), plan, strict=False
    ):
        quality = rng.uniform(0.92, 1.05) if state == "finalised" else rng.uniform(0.85, 1.0)
        if state == "draft":
            continue
        entries = _entries(rng, evaluation, quality, "self")
        if state == "draft_half":
            entries = dict(list(entries.items())[:4])
        services.evaluation_self_score(evaluation=evaluation, entries=entries, by=by)
        if state == "draft_half":
            continue
        services.evaluation_submit(evaluation=evaluation, by=by)
        if reviewer is not None:
            services.assignment_add(evaluation=evaluation, user=reviewer, by=admin)
        if state == "submitted":
            continue
        r = reviewer or admin
        services.evaluation_review_score(
            evaluation=evaluation, entries=_entries(rng, evaluation, quality, "review"), by=r
        )
        if state == "returned":
            first = selectors.rubric_criteria(rubric)[3]
            services.evaluation_return(
                evaluation=evaluation, by=r, reasons={first.pk: "请补充当年退休教师参与关工委工作的名单和聘任材料。"}
            )
        elif state == "finalised":
            services.evaluation_finalise(evaluation=evaluation, by=r)
    _say(stdout, f"assessments: 优质化 round in progress over {len(colleges)} colleges of 无锡职业技术学院")


def _open_gzucm_round(admin: Any, reviewer: Any, stdout: Any) -> None:
    university = Committee.objects.filter(code=data.GZUCM_CODE).first()
    today = timezone.localdate()
    name = GZUCM_ROUND_FMT.format(year=today.year)
    if university is None or Round.objects.filter(committee=university, name=name).exists():
        return
    rubric = _rubric(
        university,
        GZUCM_RUBRIC,
        WUHAO,
        bands=[("优秀", "85", "ok"), ("先进", "70", "warn"), ("不达标", "0", "bad")],
        admin=admin,
        score_step="0.5",
        bonus_cap=D("5"),
        description="依据《创建“五好”关工分委活动实施方案》（针灸康复临床医学院关工分委，2016年12月28日）。",
    )
    colleges = list(Committee.objects.filter(parent=university, kind=CommitteeKind.COLLEGE).order_by("path"))
    round_ = services.round_create(
        committee=university,
        rubric=rubric,
        committees=colleges,
        name=name,
        year=today.year,
        self_deadline=today + timedelta(days=10),
        review_deadline=today + timedelta(days=30),
        by=admin,
    )
    if reviewer is not None:
        for evaluation in round_.evaluations.all():
            services.assignment_add(evaluation=evaluation, user=reviewer, by=admin)
    _say(stdout, f"assessments: open 五好 round over {len(colleges)} colleges of 广州中医药大学")


@transaction.atomic
def seed(*, stdout: IO[str] | Any | None = None) -> None:
    rng = random.Random(2022)  # noqa: S311 - demo data, not security
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["admin", "reviewer", "sec_wuxi"])}
    admin = users.get("admin")
    if admin is None:
        _say(stdout, "assessments: no admin account yet; run the orgs demo first")
        return
    _finished_wuhao_round(rng, admin, users.get("reviewer"), stdout)
    _youzhi_round(random.Random(2023), admin, users.get("reviewer"), users.get("sec_wuxi"), stdout)  # noqa: S311
    _open_gzucm_round(admin, users.get("reviewer"), stdout)
