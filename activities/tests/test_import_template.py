"""The activity import as a secretary meets it: a template to fill in, a preview that points at the bad cell
and says how each date was read, and a done page that lists exactly the rows just imported."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Activity, ActivityKind
from activities.tests.test_excel import HEADERS, confirm, row, sheet_of, upload
from guanwei.tests.preview import preview_table

TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _today_and_kinds(time_machine, kinds):
    time_machine.move_to(TODAY, tick=False)


def template_bytes(client) -> bytes:
    response = client.get(reverse("activities:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return b"".join(response.streaming_content)


def filled_template(client, rows) -> SimpleUploadedFile:
    """The downloaded template with rows typed under its example row, saved as a user would."""
    book = load_workbook(io.BytesIO(template_bytes(client)))
    for values in rows:
        book["活动"].append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("活动.xlsx", buffer.getvalue())


def validations(sheet) -> dict[str, tuple[str, str]]:
    """Column letter → (formula of the list, error style) of each drop-down."""
    found = {}
    for dv in sheet.data_validations.dataValidation:
        if dv.type == "list":
            for cells in str(dv.sqref).split():
                found[cells.split(":")[0].rstrip("0123456789")] = (dv.formula1, dv.errorStyle)
    return found


def test_the_template_has_an_example_row_drop_downs_and_a_sheet_of_codes(client_for, tree):
    book = load_workbook(io.BytesIO(template_bytes(client_for("sec_college"))))
    assert book.sheetnames == ["活动", "代码"]
    sheet = book["活动"]
    assert [c.value for c in sheet[1]] == HEADERS
    example = [c.value for c in sheet[2]]
    first_kind = ActivityKind.objects.filter(is_active=True).first()
    assert example[:3] == ["UNI-ZJ", first_kind.name, dt.datetime(2026, 3, 20)]  # noqa: DTZ001 - a date cell
    assert example[3].startswith("【示例】")
    assert example[5] == 120 and sheet["F2"].data_type == "n"  # a number, not text
    assert sheet.column_dimensions["C"].number_format == "yyyy-mm-dd"

    codes = book["代码"]
    assert [r for r in codes.iter_rows(min_col=1, max_col=2, values_only=True) if any(r)] == [
        ("委员会编码", "委员会"),
        ("UNI-ZJ", "针灸康复临床医学院关工分委"),
        ("UNI-ZJ-ST", "针灸学院校外辅导站"),
    ]
    kinds = list(ActivityKind.objects.filter(is_active=True).values_list("name", "code"))
    assert [r for r in codes.iter_rows(min_row=2, min_col=4, max_col=5, values_only=True)] == kinds
    assert validations(sheet) == {
        "A": ("'代码'!$A$2:$A$3", "stop"),
        "B": (f"'代码'!$D$2:$D${len(kinds) + 1}", "warning"),  # the importer also takes short names
    }


def test_the_template_lists_only_the_committees_the_user_may_log_for(client_for, tree):
    book = load_workbook(io.BytesIO(template_bytes(client_for("sec_sibling"))))
    assert [r[0] for r in book["代码"].iter_rows(min_row=2, max_col=1, values_only=True) if r[0]] == ["UNI-JC"]
    assert book["活动"]["A2"].value == "UNI-JC"


def test_importing_the_untouched_template_creates_nothing_and_says_why(client_for, tree):
    client = client_for("sec_college")
    untouched = SimpleUploadedFile("活动.xlsx", template_bytes(client))
    response = client.post(reverse("activities:import"), {"file": untouched})
    body = response.content.decode()
    assert response.status_code == 200
    assert "没有导入任何内容：这个文件里只有模板自带的示例行（第 2 行）" in body
    assert not response.context.get("report")  # no preview, nothing to confirm
    assert not Activity.objects.exists()


def test_the_example_row_is_skipped_and_the_rows_below_it_are_imported(client_for, tree):
    client = client_for("sec_college")
    preview = client.post(
        reverse("activities:import"), {"file": filled_template(client, [row(title="红色故事会", when="2026-03-05")])}
    )
    body = preview.content.decode()
    assert "第 2 行是模板自带的示例行：已跳过，不会导入。" in body
    table = preview_table(body)
    assert table.badges == {2: "示例行，跳过", 3: "新增"}
    assert preview.context["report"].count("new") == 1
    confirm(client, preview)
    assert list(Activity.objects.values_list("title", flat=True)) == ["红色故事会"]


def test_the_preview_marks_each_bad_cell_in_its_row_and_column_with_the_message_beside_it(client_for, tree):
    response = upload(
        client_for("sec_college"),
        [row(title="第一场"), row(code="UNI-JC", title="别人的"), row(when="2026.13.05", title="第三场")],
    )
    table = preview_table(response.content.decode())
    assert table.marked_cells() == [(3, "委员会编码"), (4, "日期")]
    bad_date = table.cell(4, "日期")
    assert bad_date.text == "2026.13.05 “2026.13.05”不是有效日期。请写成 2022-03-05 或 2022年3月5日 这样的格式。"
    assert "没有编码为“UNI-JC”且您可以登记的委员会。" in table.cell(3, "委员会编码").text
    assert "col-error" in table.header("日期").classes and "col-error" in table.header("委员会编码").classes
    assert "col-error" not in table.header("标题").classes
    assert "row-error" in table.row_classes[4] and "row-error" not in table.row_classes[2]
    assert "cell-error" not in table.cell(2, "日期").classes  # the good row's date is not marked
    assert 'href="#import-cell-4-2"' in response.content.decode()  # the message list leads to the cell


def test_the_preview_shows_each_date_as_it_was_read(client_for, tree):
    typed_3_5 = dt.datetime(2026, 3, 5)  # noqa: DTZ001 - what Excel stores when 3/5 is typed in a Chinese Excel
    response = upload(
        client_for("sec_college"),
        [row(when=typed_3_5, title="甲"), row(when="2026年3月6日", title="乙"), row(when="2026/3/7", title="丙")],
    )
    table = preview_table(response.content.decode())
    assert table.cell(2, "日期").text == "2026-03-05"
    assert table.cell(3, "日期").text == "2026-03-06 表格中写的是“2026年3月6日”"
    assert table.cell(4, "日期").text == "2026-03-07 表格中写的是“2026/3/7”"
    assert "日期按系统读到的样子显示（年-月-日）" in response.content.decode()


def test_the_done_page_lists_exactly_the_rows_just_imported(client_for, tree, make_activity):
    make_activity(title="早先记的活动", held_on=dt.date(2026, 3, 1))
    client = client_for("sec_college")
    confirm(client, upload(client, [row(title="导入甲"), row(title="导入乙")]))  # an earlier import
    done = confirm(client, upload(client, [row(title="这次甲", when="2026-03-10"), row(title="这次乙")]))
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("activities:index") + "?batch=")
    page = client.get(done["Location"])
    body = page.content.decode()
    assert [a.title for a in page.context["page"].object_list] == ["这次甲", "这次乙"]
    assert "以下是同一次 Excel 导入的 2 条活动。" in body
    assert "显示全部活动" in body
    exported = list(sheet_of(client.get(reverse("activities:export") + "?" + done["Location"].split("?")[1])).values)
    assert [r[3] for r in exported[1:]] == ["这次甲", "这次乙"]  # the export of the page holds the same rows


def test_an_outsider_given_the_link_of_an_import_sees_nothing(client_for, tree):
    client = client_for("sec_college")
    done = confirm(client, upload(client, [row(title="针灸学院导入")]))
    page = client_for("sec_sibling").get(done["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert not page.context["page"].object_list
    assert "针灸学院导入" not in body and "同一次 Excel 导入" not in body
    exported = client_for("sec_sibling").get(reverse("activities:export") + "?" + done["Location"].split("?")[1])
    assert len(list(sheet_of(exported).values)) == 1  # the header row only


@pytest.mark.parametrize("junk", ["abc", "1", "' OR 1=1 --", "0" * 41])
def test_a_batch_reference_that_is_not_one_lists_nothing_and_never_fails(client_for, tree, make_activity, junk):
    make_activity(title="某次活动", held_on=dt.date(2026, 3, 1))
    page = client_for("sec_college").get(reverse("activities:index"), {"batch": junk})
    assert page.status_code == 200
    assert "某次活动" not in page.content.decode()


def test_the_list_of_one_import_costs_what_the_list_costs(client_for, tree, django_assert_max_num_queries):
    client = client_for("sec_college")
    done = confirm(client, upload(client, [row(title=f"第{i}场") for i in range(30)]))
    with django_assert_max_num_queries(10):
        page = client.get(done["Location"])
    assert page.context["page"].paginator.count == 30


def test_the_import_page_explains_the_example_row_and_the_sheet_of_codes(client_for, tree):
    body = client_for("sec_college").get(reverse("activities:import")).content.decode()
    assert "模板第 2 行是示例，导入时会跳过，可以不删。" in body and "“代码”表列出了全部编码及其名称" in body
