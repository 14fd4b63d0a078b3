"""Journey 3 in Chromium: the annual plan arrives as a Word file.

The university office secretary uploads the .docx of this year's 工作要点,
sees the sections, points and targets beside the original text, corrects one
target, assigns a point to a college and publishes; the college sees the point
it owns, and its sibling does not.
"""

import re

import pytest
from docx import Document

from conftest import PASSWORD
from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot
from orgs.models import GrantRole
from orgs.services import grant_access
from plans.models import Plan, Target
from plans.tests.conftest import SEED_PLAN_2022, seed_text


@pytest.fixture
def plan_docx(tmp_path):
    document = Document()
    for paragraph in seed_text(SEED_PLAN_2022).splitlines():
        document.add_paragraph(paragraph)
    path = tmp_path / "2022年工作要点.docx"
    document.save(path)
    return path


@pytest.fixture
def office_secretary(tree, personas):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="sec_office", password=PASSWORD, first_name="刘老师")
    grant_access(user=user, committee=tree.university, role=GrantRole.SECRETARY)
    return user


def test_plan_from_word_to_published_points_each_college_owns(
    desktop_page, tree, personas, office_secretary, plan_docx
):
    page = desktop_page
    log_in(page, "sec_office")
    page.goto(page.base_url + "/plans/upload/")
    page.get_by_label("年度").fill("2022")
    page.get_by_label("Word 文件（.docx）").set_input_files(str(plan_docx))
    page.get_by_role("button", name="读取工作要点").click()

    # First the targets whose metric was recognised from their words, to be checked; then the whole draft.
    assert page.get_by_role("heading", name="核对目标").is_visible()
    assert page.get_by_text("自动识别，请核对").first.is_visible()
    page.get_by_role("link", name="对照原文查看整份计划").click()

    # The draft: sections and targets found, the original text beside them.
    assert page.get_by_role("heading", name=re.compile("提高政治站位")).is_visible()
    assert page.get_by_role("heading", name="原文").is_visible()
    assert page.locator("aside.original").get_by_text("全年讲师团宣讲不少于 25 场", exact=False).count() >= 1
    screenshot(page, "plan-draft-review")
    plan = Plan.objects.get(committee=tree.university, year=2022)
    lecture_target = Target.objects.get(work_point__section__plan=plan, value=25)
    point = lecture_target.work_point

    # She corrects the lecture target: 25 → 26.
    page.locator(f"a[href='/plans/targets/{lecture_target.pk}/edit/']").click()
    page.locator("#id_value").fill("26")
    page.get_by_role("button", name=re.compile("保存")).click()
    lecture_target.refresh_from_db()
    assert lecture_target.value == 26

    # She assigns that point to the acupuncture college.
    page.goto(f"{page.base_url}/plans/points/{point.pk}/edit/")
    page.get_by_label("指定的下级关工委").check()
    page.get_by_label(re.compile("针灸康复")).check()
    page.get_by_role("button", name=re.compile("保存")).click()

    page.goto(f"{page.base_url}/plans/{plan.pk}/")
    page.get_by_role("link", name="发布", exact=True).click()
    # Publishing cannot be undone: a confirmation page says what will happen first.
    page.get_by_text("下级关工委将看到分给自己的工作要点").wait_for()
    page.get_by_role("button", name="确定发布").click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    plan.refresh_from_db()
    assert plan.is_published

    # The college's secretary sees the point her college owns, on a phone.
    college = page.context.browser.new_context(viewport={"width": 360, "height": 740})
    phone = college.new_page()
    phone.base_url = page.base_url
    log_in(phone, "sec_college")
    phone.goto(f"{phone.base_url}/plans/{plan.pk}/")
    assert phone.get_by_text("讲师团", exact=False).first.is_visible()
    assert_fits_screen(phone)
    screenshot(phone, "plan-college-view-phone")
    college.close()

    # The sibling college does not see a point it does not own.
    sibling = page.context.browser.new_context()
    other = sibling.new_page()
    other.base_url = page.base_url
    log_in(other, "sec_sibling")
    other.goto(f"{other.base_url}/plans/{plan.pk}/")
    assert "全年讲师团宣讲不少于" not in other.content()
    sibling.close()
