"""Imports read only the cells a workbook holds, within bounds, and name a damaged cell (issue 20).

The workbooks are written by hand (`raw_xlsx`): a 2 KB sheet declaring
A1:XFD20000, cells whose stored type and value disagree. The wide sheet goes
through the real import pages; how many cells the flow reads is counted by
wrapping `guanwei.imports._clean_cell`, which every value read passes through.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from activities.resources import COLUMNS
from assessments import xlsx as rubric_xlsx
from assessments.models import Rubric
from guanwei import imports
from guanwei.imports import read_sheet
from guanwei.tests.raw_xlsx import raw_cell, raw_xlsx, text_cell, text_row
from orgs.models import Person

ACTIVITY_HEADERS = list(COLUMNS.values())
PEOPLE_HEADERS = ["委员会编码", "姓名", "性别", "出生年份", "电话", "职务或职称", "五老类别", "已实名登记"]
NO_MORE_THAN = 10_000  # cells; the sheets below hold a few dozen


@pytest.fixture
def cells_read(monkeypatch):
    """How many cell values the import flow reads; fails fast where it would walk millions."""
    real = imports._clean_cell
    count = {"n": 0}

    def counting(value):
        count["n"] += 1
        assert count["n"] <= NO_MORE_THAN, "the import walks cells the file does not hold"
        return real(value)

    monkeypatch.setattr(imports, "_clean_cell", counting)
    return count


def _activity_row(title="远在两万行的活动"):
    held_on = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    return ["UNI-ZJ", "宣讲会", held_on, title, "报告厅", 40, 2]


def _wide(headers, values, *, at=20_000, stray_column="XFD"):
    """Header in row 1 and one row at `at`, declaring every column Excel has, plus a stray cell in column XFD."""
    far = text_row(at, values).replace("</row>", text_cell(f"{stray_column}{at}", "远处的备注") + "</row>")
    return raw_xlsx([text_row(1, headers), far], dimension=f"A1:XFD{at}")


def test_a_sheet_declaring_every_column_previews_on_the_activity_import_reading_only_its_cells(
    client_for, tree, cells_read
):
    upload = _wide(ACTIVITY_HEADERS, _activity_row())
    assert upload.size < 3000
    response = client_for("sec_college").post(reverse("activities:import"), {"file": upload})
    assert response.status_code == 200
    report = response.context["report"]
    assert [(r.excel_row, r.status) for r in report.rows] == [(20_000, "new")]
    assert response.context["token"]
    assert "远在两万行的活动" in response.content.decode()
    # 9 header cells and the 7 filled cells of row 20000; the stray cell in column XFD is not read.
    assert cells_read["n"] == len(ACTIVITY_HEADERS) + 7
    assert not Activity.objects.exists()


def test_the_same_sheet_previews_on_the_people_import(client_for, tree, cells_read):
    upload = _wide(PEOPLE_HEADERS, ["UNI-ZJ", "远方的人"])
    response = client_for("sec_college").post(reverse("orgs:people_import"), {"file": upload})
    assert response.status_code == 200
    assert [(r.excel_row, r.status) for r in response.context["report"].rows] == [(20_000, "new")]
    assert cells_read["n"] == len(PEOPLE_HEADERS) + 2
    assert not Person.objects.exists()


def test_a_row_past_the_row_limit_is_refused_in_chinese_without_reading_the_rows_between(client_for, tree, cells_read):
    upload = _wide(ACTIVITY_HEADERS, _activity_row(), at=60_000)
    response = client_for("sec_college").post(reverse("activities:import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "第60000行超出了导入上限：表头下方最多 50,000 行（空行也计算在内）" in body
    assert response.context.get("token") is None and response.context.get("report") is None
    assert cells_read["n"] == len(ACTIVITY_HEADERS)
    assert not Activity.objects.exists()


def test_a_file_with_more_row_elements_than_the_limit_is_refused_even_when_they_are_empty(settings):
    settings.GUANWEI_IMPORT_MAX_ROWS = 5
    rows = [text_row(1, ["名称"]), text_row(2, ["甲"]), *(f'<row r="{n}"/>' for n in range(3, 10))]
    with pytest.raises(ValidationError) as err:
        read_sheet(raw_xlsx(rows))
    assert "第7行超出了导入上限" in err.value.messages[0]
    # Within the limit, empty rows are skipped and the next filled row is read.
    sheet = read_sheet(raw_xlsx([text_row(1, ["名称"]), '<row r="2"/>', text_row(6, ["乙"])]))
    assert sheet.excel_rows == [6]


def test_a_sheet_with_more_cells_than_one_import_reads_is_refused(settings):
    settings.GUANWEI_IMPORT_MAX_CELLS = 30
    rows = [text_row(n, ["甲", "乙", "丙"]) for n in range(1, 12)]
    with pytest.raises(ValidationError) as err:
        read_sheet(raw_xlsx(rows))
    assert "超过 30 个单元格" in err.value.messages[0]


@pytest.mark.parametrize(
    "row",
    [
        '<row r="2" x="1"><c r="A2!" t="inlineStr"><is><t>甲</t></is></c></row>',  # a reference that is no cell
        '<row r="second"><c t="inlineStr"><is><t>甲</t></is></c></row>',  # a row number that is no number
        '<row r="2"><c r="A2" t="inlineStr"><is><t>甲</t></is></row>',  # not well-formed XML
    ],
)
def test_a_sheet_whose_xml_cannot_be_read_is_a_clear_message(row):
    with pytest.raises(ValidationError) as err:
        read_sheet(raw_xlsx([text_row(1, ["名称"]), row]))
    assert "无法读取这个 Excel 文件" in err.value.messages[0]


# --- damaged cells -------------------------------------------------------------------------------

DAMAGED = [
    ("n", "abc", "“abc”标为数字，却不是数字"),
    ("b", "x", "“x”标为是/否，却两者都不是"),
    ("s", "7", "它引用的文字在文件中不存在"),
    ("d", "not-a-date", "“not-a-date”标为日期，却不是日期"),
]


@pytest.mark.parametrize(("cell_type", "value", "problem"), DAMAGED)
def test_a_damaged_cell_on_the_activity_import_names_its_row_and_column_and_saves_nothing(
    client_for, tree, cell_type, value, problem
):
    good = text_row(2, _activity_row("好的一行"))
    # Row 3: a whole row, but its date cell (column C, “日期”) is damaged.
    bad = text_row(3, _activity_row("坏的一行")).replace(
        text_cell("C3", _activity_row()[2]), raw_cell("C3", cell_type, value)
    )
    upload = raw_xlsx([text_row(1, ACTIVITY_HEADERS), good, bad], shared_strings=["唯一的一段文字"])
    response = client_for("sec_college").post(reverse("activities:import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"第3行“日期”列：此单元格已损坏（{problem}）" in body
    assert response.context.get("token") is None
    assert not Activity.objects.exists()


@pytest.mark.parametrize(("cell_type", "value", "problem"), DAMAGED)
def test_a_damaged_cell_on_the_people_import_names_its_row_and_column_and_saves_nothing(
    client_for, tree, cell_type, value, problem
):
    row = text_row(2, ["UNI-ZJ", "周老师", "男"]).replace("</row>", raw_cell("D2", cell_type, value) + "</row>")
    upload = raw_xlsx([text_row(1, PEOPLE_HEADERS), row])
    response = client_for("sec_college").post(reverse("orgs:people_import"), {"file": upload})
    assert response.status_code == 200
    assert f"第2行“出生年份”列：此单元格已损坏（{problem}）" in response.content.decode()
    assert response.context.get("token") is None
    assert not Person.objects.exists()


def test_a_damaged_cell_on_the_rubric_import_is_named_and_no_rubric_is_made(client_for, tree):
    headers = rubric_xlsx.rubric_headers()
    row = text_row(2, ["领导班子建设好", "1.1", "党政重视", "人工评分"]).replace(
        "</row>", raw_cell("E2", "n", "十分") + "</row>"
    )
    response = client_for("admin").post(
        reverse("assessments:rubric_import"),
        {
            "owner": tree.university.pk,
            "name": "坏方案",
            "score_step": "0.5",
            "file": raw_xlsx([text_row(1, headers), row]),
        },
    )
    assert response.status_code == 200
    assert "第2行“分值”列：此单元格已损坏（“十分”标为数字，却不是数字）" in response.content.decode()
    assert not Rubric.objects.filter(name="坏方案").exists()


def test_a_damaged_header_cell_is_named_by_its_column_letter():
    header = text_row(1, ["名称"]).replace("</row>", raw_cell("B1", "b", "maybe") + "</row>")
    with pytest.raises(ValidationError) as err:
        read_sheet(raw_xlsx([header, text_row(2, ["甲", "乙"])]))
    assert err.value.messages == [
        "第1行“B”列：此单元格已损坏（“maybe”标为是/否，却两者都不是）。请在 Excel 中重新填写并保存文件。"
    ]
