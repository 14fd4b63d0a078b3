"""The demo: a finished 五好 round for 清江浦区 and an 优质化 round in progress; a second run changes nothing."""

import io

from django.core.management import call_command

from assessments.models import Evaluation, EvaluationStatus, Objection, Round, Rubric, ScoreChange
from assessments.selectors import rubric_base_total


def test_seed_demo_builds_both_rounds_and_is_idempotent(db):
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Rubric.objects.count(), Round.objects.count(), Evaluation.objects.count(), ScoreChange.objects.count())
    wuhao = Round.objects.get(name__contains="五好", committee__code="QJP")
    assert wuhao.committee.code == "QJP"
    assert not wuhao.evaluations.exclude(status=EvaluationStatus.FINALISED).exists()
    assert wuhao.notice_start and Objection.objects.filter(round=wuhao).count() == 1
    assert rubric_base_total(wuhao.rubric) == 100
    assert [b.label for b in wuhao.rubric.bands.all()] == ["优秀", "先进", "不达标"]
    assert wuhao.evaluations.filter(assignments__user__username="reviewer").exists()
    youzhi = Round.objects.get(name__contains="优质化")
    assert youzhi.rubric.gate_label == "均衡发展"
    assert youzhi.rubric.dimensions.filter(criteria__is_key=True).count() == 3
    statuses = set(youzhi.evaluations.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "under_review", "returned", "finalised"}
    gzucm = Round.objects.get(committee__code="GZUCM")
    college = gzucm.evaluations.get(committee__code="GZUCM-ZJ")
    assert college.status == EvaluationStatus.DRAFT  # sec_college can start her self-assessment
    assert college.assignments.filter(user__username="reviewer").exists()
    assert gzucm.self_deadline > gzucm.created_at.date()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == (
        Rubric.objects.count(),
        Round.objects.count(),
        Evaluation.objects.count(),
        ScoreChange.objects.count(),
    )
