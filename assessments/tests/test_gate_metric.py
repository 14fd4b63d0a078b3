"""“90% of colleges reach 均衡发展”: the gate of finalised evaluations, measured by the metric engine."""

import datetime as dt
from decimal import Decimal

from assessments.models import Evaluation, EvaluationStatus
from metrics.engine import evaluate_many, records
from metrics.goals import show_result
from metrics.periods import Period
from plans.models import Plan, PlanSection, PlanStatus, Target, WorkPoint
from plans.progress import target_progress

SHARE = {"metric": "gate_reached", "params": {}, "comparator": ">=", "value": "1"}
YEAR = Period.year(2022)


def _finalise(evaluation, *, gate: bool) -> None:
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.FINALISED, gate_passed=gate)


def test_a_college_reaches_the_gate_only_with_a_finalised_evaluation_that_passed_it(tree, college_eval, sibling_eval):
    reached = evaluate_many("gate_reached", committees=[tree.college, tree.sibling], period=YEAR)
    assert [reached[c.pk].value for c in (tree.college, tree.sibling)] == [0, 0]  # drafts count for nothing
    _finalise(college_eval, gate=True)
    _finalise(sibling_eval, gate=False)
    reached = evaluate_many("gate_reached", committees=[tree.college, tree.sibling], period=YEAR)
    assert [reached[c.pk].value for c in (tree.college, tree.sibling)] == [1, 0]
    assert list(records("gate_reached", committee=tree.college, period=YEAR)) == [college_eval]
    assert (
        evaluate_many("gate_reached", committees=[tree.college], period=Period.year(2023))[tree.college.pk].value == 0
    )


def test_the_seed_target_reads_one_college_in_two(tree, college_eval, sibling_eval):
    _finalise(college_eval, gate=True)
    plan = Plan.objects.create(
        committee=tree.university, year=2022, title="2022年工作要点", status=PlanStatus.PUBLISHED
    )
    section = PlanSection.objects.create(plan=plan, position=1, number="三", title="均衡发展")
    point = WorkPoint.objects.create(section=section, position=1, text="强“基层建设”")
    target = Target.objects.create(
        work_point=point,
        text="本年度90%二级学院关工委达到“均衡发展”要求",
        metric="subcommittee_share",
        params=SHARE,
        comparator=">=",
        value=Decimal(90),
        unit="%",
    )
    progress = target_progress(
        target, committee=tree.university, year=2022, children=[tree.college, tree.sibling], today=dt.date(2023, 1, 5)
    )
    assert (progress.overall.result.numerator, progress.overall.result.denominator) == (1, 2)
    assert show_result(target, progress.overall.result) == "50%"
    assert not progress.met
    _finalise(sibling_eval, gate=True)
    progress = target_progress(
        target, committee=tree.university, year=2022, children=[tree.college, tree.sibling], today=dt.date(2023, 1, 5)
    )
    assert progress.met and show_result(target, progress.overall.result) == "100%"
