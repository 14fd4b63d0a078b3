"""The one xlsx writer: numbers a spreadsheet can sum, dates it can sort, sheets named for what they hold."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from guanwei.imports import example_markers, is_example
from guanwei.workbooks import Percent, SheetData, sheet_title, workbook_bytes


def written(rows, headers=("名称", "数值"), title="测试表"):
    book = load_workbook(io.BytesIO(workbook_bytes([SheetData(title=title, headers=list(headers), rows=rows)])))
    return book, book.worksheets[0]


def test_numbers_stay_numbers_and_text_stays_text():
    rows = [["整数", 17], ["小数", Decimal("12.5000")], ["整的小数", Decimal("20.0000")], ["电话", "020-123"]]
    _book, sheet = written(rows)
    cells = [(c.value, c.data_type) for c in sheet["B"][1:]]
    assert cells == [(17, "n"), (12.5, "n"), (20, "n"), ("020-123", "s")]


def test_a_percent_is_a_number_shown_with_a_percent_format():
    _book, sheet = written([["完成率", Percent(Decimal("0.455"), digits=1)], ["整数百分比", Percent(0.25)]])
    assert (sheet["B2"].value, sheet["B2"].number_format) == (0.455, "0.0%")
    assert (sheet["B3"].value, sheet["B3"].number_format) == (0.25, "0%")


def test_dates_are_dates_and_times_are_local_without_a_zone():
    shanghai = dt.timezone(dt.timedelta(hours=8))
    _book, sheet = written(
        [["日期", dt.date(2026, 3, 5)], ["时间", dt.datetime(2026, 3, 5, 1, 30, tzinfo=dt.UTC).astimezone(shanghai)]]
    )
    assert sheet["B2"].is_date and sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].value == dt.datetime(2026, 3, 5)  # noqa: DTZ001 - Excel dates are naive
    assert sheet["B3"].value == dt.datetime(2026, 3, 5, 9, 30)  # noqa: DTZ001 - the portal's local time


def test_formula_like_text_is_escaped_in_every_sheet():
    _book, sheet = written([['=HYPERLINK("http://x")', "+86"]])
    assert [c.value for c in sheet[2]] == ['\'=HYPERLINK("http://x")', "'+86"]


def test_the_header_row_is_bold_and_stays_in_view():
    _book, sheet = written([["甲", 1]])
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


@pytest.mark.parametrize(
    "text, title",
    [("活动", "活动"), ("目标[2026]/进度", "目标 2026  进度"), ("'引号'", "引号"), ("很" * 40, "很" * 31)],
)
def test_sheet_titles_are_ones_excel_accepts(text, title):
    assert sheet_title(text) == title
    book, _sheet = written([], title=text)
    assert book.sheetnames == [title]


def test_a_sheet_without_a_name_is_refused_rather_than_called_sheet():
    with pytest.raises(ValueError):
        sheet_title(" [] ")


def test_the_example_marker_is_recognised_whatever_the_language_of_the_template():
    with translation.override("en"):
        english = example_markers()
    assert is_example("【示例】党史宣讲", english) and is_example("[Example] A talk", english)
    assert not is_example("示例课堂", english) and not is_example(17, english)
