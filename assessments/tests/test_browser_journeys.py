"""Journeys 5, 6 and 7 in Chromium: self-assessment on a phone, review day, results and 公示."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.utils import timezone
from PIL import Image

from activities.models import ActivityKind
from activities.services import activity_create
from assessments import services
from assessments.models import Evaluation, EvaluationStatus, Objection
from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot

from .conftest import score_all

pytestmark = pytest.mark.browser


@pytest.fixture
def open_round(tree, personas, rubric_set):
    """A round opened today with deadlines ahead, after the college's station logged 22 activities this year."""
    today = timezone.localdate()
    # live_server tests flush the database between tests, data migrations included
    kind, _ = ActivityKind.objects.get_or_create(code="station_activity", defaults={"name": "校外辅导站活动"})
    for i in range(22):
        activity_create(
            committee=tree.college_station,
            kind=kind,
            title=f"周末课堂第{i + 1}次",
            held_on=dt.date(today.year, 1, 1) + dt.timedelta(days=i),
        )
    return services.round_create(
        committee=tree.university,
        rubric=rubric_set.rubric,
        committees=[tree.college, tree.sibling],
        name=f"{today.year}年度五好关工分委考核",
        year=today.year,
        self_deadline=today + dt.timedelta(days=10),
        review_deadline=today + dt.timedelta(days=20),
        balanced_target=D("90"),
        by=personas["admin"],
    )


def test_journey_5_secretary_self_assesses_on_a_phone(phone_page, open_round, rubric_set, tree, tmp_path):
    page = phone_page
    evaluation = Evaluation.objects.get(round=open_round, committee=tree.college)
    log_in(page, "sec_college")
    page.goto(page.base_url + "/assessments/")
    page.get_by_role("link", name=re.compile("针灸康复临床医学院关工分委")).click()
    # The activity-based criterion is already scored from the log, with the records that count.
    assert page.get_by_text("22条计入的记录").is_visible()
    page.get_by_text("22条计入的记录").click()
    assert page.get_by_text("周末课堂第22次").is_visible()
    assert_fits_screen(page)
    screenshot(page, "assessment-self-phone")

    page.get_by_role("link", name="填写自评分").click()
    assert page.locator(f"#p_{rubric_set.station.pk}").input_value() == "19.0"
    page.locator(f"#p_{rubric_set.leadership.pk}").fill("40")
    page.locator(f"#p_{rubric_set.wulao.pk}").fill("36")
    page.locator(f"#c_{rubric_set.wulao.pk}").fill("退休老同志全部实名登记")
    assert_fits_screen(page)
    page.get_by_role("button", name="保存分数").click()
    assert page.get_by_text("分数已保存").is_visible()

    photo = tmp_path / "五老名册.png"
    Image.new("RGB", (40, 30), (180, 20, 20)).save(photo)
    score = evaluation.scores.get(criterion=rubric_set.wulao)
    page.locator(f"#f{score.pk}").set_input_files(str(photo))
    page.locator(f"#c{rubric_set.wulao.pk}").get_by_role("button", name="上传", exact=True).click()
    assert page.get_by_role("link", name="五老名册.png").is_visible()

    page.get_by_role("button", name="提交考评").click()
    assert page.get_by_text("已提交考评").is_visible()
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.self_total) == (EvaluationStatus.SUBMITTED, D("95"))


def test_journey_6_reviewer_scores_returns_one_and_finalises_the_other(
    desktop_page, open_round, rubric_set, tree, personas
):
    admin, reviewer = personas["admin"], personas["reviewer"]
    evaluations = {e.committee_id: e for e in open_round.evaluations.all()}
    for ev in evaluations.values():
        services.evaluation_self_score(evaluation=ev, entries=score_all(rubric_set, leadership=40, wulao=35), by=admin)
        services.evaluation_submit(evaluation=ev, by=admin)
        services.assignment_add(evaluation=ev, user=reviewer, by=admin)
    other = services.round_create(
        committee=tree.university,
        rubric=rubric_set.rubric,
        committees=[tree.college],
        name="另一批次",
        year=open_round.year,
        self_deadline=open_round.self_deadline,
        review_deadline=open_round.review_deadline,
    )
    page = desktop_page
    log_in(page, "reviewer")
    page.goto(page.base_url + "/assessments/")
    assert page.get_by_role("link", name=re.compile("基础医学院关工分委")).is_visible()
    assert page.get_by_text("另一批次").count() == 0  # not assigned: not shown

    page.get_by_role("link", name=re.compile("针灸康复临床医学院关工分委")).click()
    page.get_by_role("link", name="填写考评分").click()
    assert page.get_by_text("自评分：40.0").is_visible()
    page.locator(f"#p_{rubric_set.leadership.pk}").fill("40")
    page.locator(f"#p_{rubric_set.wulao.pk}").fill("34")
    page.locator(f"#p_{rubric_set.station.pk}").fill("19")
    page.get_by_role("button", name="保存分数").click()
    page.get_by_role("link", name="定稿……").click()
    assert page.get_by_text("定稿后不能撤销。").is_visible()  # asked first, with what locks
    page.get_by_role("button", name="确定定稿并锁定分数").click()
    assert page.get_by_text("已定稿，分数已锁定").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF报告").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    page.goto(page.base_url + "/assessments/")
    page.get_by_role("link", name=re.compile("基础医学院关工分委")).click()
    page.get_by_role("link", name="退回并说明原因").click()
    page.locator(f"#r_{rubric_set.wulao.pk}").fill("缺少五老实名登记名册")
    page.locator(f"#r_{rubric_set.station.pk}").fill("活动记录与照片不全")
    page.get_by_role("button", name="退回被考核单位").click()
    assert page.locator("p.message.error", has_text="缺少五老实名登记名册").is_visible()
    screenshot(page, "assessment-returned")

    assert Evaluation.objects.get(pk=evaluations[tree.college.pk].pk).review_total == D("93")
    assert Evaluation.objects.get(pk=evaluations[tree.sibling.pk].pk).status == EvaluationStatus.RETURNED
    assert page.request.get(f"{page.base_url}/assessments/evaluations/{other.evaluations.get().pk}/").status == 404


def test_journey_7_admin_sees_results_puts_up_the_notice_and_records_an_objection(
    desktop_page, open_round, rubric_set, personas, tree
):
    admin = personas["admin"]
    for ev, points in zip(
        open_round.evaluations.order_by("committee__code"),
        ({"leadership": 35, "wulao": 30}, {"leadership": 40, "wulao": 40}),
        strict=True,
    ):
        services.evaluation_self_score(evaluation=ev, entries=score_all(rubric_set, **points), by=admin)
        services.evaluation_submit(evaluation=ev, by=admin)
        services.evaluation_review_score(evaluation=ev, entries=score_all(rubric_set, **points, station=20), by=admin)
        services.evaluation_finalise(evaluation=ev, by=admin)
    page = desktop_page
    log_in(page, "admin")
    page.goto(f"{page.base_url}/assessments/rounds/{open_round.pk}/results/")
    rows = page.locator("table tbody tr")
    assert rows.nth(0).get_by_text("针灸康复临床医学院关工分委").is_visible()  # 100 first, 85 second
    assert page.get_by_text("50.0%").is_visible() and page.get_by_text("90.0%").is_visible()
    screenshot(page, "assessment-results")

    today = timezone.localdate()
    page.get_by_role("link", name="设置公示").click()
    page.get_by_label("公示开始日期").fill(today.isoformat())
    page.get_by_label("公示结束日期").fill((today + dt.timedelta(days=6)).isoformat())
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("公示已设置").is_visible()
    page.get_by_role("link", name="登记异议").click()
    page.get_by_label("提出人").fill("基础医学院关工分委")
    page.get_by_label("异议").fill("申请复核“校外辅导站活动”一项")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("异议已登记").is_visible()
    assert Objection.objects.get().raised_by == "基础医学院关工分委"


def test_admin_takes_an_assignment_back_on_a_phone(phone_page, open_round, personas, tree):
    evaluation = open_round.evaluations.get(committee=tree.college)
    services.assignment_add(evaluation=evaluation, user=personas["reviewer"], by=personas["admin"])
    page = phone_page
    log_in(page, "admin")
    page.goto(f"{page.base_url}/assessments/rounds/{open_round.pk}/assign/")
    page.get_by_role("link", name="取消分配……").first.click()  # opens the question; nothing is sent yet
    assert page.get_by_text("确定取消reviewer对针灸康复临床医学院关工分委的考评分配吗？").is_visible()
    assert evaluation.assignments.count() == 1
    assert_fits_screen(page)
    screenshot(page, "assessment-assignment-remove-phone")
    page.get_by_role("button", name="确定取消分配").click()
    assert page.get_by_text("已取消reviewer对针灸康复临床医学院关工分委的考评分配。").is_visible()
    assert evaluation.assignments.count() == 0
