"""Journeys 1, 2 and 8 in Chromium, at phone size where the secretary uses them."""

import io
import re

import pytest
from openpyxl import Workbook

from activities.models import Activity
from activities.resources import COLUMNS
from activities.tests.conftest import png_bytes
from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot

pytestmark = pytest.mark.browser


def test_journey_1_secretary_logs_a_lecture_on_her_phone(phone_page, personas, tree, people, kinds, tmp_path):
    page = phone_page
    log_in(page, "sec_college")
    page.goto(page.base_url + "/activities/")
    page.get_by_role("link", name="记一次活动").click()
    page.get_by_label("活动类型").select_option(label="宣讲会")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.get_by_label("日期").input_value())  # today is there
    page.get_by_label("标题").fill("开学第一课：党史宣讲")
    page.get_by_label("地点").fill("针灸楼325")
    for name in ("张老师", "李主任", "赵教授"):
        page.get_by_label(re.compile(name)).check()
    page.get_by_label("受教育青少年人数").fill("120")
    photos = []
    for n in (1, 2):
        path = tmp_path / f"photo{n}.png"
        path.write_bytes(png_bytes())
        photos.append(str(path))
    page.get_by_label("照片").set_input_files(photos)
    assert_fits_screen(page)
    screenshot(page, "activity-entry-phone")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("活动“开学第一课：党史宣讲”已保存。").is_visible()
    first_row = page.locator("table tbody tr").first
    assert "开学第一课：党史宣讲" in first_row.inner_text()
    assert_fits_screen(page)
    screenshot(page, "activity-list-phone")
    activity = Activity.objects.get()
    assert (activity.participants.count(), activity.photos.count(), activity.youth_reached) == (3, 2, 120)


def test_journey_2_a_bad_date_in_row_17_saves_nothing(desktop_page, personas, tree, kinds, tmp_path):
    wb = Workbook()
    wb.active.append(list(COLUMNS.values()))
    for i in range(40):
        when = "2022.13.05" if i == 15 else f"2022-03-{(i % 28) + 1:02d}"
        wb.active.append(["UNI-ZJ", "宣讲会", when, f"第{i + 1}场", "报告厅", 30, 0, "", ""])
    path = tmp_path / "old-sheet.xlsx"
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    page = desktop_page
    log_in(page, "sec_college")
    page.goto(page.base_url + "/activities/import/")
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name=re.compile("上传")).click()
    alert = page.get_by_role("alert")
    assert "第 17 行" in alert.inner_text()
    assert "“日期”列" in alert.inner_text()
    screenshot(page, "activity-import-row-17")
    assert not Activity.objects.exists()


def test_journey_8_outsider_pastes_a_link_and_edits_an_export_url(desktop_page, personas, college_activity, tree):
    page = desktop_page
    log_in(page, "sec_sibling")
    assert page.goto(f"{page.base_url}/activities/{college_activity.pk}/").status == 404
    assert "红色故事进课堂" not in page.content()
    assert page.goto(f"{page.base_url}/activities/export/?committee={tree.college.pk}").status == 404
