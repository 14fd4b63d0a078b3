"""定稿 on a phone: the button stands apart, and its confirmation fits 360 px with the totals and grade."""

import pytest

from assessments import services
from assessments.models import EvaluationStatus
from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot

from .conftest import score_all

pytestmark = pytest.mark.browser


def test_a_reviewer_finalises_on_a_phone_after_reading_what_locks(phone_page, submitted, assign, rubric_set, personas):
    assign(submitted)
    services.evaluation_review_score(
        evaluation=submitted,
        entries=score_all(rubric_set, leadership=40, wulao=30, station=20),
        by=personas["reviewer"],
    )
    page = phone_page
    log_in(page, "reviewer")
    page.goto(f"{page.base_url}/assessments/evaluations/{submitted.pk}/")
    scoring = page.get_by_role("link", name="填写考评分").bounding_box()
    finalise = page.get_by_role("link", name="定稿……")
    # Not directly under 填写考评分: the totals card lies between them.
    assert finalise.bounding_box()["y"] - (scoring["y"] + scoring["height"]) > 100
    assert_fits_screen(page)
    finalise.click()

    assert page.get_by_role("heading", name="考核定稿").is_visible()
    assert page.locator("dd", has_text="90.0").first.is_visible()
    assert page.locator("dd", has_text="优秀").is_visible()
    assert page.get_by_text("定稿后不能撤销。").is_visible()
    assert_fits_screen(page)
    screenshot(page, "finalise-confirm-phone")
    button = page.get_by_role("button", name="确定定稿并锁定分数")
    assert button.bounding_box()["height"] >= 44
    page.get_by_role("link", name="不了，返回").click()
    submitted.refresh_from_db()
    assert submitted.status != EvaluationStatus.FINALISED

    page.get_by_role("link", name="定稿……").click()
    page.get_by_role("button", name="确定定稿并锁定分数").click()
    assert page.get_by_text("已定稿，分数已锁定").is_visible()
    submitted.refresh_from_db()
    assert submitted.status == EvaluationStatus.FINALISED
