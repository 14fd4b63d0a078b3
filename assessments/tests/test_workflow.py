"""Workflow transitions, who may trigger each, locking and score history."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import EvaluationStatus as S
from assessments.models import ScoreChange
from assessments.services import Entry

from .conftest import FULL, score_all


def test_self_scores_compute_total_grade_and_gate(college_eval, rubric_set, personas):
    ev = services.evaluation_self_score(
        evaluation=college_eval,
        entries=score_all(rubric_set, leadership=40, wulao=30, station=20, award=3, extra=3),
        by=personas["sec_college"],
    )
    assert ev.self_total == D("95")  # 90 + bonus 6 capped at 5
    assert ev.bonus_total == D("5")
    assert (ev.grade, ev.gate_passed) == ("优秀", True)


def test_a_typed_score_is_rounded_to_the_rubric_step(college_eval, rubric_set, personas):
    services.evaluation_self_score(
        evaluation=college_eval, entries=score_all(rubric_set, wulao="33.3"), by=personas["sec_college"]
    )
    assert college_eval.scores.get(criterion=rubric_set.wulao).self_points == D("33.5")


def test_points_above_the_criterion_maximum_are_refused_with_a_message(college_eval, rubric_set, personas):
    with pytest.raises(ValidationError) as err:
        services.evaluation_self_score(
            evaluation=college_eval, entries=score_all(rubric_set, wulao=41), by=personas["sec_college"]
        )
    assert "0 到 40.0" in str(err.value) or "40.0" in str(err.value)
    assert college_eval.scores.get(criterion=rubric_set.wulao).self_points is None


def test_every_score_change_keeps_who_when_old_new_and_why(college_eval, rubric_set, personas, time_machine):
    time_machine.move_to(dt.datetime(2022, 11, 1, 9, tzinfo=dt.UTC))
    sec = personas["sec_college"]
    services.evaluation_self_score(evaluation=college_eval, entries=score_all(rubric_set, wulao=30), by=sec)
    with pytest.raises(ValidationError):  # changing a given score needs a reason
        services.evaluation_self_score(evaluation=college_eval, entries=score_all(rubric_set, wulao=32), by=sec)
    services.evaluation_self_score(
        evaluation=college_eval, entries=score_all(rubric_set, wulao=32), by=sec, reason="补充了会议记录"
    )
    history = list(ScoreChange.objects.filter(score__criterion=rubric_set.wulao).order_by("id"))
    assert [(h.old_points, h.new_points, h.reason, h.by) for h in history] == [
        (None, D("30"), "", sec),
        (D("30"), D("32"), "补充了会议记录", sec),
    ]
    assert history[0].at.date() == dt.date(2022, 11, 1)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("sec_college", True), ("admin", True), ("leader", False), ("reviewer", False), ("sec_sibling", False)],
)
def test_who_may_self_score(college_eval, rubric_set, personas, who, allowed):
    call = lambda: services.evaluation_self_score(  # noqa: E731
        evaluation=college_eval, entries=score_all(rubric_set, wulao=30), by=personas[who]
    )
    if allowed:
        assert call().scores.get(criterion=rubric_set.wulao).self_points == D("30")
    else:
        with pytest.raises(PermissionDenied):
            call()


def test_submit_needs_every_scored_criterion(college_eval, rubric_set, personas, time_machine):
    time_machine.move_to(dt.datetime(2022, 12, 1, tzinfo=dt.UTC))
    services.evaluation_self_score(
        evaluation=college_eval, entries=score_all(rubric_set, leadership=40), by=personas["sec_college"]
    )
    with pytest.raises(ValidationError, match="五老参与"):
        services.evaluation_submit(evaluation=college_eval, by=personas["sec_college"])
    college_eval.refresh_from_db()
    assert college_eval.status == S.DRAFT


def test_submit_after_the_deadline_is_refused(college_eval, rubric_set, personas, time_machine):
    services.evaluation_self_score(
        evaluation=college_eval, entries=score_all(rubric_set, **FULL), by=personas["sec_college"]
    )
    time_machine.move_to(dt.datetime(2022, 12, 20, 15, 59, tzinfo=dt.UTC))  # 23:59 in Shanghai: still on time
    services.evaluation_submit(evaluation=college_eval, by=personas["sec_college"])
    college_eval.refresh_from_db()
    assert college_eval.status == S.SUBMITTED


def test_submit_the_day_after_the_deadline_is_refused(college_eval, rubric_set, personas, time_machine):
    services.evaluation_self_score(
        evaluation=college_eval, entries=score_all(rubric_set, **FULL), by=personas["sec_college"]
    )
    time_machine.move_to(dt.datetime(2022, 12, 20, 16, 1, tzinfo=dt.UTC))  # 00:01 on the 21st in Shanghai
    with pytest.raises(ValidationError, match="2022-12-20"):
        services.evaluation_submit(evaluation=college_eval, by=personas["sec_college"])


def test_leader_cannot_submit(college_eval, rubric_set, personas):
    with pytest.raises(PermissionDenied):
        services.evaluation_submit(evaluation=college_eval, by=personas["leader"])


def test_unassigned_reviewer_may_not_score_or_finalise(submitted, rubric_set, personas):
    reviewer = personas["reviewer"]  # holds a province-wide reviewer grant, but no assignment
    with pytest.raises(PermissionDenied):
        services.evaluation_review_score(evaluation=submitted, entries=score_all(rubric_set, wulao=30), by=reviewer)
    with pytest.raises(PermissionDenied):
        services.evaluation_finalise(evaluation=submitted, by=reviewer)


def test_secretary_cannot_review_their_own_committee(submitted, rubric_set, personas):
    with pytest.raises(PermissionDenied):
        services.evaluation_review_score(
            evaluation=submitted, entries=score_all(rubric_set, wulao=40), by=personas["sec_college"]
        )


def test_assigned_reviewer_scores_returns_and_the_secretary_resubmits(submitted, rubric_set, personas, assign):
    assign(submitted)
    reviewer, sec = personas["reviewer"], personas["sec_college"]
    ev = services.evaluation_review_score(evaluation=submitted, entries=score_all(rubric_set, wulao=30), by=reviewer)
    assert ev.status == S.UNDER_REVIEW  # scoring starts the review
    with pytest.raises(ValidationError):
        services.evaluation_return(evaluation=ev, by=reviewer, reasons={rubric_set.wulao.pk: "  "})
    ev = services.evaluation_return(
        evaluation=ev,
        by=reviewer,
        reasons={rubric_set.wulao.pk: "缺少五老名单", rubric_set.station.pk: "活动记录不全"},
    )
    assert ev.status == S.RETURNED
    assert ev.scores.get(criterion=rubric_set.wulao).return_reason == "缺少五老名单"
    with pytest.raises(ValidationError):  # the reviewer cannot score while it is back with the committee
        services.evaluation_review_score(evaluation=ev, entries=score_all(rubric_set, wulao=31), by=reviewer)
    services.evaluation_self_score(evaluation=ev, entries=score_all(rubric_set, wulao=36), by=sec, reason="补充名单")
    ev = services.evaluation_submit(evaluation=ev, by=sec)
    assert ev.status == S.SUBMITTED
    assert [e.to_status for e in ev.events.all()] == [S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.SUBMITTED]


def test_finalise_needs_every_review_score_and_then_locks(submitted, rubric_set, personas, assign):
    assign(submitted)
    reviewer = personas["reviewer"]
    services.evaluation_review_score(
        evaluation=submitted, entries=score_all(rubric_set, leadership=40, wulao=30), by=reviewer
    )
    with pytest.raises(ValidationError, match="校外辅导站活动"):
        services.evaluation_finalise(evaluation=submitted, by=reviewer)
    services.evaluation_review_score(
        evaluation=submitted, entries=score_all(rubric_set, station=19.5, award=3), by=reviewer
    )
    ev = services.evaluation_finalise(evaluation=submitted, by=reviewer)
    assert (ev.status, ev.review_total, ev.grade, ev.gate_passed) == (S.FINALISED, D("92.5"), "优秀", False)
    # scores are locked for everybody, the admin included
    for call in (
        lambda: services.evaluation_review_score(evaluation=ev, entries=score_all(rubric_set, station=20), by=reviewer),
        lambda: services.evaluation_self_score(
            evaluation=ev, entries=score_all(rubric_set, station=20), by=personas["admin"]
        ),
        lambda: services.evaluation_return(evaluation=ev, by=personas["admin"], reasons={rubric_set.station.pk: "x"}),
    ):
        with pytest.raises(ValidationError, match="已定稿"):
            call()
    assert ev.scores.get(criterion=rubric_set.station).review_points == D("19.5")


def test_a_second_finalise_from_a_stale_copy_fails_cleanly(submitted, rubric_set, personas, assign):
    assign(submitted)
    reviewer = personas["reviewer"]
    services.evaluation_review_score(evaluation=submitted, entries=score_all(rubric_set, **FULL), by=reviewer)
    stale = type(submitted).objects.get(pk=submitted.pk)
    services.evaluation_finalise(evaluation=submitted, by=reviewer)
    with pytest.raises(ValidationError, match="已定稿"):
        services.evaluation_finalise(evaluation=stale, by=personas["admin"])
    assert submitted.events.filter(to_status=S.FINALISED).count() == 1


def test_round_manager_may_review_without_an_assignment(submitted, rubric_set, personas):
    ev = services.evaluation_review_score(
        evaluation=submitted, entries=score_all(rubric_set, **FULL), by=personas["admin"]
    )
    assert services.evaluation_finalise(evaluation=ev, by=personas["admin"]).status == S.FINALISED


def test_a_panel_member_reviews_what_the_panel_is_assigned(submitted, rubric_set, personas, round_):
    panel = services.panel_create(round_=round_, name="第一考核小组", members=[personas["reviewer"]])
    services.assignment_add(evaluation=submitted, panel=panel)
    ev = services.evaluation_review_score(
        evaluation=submitted, entries=score_all(rubric_set, **FULL), by=personas["reviewer"]
    )
    assert ev.review_total == D("95")


def test_reviewer_cannot_start_review_of_a_draft(college_eval, personas, assign):
    assign(college_eval)
    with pytest.raises(ValidationError):
        services.evaluation_start_review(evaluation=college_eval, by=personas["reviewer"])


def test_review_scores_set_the_grade_beside_the_self_score(submitted, rubric_set, personas, assign):
    assign(submitted)
    ev = services.evaluation_review_score(
        evaluation=submitted,
        entries={**score_all(rubric_set, leadership=30, wulao=30, station=9.5), rubric_set.penalty.pk: Entry(D("2"))},
        by=personas["reviewer"],
    )
    assert (ev.self_total, ev.review_total, ev.grade) == (D("95"), D("67.5"), "不达标")
