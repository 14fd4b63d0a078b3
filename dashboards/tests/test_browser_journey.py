"""Journey 4 in Chromium: the party secretary's Monday meeting with the dashboard."""

import datetime as dt

import pytest
from django.utils import timezone

from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot
from plans.models import Plan, PlanStatus, TargetScope

from .conftest import add_colleges, add_target

pytestmark = pytest.mark.browser


@pytest.fixture
def last_year(tree, kinds, make_activity):
    """Last year's published plan and log: a whole year has passed, so red/amber/green are final."""
    year = timezone.localdate().year - 1
    plan = Plan.objects.create(
        committee=tree.university, year=year, title=f"{year}年工作要点", status=PlanStatus.PUBLISHED
    )
    add_target(plan, "全年宣讲不少于12场", value=12)
    add_target(
        plan, "每个学院报告会不少于2场", params={"kinds": ["report"]}, value=2, scope=TargetScope.EACH_SUBCOMMITTEE
    )
    lagging = add_colleges(tree.university, 3)  # 5 colleges: a share of 12 lectures is 2.4
    for month in range(1, 13):
        make_activity(tree.sibling, dt.date(year, month, 10))  # 12 lectures
    for month in (3, 9):
        make_activity(tree.sibling, dt.date(year, month, 12), "report")
        make_activity(tree.college, dt.date(year, month, 12), "report")
    make_activity(tree.college, dt.date(year, 4, 1))
    make_activity(tree.college, dt.date(year, 5, 1))  # 2 of 2.4 lectures: amber
    make_activity(lagging[0], dt.date(year, 10, 8), "report")  # one report, no lecture
    return year, lagging


def test_journey_4_leader_sees_the_colleges_furthest_behind_and_drills_into_one(
    desktop_page, personas, tree, last_year
):
    year, lagging = last_year
    page = desktop_page
    log_in(page, "leader")
    page.get_by_role("link", name="工作看板").first.click()
    page.wait_for_url("**/dashboards/committee/**")
    page.goto(f"{page.url.split('?')[0]}?year={year}")
    assert page.get_by_role("heading", name=f"示范大学关工委 {year}年工作看板").is_visible()
    # This year's activities by month, drawn as a chart with its numbers beside it
    chart = page.get_by_role("img", name=f"{year}年各月活动数")
    assert chart.is_visible()
    # Targets red/amber/green
    # 14 lectures reach the 12 (green); only 2 of 5 colleges held 2 reports (red)
    assert page.locator(".rag-summary").inner_text().split("\n") == ["红 1 项", "黄 0 项", "绿 1 项"]
    # The three colleges furthest behind come first
    rows = page.locator("#subcommittees tbody tr.rank-row")
    first_three = [rows.nth(i).locator("td").first.inner_text() for i in range(3)]
    # Nothing logged: red on the reports; one report of two: amber. (The lectures are reached as a whole,
    # so, as on the plan's own page, no college is behind on them.)
    assert first_three == ["第1学院关工分委", "第2学院关工分委", "第0学院关工分委"]
    assert rows.nth(3).locator("td").first.inner_text() == "针灸康复学院"
    assert rows.nth(4).locator("td").first.inner_text() == "基础医学院关工分委"  # on track
    screenshot(page, "dashboard-leader-desktop")
    # One click into a lagging college: which targets and which months
    name = first_three[0]
    page.locator("#subcommittees").get_by_role("link", name=name).click()
    assert page.get_by_role("heading", name=f"{name} {year}年工作看板").is_visible()
    targets = page.locator("#targets li.target-row")
    assert targets.evaluate_all("rows => rows.map(r => r.dataset.status)") == ["bad", "ok"]
    assert "每个学院报告会不少于2场" in targets.first.inner_text()
    assert (
        page.locator(".empty-months")
        .inner_text()
        .endswith("1月、2月、3月、4月、5月、6月、7月、8月、9月、10月、11月、12月")
    )
    screenshot(page, "dashboard-college-desktop")


def test_the_dashboard_fits_a_phone(phone_page, personas, tree, last_year):
    year, _lagging = last_year
    page = phone_page
    log_in(page, "leader")
    page.goto(f"{page.base_url}/dashboards/committee/{tree.university.pk}/?year={year}")
    assert page.get_by_role("img", name=f"{year}年各月活动数").is_visible()
    box = page.get_by_role("img", name=f"{year}年各月活动数").bounding_box()
    assert box["width"] <= 360
    assert_fits_screen(page)
    screenshot(page, "dashboard-leader-phone")


def test_secretary_home_on_a_phone_shows_what_is_due_and_the_big_button(phone_page, personas, tree, kinds):
    page = phone_page
    log_in(page, "sec_college")
    assert page.get_by_role("heading", name="待办事项：针灸康复学院").is_visible()
    assert page.locator(".semester-news .badge").inner_text() == "0 / 2"
    assert_fits_screen(page)
    screenshot(page, "home-secretary-phone")
    button = page.get_by_role("link", name="记一次活动")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_url("**/activities/new/")
