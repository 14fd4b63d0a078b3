"""The committee and person boxes of the activity list in Chromium, on a 360 px phone, with and without JavaScript."""

import datetime as dt

import pytest

from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def listed(make_activity, tree, people, sibling_activity):
    make_activity(title="红色故事进课堂", held_on=dt.date(2022, 3, 1), participants=[people.zhang])
    make_activity(title="辅导站读书会", committee=tree.college_station, held_on=dt.date(2022, 5, 1))


def _titles(page):
    return [t.strip() for t in page.locator("table.activity-table tbody td:nth-child(2) a").all_inner_texts()]


def test_typing_in_the_committee_box_suggests_names_from_the_scope(phone_page, personas, listed):
    page = phone_page
    log_in(page, "sec_college")
    page.goto(page.base_url + "/activities/")
    page.get_by_text("筛选和搜索").click()
    box = page.get_by_label("委员会")
    box.press_sequentially("针灸")
    options = page.locator("#id_committee-suggestions option")
    options.first.wait_for(state="attached")
    assert options.evaluate_all("os => os.map(o => o.value)") == [
        "针灸康复学院（UNI-ZJ）",
        "针灸学院校外辅导站（UNI-ZJ-ST）",
    ]
    box.fill("针灸学院校外辅导站（UNI-ZJ-ST）")  # what picking the suggestion puts in the box
    assert_fits_screen(page)
    screenshot(page, "activity-filter-suggestions-phone")
    page.get_by_role("button", name="筛选", exact=True).click()
    assert _titles(page) == ["辅导站读书会"]
    assert page.get_by_label("委员会").input_value() == "针灸学院校外辅导站（UNI-ZJ-ST）"

    page.get_by_label("委员会").fill("")
    page.get_by_label("参与人员").press_sequentially("张")
    page.locator("#id_person-suggestions option").first.wait_for(state="attached")
    assert page.locator("#id_person-suggestions option").evaluate_all("os => os.map(o => o.value)") == [
        "张老师（针灸康复学院）"
    ]


def test_without_javascript_words_in_the_box_still_filter(browser, live_server, personas, listed):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    try:
        log_in(page, "leader")
        page.goto(page.base_url + "/activities/?committee=针灸")
        # Two committees match: the page offers both as links instead of guessing.
        assert page.get_by_role("alert").is_visible()
        assert_fits_screen(page)
        screenshot(page, "activity-filter-choose-one-phone")
        page.get_by_role("link", name="针灸学院校外辅导站（UNI-ZJ-ST）").click()
        assert _titles(page) == ["辅导站读书会"]
        page.get_by_label("委员会").fill("针灸康复学院")
        page.get_by_role("button", name="筛选", exact=True).click()
        assert _titles(page) == ["辅导站读书会", "红色故事进课堂"]
    finally:
        context.close()
