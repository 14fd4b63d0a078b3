"""The bulk activity import and the fast export: what users rely on, at a query count that does not grow."""

import datetime as dt

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from activities.resources import ActivitySheetChecker
from activities.tests.test_excel import HEADERS, confirm, row, sheet_of, upload
from guanwei.imports import Sheet
from orgs.models import AuditEvent, GrantRole, WulaoCategory
from orgs.services import person_create


@pytest.fixture(autouse=True)
def _today_and_kinds(time_machine, kinds):
    time_machine.move_to(dt.datetime(2022, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False)


def rows_of(count):
    """Rows across the college and its station, every other one with two participants."""
    return [
        row(
            code="UNI-ZJ" if i % 2 else "UNI-ZJ-ST",
            title=f"第{i}场",
            when=f"2022-03-{i % 28 + 1:02d}",
            names="张老师、李主任" if i % 2 else "",
        )
        for i in range(count)
    ]


def import_queries(client, rows):
    with CaptureQueriesContext(connection) as previewed:
        preview = upload(client, rows)
    assert preview.context["report"].count("new") == len(rows)
    with CaptureQueriesContext(connection) as confirmed:
        done = confirm(client, preview)
    assert done.status_code == 302
    return len(previewed), len(confirmed)


def test_the_query_count_does_not_grow_with_the_rows(client_for, tree, people):
    # SQLite splits Django's INSERTs at 999 parameters, so there the larger sheet stays under that.
    larger = 200 if connection.vendor == "postgresql" else 60
    client = client_for("sec_college")
    small = import_queries(client, rows_of(10))
    assert import_queries(client, rows_of(larger)) == small
    assert Activity.objects.count() == 10 + larger


def test_each_activity_gets_one_history_record_with_its_participants(client_for, tree, people, personas):
    client = client_for("sec_college")
    confirm(client, upload(client, [row(names="张老师、李主任"), row(title="第二场")]))
    first = Activity.objects.get(title="党史宣讲")
    (record,) = first.history.all()
    assert (record.history_type, record.history_user, record.title) == ("+", personas["sec_college"], "党史宣讲")
    assert sorted(record.participants.values_list("person__name", flat=True)) == ["张老师", "李主任"]
    assert sorted(p.name for p in first.participants.all()) == ["张老师", "李主任"]
    assert Activity.objects.get(title="第二场").history.get().participants.count() == 0
    detail = client.get(reverse("activities:detail", args=[first.pk])).content.decode()
    assert "张老师" in detail


def test_an_import_is_one_audit_event(client_for, tree, people):
    client = client_for("sec_college")
    confirm(client, upload(client, rows_of(5)))
    (event,) = AuditEvent.objects.filter(action="import")
    assert (event.username, event.object_type, event.summary) == (
        "sec_college",
        "activities.activity",
        "5 activities imported",
    )
    assert event.path == reverse("activities:import")


def test_the_preview_writes_nothing(client_for, tree, people):
    from metrics.models import DirtyCommittee

    preview = upload(client_for("sec_college"), rows_of(4))
    assert preview.context["token"]
    assert not Activity.all_objects.exists()
    assert not Activity.history.exists()
    assert not AuditEvent.objects.filter(action="import").exists()
    assert not DirtyCommittee.objects.exists()


def test_every_bad_row_is_named_with_its_column_and_nothing_is_saved(client_for, tree, people):
    rows = [
        row(title="好的一行"),
        row(title="   "),  # row 3: blank title
        row(when=""),  # row 4: no date
        row(when="2022-07-01"),  # row 5: in the future (today is 2022-06-01)
        row(youth="三十"),  # row 6: not a number
        row(talked=-2),  # row 7: negative
        row(title="长" * 201),  # row 8: too long
        row(code=""),  # row 9: no committee
        row(kind=""),  # row 10: no kind
        row(when="1999-12-31"),  # row 11: too far in the past
        row(youth=99_999_999_999),  # row 12: too large to store
    ]
    response = upload(client_for("sec_college"), rows)
    report = response.context["report"]
    assert response.context["token"] is None
    by_row = {r.excel_row: " ".join(r.errors) for r in report.error_rows}
    assert sorted(by_row) == list(range(3, 13))
    assert "“标题”列" in by_row[3]
    assert "“日期”列" in by_row[4]
    assert "“日期”列" in by_row[5]
    assert "“受教育青少年人数”列" in by_row[6] and "三十" in by_row[6]
    assert "“谈话学生人数”列" in by_row[7]
    assert "“标题”列" in by_row[8] and "200" in by_row[8]
    assert "“委员会编码”列" in by_row[9]
    assert "“活动类型”列" in by_row[10]
    assert "“日期”列" in by_row[11]
    assert "“受教育青少年人数”列" in by_row[12]
    body = response.content.decode()
    assert "第 12 行" in body
    assert not Activity.objects.exists()


def test_forgiving_cells_import(client_for, tree, people):
    client = client_for("sec_college")
    done = confirm(
        client,
        upload(client, [row(code="uni-zj", kind="LECTURE", youth="１２０", talked=3.0, names="张老师,李主任；张老师")]),
    )
    assert done.status_code == 302
    activity = Activity.objects.get()
    assert (activity.committee.code, activity.kind.code, activity.youth_reached, activity.students_talked) == (
        "UNI-ZJ",
        "lecture",
        120,
        3,
    )
    assert sorted(p.name for p in activity.participants.all()) == ["张老师", "李主任"]


def test_a_sheet_with_only_the_required_columns_imports_with_defaults(client_for, tree):
    client = client_for("sec_college")
    headers = ["委员会编码", "活动类型", "日期", "标题"]
    from activities.tests.conftest import xlsx_upload

    preview = client.post(
        reverse("activities:import"), {"file": xlsx_upload([headers, ["UNI-ZJ", "宣讲会", "2022-03-05", "只有四列"]])}
    )
    confirm(client, preview)
    activity = Activity.objects.get()
    assert (activity.title, activity.place, activity.youth_reached, activity.summary) == ("只有四列", "", 0, "")


def test_participants_come_from_the_rows_own_committee(client_for, tree, people):
    # 张老师 is in the college's registry, not in its station's.
    response = upload(client_for("sec_college"), [row(code="UNI-ZJ-ST", names="张老师")])
    (bad,) = response.context["report"].error_rows
    assert "“参与五老”列" in bad.errors[0] and "张老师" in bad.errors[0]
    assert not Activity.objects.exists()


def test_two_people_with_the_same_name_are_refused(client_for, tree, people):
    person_create(committee=tree.college, name="张老师", wulao_category=WulaoCategory.EXPERT)
    response = upload(client_for("sec_college"), [row(names="张老师")])
    (bad,) = response.context["report"].error_rows
    assert "张老师" in bad.errors[0]
    assert not Activity.objects.exists()


def test_the_confirmation_checks_the_scope_again(client_for, tree, people, personas):
    from orgs.models import Grant

    client = client_for("sec_college")
    preview = upload(client, [row(), row(code="UNI-ZJ-ST")])
    # The college secretary is moved to the station before confirming.
    Grant.objects.filter(user=personas["sec_college"]).update(committee=tree.college_station, role=GrantRole.SECRETARY)
    response = confirm(client, preview)
    assert response.status_code == 200
    (bad,) = response.context["report"].error_rows
    assert bad.excel_row == 2 and "UNI-ZJ" in bad.errors[0]
    assert not Activity.objects.exists()


def test_the_checker_refuses_null_characters_without_touching_the_database(tree, personas, kinds):
    dataset = tablib.Dataset(headers=HEADERS)
    dataset.append(["UNI-ZJ", "宣讲会", "2022-03-05", "标题\x00", "", 0, 0, "张\x00", ""])
    dataset.append(["UNI\x00", "宣讲会", "2022-03-05", "标题", "", 0, 0, "", ""])
    report, checked = ActivitySheetChecker(personas["sec_college"]).check(Sheet(dataset=dataset, excel_rows=[2, 3]))
    assert checked == []
    first, second = report.rows
    assert any("“标题”列" in e for e in first.errors)
    assert any("“参与五老”列" in e for e in first.errors)
    assert any("“委员会编码”列" in e for e in second.errors)


# Export


def test_the_export_lists_every_participant_even_when_filtered_by_one(client_for, make_activity, people):
    make_activity(title="三人", held_on=dt.date(2022, 3, 5), participants=[people.zhao, people.zhang, people.li])
    make_activity(title="无人", held_on=dt.date(2022, 3, 6))
    client = client_for("sec_college")
    rows = list(sheet_of(client.get(reverse("activities:export"))).iter_rows(values_only=True))
    assert [(r[3], r[7]) for r in rows[1:]] == [("无人", None), ("三人", "张老师、李主任、赵教授")]
    filtered = client.get(reverse("activities:export"), {"person": people.zhao.pk})
    rows = list(sheet_of(filtered).iter_rows(values_only=True))
    assert [(r[3], r[7]) for r in rows[1:]] == [("三人", "张老师、李主任、赵教授")]


def test_an_exported_sheet_imports_back_unchanged(client_for, make_activity, people, kinds):
    make_activity(title="宣讲", held_on=dt.date(2022, 3, 5), place="礼堂", youth_reached=30, participants=[people.li])
    make_activity(
        title="谈心", kind=kinds.heart_talk, held_on=dt.date(2022, 4, 5), students_talked=4, summary="多行\n摘要"
    )
    client = client_for("sec_college")
    content = b"".join(client.get(reverse("activities:export")).streaming_content)
    fields = ("committee_id", "kind_id", "held_on", "title", "place", "youth_reached", "students_talked", "summary")
    before = sorted(Activity.objects.values_list(*fields))
    Activity.objects.all().delete()
    from django.core.files.uploadedfile import SimpleUploadedFile

    confirm(client, client.post(reverse("activities:import"), {"file": SimpleUploadedFile("back.xlsx", content)}))
    assert sorted(Activity.objects.values_list(*fields)) == before
    assert [p.name for p in Activity.objects.get(title="宣讲").participants.all()] == ["李主任"]


def test_the_export_query_count_does_not_grow_with_the_rows(client_for, make_activity, people):
    client = client_for("sec_college")

    def export_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("activities:export"))
            b"".join(response.streaming_content)
        return len(queries)

    make_activity(title="一", participants=[people.zhang])
    few = export_queries()
    for i in range(30):
        make_activity(title=f"活动{i}", participants=[people.zhang, people.li])
    assert export_queries() == few


def test_a_long_preview_lists_the_first_rows_and_every_bad_one(client_for, tree, people):
    rows = rows_of(130)
    rows[120][2] = "2022.13.05"  # Excel row 122
    response = upload(client_for("sec_college"), rows)
    report = response.context["report"]
    assert [r.excel_row for r in report.shown_rows] == [*range(2, 102), 122]
    body = response.content.decode()
    assert "表格显示了全部 130 行中的 101 行" in body
    assert "第 122 行" in body


def test_an_import_over_many_committees_marks_each_and_everything_above(client_for, tree):
    from metrics.models import DirtyCommittee
    from orgs.models import CommitteeKind
    from orgs.services import committee_create

    codes = [f"UNI-ZJ-{i:02d}" for i in range(25)]
    for code in codes:
        committee_create(parent=tree.college, name=f"辅导站{code}", code=code, kind=CommitteeKind.STATION)
    client = client_for("sec_college")
    confirm(client, upload(client, [row(code=code) for code in codes]))
    dirty = set(DirtyCommittee.objects.values_list("committee__code", flat=True))
    assert dirty == {*codes, "UNI-ZJ", "UNI", "JS"}
