"""The rubric arithmetic, pinned at its edges. Pure: no database."""

from decimal import Decimal as D

import pytest

from assessments.scoring import (
    BONUS,
    DEDUCTION,
    MANUAL,
    METRIC,
    Band,
    CriterionRule,
    Gate,
    RubricRules,
    band_for,
    clamp_points,
    evaluate,
    metric_points,
    round_to_step,
)

BANDS = (Band("优秀", D("85"), "ok"), Band("先进", D("70"), "warn"), Band("不达标", D("0"), "bad"))
HALF = RubricRules(step=D("0.5"), bands=BANDS, bonus_cap=D("5"), gate=Gate("均衡发展", D("90"), key_full=True))

# "≥24 tutoring-station activities: full marks (10), each one fewer −0.5, down to 0"
STATION = CriterionRule(id=1, kind=METRIC, max_points=D("10"), full_at=D("24"), step_points=D("0.5"))


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (D("30"), D("10")),  # above the target: still full marks, never more
        (D("24"), D("10")),
        (D("23"), D("9.5")),
        (D("20"), D("8")),
        (D("5"), D("0.5")),
        (D("4"), D("0")),  # 20 short × 0.5 = 10: exactly used up
        (D("0"), D("0")),  # 扣完为止: floored at 0, not −2
    ],
)
def test_metric_steps_lose_half_a_point_per_missing_activity_down_to_zero(value, points):
    assert metric_points(STATION, value, D("0.5")) == points


def test_a_part_step_costs_a_whole_step():
    # ratio criterion: full at 1% of students, −1 point per started 0.1 percentage point short
    rule = CriterionRule(
        id=2, kind=METRIC, max_points=D("5"), full_at=D("0.01"), step_points=D("1"), step_unit=D("0.001")
    )
    assert metric_points(rule, D("0.0095"), D("0.5")) == D("4")
    assert metric_points(rule, D("0.009"), D("0.5")) == D("4")
    assert metric_points(rule, D("0.0089"), D("0.5")) == D("3")


def test_metric_without_step_points_is_all_or_nothing():
    rule = CriterionRule(id=3, kind=METRIC, max_points=D("4"), full_at=D("2"))
    assert metric_points(rule, D("2"), D("0.5")) == D("4")
    assert metric_points(rule, D("1"), D("0.5")) == D("0")


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        (D("84.25"), D("0.5"), D("84.5")),  # half-up to the nearest half point
        (D("84.24"), D("0.5"), D("84.0")),
        (D("84.75"), D("0.5"), D("85.0")),
        (D("84.25"), D("0.1"), D("84.3")),
        (D("84.24"), D("0.1"), D("84.2")),
        (D("69.45"), D("0.1"), D("69.5")),
    ],
)
def test_rounding_is_half_up_to_the_rubric_step(value, step, expected):
    assert round_to_step(value, step) == expected


def test_a_typed_score_is_capped_at_the_criterion_points_and_not_below_zero():
    rule = CriterionRule(id=4, kind=MANUAL, max_points=D("6"))
    assert clamp_points(rule, D("7"), D("0.5")) == D("6")
    assert clamp_points(rule, D("-1"), D("0.5")) == D("0")
    assert clamp_points(rule, D("5.3"), D("0.5")) == D("5.5")


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (D("100"), "优秀"),
        (D("90"), "优秀"),
        (D("85"), "优秀"),
        (D("84.5"), "先进"),
        (D("70"), "先进"),
        (D("69.5"), "不达标"),
        (D("0"), "不达标"),
    ],
)
def test_bands_at_their_boundaries(total, grade):
    assert band_for(BANDS, total).label == grade


def test_no_band_when_the_rubric_has_none_that_low():
    assert band_for((Band("优秀", D("85")),), D("60")) is None


def _criteria():
    return [
        CriterionRule(id=10, kind=MANUAL, max_points=D("40"), is_key=True),
        CriterionRule(id=11, kind=MANUAL, max_points=D("40")),
        CriterionRule(id=12, kind=MANUAL, max_points=D("20"), is_key=True),
        CriterionRule(id=20, kind=BONUS, max_points=D("3")),  # +3 for a city-level award
        CriterionRule(id=21, kind=BONUS, max_points=D("3")),
        CriterionRule(id=22, kind=BONUS, max_points=D("2")),
        CriterionRule(id=30, kind=DEDUCTION, max_points=D("10")),
    ]


def test_bonus_items_are_capped_one_by_one_and_in_total():
    outcome = evaluate(HALF, _criteria(), {10: D("40"), 11: D("30"), 12: D("20"), 20: D("4"), 21: D("3"), 22: D("2")})
    assert outcome.points[20] == D("3")  # one item: at most its own points
    assert outcome.bonus == D("5")  # 3 + 3 + 2 = 8, capped at 5
    assert outcome.total == D("95")


def test_deductions_subtract_and_the_total_never_goes_below_zero():
    outcome = evaluate(HALF, _criteria(), {10: D("2"), 11: D("0"), 12: D("0"), 30: D("10")})
    assert outcome.deductions == D("10")
    assert outcome.total == D("0")
    assert outcome.band.label == "不达标"


def test_gate_needs_every_key_indicator_full_and_total_at_least_90():
    full_keys = {10: D("40"), 11: D("30"), 12: D("20")}
    assert evaluate(HALF, _criteria(), full_keys).gate_passed is True  # 90 exactly
    assert evaluate(HALF, _criteria(), {**full_keys, 11: D("29.5")}).gate_passed is False  # 89.5
    # total 99.5 but a key indicator half a point short
    assert evaluate(HALF, _criteria(), {10: D("39.5"), 11: D("40"), 12: D("20")}).gate_passed is False


def test_bonus_can_lift_the_total_over_the_gate_but_not_a_missing_key_point():
    outcome = evaluate(HALF, _criteria(), {10: D("40"), 11: D("27"), 12: D("20"), 20: D("3")})
    assert (outcome.total, outcome.gate_passed) == (D("90"), True)


def test_gate_without_key_requirement_looks_only_at_the_total():
    rules = RubricRules(step=D("0.5"), bands=BANDS, gate=Gate("达标", D("60"), key_full=False))
    outcome = evaluate(rules, _criteria(), {10: D("10"), 11: D("40"), 12: D("10")})
    assert outcome.gate_passed is True


def test_missing_base_scores_make_the_outcome_incomplete_and_fail_a_gate():
    outcome = evaluate(HALF, _criteria(), {10: D("40"), 11: D("40")})
    assert outcome.complete is False
    assert outcome.gate_passed is False
    assert outcome.total == D("80")


def test_no_gate_means_no_gate_outcome():
    rules = RubricRules(step=D("0.1"), bands=BANDS)
    assert evaluate(rules, _criteria(), {10: D("40")}).gate_passed is None


def test_tenth_step_rubric_keeps_tenths():
    rules = RubricRules(step=D("0.1"), bands=BANDS)
    outcome = evaluate(rules, _criteria(), {10: D("33.33"), 11: D("35.26"), 12: D("16.01")})
    assert outcome.total == D("84.6")
    assert outcome.band.label == "先进"
