"""Status-code matrices per persona, outsiders, and what the pages show."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assessments import services
from assessments.models import Evaluation, EvaluationStatus, Evidence, ReportJob
from orgs.models import AuditEvent

from .conftest import FULL, score_all

PERSONAS = [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]


def statuses(client_for, method, url, data=None):
    results = []
    for name in PERSONAS:
        client = client_for(name)
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        results.append(response.status_code)
    return results


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_index_matrix(client_for, round_):
    assert statuses(client_for, "get", reverse("assessments:index")) == [302, 200, 200, 200, 200, 200]


def test_index_lists_what_each_persona_has_to_do(client_for, round_, college_eval, assign):
    assign(college_eval)
    assert "针灸康复临床医学院关工分委" in client_for("sec_college").get(reverse("assessments:index")).content.decode()
    sibling = client_for("sec_sibling").get(reverse("assessments:index")).content.decode()
    assert "基础医学院关工分委" in sibling and "针灸康复临床医学院关工分委" not in sibling
    reviewer = client_for("reviewer").get(reverse("assessments:index")).content.decode()
    # assigned, but still a draft: nothing to review yet
    assert "针灸康复临床医学院关工分委" not in reviewer and "还没有分配给您的考核表" in reviewer


def test_the_reviewers_list_puts_what_is_left_to_review_before_what_is_finalised(
    client_for, submitted, sibling_eval, rubric_set, personas, assign
):
    admin = personas["admin"]
    services.evaluation_self_score(evaluation=sibling_eval, entries=score_all(rubric_set, **FULL), by=admin)
    services.evaluation_submit(evaluation=sibling_eval, by=admin)
    for evaluation in (submitted, sibling_eval):
        assign(evaluation)
    services.evaluation_review_score(evaluation=sibling_eval, entries=score_all(rubric_set, **FULL), by=admin)
    services.evaluation_finalise(evaluation=sibling_eval, by=admin)
    listed = client_for("reviewer").get(reverse("assessments:index")).context["to_review"]
    assert [e.committee.code for e in listed] == ["UNI-ZJ", "UNI-JC"]  # submitted first, finalised last


def test_evaluation_detail_matrix_and_reviewer_needs_an_assignment(client_for, college_eval, assign):
    url = reverse("assessments:evaluation_detail", args=[college_eval.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 200, 404, 200]
    assign(college_eval)
    assert client_for("reviewer").get(url).status_code == 200


def test_outsider_sees_a_404_like_a_missing_evaluation_and_it_is_audited(client_for, college_eval):
    client = client_for("sec_sibling")
    foreign = client.get(reverse("assessments:evaluation_detail", args=[college_eval.pk]))
    missing = client.get(reverse("assessments:evaluation_detail", args=[999999]))
    assert foreign.status_code == missing.status_code == 404
    assert "针灸康复" not in foreign.content.decode()
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").count() == 2


def test_self_score_page_matrix(client_for, college_eval):
    url = reverse("assessments:evaluation_self", args=[college_eval.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 403, 404, 200]


def test_review_page_matrix(client_for, submitted, assign):
    assign(submitted)
    url = reverse("assessments:evaluation_review", args=[submitted.pk])
    assert statuses(client_for, "get", url) == [302, 404, 403, 403, 200, 200]


@pytest.mark.parametrize(
    "name", ["evaluation_submit", "evaluation_finalise", "evaluation_start_review", "evaluation_prefill"]
)
def test_workflow_buttons_refuse_get(client_for, college_eval, name):
    assert client_for("admin").get(reverse(f"assessments:{name}", args=[college_eval.pk])).status_code == 405


def test_submit_matrix(client_for, college_eval, rubric_set, personas, time_machine):
    time_machine.move_to(dt.datetime(2022, 12, 1, tzinfo=dt.UTC))
    services.evaluation_self_score(
        evaluation=college_eval, entries=score_all(rubric_set, **FULL), by=personas["sec_college"]
    )
    url = reverse("assessments:evaluation_submit", args=[college_eval.pk])
    # leader and reviewer are refused; the secretary's post submits (302), then the admin's finds it already submitted
    assert statuses(client_for, "post", url) == [302, 404, 302, 403, 404, 302]
    college_eval.refresh_from_db()
    assert college_eval.status == EvaluationStatus.SUBMITTED


def test_scoring_form_keeps_what_was_typed_and_explains_in_chinese(client_for, college_eval, rubric_set):
    url = reverse("assessments:evaluation_self", args=[college_eval.pk])
    response = client_for("sec_college").post(
        url,
        {
            f"p_{rubric_set.wulao.pk}": "45",
            f"c_{rubric_set.wulao.pk}": "五老参与率100%",
            f"p_{rubric_set.leadership.pk}": "abc",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "请输入0到40.0之间的分数" in body or "不是有效的数字" in body
    assert 'value="45"' in body and "五老参与率100%" in body
    assert college_eval.scores.get(criterion=rubric_set.wulao).self_points is None


def test_secretary_saves_scores_and_sees_the_total(client_for, college_eval, rubric_set):
    data = {f"p_{getattr(rubric_set, k).pk}": str(v) for k, v in FULL.items()}
    data[f"c_{rubric_set.wulao.pk}"] = "五老参与率100%"
    response = client_for("sec_college").post(reverse("assessments:evaluation_self", args=[college_eval.pk]), data)
    assert response.status_code == 302
    page = (
        client_for("sec_college").get(reverse("assessments:evaluation_detail", args=[college_eval.pk])).content.decode()
    )
    assert "95" in page and "优秀" in page and "五老参与率100%" in page


def test_return_page_needs_a_reason_and_names_the_criteria(client_for, submitted, rubric_set, assign):
    assign(submitted)
    url = reverse("assessments:evaluation_return", args=[submitted.pk])
    response = client_for("reviewer").post(url, {})
    assert response.status_code == 200
    assert "请至少在一项指标上写明退回原因" in response.content.decode()
    response = client_for("reviewer").post(url, {f"r_{rubric_set.wulao.pk}": "缺少五老名单"})
    assert response.status_code == 302
    page = client_for("sec_college").get(reverse("assessments:evaluation_detail", args=[submitted.pk])).content.decode()
    assert "缺少五老名单" in page and "已退回修改" in page


def test_evidence_upload_download_and_scope(client_for, college_eval, rubric_set):
    score = college_eval.scores.get(criterion=rubric_set.wulao)
    url = reverse("assessments:evidence_add", args=[college_eval.pk, score.pk])
    assert client_for("sec_sibling").post(url, {"file": png()}).status_code == 404
    assert client_for("leader").post(url, {"file": png()}).status_code == 403
    assert client_for("sec_college").post(url, {"file": png("五老名单.png")}).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "五老名单.png"
    download = reverse("assessments:evidence_download", args=[evidence.pk])
    assert statuses(client_for, "get", download) == [302, 404, 200, 200, 404, 200]
    fake = SimpleUploadedFile("x.png", b"not really a picture", content_type="image/png")
    client = client_for("sec_college")
    response = client.post(url, {"file": fake}, follow=True)
    assert "不是" in response.content.decode()  # a plain Chinese message, no 500
    assert Evidence.objects.count() == 1


def test_evidence_delete_is_post_only_and_locked_after_submission(
    client_for, submitted, rubric_set, personas, time_machine
):
    score = submitted.scores.get(criterion=rubric_set.wulao)
    evidence = Evidence.objects.create(
        score=score, file="assessments/evidence/x.png", original_name="x.png", kind="image"
    )
    url = reverse("assessments:evidence_delete", args=[evidence.pk])
    assert client_for("sec_college").get(url).status_code == 405
    client_for("sec_college").post(url)
    assert Evidence.objects.filter(pk=evidence.pk).exists()  # submitted: evidence stays


def test_dossier_zip_names_files_by_criterion(client_for, college_eval, rubric_set):
    score = college_eval.scores.get(criterion=rubric_set.wulao)
    client_for("sec_college").post(
        reverse("assessments:evidence_add", args=[college_eval.pk, score.pk]), {"file": png("名单.png")}
    )
    url = reverse("assessments:evaluation_dossier", args=[college_eval.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 200, 404, 200]
    response = client_for("sec_college").get(url)
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert names == ["01 1.2 五老参与/01-名单.png"]


def test_round_pages_matrix(client_for, round_):
    for name in ("round_detail", "round_results"):
        url = reverse(f"assessments:{name}", args=[round_.pk])
        assert statuses(client_for, "get", url) == [302, 404, 404, 200, 404, 200], name
    for name in ("round_edit", "round_assign", "notice_edit", "objection_create"):
        url = reverse(f"assessments:{name}", args=[round_.pk])
        assert statuses(client_for, "get", url) == [302, 404, 404, 403, 404, 200], name
    assert statuses(client_for, "get", reverse("assessments:round_create")) == [302, 403, 403, 403, 403, 200]


def test_rubric_pages_matrix(client_for, rubric_set):
    rubric = rubric_set.rubric
    assert statuses(client_for, "get", reverse("assessments:rubric_detail", args=[rubric.pk])) == [
        302,
        404,
        404,
        200,
        200,
        200,
    ]
    assert statuses(client_for, "get", reverse("assessments:rubric_edit", args=[rubric.pk])) == [
        302,
        404,
        404,
        403,
        403,
        200,
    ]
    assert statuses(client_for, "get", reverse("assessments:rubric_list")) == [302, 403, 403, 403, 403, 200]
    assert statuses(client_for, "get", reverse("assessments:criterion_edit", args=[rubric_set.wulao.pk])) == [
        302,
        404,
        404,
        403,
        403,
        200,
    ]
    assert client_for("admin").get(reverse("assessments:rubric_new_version", args=[rubric.pk])).status_code == 405


def test_admin_creates_a_round_over_direct_sub_committees(client_for, tree, rubric_set):
    response = client_for("admin").post(
        reverse("assessments:round_create"),
        {
            "name": "2023年度考核",
            "organiser": tree.university.pk,
            "who": "children",
            "rubric": rubric_set.rubric.pk,
            "year": "2023",
            "self_deadline": "2023-12-01",
            "review_deadline": "2023-12-31",
            "balanced_target": "90",
        },
    )
    assert response.status_code == 302
    assert sorted(Evaluation.objects.filter(round__name="2023年度考核").values_list("committee__code", flat=True)) == [
        "UNI-JC",
        "UNI-ZJ",
    ]


def test_round_form_errors_are_in_chinese_and_keep_input(client_for, tree, rubric_set):
    response = client_for("admin").post(
        reverse("assessments:round_create"),
        {
            "name": "草稿批次",
            "organiser": tree.university.pk,
            "who": "kind",
            "rubric": rubric_set.rubric.pk,
            "year": "2023",
            "self_deadline": "2023-12-31",
            "review_deadline": "2023-12-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="草稿批次"' in body
    assert "考评截止日期不能早于自评截止日期" in body


def test_page_queries_do_not_grow_with_evaluations(
    client_for, round_, college_eval, sibling_eval, django_assert_max_num_queries, assign
):
    assign(college_eval)
    assign(sibling_eval)
    client = client_for("admin")
    for url, limit in (
        (reverse("assessments:round_detail", args=[round_.pk]), 14),
        (reverse("assessments:round_results", args=[round_.pk]), 14),
        (reverse("assessments:index"), 12),
        (reverse("assessments:evaluation_detail", args=[college_eval.pk]), 20),
    ):
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_summary_report_is_made_in_the_background_and_reused_until_data_change(
    client_for, round_, submitted, rubric_set, personas, django_capture_on_commit_callbacks
):
    client = client_for("leader")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessments:report_request", args=[round_.pk]))
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("assessments:report_status", args=[job.pk])
    assert job.status == "done" and job.total >= 1
    status_page = client.get(response["Location"]).content.decode()
    assert "下载" in status_page
    pdf = client.get(reverse("assessments:report_download", args=[job.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    client.post(reverse("assessments:report_request", args=[round_.pk]))
    assert ReportJob.objects.count() == 1  # same data: cached
    services.evaluation_review_score(
        evaluation=submitted, entries=score_all(rubric_set, wulao=30), by=personas["admin"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:report_request", args=[round_.pk]))
    assert ReportJob.objects.count() == 2
    assert ReportJob.objects.first().status == "done"  # data changed: rendered again
    assert client_for("sec_college").get(reverse("assessments:report_status", args=[job.pk])).status_code == 404
    assert client_for("leader").get(reverse("assessments:report_request", args=[round_.pk])).status_code == 405


def test_scores_export_is_an_xlsx_with_both_scores(client_for, round_, submitted):
    from openpyxl import load_workbook

    url = reverse("assessments:round_scores_export", args=[round_.pk])
    assert statuses(client_for, "get", url) == [302, 404, 404, 200, 404, 200]
    response = client_for("leader").get(url)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert "1.2 五老参与（自评）" in rows[0]
    college = next(r for r in rows if r[1] == "UNI-ZJ")
    assert college[rows[0].index("自评总分")] == 95


def test_system_admin_lists_evaluations_read_only(client_for, round_):
    client = client_for("admin")
    assert client.get("/admin/assessments/evaluation/").status_code == 200
    assert client.get("/admin/assessments/evaluation/add/").status_code == 403
    assert client.get("/admin/assessments/rubric/").status_code == 200


@pytest.mark.parametrize("typed", ["-1", "NaN", "nan", "Infinity", "41", "1e400", "9" * 40, "𡃁"])
def test_hostile_scores_are_refused_with_a_message_and_nothing_is_saved(client_for, college_eval, rubric_set, typed):
    url = reverse("assessments:evaluation_self", args=[college_eval.pk])
    response = client_for("sec_college").post(url, {f"p_{rubric_set.leadership.pk}": typed})
    assert response.status_code == 200  # the form again, never a 500
    assert "分数" in response.content.decode() or "数字" in response.content.decode()
    assert college_eval.scores.get(criterion=rubric_set.leadership).self_points is None


def test_full_width_digits_from_a_chinese_keyboard_count_as_the_number(client_for, college_eval, rubric_set):
    url = reverse("assessments:evaluation_self", args=[college_eval.pk])
    client_for("sec_college").post(url, {f"p_{rubric_set.leadership.pk}": "３０"})
    assert college_eval.scores.get(criterion=rubric_set.leadership).self_points == 30
