import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from import_export import fields, resources
from openpyxl import Workbook, load_workbook

from guanwei.imports import LookupWidget, escape_formula, read_sheet, run_import, unescape_formula, xlsx_response
from orgs.models import Committee


class CommitteeRowResource(resources.ModelResource):
    parent = fields.Field(column_name="上级编码", attribute="parent", widget=LookupWidget(Committee, field="code"))
    name = fields.Field(column_name="名称", attribute="name")
    code = fields.Field(column_name="编码", attribute="code")
    kind = fields.Field(column_name="类型", attribute="kind")

    class Meta:
        model = Committee
        fields = ("parent", "name", "code", "kind")
        import_id_fields = ("code",)
        clean_model_instances = True


def xlsx_upload(rows, name="data.xlsx"):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


@pytest.mark.parametrize("text", ["=SUM(A1:A2)", "+86 123", "-1+1", "@cmd", "\tx", "\rx"])
def test_formula_like_text_round_trips_through_escaping(text):
    escaped = escape_formula(text)
    assert escaped == "'" + text
    assert unescape_formula(escaped) == text


def test_plain_text_and_numbers_are_left_alone():
    assert escape_formula("宣讲会") == "宣讲会"
    assert escape_formula(-5) == -5


def test_export_escapes_formula_cells():
    response = xlsx_response(["标题"], [['=HYPERLINK("http://x")'], ["正常"]], "test", sheet="活动")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [row[0] for row in wb.active.iter_rows(values_only=True)]
    assert values == ["标题", '\'=HYPERLINK("http://x")', "正常"]


def test_sheet_keeps_excel_row_numbers_across_blank_rows():
    sheet = read_sheet(xlsx_upload([["名称", "编码"], ["甲", "A"], [None, None], ["乙", "B"]]))
    assert sheet.excel_rows == [2, 4]


def test_missing_columns_are_named():
    with pytest.raises(ValidationError) as err:
        read_sheet(xlsx_upload([["名称"], ["甲"]]), required_headers=["名称", "编码"])
    assert "编码" in err.value.messages[0]


def test_empty_sheet_is_a_clear_message():
    with pytest.raises(ValidationError) as err:
        read_sheet(xlsx_upload([["名称", "编码"]]))
    assert "没有" in err.value.messages[0]


def test_one_bad_row_saves_nothing_and_names_row_and_column(tree):
    upload = xlsx_upload(
        [
            ["上级编码", "名称", "编码", "类型"],
            ["UNI", "新学院一", "UNI-N1", "college"],
            ["UNI", "新学院二", "UNI-N2", "college"],
            ["NOPE", "新学院三", "UNI-N3", "college"],
        ]
    )
    report = run_import(CommitteeRowResource(), read_sheet(upload), dry_run=False)
    assert report.has_errors
    assert [r.excel_row for r in report.error_rows] == [4]
    assert "上级编码" in report.error_rows[0].errors[0]
    assert "NOPE" in report.error_rows[0].errors[0]
    assert not Committee.objects.filter(code__startswith="UNI-N").exists()


def test_clean_rows_import_and_keep_a_valid_tree(tree):
    upload = xlsx_upload([["上级编码", "名称", "编码", "类型"], ["UNI", "新学院一", "UNI-N1", "college"]])
    report = run_import(CommitteeRowResource(), read_sheet(upload), dry_run=False)
    assert not report.has_errors
    created = Committee.objects.get(code="UNI-N1")
    assert created.parent.code == "UNI"
    assert Committee.objects.get_ancestors(created).count() == 2


def test_lookup_outside_the_given_queryset_is_the_same_not_found(tree):
    widget = LookupWidget(Committee, field="code", queryset=Committee.objects.filter(code__startswith="UNI-ZJ"))
    assert widget.clean("UNI-ZJ").code == "UNI-ZJ"
    with pytest.raises(ValueError) as foreign:
        widget.clean("UNI-JC")
    with pytest.raises(ValueError) as missing:
        widget.clean("NOPE")
    assert str(foreign.value).replace("UNI-JC", "X") == str(missing.value).replace("NOPE", "X")
