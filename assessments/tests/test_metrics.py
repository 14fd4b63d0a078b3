"""Metric criteria are pre-filled from the activity log (the metric engine), with the records that count."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import ActivityKind
from activities.services import activity_create
from assessments import services
from assessments.models import Evaluation, ScoreChange

from .conftest import score_all


@pytest.fixture
def station_log(tree, personas):
    """21 tutoring-station activities in 2022 under the college (most at its station), noise elsewhere."""
    kind = ActivityKind.objects.get(code="station_activity")
    for i in range(21):
        committee = tree.college_station if i % 3 else tree.college
        activity_create(
            committee=committee,
            kind=kind,
            title=f"辅导站活动第{i + 1}次",
            held_on=dt.date(2022, 3, 1) + dt.timedelta(days=7 * i),
        )
    activity_create(committee=tree.college_station, kind=kind, title="去年的活动", held_on=dt.date(2021, 12, 30))
    activity_create(committee=tree.sibling, kind=kind, title="兄弟学院的活动", held_on=dt.date(2022, 5, 1))
    lecture = ActivityKind.objects.get(code="lecture")
    activity_create(committee=tree.college, kind=lecture, title="宣讲会", held_on=dt.date(2022, 5, 2))


def test_opening_a_round_scores_metric_criteria_from_the_log(station_log, round_, rubric_set, tree):
    college = Evaluation.objects.get(round=round_, committee=tree.college)
    sibling = Evaluation.objects.get(round=round_, committee=tree.sibling)
    station = college.scores.get(criterion=rubric_set.station)
    # 21 of 24: three short × 0.5 = 18.5 of 20
    assert (station.metric_value, station.metric_points, station.self_points) == (D("21"), D("18.5"), D("18.5"))
    assert sibling.scores.get(criterion=rubric_set.station).metric_value == D("1")
    change = ScoreChange.objects.get(score=station)
    assert "根据活动记录自动计分" in change.reason and change.new_points == D("18.5")


def test_the_page_shows_the_records_that_count(station_log, round_, rubric_set, tree, client_for):
    college = Evaluation.objects.get(round=round_, committee=tree.college)
    body = client_for("sec_college").get(reverse("assessments:evaluation_detail", args=[college.pk])).content.decode()
    assert "21条计入的记录" in body
    assert "辅导站活动第21次" in body
    assert "去年的活动" not in body and "兄弟学院的活动" not in body


def test_refreshing_keeps_a_hand_changed_score_but_updates_the_measure(station_log, round_, rubric_set, tree, personas):
    college = Evaluation.objects.get(round=round_, committee=tree.college)
    services.evaluation_self_score(
        evaluation=college,
        entries=score_all(rubric_set, station=20),
        by=personas["sec_college"],
        reason="另有3次未录入",
    )
    activity_create(
        committee=tree.college_station,
        kind=tree.college_station.activities.first().kind,
        title="补录活动",
        held_on=dt.date(2022, 11, 1),
    )
    assert services.evaluation_prefill_metrics(evaluation=college, by=personas["sec_college"]) == 1
    station = college.scores.get(criterion=rubric_set.station)
    assert (station.metric_value, station.metric_points, station.self_points) == (D("22"), D("19"), D("20"))


def test_prefill_button_is_post_only_and_for_the_committee(station_log, round_, tree, client_for):
    college = Evaluation.objects.get(round=round_, committee=tree.college)
    url = reverse("assessments:evaluation_prefill", args=[college.pk])
    results = [
        client_for(n).post(url).status_code for n in [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]
    ]
    assert results == [302, 404, 302, 403, 404, 302]


def test_unknown_metric_parameters_are_refused_when_building_the_rubric(rubric_set):
    with pytest.raises(ValidationError) as err:
        services.criterion_save(
            dimension=rubric_set.station.dimension,
            title="宣讲不少于25场",
            kind="metric",
            max_points=D("5"),
            metric_code="activity_count",
            metric_params={"colour": "red"},
            full_at=D("25"),
        )
    assert "metric_params" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.criterion_save(
            dimension=rubric_set.station.dimension,
            title="x",
            kind="metric",
            max_points=D("5"),
            metric_code="nope",
            full_at=D("1"),
        )
    assert "metric_code" in err.value.message_dict
