"""The import preview on a phone: the message leads to the bad cell, which is marked and readable."""

import datetime as dt
import io
import re

import pytest
from openpyxl import Workbook

from activities.resources import COLUMNS
from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot

pytestmark = pytest.mark.browser


def test_on_a_phone_the_error_leads_to_the_marked_cell(phone_page, personas, tree, kinds, tmp_path):
    book = Workbook()
    book.active.append(list(COLUMNS.values()))
    book.active.append(["UNI-ZJ", "宣讲会", dt.datetime(2022, 3, 5), "第一场", "报告厅", 30, 0, "", ""])  # noqa: DTZ001
    book.active.append(["UNI-ZJ", "宣讲会", "2022.13.05", "第二场", "报告厅", 30, 0, "", ""])
    path = tmp_path / "sheet.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    page = phone_page
    log_in(page, "sec_college")
    page.goto(page.base_url + "/activities/import/")
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name=re.compile("上传")).click()
    page.get_by_role("alert").get_by_role("link", name="第 3 行").click()
    cell = page.locator("#import-row-3 td.cell-error")
    assert cell.count() == 1
    cell.wait_for()
    box, screen = cell.bounding_box(), page.viewport_size
    assert 0 <= box["x"] and box["x"] + 40 <= screen["width"]  # scrolled sideways into view in the wide table
    assert 0 <= box["y"] <= screen["height"]
    assert "不是有效日期" in cell.inner_text()
    assert cell.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(253, 224, 220)"
    assert page.locator("#import-row-2 td").nth(4).inner_text() == "2022-03-05"  # the date as read
    assert_fits_screen(page)
    screenshot(page, "activity-import-marked-cell-phone")
