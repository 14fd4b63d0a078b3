"""A small 五好-style rubric and a round over the test university's two colleges."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from assessments import services
from assessments.models import Criterion, Evaluation, Round, Rubric
from assessments.services import Entry


@dataclass
class RubricSet:
    rubric: Rubric
    leadership: Criterion  # key, 40
    wulao: Criterion  # 40
    station: Criterion  # key, 20, metric: ≥24 activities, −0.5 each
    award: Criterion  # bonus +3
    extra: Criterion  # bonus +3
    penalty: Criterion  # deduction up to 10

    @property
    def base(self) -> list[Criterion]:
        return [self.leadership, self.wulao, self.station]


@pytest.fixture
def rubric_set(tree, personas) -> RubricSet:
    admin = personas["admin"]
    rubric = services.rubric_create(
        owner=tree.university,
        name="五好关工委考核",
        score_step="0.5",
        bonus_cap=D("5"),
        gate_label="均衡发展",
        gate_min_total=D("90"),
        gate_key_full=True,
        by=admin,
    )
    d1 = services.dimension_save(rubric=rubric, title="领导班子建设好", by=admin)
    d2 = services.dimension_save(rubric=rubric, title="活动经常效果好", by=admin)
    d3 = services.dimension_save(rubric=rubric, title="加分与扣分", by=admin)
    leadership = services.criterion_save(
        dimension=d1, code="1.1", title="党政重视", kind="manual", max_points=D("40"), is_key=True, by=admin
    )
    wulao = services.criterion_save(
        dimension=d1, code="1.2", title="五老参与", kind="manual", max_points=D("40"), by=admin
    )
    station = services.criterion_save(
        dimension=d2,
        code="2.1",
        title="校外辅导站活动不少于24次",
        kind="metric",
        max_points=D("20"),
        is_key=True,
        metric_code="activity_count",
        metric_params={"kinds": ["station_activity"]},
        full_at=D("24"),
        step_points=D("0.5"),
        by=admin,
    )
    award = services.criterion_save(
        dimension=d3, code="3.1", title="市级表彰", kind="bonus", max_points=D("3"), by=admin
    )
    extra = services.criterion_save(
        dimension=d3, code="3.2", title="特色品牌", kind="bonus", max_points=D("3"), by=admin
    )
    penalty = services.criterion_save(
        dimension=d3, code="3.3", title="未按时报送", kind="deduction", max_points=D("10"), by=admin
    )
    for label, low, tone in (("优秀", "85", "ok"), ("先进", "70", "warn"), ("不达标", "0", "bad")):
        services.band_save(rubric=rubric, label=label, min_total=D(low), tone=tone, by=admin)
    return RubricSet(rubric, leadership, wulao, station, award, extra, penalty)


@pytest.fixture
def round_(tree, personas, rubric_set) -> Round:
    return services.round_create(
        committee=tree.university,
        rubric=rubric_set.rubric,
        committees=[tree.college, tree.sibling],
        name="2022年度五好关工分委考核",
        year=2022,
        self_deadline=dt.date(2022, 12, 20),
        review_deadline=dt.date(2023, 1, 10),
        balanced_target=D("90"),
        by=personas["admin"],
    )


@pytest.fixture
def college_eval(round_, tree) -> Evaluation:
    return Evaluation.objects.get(round=round_, committee=tree.college)


@pytest.fixture
def sibling_eval(round_, tree) -> Evaluation:
    return Evaluation.objects.get(round=round_, committee=tree.sibling)


def score_all(rs: RubricSet, **points) -> dict[int, Entry]:
    """score_all(rs, leadership=40, wulao=30, station=20) → entries for a service."""
    return {getattr(rs, name).pk: Entry(D(str(p)), comment=f"{name} note") for name, p in points.items()}


FULL = {"leadership": 40, "wulao": 35, "station": 20}


@pytest.fixture
def assign(personas):
    def do(evaluation, user="reviewer"):
        return services.assignment_add(evaluation=evaluation, user=personas[user], by=personas["admin"])

    return do


@pytest.fixture
def submitted(college_eval, rubric_set, personas, time_machine):
    """The college's evaluation, fully self-scored and submitted on 1 Dec 2022."""
    time_machine.move_to(dt.datetime(2022, 12, 1, 10, tzinfo=dt.UTC))
    services.evaluation_self_score(
        evaluation=college_eval, entries=score_all(rubric_set, **FULL), by=personas["sec_college"]
    )
    return services.evaluation_submit(evaluation=college_eval, by=personas["sec_college"])
