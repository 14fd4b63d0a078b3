"""The 修正目标 form at 360 px: kinds as whole words, Chinese fields, 12 not 12.0000, no sideways scroll."""

from decimal import Decimal

import pytest

from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot
from plans.models import WorkPoint
from plans.services import target_create

pytestmark = pytest.mark.browser

PASSWORD = "x-test-password"  # sec_uni's, from plans/tests/conftest.py


def test_the_target_form_fits_a_phone_and_speaks_chinese(phone_page, sec_uni, uni_plan, kinds):
    point = WorkPoint.objects.filter(section__plan=uni_plan).order_by("section__position", "position").first()
    target = target_create(
        work_point=point,
        text="全年开展活动不少于12次",
        metric="activity_count",
        params={"kinds": ["report"]},
        value=Decimal("12.0000"),
        unit="次",
    )
    page = phone_page
    log_in(page, "sec_uni", PASSWORD)
    page.goto(f"{page.base_url}/plans/targets/{target.pk}/edit/")
    assert page.locator("#id_value").input_value() == "12"
    body = page.locator("main").inner_text()
    assert '{"metric"' not in body and "12.0000" not in body
    assert page.get_by_text("每个下级关工委按哪项统计").is_visible()
    assert_fits_screen(page)
    screenshot(page, "target-form-phone")
    # Every kind's label is on one line (报告会, never 报告/会) and the list is wider than a 100 px column.
    heights = page.eval_on_selector_all(
        "div[id$='kinds'] label", "els => els.map(e => [e.textContent.trim(), e.getBoundingClientRect().height])"
    )
    assert len(heights) == 15
    assert all(h < 50 for _name, h in heights), heights
    width = page.eval_on_selector("div[id$='kinds']", "e => e.getBoundingClientRect().width")
    assert width > 250
    report = page.get_by_label("报告会")
    assert report.is_checked()
    assert report.bounding_box()["height"] >= 22
