"""Results: ranking, grade distribution, 均衡发展 share against the target, 公示 and objections; xlsx round trip."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments import selectors, services, xlsx
from assessments.models import Objection

from .conftest import score_all


@pytest.fixture
def finished(round_, college_eval, sibling_eval, rubric_set, personas, time_machine):
    """College: 95 优秀 and 均衡发展; sibling: 75 先进, a key indicator short."""
    time_machine.move_to(dt.datetime(2022, 12, 1, tzinfo=dt.UTC))
    admin = personas["admin"]
    for ev, points in (
        (college_eval, {"leadership": 40, "wulao": 35, "station": 20}),
        (sibling_eval, {"leadership": 35, "wulao": 30, "station": 10}),
    ):
        services.evaluation_self_score(evaluation=ev, entries=score_all(rubric_set, **points), by=admin)
        services.evaluation_submit(evaluation=ev, by=admin)
        services.evaluation_review_score(evaluation=ev, entries=score_all(rubric_set, **points), by=admin)
        services.evaluation_finalise(evaluation=ev, by=admin)
    round_.refresh_from_db()
    return round_


def test_ranking_distribution_and_gate_share_against_the_target(finished):
    results = selectors.round_results(finished)
    assert [(e.committee.code, e.review_total, e.grade) for e in results.ranking] == [
        ("UNI-ZJ", D("95"), "优秀"),
        ("UNI-JC", D("75"), "先进"),
    ]
    assert results.distribution == [("优秀", "ok", 1), ("先进", "warn", 1), ("不达标", "bad", 0)]
    assert (results.gate_reached, results.gate_share, results.target, results.target_met) == (
        1,
        D("50.0"),
        D("90"),
        False,
    )


def test_results_page_shows_the_share_and_the_target(finished, client_for):
    body = client_for("leader").get(reverse("assessments:round_results", args=[finished.pk])).content.decode()
    assert "50.0%" in body and "90.0%" in body and "未达到" in body


def test_notice_goes_up_only_when_every_evaluation_is_final(round_, personas):
    with pytest.raises(ValidationError, match="定稿后才能公示"):
        services.notice_publish(
            round_=round_, start=dt.date(2023, 1, 16), end=dt.date(2023, 1, 22), by=personas["admin"]
        )


def test_objections_are_recorded_during_the_notice_period_only(finished, personas, sibling_eval):
    services.notice_publish(round_=finished, start=dt.date(2023, 1, 16), end=dt.date(2023, 1, 22), by=personas["admin"])
    finished.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        services.objection_record(
            round_=finished, raised_by="基础医学院", received_on=dt.date(2023, 1, 23), content="迟到的异议"
        )
    assert "2023-01-16" in str(err.value)
    services.objection_record(
        round_=finished,
        evaluation=sibling_eval,
        raised_by="基础医学院",
        received_on=dt.date(2023, 1, 18),
        content="申请复核5.1项",
    )
    assert Objection.objects.get().evaluation == sibling_eval


def test_notice_list_is_readable_by_participants_once_it_is_up(finished, personas, client_for, time_machine):
    url = reverse("assessments:round_notice", args=[finished.pk])
    assert client_for("sec_sibling").get(url).status_code == 404  # not up yet
    services.notice_publish(round_=finished, start=dt.date(2023, 1, 16), end=dt.date(2023, 1, 22), by=personas["admin"])
    time_machine.move_to(dt.datetime(2023, 1, 17, 2, tzinfo=dt.UTC))
    results = [
        client_for(n).get(url).status_code for n in [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]
    ]
    assert results == [302, 200, 200, 200, 404, 200]
    body = client_for("sec_sibling").get(url).content.decode()
    assert "针灸康复临床医学院关工分委" in body and "受理异议中" in body


def test_objection_form_outside_the_period_keeps_input_and_explains(finished, personas, client_for):
    services.notice_publish(round_=finished, start=dt.date(2023, 1, 16), end=dt.date(2023, 1, 22), by=personas["admin"])
    response = client_for("admin").post(
        reverse("assessments:objection_create", args=[finished.pk]),
        {"raised_by": "某社区", "received_on": "2023-02-01", "content": "对排名有异议"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "异议受理时间为2023-01-16至2023-01-22" in body and "对排名有异议" in body


def _xlsx(rows, headers=None):
    wb = Workbook()
    ws = wb.active
    ws.append(headers or xlsx.rubric_headers())
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("rubric.xlsx", buffer.getvalue())


def test_rubric_exports_and_imports_back_to_the_same_criteria(rubric_set, tree, personas, client_for):
    response = client_for("admin").get(reverse("assessments:rubric_export", args=[rubric_set.rubric.pk]))
    data = b"".join(response.streaming_content)
    imported = xlsx.rubric_import(
        upload=SimpleUploadedFile("r.xlsx", data),
        owner=tree.university,
        name="导入的方案",
        score_step="0.5",
        by=personas["admin"],
    )

    def shape(rubric):
        return [
            (
                c.dimension.title,
                c.code,
                c.title,
                c.kind,
                c.max_points,
                c.is_key,
                c.metric_code,
                c.full_at,
                c.step_points,
            )
            for c in selectors.rubric_criteria(rubric)
        ]

    assert shape(imported) == shape(rubric_set.rubric)
    sheet = load_workbook(io.BytesIO(data)).worksheets[1]
    assert ("等次", "优秀 ≥ 85.0") in [tuple(r) for r in sheet.iter_rows(values_only=True)]


def test_rubric_import_names_row_and_column_and_saves_nothing(tree, personas, client_for):
    upload = _xlsx(
        [["领导班子建设好", "1.1", "党政重视", "人工评分", "10"], ["领导班子建设好", "1.2", "", "打分", "十"]]
    )
    response = client_for("admin").post(
        reverse("assessments:rubric_import"),
        {"owner": tree.university.pk, "name": "坏方案", "score_step": "0.5", "file": upload},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "第3行“考核指标”列：此项必填" in body
    assert "第3行“计分方式”列" in body and "第3行“分值”列：“十”不是大于或等于0的数字" in body
    assert not selectors.rubrics_for(personas["admin"]).filter(name="坏方案").exists()
