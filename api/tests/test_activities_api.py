"""Activities through the API: the web page's scoping, the service's rules, and hostile bodies."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity
from activities.services import activity_create
from api.tests.conftest import PERSONAS
from orgs.models import AuditEvent

LIST = "/api/activities/"


def detail(activity) -> str:
    return f"/api/activities/{activity.pk}/"


def new_body(tree, kinds, **extra) -> dict:
    body = {
        "committee": tree.college.pk,
        "kind": kinds.lecture.code,
        "title": "党史宣讲进班级",
        "held_on": "2022-05-04",
        "place": "针灸楼325",
        "youth_reached": 120,
    }
    body.update(extra)
    return body


# --- status-code matrices ---------------------------------------------------


def test_activity_list_matrix(statuses, college_activity):
    assert statuses("get", LIST) == [401, 200, 200, 200, 200, 200]


def test_activity_detail_matrix(statuses, college_activity):
    # anonymous 401; the sibling college's secretary gets the same 404 as for a missing id
    assert statuses("get", detail(college_activity)) == [401, 404, 200, 200, 200, 200]


def test_activity_update_matrix(statuses, college_activity, tree, kinds):
    body = new_body(tree, kinds, title="改过的标题")
    assert statuses("put", detail(college_activity), body) == [401, 404, 200, 403, 403, 200]
    assert statuses("patch", detail(college_activity), {"place": "礼堂"}) == [401, 404, 200, 403, 403, 200]


def test_activity_delete_matrix(api_for, college_activity):
    codes = []
    for name in PERSONAS:
        Activity.all_objects.filter(pk=college_activity.pk).update(deleted_at=None)
        codes.append(api_for(name).delete(detail(college_activity)).status_code)
    assert codes == [401, 404, 204, 403, 403, 204]
    # once deleted, it is gone for everyone, like a missing row
    assert api_for("admin").get(detail(college_activity)).status_code == 404


def test_activity_create_matrix(api_for, tree, kinds):
    codes = [api_for(name).post(LIST, new_body(tree, kinds), format="json").status_code for name in PERSONAS]
    # the outsider names a committee outside its scope: 400, as for a committee that does not exist
    assert codes == [401, 400, 201, 403, 403, 201]
    assert Activity.objects.filter(title="党史宣讲进班级").count() == 2


def test_list_shows_only_the_users_subtree(api_for, college_activity, sibling_activity):
    titles = {row["title"] for row in api_for("sec_college").get(LIST).json()["results"]}
    assert titles == {"红色故事进课堂"}
    titles = {row["title"] for row in api_for("sec_sibling").get(LIST).json()["results"]}
    assert titles == {"基础医学院报告会"}
    assert api_for("leader").get(LIST).json()["count"] == 2


# --- the outsider -------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_outsider_gets_404_on_another_colleges_activity_and_it_is_audited(
    api_for, college_activity, tree, kinds, method
):
    client = api_for("sec_sibling")
    call = getattr(client, method)
    body = new_body(tree, kinds, committee=tree.sibling.pk) if method in ("put", "patch") else None
    foreign = call(detail(college_activity), body, format="json")
    missing = call("/api/activities/987654/", body, format="json")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    college_activity.refresh_from_db()
    assert college_activity.title == "红色故事进课堂"
    assert not college_activity.is_deleted
    assert AuditEvent.objects.filter(
        action="denied", username="sec_sibling", object_id=str(college_activity.pk)
    ).exists()


def test_posting_another_colleges_committee_is_a_400_naming_the_field(api_for, tree, kinds):
    response = api_for("sec_sibling").post(LIST, new_body(tree, kinds), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["detail", "committee"]
    assert "“committee”" in response.json()["detail"]
    assert not Activity.objects.exists()
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling", object_type="orgs.committee").exists()


def test_posting_another_colleges_person_is_a_400_naming_participants(api_for, tree, kinds, people):
    body = new_body(tree, kinds, committee=tree.sibling.pk, participants=[people.zhang.pk])
    response = api_for("sec_sibling").post(LIST, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["detail", "participants"]
    assert not Activity.objects.exists()


def test_moving_an_activity_into_a_foreign_committee_is_refused(api_for, college_activity, tree):
    response = api_for("sec_college").patch(detail(college_activity), {"committee": tree.sibling.pk}, format="json")
    assert response.status_code == 400
    assert "committee" in response.json()
    college_activity.refresh_from_db()
    assert college_activity.committee == tree.college


def test_a_person_of_a_visible_sub_committee_is_refused_by_the_service_rule(api_for, tree, kinds, people):
    # The station's person is in scope, but not in the college's own registry.
    body = new_body(tree, kinds, participants=[people.station.pk])
    response = api_for("sec_college").post(LIST, body, format="json")
    assert response.status_code == 400
    assert "participants" in response.json()
    assert "周站长" in response.json()["participants"][0]


def test_leader_can_read_but_not_write(api_for, college_activity, tree, kinds):
    client = api_for("leader")
    assert client.get(detail(college_activity)).json()["title"] == "红色故事进课堂"
    assert client.post(LIST, new_body(tree, kinds), format="json").status_code == 403
    assert client.delete(detail(college_activity)).status_code == 403
    assert Activity.objects.count() == 1


# --- what a client gets back --------------------------------------------------


def test_created_activity_reads_back_with_participants_and_is_audited(api_for, tree, kinds, people):
    body = new_body(tree, kinds, participants=[people.zhang.pk, people.li.pk], students_talked=3)
    response = api_for("sec_college").post(LIST, body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["committee_name"] == "针灸康复临床医学院关工分委"
    assert data["kind"] == "lecture"
    assert data["kind_name"] == "宣讲会"
    assert sorted(data["participants"]) == sorted([people.zhang.pk, people.li.pk])
    assert data["youth_reached"] == 120
    activity = Activity.objects.get(pk=data["id"])
    assert activity.created_by.username == "sec_college"
    assert activity.history.count() == 1
    assert AuditEvent.objects.filter(action="create", object_id=str(activity.pk), path=LIST).exists()


def test_patch_changes_only_the_fields_sent(api_for, college_activity, people):
    response = api_for("sec_college").patch(detail(college_activity), {"youth_reached": 95}, format="json")
    assert response.status_code == 200
    college_activity.refresh_from_db()
    assert college_activity.youth_reached == 95
    assert college_activity.place == "针灸楼325"
    assert list(college_activity.participants.all()) == [people.zhang]
    assert response.json()["photo_count"] == 1


def test_delete_is_soft_and_the_activity_leaves_the_list(api_for, college_activity):
    client = api_for("sec_college")
    assert client.delete(detail(college_activity)).status_code == 204
    assert Activity.all_objects.get(pk=college_activity.pk).is_deleted
    assert client.get(LIST).json()["count"] == 0


def test_list_filters_by_committee_and_kind(api_for, college_activity, sibling_activity, tree, kinds):
    client = api_for("leader")
    rows = client.get(LIST, {"committee": tree.sibling.pk}).json()["results"]
    assert [r["title"] for r in rows] == ["基础医学院报告会"]
    rows = client.get(LIST, {"kind": "lecture"}).json()["results"]
    assert [r["title"] for r in rows] == ["红色故事进课堂"]
    assert client.get(LIST, {"kind": "no-such-kind"}).status_code == 400


def test_filtering_by_a_foreign_committee_is_a_400_and_audited(api_for, college_activity, tree):
    response = api_for("sec_sibling").get(LIST, {"committee": tree.college.pk})
    assert response.status_code == 400
    assert "committee" in response.json()
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling", summary__contains="filtered").exists()


def test_activity_kinds_lists_the_codes_to_post(api_for, kinds):
    rows = api_for("sec_college").get("/api/activity-kinds/").json()
    assert {"code": "lecture", "name": "宣讲会", "is_active": True, "counts_students_talked": False} in rows


# --- hostile input --------------------------------------------------------------


def test_a_32k_character_title_is_a_clear_400(api_for, tree, kinds):
    response = api_for("sec_college").post(LIST, new_body(tree, kinds, title="宣" * 32768), format="json")
    assert response.status_code == 400
    assert "200" in response.json()["title"][0]
    assert not Activity.objects.exists()


def test_rare_characters_round_trip(api_for, tree, kinds):
    title = "𡃁仔宣讲 𠮷野家 👨‍👩‍👧"
    client = api_for("sec_college")
    created = client.post(LIST, new_body(tree, kinds, title=title, summary="𡃁" * 1000), format="json").json()
    again = client.get(f"/api/activities/{created['id']}/").json()
    assert again["title"] == title
    assert again["summary"] == "𡃁" * 1000


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("youth_reached", -1),
        ("youth_reached", "NaN"),
        ("youth_reached", 10**30),
        ("youth_reached", 1.5),
        ("students_talked", -5),
        ("held_on", "2022-13-05"),
        ("held_on", "2999-01-01"),
        ("held_on", "1899-01-01"),
        ("kind", "no-such-kind"),
        ("kind", "lec\x00ture"),
        ("kind", 12),
        ("title", ""),
        ("title", "bad\x00byte"),
        ("title", "lone \ud800 surrogate"),
        ("place", ["a list"]),
        ("committee", "UNI-ZJ"),
        ("committee", 10**25),
        ("participants", "1"),
        ("participants", [10**25]),
        ("work_point", 987654),
    ],
)
def test_bad_values_are_400s_naming_the_field_never_500s(api_for, tree, kinds, field, value):
    # JSON as any client may send it: non-ASCII escaped, so even a lone surrogate arrives
    body = json.dumps(new_body(tree, kinds, **{field: value}))
    response = api_for("sec_college").post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Activity.objects.exists()


def test_a_body_that_is_not_json_is_a_400(api_for):
    response = api_for("sec_college").post(LIST, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_huge_and_odd_ids_in_urls_are_404s(api_for):
    client = api_for("admin")
    for url in ("/api/activities/99999999999999999999/", "/api/activities/-1/", "/api/activities/1.5/"):
        assert client.get(url).status_code == 404


def test_a_work_point_of_the_published_plan_above_can_be_chosen(api_for, tree, kinds, uni_plan):
    from plans.models import OwnerKind, WorkPoint

    # A point meant for every sub-committee: the university's own points are hidden from the college.
    point = WorkPoint.objects.filter(section__plan=uni_plan).first()
    point.owner_kind = OwnerKind.EACH_SUBCOMMITTEE
    point.save()
    response = api_for("sec_college").post(LIST, new_body(tree, kinds, work_point=point.pk), format="json")
    assert response.status_code == 201
    assert response.json()["work_point"] == point.pk


# --- authentication --------------------------------------------------------------


def test_a_token_authenticates_and_a_bad_one_does_not(personas, college_activity):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=personas["sec_college"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(LIST).json()["count"] == 1
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(LIST).status_code == 401


def test_session_writes_need_the_csrf_token(personas, tree, kinds):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["sec_college"])
    response = client.post(LIST, new_body(tree, kinds), content_type="application/json")
    assert response.status_code == 403
    assert not Activity.objects.exists()


# --- query counts -------------------------------------------------------------------


def _query_count(client, url) -> int:
    client.get(url)  # the first request also reads the user's grants
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_rows(api_for, tree, kinds, people, personas, django_assert_max_num_queries):
    client = api_for("sec_college")
    activity_create(committee=tree.college, kind=kinds.lecture, title="一", held_on=dt.date(2022, 1, 3))
    few = _query_count(client, LIST)
    for i in range(15):
        activity_create(
            committee=tree.college,
            kind=kinds.story,
            title=f"活动{i}",
            held_on=dt.date(2022, 1, 3),
            participants=[people.zhang, people.li],
        )
    assert _query_count(client, LIST) == few
    with django_assert_max_num_queries(6):
        client.get(LIST)
