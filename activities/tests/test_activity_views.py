import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from activities.tests.conftest import png_upload
from orgs.models import AuditEvent

PERSONAS = [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]
TODAY = dt.datetime(2024, 9, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def statuses(client_for, method, url, data=None, personas=PERSONAS):
    results = []
    for name in personas:
        client = client_for(name)
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        results.append(response.status_code)
    return results


def entry_data(tree, kinds, **overrides):
    data = {
        "committee": tree.college.pk,
        "kind": kinds.lecture.pk,
        "held_on": "2024-09-02",
        "title": "开学第一课：党史宣讲",
        "place": "针灸楼325",
        "youth_reached": "120",
        "students_talked": "0",
        "summary": "",
    }
    data.update(overrides)
    return data


# Status-code matrices


def test_list_matrix(client_for, college_activity):
    assert statuses(client_for, "get", reverse("activities:index")) == [302, 200, 200, 200, 200, 200]


def test_create_matrix(client_for, tree):
    assert statuses(client_for, "get", reverse("activities:create")) == [302, 200, 200, 403, 403, 200]


def test_detail_matrix(client_for, college_activity):
    url = reverse("activities:detail", args=[college_activity.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 200, 200, 200]


def test_edit_matrix(client_for, college_activity):
    url = reverse("activities:edit", args=[college_activity.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 403, 403, 200]


def test_edit_by_post_matrix_for_those_who_may_not(client_for, college_activity, tree, kinds):
    url = reverse("activities:edit", args=[college_activity.pk])
    data = entry_data(tree, kinds, title="被篡改")
    assert statuses(client_for, "post", url, data, [None, "sec_sibling", "leader", "reviewer"]) == [302, 404, 403, 403]
    college_activity.refresh_from_db()
    assert college_activity.title == "红色故事进课堂"


def test_delete_and_restore_refuse_get(client_for, college_activity):
    for name in ("delete", "restore"):
        url = reverse(f"activities:{name}", args=[college_activity.pk])
        assert statuses(client_for, "get", url) == [302, 405, 405, 405, 405, 405]


def test_delete_matrix(client_for, college_activity):
    url = reverse("activities:delete", args=[college_activity.pk])
    assert statuses(client_for, "post", url, personas=[None, "sec_sibling", "leader", "reviewer"]) == [
        302,
        404,
        403,
        403,
    ]
    assert Activity.objects.filter(pk=college_activity.pk).exists()
    assert client_for("sec_college").post(url).status_code == 302
    assert not Activity.objects.filter(pk=college_activity.pk).exists()


def test_restore_matrix(client_for, college_activity, personas):
    from activities.services import activity_delete

    activity_delete(activity=college_activity, by=personas["sec_college"])
    url = reverse("activities:restore", args=[college_activity.pk])
    assert statuses(client_for, "post", url, personas=[None, "sec_sibling", "sec_college", "leader", "reviewer"]) == [
        302,
        404,
        403,
        403,
        403,
    ]
    assert client_for("admin").post(url).status_code == 302
    assert Activity.objects.filter(pk=college_activity.pk).exists()


def test_deleted_page_is_for_administrators(client_for, tree):
    assert statuses(client_for, "get", reverse("activities:deleted")) == [302, 403, 403, 403, 403, 200]


def test_import_pages_matrix(client_for, tree):
    for name in ("import", "import_template"):
        assert statuses(client_for, "get", reverse(f"activities:{name}")) == [302, 200, 200, 403, 403, 200]


def test_export_matrix(client_for, college_activity):
    assert statuses(client_for, "get", reverse("activities:export")) == [302, 200, 200, 200, 200, 200]


# The outsider (journey 8)


def test_outsider_gets_404_like_a_missing_activity_and_is_audited(client_for, college_activity):
    client = client_for("sec_sibling")
    for name in ("detail", "edit"):
        foreign = client.get(reverse(f"activities:{name}", args=[college_activity.pk]))
        missing = client.get(reverse(f"activities:{name}", args=[987654]))
        assert foreign.status_code == missing.status_code == 404
        assert "红色故事进课堂" not in foreign.content.decode()
    assert client.post(reverse("activities:delete", args=[college_activity.pk])).status_code == 404
    assert Activity.objects.filter(pk=college_activity.pk).exists()
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").count() == 5


def test_outsider_does_not_see_other_colleges_activities_in_the_list(client_for, college_activity, sibling_activity):
    body = client_for("sec_sibling").get(reverse("activities:index")).content.decode()
    assert "基础医学院报告会" in body
    assert "红色故事进课堂" not in body


def test_filtering_the_list_by_a_foreign_committee_is_an_error_not_a_leak(client_for, college_activity, tree):
    response = client_for("sec_sibling").get(reverse("activities:index"), {"committee": tree.college.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "红色故事进课堂" not in body
    assert 'class="error"' in body
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").exists()


def test_posting_another_committees_id_is_refused_and_audited(client_for, tree, kinds):
    response = client_for("sec_sibling").post(reverse("activities:create"), entry_data(tree, kinds))
    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling", summary__contains="committee").exists()


# Fast entry (journey 1)


@time_machine.travel(TODAY)
def test_secretary_logs_a_lecture_with_three_wulao_and_two_photos_and_sees_it_first(client_for, tree, kinds, people):
    client = client_for("sec_college")
    form_page = client.get(reverse("activities:create")).content.decode()
    assert 'value="2024-09-02"' in form_page  # today is already there
    for person in (people.zhang, people.li, people.zhao):
        assert person.name in form_page
    assert people.foreign.name not in form_page

    data = entry_data(tree, kinds, participants=[people.zhang.pk, people.li.pk, people.zhao.pk])
    data["photos"] = [png_upload("a.png"), png_upload("b.png")]
    response = client.post(reverse("activities:create"), data)
    assert response.status_code == 302

    activity = Activity.objects.get()
    assert (activity.kind.code, activity.youth_reached, activity.held_on) == ("lecture", 120, dt.date(2024, 9, 2))
    assert activity.participants.count() == 3
    assert activity.photos.count() == 2
    assert activity.created_by.username == "sec_college"

    page = client.get(response["Location"]).content.decode()
    assert "活动“开学第一课：党史宣讲”已保存。" in page
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "开学第一课：党史宣讲" in first_row
    assert ">3<" in first_row and ">2<" in first_row  # 五老 and photo counts


@time_machine.travel(TODAY)
def test_the_form_fills_in_nothing_from_the_last_entry_unless_asked(client_for, make_activity, kinds):
    make_activity(kind=kinds.party_talk, place="学生党支部活动室", held_on=dt.date(2024, 8, 30))
    client = client_for("sec_college")
    page = client.get(reverse("activities:create")).content.decode()
    # No kind is chosen for the user and the place is empty: a 报告会 is never saved as last time's kind.
    assert "— 请选择活动类型 —" in page
    assert f'<option value="{kinds.party_talk.pk}" selected>' not in page
    assert 'value="学生党支部活动室"' not in page
    # The last kind and place are offered, named, as a link the user may follow.
    assert "沿用上次的类型和地点（党建谈话 · 学生党支部活动室）" in page
    asked = client.get(reverse("activities:create") + "?same_as_last=1").content.decode()
    assert f'<option value="{kinds.party_talk.pk}" selected>' in asked
    assert 'value="学生党支部活动室"' in asked
    assert "已填入上次活动的类型、地点和委员会" in asked and "清除" in asked


def test_a_person_from_another_committee_is_a_form_error(client_for, tree, kinds, people):
    data = entry_data(tree, kinds, held_on="2020-05-05", participants=[people.zhang.pk, people.foreign.pk])
    response = client_for("sec_college").post(reverse("activities:create"), data)
    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert 'value="开学第一课：党史宣讲"' in response.content.decode()  # what was typed stays


@time_machine.travel(TODAY)
def test_a_future_date_is_refused_in_chinese(client_for, tree, kinds):
    response = client_for("sec_college").post(
        reverse("activities:create"), entry_data(tree, kinds, held_on="2024-09-03")
    )
    assert response.status_code == 200
    assert "日期在今天之后" in response.content.decode()
    assert not Activity.objects.exists()


def test_missing_title_keeps_what_was_typed(client_for, tree, kinds):
    response = client_for("sec_college").post(
        reverse("activities:create"), entry_data(tree, kinds, title="", held_on="2020-01-01")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="针灸楼325"' in body
    assert "has-error" in body


def test_changing_the_committee_redraws_its_people_without_saving(client_for, tree, kinds, people):
    from orgs.services import person_create

    station_person = person_create(committee=tree.college_station, name="周站长", wulao_category="teacher")
    data = entry_data(tree, kinds, committee=tree.college_station.pk, _refresh="1")
    response = client_for("sec_college").post(reverse("activities:create"), data)
    body = response.content.decode()
    assert station_person.name in body
    assert people.zhang.name not in body
    assert 'value="针灸楼325"' in body
    assert not Activity.objects.exists()


def test_a_secretary_logs_for_a_committee_below_her_own(client_for, tree, kinds):
    data = entry_data(tree, kinds, committee=tree.college_station.pk, held_on="2021-06-01")
    assert client_for("sec_college").post(reverse("activities:create"), data).status_code == 302
    assert Activity.objects.get().committee == tree.college_station


# Edit and history


def test_editing_records_who_changed_what(client_for, college_activity, tree, kinds, people):
    data = entry_data(tree, kinds, title="红色故事进课堂（第二期）", held_on="2021-03-01", participants=[people.li.pk])
    response = client_for("sec_college").post(reverse("activities:edit", args=[college_activity.pk]), data)
    assert response.status_code == 302
    college_activity.refresh_from_db()
    assert college_activity.title == "红色故事进课堂（第二期）"
    assert list(college_activity.participants.all()) == [people.li]
    page = client_for("admin").get(reverse("activities:detail", args=[college_activity.pk])).content.decode()
    history = page.split('id="history"')[1]
    assert "王老师" in history
    assert "修改了" in history and "标题" in history
    assert "登记了这次活动" in history


def test_detail_shows_people_photos_and_facts(client_for, college_activity):
    page = client_for("leader").get(reverse("activities:detail", args=[college_activity.pk])).content.decode()
    assert "张老师" in page
    assert reverse("activities:photo_thumbnail", args=[college_activity.photos.get().pk]) in page
    assert "针灸楼325" in page
    assert reverse("activities:edit", args=[college_activity.pk]) not in page  # leaders read only


# Filters and query counts


def test_filters_by_kind_dates_person_and_words(client_for, make_activity, kinds, people):
    make_activity(title="宣讲一", kind=kinds.lecture, held_on=dt.date(2022, 3, 5), participants=[people.zhang])
    make_activity(title="谈心二", kind=kinds.heart_talk, held_on=dt.date(2022, 6, 1), summary="与新生谈心")
    make_activity(title="宣讲三", kind=kinds.lecture, held_on=dt.date(2023, 3, 5))
    client = client_for("sec_college")

    def titles(**params):
        body = client.get(reverse("activities:index"), params).content.decode()
        return [t for t in ("宣讲一", "谈心二", "宣讲三") if t in body]

    assert titles(kind=kinds.lecture.pk) == ["宣讲一", "宣讲三"]
    assert titles(date_from="2022-01-01", date_to="2022-12-31") == ["宣讲一", "谈心二"]
    assert titles(person=people.zhang.pk) == ["宣讲一"]
    assert titles(q="新生") == ["谈心二"]


def test_committee_filter_includes_the_committees_below(client_for, make_activity, tree):
    make_activity(title="辅导站活动", committee=tree.college_station, held_on=dt.date(2022, 1, 1))
    body = client_for("leader").get(reverse("activities:index"), {"committee": tree.college.pk}).content.decode()
    assert "辅导站活动" in body


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["sec_college", "admin"])
def test_list_query_count_does_not_grow_with_rows(
    client_for, make_activity, people, persona, django_assert_max_num_queries
):
    client = client_for(persona)
    url = reverse("activities:index")
    for i in range(5):
        make_activity(title=f"活动{i}", participants=[people.zhang, people.li], photos=[png_upload()] if i < 2 else ())
    client.get(url)  # warm the session
    few = _list_queries(client, url)
    for i in range(25):
        make_activity(title=f"更多活动{i}", participants=[people.zhao])
    many = _list_queries(client, url)
    assert few == many
    with django_assert_max_num_queries(10):
        client.get(url, {"kind": "", "q": "活动"})


def test_a_change_of_participants_alone_is_in_the_history_and_costs_no_query_per_version(
    client_for, college_activity, tree, kinds, people, django_assert_max_num_queries
):
    from activities.selectors import activity_history

    data = entry_data(tree, kinds, participants=[people.li.pk])
    assert (
        client_for("sec_college").post(reverse("activities:edit", args=[college_activity.pk]), data).status_code == 302
    )
    entries = activity_history(college_activity)
    assert entries[0]["action"] == "changed" and "参与的五老和成员" in [str(c) for c in entries[0]["changed"]]
    for title in ("第一次改", "第二次改", "第三次改"):
        college_activity.title = title
        college_activity.save()
    with django_assert_max_num_queries(2):  # the versions with their users, and every version's participants
        assert len(activity_history(college_activity)) == 5
