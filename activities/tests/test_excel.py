import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Activity
from activities.resources import COLUMNS, parse_date
from activities.tests.conftest import xlsx_upload
from orgs.models import AuditEvent

HEADERS = list(COLUMNS.values())


def row(
    code="UNI-ZJ",
    kind="宣讲会",
    when="2022-03-05",
    title="党史宣讲",
    place="报告厅",
    youth=50,
    talked=0,
    names="",
    summary="",
):
    return [code, kind, when, title, place, youth, talked, names, summary]


def sheet_of(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def upload(client, rows):
    return client.post(reverse("activities:import"), {"file": xlsx_upload([HEADERS, *rows])})


def confirm(client, preview):
    token = preview.context["token"]
    assert token
    return client.post(reverse("activities:import"), {"token": token})


def test_template_has_the_chinese_headers(client_for, tree):
    response = client_for("sec_college").get(reverse("activities:import_template"))
    assert response.status_code == 200
    headers = [c.value for c in next(sheet_of(response).iter_rows(max_row=1))]
    assert headers == [
        "委员会编码",
        "活动类型",
        "日期",
        "标题",
        "地点",
        "受教育青少年人数",
        "谈话学生人数",
        "参与五老",
        "内容摘要",
    ]


def test_preview_saves_nothing_and_confirm_creates_the_rows(client_for, tree, people):
    client = client_for("sec_college")
    preview = upload(
        client,
        [row(names="张老师、李主任"), row(kind="lecture", when="2022/3/6", title="第二场", talked=3)],
    )
    assert preview.status_code == 200
    assert preview.context["report"].count("new") == 2
    assert "第二场" in preview.content.decode()
    assert not Activity.objects.exists()
    done = confirm(client, preview)
    assert done.status_code == 302
    first, second = Activity.objects.order_by("held_on")
    assert (first.title, first.held_on, first.youth_reached) == ("党史宣讲", dt.date(2022, 3, 5), 50)
    assert sorted(p.name for p in first.participants.all()) == ["张老师", "李主任"]
    assert (second.kind.code, second.students_talked, second.created_by.username) == ("lecture", 3, "sec_college")
    assert AuditEvent.objects.filter(action="import", username="sec_college").exists()


def test_forty_rows_with_one_bad_date_save_nothing_and_name_row_17_and_the_date_column(client_for, tree):
    rows = [row(title=f"第{i}场", when=f"2022-03-{(i % 28) + 1:02d}") for i in range(40)]
    rows[15][2] = "2022.13.05"  # the 16th data row is Excel row 17
    client = client_for("sec_college")
    response = upload(client, rows)
    body = response.content.decode()
    assert response.status_code == 200
    assert "第 17 行" in body
    assert "“日期”列" in body
    assert "2022.13.05" in body
    assert "所有数据都没有保存" in body
    assert response.context["token"] is None  # no way to confirm a sheet with errors
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022-03-05", dt.date(2022, 3, 5)),
        ("2022/3/5", dt.date(2022, 3, 5)),
        ("2022.3.5", dt.date(2022, 3, 5)),
        ("2022年3月5日", dt.date(2022, 3, 5)),
        (dt.datetime(2022, 3, 5), dt.date(2022, 3, 5)),  # noqa: DTZ001 - Excel dates are naive
    ],
)
def test_dates_as_people_write_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2022.13.05", "2022-02-30", "三月五日", "5/3/2022"])
def test_impossible_dates_are_errors(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_real_excel_dates_import(client_for, tree):
    client = client_for("sec_college")
    preview = upload(client, [row(when=dt.datetime(2022, 4, 1))])  # noqa: DTZ001 - an Excel date cell
    confirm(client, preview)
    assert Activity.objects.get().held_on == dt.date(2022, 4, 1)


def test_a_foreign_committee_code_is_a_row_error(client_for, tree):
    response = upload(client_for("sec_college"), [row(), row(code="UNI-JC", title="别人的活动")])
    body = response.content.decode()
    assert "第 3 行" in body
    assert "UNI-JC" in body
    assert not Activity.objects.exists()


def test_unknown_names_and_kinds_are_named(client_for, tree, people):
    response = upload(client_for("sec_college"), [row(kind="舞会", names="张老师、孙老师")])
    body = response.content.decode()
    assert "舞会" in body
    assert "孙老师" in body  # in the sibling college, not this committee's registry
    assert not Activity.objects.exists()


def test_a_file_that_is_not_really_xlsx_is_refused(client_for, tree):
    fake = SimpleUploadedFile("activities.xlsx", b"name,date\nx,2022-01-01\n")
    response = client_for("sec_college").post(reverse("activities:import"), {"file": fake})
    body = response.content.decode()
    assert response.status_code == 200
    assert "这个文件不是 Excel (.xlsx) 文件" in body
    assert not Activity.objects.exists()


def test_leaders_cannot_import(client_for, tree):
    response = client_for("leader").post(reverse("activities:import"), {"file": xlsx_upload([HEADERS, row()])})
    assert response.status_code == 403
    assert not Activity.objects.exists()


# Export


def test_export_lists_the_filtered_activities_in_scope(client_for, make_activity, sibling_activity, kinds, people):
    make_activity(
        title="宣讲A", kind=kinds.lecture, held_on=dt.date(2022, 3, 5), participants=[people.zhang, people.li]
    )
    make_activity(title="谈心B", kind=kinds.heart_talk, held_on=dt.date(2022, 4, 5))
    response = client_for("sec_college").get(reverse("activities:export"), {"kind": kinds.lecture.pk})
    rows = list(sheet_of(response).iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == 2
    assert rows[1][:4] == ("UNI-ZJ", "宣讲会", dt.datetime(2022, 3, 5), "宣讲A")  # noqa: DTZ001
    assert set(rows[1][7].split("、")) == {"张老师", "李主任"}
    assert AuditEvent.objects.filter(action="export", username="sec_college").exists()


def test_export_filtered_by_a_foreign_committee_id_is_404_and_audited(client_for, college_activity, tree):
    response = client_for("sec_sibling").get(reverse("activities:export"), {"committee": tree.college.pk})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").exists()


def test_export_without_filters_holds_only_the_users_scope(client_for, college_activity, sibling_activity):
    rows = list(sheet_of(client_for("sec_sibling").get(reverse("activities:export"))).iter_rows(values_only=True))
    assert [r[3] for r in rows[1:]] == ["基础医学院报告会"]


@pytest.mark.parametrize("title", ['=HYPERLINK("http://evil")', "+8613800000000", "-1+2", "@SUM(A1)", "\tTAB", "\rCR"])
def test_a_formula_like_cell_round_trips_escaped(client_for, make_activity, title):
    make_activity(title=title, held_on=dt.date(2022, 3, 5), summary="=1+1")
    client = client_for("sec_college")
    exported = client.get(reverse("activities:export"))
    content = b"".join(exported.streaming_content)
    cells = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))[1]
    assert cells[3] == "'" + title  # escaped: a spreadsheet shows it as text
    assert cells[8] == "'=1+1"
    Activity.objects.all().delete()
    preview = client.post(reverse("activities:import"), {"file": SimpleUploadedFile("back.xlsx", content)})
    confirm(client, preview)
    back = Activity.objects.get()
    assert (back.title, back.summary) == (title.strip(), "=1+1")


def test_a_confirmed_import_marks_the_committees_it_touched_for_the_dashboards(client_for, tree, people):
    from metrics.models import DirtyCommittee

    client = client_for("sec_college")
    confirm(client, upload(client, [row()]))
    dirty = set(DirtyCommittee.objects.values_list("committee__code", flat=True))
    assert {"UNI-ZJ", "UNI", "JS"} <= dirty  # the college and everything above it
    assert "UNI-JC" not in dirty
