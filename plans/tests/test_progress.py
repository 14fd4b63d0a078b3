from datetime import date
from decimal import Decimal

import pytest

from metrics.goals import left_to_do, meets, show_result
from metrics.periods import Period
from metrics.results import MetricResult
from plans.models import OwnerKind, Target, TargetScope, WorkPoint
from plans.progress import target_period, target_progress


def lecture_target(uni_plan, **fields):
    target = Target.objects.get(work_point__section__plan=uni_plan, unit="场")
    for key, value in fields.items():
        setattr(target, key, value)
    target.save()
    return Target.objects.select_related("work_point").get(pk=target.pk)


@pytest.fixture
def lectures_2022(tree, make_activity):
    for day in range(1, 21):  # 20 lectures in the college
        make_activity(tree.college, "lecture", date(2022, 3, day))
    for day in range(1, 6):  # 5 in the sibling
        make_activity(tree.sibling, "lecture", date(2022, 4, day))


def test_aggregate_target_is_met_by_the_whole_subtree(tree, uni_plan, lectures_2022):
    target = lecture_target(uni_plan, value=25)
    progress = target_progress(target, committee=tree.university, year=2022, children=[tree.college, tree.sibling])
    assert progress.overall.result.value == 25
    assert progress.met
    assert progress.overall.left == 0


def test_each_subcommittee_target_needs_every_sub_committee(tree, uni_plan, lectures_2022):
    target = lecture_target(uni_plan, value=10, scope=TargetScope.EACH_SUBCOMMITTEE)
    progress = target_progress(target, committee=tree.university, year=2022, children=[tree.college, tree.sibling])
    assert not progress.met
    assert [(s.committee, s.left) for s in progress.behind] == [(tree.sibling, Decimal(5))]
    assert progress.overall.met  # the aggregate alone would have been enough


def test_aggregate_target_names_sub_committees_below_their_share(tree, uni_plan, lectures_2022):
    target = lecture_target(uni_plan, value=40)
    progress = target_progress(target, committee=tree.university, year=2022, children=[tree.college, tree.sibling])
    assert not progress.met
    assert progress.overall.left == 15
    assert [s.committee for s in progress.behind] == [tree.sibling]  # 5 < 40 / 2; the college has 20


def test_assigned_points_are_checked_for_their_committees_only(tree, uni_plan, lectures_2022):
    target = lecture_target(uni_plan, value=10, scope=TargetScope.EACH_SUBCOMMITTEE)
    point = WorkPoint.objects.get(pk=target.work_point_id)
    point.owner_kind = OwnerKind.ASSIGNED
    point.save()
    point.assigned_committees.set([tree.college])
    target = Target.objects.select_related("work_point").get(pk=target.pk)
    progress = target_progress(target, committee=tree.university, year=2022, children=[tree.college, tree.sibling])
    assert progress.met
    assert [s.committee for s in progress.subjects] == [tree.college]


def test_percent_and_ratio_targets_compare_exactly():
    target = Target(comparator=">=", value=Decimal(90), unit="%")
    assert meets(target, MetricResult(Decimal("0.9"), Decimal(9), Decimal(10)))
    assert not meets(target, MetricResult(Decimal(8) / Decimal(9), Decimal(8), Decimal(9)))
    assert left_to_do(target, MetricResult(Decimal("0.5"), Decimal(5), Decimal(10))) == 4
    ratio = Target(comparator=">=", value=Decimal(200), unit="比")
    assert meets(ratio, MetricResult(Decimal(9) / Decimal(1800), Decimal(9), Decimal(1800)))
    assert not meets(ratio, MetricResult(Decimal(8) / Decimal(1800), Decimal(8), Decimal(1800)))
    assert left_to_do(ratio, MetricResult(Decimal(2) / Decimal(1800), Decimal(2), Decimal(1800))) == 7
    assert show_result(ratio, MetricResult(Decimal(9) / Decimal(1800), Decimal(9), Decimal(1800))) == "1比200"
    assert show_result(target, MetricResult(Decimal("0.9"), Decimal(9), Decimal(10))) == "90%"


def test_target_periods_follow_the_plan_year():
    semester = Target(period_kind="semester")
    assert target_period(semester, 2022, today=date(2022, 10, 1)) == Period.semester(2022, 1)
    assert target_period(semester, 2022, today=date(2022, 3, 1)) == Period.semester(2021, 2)
    assert target_period(semester, 2022, today=date(2024, 3, 1)) == Period.semester(2022, 1)
    assert target_period(Target(period_kind="year"), 2022, today=date(2024, 1, 1)) == Period.year(2022)
    assert target_period(Target(period_kind="month"), 2022, today=date(2022, 2, 14)) == Period.month(2022, 2)
