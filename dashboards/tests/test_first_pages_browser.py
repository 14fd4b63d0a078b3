"""Each persona's first page in Chromium, on a phone (360×740) and a laptop (1366×768).

The answer to their first question is on the page they land on after logging in,
within the first two screens: a leader's targets and the sub-committees behind,
a reviewer's evaluations waiting, a secretary's "what is due".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from assessments import services as assess
from assessments.models import Evaluation, Round
from assessments.services import Entry
from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot
from plans.models import Plan, PlanStatus, TargetScope

from .conftest import add_colleges, add_target

pytestmark = pytest.mark.browser

SCREENS = {"phone": (360, 740), "laptop": (1366, 768)}


@pytest.fixture(params=list(SCREENS))
def screen(request, browser, live_server):
    """A fresh tab of each size, in Chinese, collecting console errors."""
    width, height = SCREENS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.screen_name, page.screen_height = request.param, height
    yield page
    context.close()


def top(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"]


def bottom(page, selector: str) -> float:
    box = page.locator(selector).last.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"] + box["height"]


def first_page_checks(page) -> None:
    assert_fits_screen(page)
    assert page.console_errors == []


@pytest.fixture
def leader_year(tree, kinds, make_activity):
    """This year's university plan with six long targets; six colleges, five of them behind."""
    today = timezone.localdate()
    plan = Plan.objects.create(
        committee=tree.university, year=today.year, title=f"{today.year}年工作要点", status=PlanStatus.PUBLISHED
    )
    add_target(plan, "全年开展“五老”进课堂宣讲活动不少于12场，覆盖全体二级学院", value=12)
    add_target(
        plan,
        "各二级学院关工委每学期至少向学校关工网站提供两篇附有照片的动态信息报道",
        params={"kinds": ["report"]},
        value=2,
        scope=TargetScope.EACH_SUBCOMMITTEE,
    )
    for i, kind in enumerate(("essay", "heart_talk", "theme_education", "story")):
        text = f"全年开展第{i + 1}类主题活动不少于{i + 3}场，做到有计划、有记录、有照片"
        add_target(plan, text, params={"kinds": [kind]}, value=i + 3)
    colleges = add_colleges(tree.university, 4)
    make_activity(tree.sibling, today, "report", title="基础医学院报告会")
    return colleges


def test_leader_sees_targets_and_the_colleges_behind_within_two_screens(screen, personas, tree, leader_year):
    page = screen
    log_in(page, "leader")
    targets = page.locator("#home-targets")
    assert targets.get_by_role("heading", name=f"示范大学关工委 {timezone.localdate().year}年目标完成情况").is_visible()
    assert targets.locator(".target-row").count() == 5
    assert targets.locator(".target-row .badge").first.inner_text() == "红"
    assert targets.get_by_text("另有 1 项目标，请看完整工作看板。").is_visible()
    behind = page.locator("#home-behind")
    assert behind.locator(".behind-row").count() == 5
    assert behind.get_by_role("link", name="第0学院关工分委").is_visible()
    assert "基础医学院" not in behind.inner_text()  # the only college on track
    limit = 2 * page.screen_height
    assert top(page, "#home-targets") < page.screen_height  # the first thing on the first screen
    assert bottom(page, "#home-targets .target-row") < limit
    assert bottom(page, "#home-behind .behind-row") < limit
    if page.screen_name == "laptop":  # side by side: both answers on the first screen
        assert top(page, "#home-behind") < page.screen_height
    first_page_checks(page)
    screenshot(page, f"home-leader-{page.screen_name}")
    # One tap into a college behind: its own dashboard
    behind.get_by_role("link", name="第0学院关工分委").click()
    assert page.get_by_role("heading", name=f"第0学院关工分委 {timezone.localdate().year}年工作看板").is_visible()


@pytest.fixture
def reviews(tree, personas):
    """Three evaluations assigned to the reviewer and submitted; one of them is past its review deadline."""
    admin, reviewer = personas["admin"], personas["reviewer"]
    today = timezone.localdate()
    rubric = assess.rubric_create(owner=tree.university, name="五好考核", score_step="0.5", by=admin)
    dim = assess.dimension_save(rubric=rubric, title="领导班子建设好", by=admin)
    criterion = assess.criterion_save(
        dimension=dim, code="1", title="党政重视", kind="manual", max_points=D(100), by=admin
    )
    made = []
    for name, committees in (("年度考核", [tree.college, tree.sibling]), ("专项考核", [tree.college])):
        round_ = assess.round_create(
            committee=tree.university,
            rubric=rubric,
            committees=committees,
            name=name,
            year=today.year,
            self_deadline=today + dt.timedelta(days=10),
            review_deadline=today + dt.timedelta(days=40),
            by=admin,
        )
        for committee in committees:
            evaluation = Evaluation.objects.get(round=round_, committee=committee)
            by = personas["sec_college"] if committee == tree.college else personas["sec_sibling"]
            assess.evaluation_self_score(evaluation=evaluation, entries={criterion.pk: Entry(D(90), "")}, by=by)
            assess.evaluation_submit(evaluation=evaluation, by=by)
            assess.assignment_add(evaluation=evaluation, user=reviewer, by=admin)
            made.append(evaluation)
        made_round = round_
    # The special round's review was due yesterday.
    Round.objects.filter(pk=made_round.pk).update(
        self_deadline=today - dt.timedelta(days=5), review_deadline=today - dt.timedelta(days=1)
    )
    return made


def test_reviewer_sees_the_evaluations_waiting_within_two_screens(screen, personas, tree, reviews, make_activity):
    make_activity(tree.sibling, timezone.localdate(), title="基础医学院宣讲")
    page = screen
    log_in(page, "reviewer")
    waiting = page.locator("#home-reviews")
    assert waiting.get_by_role("heading", name="待考评").is_visible()
    assert waiting.locator("li").count() == 3
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    overdue = waiting.locator("li.overdue")
    assert overdue.count() == 1 and f"已逾期（截止 {yesterday}）" in overdue.inner_text()
    assert "专项考核" in overdue.inner_text()
    assert waiting.locator("li").first.inner_text() == overdue.inner_text()  # the soonest deadline first
    assert top(page, "#home-reviews") < page.screen_height
    assert bottom(page, "#home-reviews li") < 2 * page.screen_height
    assert page.get_by_text("基础医学院宣讲").count() == 0  # no province-wide activity log
    first_page_checks(page)
    screenshot(page, f"home-reviewer-{page.screen_name}")
    # One tap to the scoring page
    waiting.get_by_role("link", name="针灸康复学院").first.click()
    page.wait_for_url("**/review/")
    assert page.locator("input[name^='p_']").count() == 1


def test_secretary_sees_what_is_due_first(screen, personas, tree, kinds):
    page = screen
    log_in(page, "sec_college")
    due = page.locator(f"#due-{tree.college.pk}")
    assert due.get_by_role("heading", name="待办事项：针灸康复学院").is_visible()
    assert top(page, f"#due-{tree.college.pk}") < page.screen_height
    assert page.locator("#home-targets, #home-behind, #home-reviews").count() == 0
    first_page_checks(page)
    screenshot(page, f"home-secretary-{page.screen_name}")


def test_the_dashboard_puts_the_colleges_behind_within_two_screens(screen, personas, tree, leader_year):
    page = screen
    log_in(page, "leader")
    page.goto(f"{page.base_url}/dashboards/committee/{tree.university.pk}/")
    behind = page.locator("#behind")
    assert behind.get_by_role("heading", name="最落后的下级").is_visible()
    assert behind.locator(".behind-row").count() == 5
    assert bottom(page, "#behind .behind-row") < 2 * page.screen_height
    assert "基础医学院" not in behind.inner_text()  # the only college on track
    # Each target line is its one reading: an "each college" target says how many colleges reach it.
    line = page.locator("#targets .target-row", has_text="两篇附有照片").locator(".target-reading")
    assert line.inner_text() == "6 个下级中 0 个达到 ≥ 2场：已完成 0%"
    first_page_checks(page)
    screenshot(page, f"dashboard-behind-{page.screen_name}")
