import io
from datetime import date

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from orgs.models import AuditEvent, CommitteeKind
from orgs.services import committee_create
from plans.models import Deliverable, OwnerKind, Plan, PlanStatus, Target, WorkPoint
from plans.services import plan_publish, work_point_assign
from plans.tests.conftest import SEED_PLAN_2022, seed_text

PERSONAS = [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]


def statuses(client_for, method, url, data=None):
    results = []
    for name in PERSONAS:
        client = client_for(name)
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        results.append(response.status_code)
    return results


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lecture_target(plan) -> Target:
    return Target.objects.get(work_point__section__plan=plan, unit="场")


@pytest.fixture
def published_plan(uni_plan):
    return plan_publish(plan=uni_plan)


# --- status-code matrices --------------------------------------------------------


def test_index_matrix(client_for, tree):
    assert statuses(client_for, "get", reverse("plans:index")) == [302, 200, 200, 200, 200, 200]


def test_draft_plan_is_seen_only_by_its_own_subtree_and_above(client_for, uni_plan):
    url = reverse("plans:plan_detail", args=[uni_plan.pk])
    assert statuses(client_for, "get", url) == [302, 404, 404, 200, 200, 200]


def test_published_plan_is_seen_by_the_committees_below(client_for, published_plan):
    url = reverse("plans:plan_detail", args=[published_plan.pk])
    assert statuses(client_for, "get", url) == [302, 200, 200, 200, 200, 200]


def test_edit_matrix_on_a_published_plan(client_for, published_plan):
    url = reverse("plans:plan_edit", args=[published_plan.pk])
    assert statuses(client_for, "get", url) == [302, 403, 403, 403, 403, 200]


def test_target_pages_matrix(client_for, published_plan):
    target = lecture_target(published_plan)
    work_point_assign(point=target.work_point, owner_kind=OwnerKind.EACH_SUBCOMMITTEE)
    assert statuses(client_for, "get", reverse("plans:target_detail", args=[target.pk])) == [
        302,
        200,
        200,
        200,
        200,
        200,
    ]
    assert statuses(client_for, "get", reverse("plans:target_edit", args=[target.pk])) == [
        302,
        403,
        403,
        403,
        403,
        200,
    ]


def test_point_assigned_to_the_college_is_not_found_for_the_sibling(client_for, tree, published_plan):
    target = lecture_target(published_plan)
    work_point_assign(point=target.work_point, owner_kind=OwnerKind.ASSIGNED, committees=[tree.college])
    url = reverse("plans:target_detail", args=[target.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 200, 200, 200]
    assert statuses(client_for, "get", reverse("plans:point_edit", args=[target.work_point_id])) == [
        302,
        404,
        403,
        403,
        403,
        200,
    ]


def test_mutations_are_post_only(client_for, uni_plan, sec_uni):
    client = login(sec_uni)
    target = lecture_target(uni_plan)
    for url in (
        reverse("plans:plan_publish", args=[uni_plan.pk]),
        reverse("plans:plan_delete", args=[uni_plan.pk]),
        reverse("plans:target_delete", args=[target.pk]),
    ):
        assert client.get(url).status_code == 405
    uni_plan.refresh_from_db()
    assert uni_plan.status == PlanStatus.DRAFT


def test_publish_matrix(client_for, tree, uni_plan):
    url = reverse("plans:plan_publish", args=[uni_plan.pk])
    # anonymous, outsider, college (cannot see a draft), then the reviewer (sees, may not publish)
    assert [client_for(n).post(url).status_code for n in (None, "sec_sibling", "sec_college", "reviewer")] == [
        302,
        404,
        404,
        403,
    ]
    uni_plan.refresh_from_db()
    assert uni_plan.status == PlanStatus.DRAFT
    assert client_for("leader").post(url).status_code == 302  # a leader approves and publishes
    uni_plan.refresh_from_db()
    assert uni_plan.status == PlanStatus.PUBLISHED


def test_outsider_probe_is_audited_like_a_missing_plan(client_for, uni_plan):
    client = client_for("sec_sibling")
    foreign = client.get(reverse("plans:plan_detail", args=[uni_plan.pk]))
    missing = client.get(reverse("plans:plan_detail", args=[987654]))
    assert foreign.status_code == missing.status_code == 404
    assert uni_plan.title not in foreign.content.decode()
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").count() == 2


def test_outsider_cannot_correct_a_target_by_posting(client_for, published_plan):
    target = lecture_target(published_plan)
    response = client_for("sec_sibling").post(
        reverse("plans:target_edit", args=[target.pk]),
        {"text": "篡改", "comparator": ">=", "value": "1", "period_kind": "year", "scope": "aggregate"},
    )
    assert response.status_code in (403, 404)
    target.refresh_from_db()
    assert target.value == 25


# --- journey 3: the annual plan arrives as a Word file ---------------------------


def seed_docx() -> SimpleUploadedFile:
    document = docx.Document()
    for line in seed_text(SEED_PLAN_2022).splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("2022年工作要点.docx", buffer.getvalue())


def test_journey_upload_correct_assign_publish(tree, personas, sec_uni, client_for):
    client = login(sec_uni)
    response = client.post(
        reverse("plans:upload"), {"committee": tree.university.pk, "year": 2022, "document": seed_docx()}
    )
    plan = Plan.objects.get()
    # Its targets were wired to metrics from their words: the secretary checks those first.
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan_targets", args=[plan.pk])

    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "锡职院委（2022）13号" in page
    assert "全年讲师团宣讲不少于25场" in page
    assert "机关党工委、各党总支" in page  # the original text beside the draft

    target = lecture_target(plan)
    response = client.post(
        reverse("plans:target_edit", args=[target.pk]),
        {
            "text": "全年讲师团宣讲不少于30场",
            "metric": "activity_count",
            "kinds": ["lecture"],
            "comparator": ">=",
            "value": "30",
            "unit": "场",
            "period_kind": "year",
            "scope": "each_subcommittee",
            "subtree": "on",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.value, target.scope, target.params) == (30, "each_subcommittee", {"kinds": ["lecture"]})

    point = target.work_point
    response = client.post(
        reverse("plans:point_edit", args=[point.pk]),
        {
            "number": point.number,
            "title": point.title,
            "text": point.text,
            "owner_kind": OwnerKind.ASSIGNED,
            "committees": [tree.college.pk],
        },
    )
    assert response.status_code == 302
    assert list(WorkPoint.objects.get(pk=point.pk).assigned_committees.all()) == [tree.college]

    assert client.post(reverse("plans:plan_publish", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED

    college_page = client_for("sec_college").get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "全年讲师团宣讲不少于30场" in college_page
    assert "提高政治站位" not in college_page  # points owned by the university itself stay with it
    sibling_page = client_for("sec_sibling").get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "全年讲师团宣讲不少于30场" not in sibling_page


def test_upload_of_an_empty_document_explains_and_creates_nothing(tree, sec_uni):
    client = login(sec_uni)
    response = client.post(reverse("plans:upload"), {"committee": tree.university.pk, "year": 2022, "text": "   "})
    assert response.status_code == 200
    assert "请选择 Word 文件或粘贴工作要点的文字" in response.content.decode()
    response = client.post(
        reverse("plans:upload"),
        {"committee": tree.university.pk, "year": 2022, "text": "今天开了个会，大家都很高兴。"},
    )
    assert "没有找到带编号的章节" in response.content.decode()
    assert "今天开了个会" in response.content.decode()  # what was typed stays
    response = client.post(
        reverse("plans:upload"),
        {"committee": tree.university.pk, "year": 2022, "document": SimpleUploadedFile("x.docx", b"not a docx")},
    )
    assert response.status_code == 200
    assert Plan.objects.count() == 0


def test_upload_for_a_committee_outside_the_scope_is_refused(tree, sec_uni, client_for):
    response = login(sec_uni).post(
        reverse("plans:upload"), {"committee": tree.other_root.pk, "year": 2022, "text": seed_text(SEED_PLAN_2022)}
    )
    assert response.status_code == 200  # the choice is not offered: a form error
    assert Plan.objects.count() == 0
    assert client_for("leader").get(reverse("plans:upload")).status_code == 403


def test_a_bad_target_value_is_a_form_error_not_a_crash(uni_plan, sec_uni):
    target = lecture_target(uni_plan)
    response = login(sec_uni).post(
        reverse("plans:target_edit", args=[target.pk]),
        {
            "text": "x",
            "metric": "activity_count",
            "comparator": ">=",
            "value": "二十五",
            "period_kind": "year",
            "scope": "aggregate",
            "params_json": "{not json",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "二十五" in body
    target.refresh_from_db()
    assert target.value == 25


# --- progress from activities ------------------------------------------------------


def test_leader_sees_progress_and_the_records_that_counted(tree, published_plan, make_activity, client_for):
    for day in (1, 2, 3):
        make_activity(tree.college, "lecture", date(2022, 5, day), title=f"宣讲会第{day}场")
    make_activity(tree.college, "lecture", date(2022, 5, 4), title="已删除的宣讲会", deleted=True)
    target = lecture_target(published_plan)
    page = client_for("leader").get(reverse("plans:target_detail", args=[target.pk])).content.decode()
    assert "<strong>3</strong>" in page
    assert "宣讲会第2场" in page
    assert "已删除的宣讲会" not in page
    plan_page = client_for("leader").get(reverse("plans:plan_detail", args=[published_plan.pk])).content.decode()
    assert "<strong>3</strong>" in plan_page


def _more_colleges(tree, n):
    for i in range(n):
        committee_create(parent=tree.university, name=f"学院{i}", code=f"UNI-X{i}", kind=CommitteeKind.COLLEGE)


def test_target_page_queries_do_not_grow_with_the_subtree(
    tree, published_plan, client_for, django_assert_max_num_queries
):
    target = lecture_target(published_plan)
    url = reverse("plans:target_detail", args=[target.pk])
    client = client_for("leader")
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)
    _more_colleges(tree, 8)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_plan_index_queries_are_fixed(tree, published_plan, client_for, django_assert_max_num_queries):
    client = client_for("leader")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("plans:index") + "?year=2022").status_code == 200


# --- exports -------------------------------------------------------------------------


def test_xlsx_export_lists_points_and_targets_with_progress(tree, published_plan, make_activity, client_for):
    make_activity(tree.college, "lecture", date(2022, 5, 1))
    response = client_for("leader").get(reverse("plans:plan_export_xlsx", args=[published_plan.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    lecture = next(r for r in rows if r[4] == "全年讲师团宣讲不少于25场")
    assert lecture[5] == "≥ 25场" and lecture[8] == 1 and lecture[11] == 24  # numbers, not text
    assert lecture[9] == "目前 1场，目标 ≥ 25场：已完成 4%" and lecture[10] == "红"


def test_docx_export_is_a_word_document_with_the_sections(published_plan, client_for):
    response = client_for("leader").get(reverse("plans:plan_export_docx", args=[published_plan.pk]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "锡职院委（2022）13号" in text
    assert "四、强化思想引领，深入开展社会主义核心价值观教育" in text
    assert "全年讲师团宣讲不少于25场" in text


def test_sibling_export_contains_only_its_points(tree, published_plan, client_for):
    target = lecture_target(published_plan)
    work_point_assign(point=target.work_point, owner_kind=OwnerKind.ASSIGNED, committees=[tree.college])
    response = client_for("sec_sibling").get(reverse("plans:plan_export_xlsx", args=[published_plan.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert all("讲师团" not in str(c.value) for row in sheet.iter_rows() for c in row)


# --- programmes --------------------------------------------------------------------------


def test_programme_page_matrix_and_timeline(client_for, college_programme):
    url = reverse("plans:programme_detail", args=[college_programme.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 200, 200, 200]
    page = client_for("sec_college").get(url).content.decode()
    assert "创建阶段" in page and "巩固提高" in page and "gantt-bar" in page
    assert "2018年中期报告" in page


def test_programme_page_queries_do_not_grow(tree, college_programme, client_for, django_assert_max_num_queries):
    client = client_for("leader")
    url = reverse("plans:programme_detail", args=[college_programme.pk])
    with django_assert_max_num_queries(12):
        client.get(url)
    _more_colleges(tree, 6)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_deliverable_handed_in_downloaded_and_reviewed(tree, college_programme, client_for):
    milestone = college_programme.milestones.get(kind="mid_term")
    upload_url = reverse("plans:deliverable_upload", args=[milestone.pk])
    assert statuses(client_for, "get", upload_url) == [302, 404, 200, 403, 403, 200]
    response = client_for("sec_college").post(
        upload_url,
        {"committee": tree.college.pk, "title": "中期评估报告", "file": SimpleUploadedFile("report.png", png_bytes())},
    )
    assert response.status_code == 302
    deliverable = Deliverable.objects.get()
    download = reverse("plans:deliverable_download", args=[deliverable.pk])
    assert statuses(client_for, "get", download) == [302, 404, 200, 200, 200, 200]

    review = reverse("plans:deliverable_review", args=[deliverable.pk])
    assert client_for("leader").get(review).status_code == 405
    assert client_for("sec_college").post(review, {"status": "accepted"}).status_code == 403
    client_for("leader").post(review, {"status": "returned", "reviewer_note": ""})
    deliverable.refresh_from_db()
    assert deliverable.status == "submitted"  # returning needs a reason
    client_for("leader").post(review, {"status": "returned", "reviewer_note": "缺少照片"})
    deliverable.refresh_from_db()
    assert (deliverable.status, deliverable.reviewer_note) == ("returned", "缺少照片")


def test_deliverable_must_be_a_real_document(tree, college_programme, client_for):
    milestone = college_programme.milestones.first()
    response = client_for("sec_college").post(
        reverse("plans:deliverable_upload", args=[milestone.pk]),
        {"committee": tree.college.pk, "file": SimpleUploadedFile("evil.pdf", b"MZ not a pdf")},
    )
    assert response.status_code == 200
    assert Deliverable.objects.count() == 0


def test_participant_status_is_set_by_the_leader_only(college_programme, client_for):
    participant = college_programme.participations.get()
    url = reverse("plans:participant_status", args=[participant.pk])
    assert client_for("leader").get(url).status_code == 405
    assert client_for("sec_college").post(url, {"status": "accepted"}).status_code == 403
    assert client_for("sec_sibling").post(url, {"status": "accepted"}).status_code == 404
    assert client_for("leader").post(url, {"status": "mid_term_passed"}).status_code == 302
    participant.refresh_from_db()
    assert participant.status == "mid_term_passed"


def test_progress_is_read_from_snapshots_and_a_big_subtree_says_when_it_was_counted(
    tree, published_plan, make_activity, client_for, settings, time_machine
):
    from metrics import recompute as snapshots
    from metrics.models import MetricSnapshot

    time_machine.move_to(date(2022, 6, 30))
    for day in (1, 2, 3):
        make_activity(tree.college, "lecture", date(2022, 5, day))
    target = lecture_target(published_plan)
    target_url = reverse("plans:target_detail", args=[target.pk])
    plan_url = reverse("plans:plan_detail", args=[published_plan.pk])
    client = client_for("leader")
    snapshots.snapshots_recompute_all(years=[2022])
    stored = MetricSnapshot.objects.filter(
        committee=tree.university, metric=target.metric, period_start=date(2022, 1, 1)
    )
    assert stored.filter(params_key__contains="lecture").get().value == 3  # the target's own figure is stored
    stored.filter(params_key__contains="lecture").update(value=7)  # prove the pages read it
    assert "<strong>7</strong>" in client.get(target_url).content.decode()
    assert "<strong>7</strong>" in client.get(plan_url).content.decode()

    snapshots.mark_dirty([tree.college.pk])
    settings.GUANWEI_LIVE_SUBTREE_LIMIT = 3  # the university's 4 committees: a big subtree keeps its snapshot
    for url in (target_url, plan_url):
        page = client.get(url).content.decode()
        assert "<strong>7</strong>" in page and "data-stale" in page
    settings.GUANWEI_LIVE_SUBTREE_LIMIT = 2000  # a small one is counted again at once
    for url in (target_url, plan_url):
        page = client.get(url).content.decode()
        assert "<strong>3</strong>" in page and "data-stale" not in page
