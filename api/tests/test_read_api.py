"""Committees, people, plans and evaluations through the API: read-only, scoped like the pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs.models import AuditEvent, CommitteeKind
from orgs.services import committee_create, person_create

READ_ONLY_METHODS = ["post", "put", "patch", "delete"]


def _query_count(client, url) -> int:
    client.get(url)  # the first request also reads the user's grants
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# --- committees -----------------------------------------------------------------


def test_committee_matrix(statuses, tree):
    assert statuses("get", "/api/committees/") == [401, 200, 200, 200, 200, 200]
    assert statuses("get", f"/api/committees/{tree.college.pk}/") == [401, 404, 200, 200, 200, 200]
    assert statuses("get", f"/api/committees/{tree.college.pk}/children/") == [401, 404, 200, 200, 200, 200]


@pytest.mark.parametrize("method", READ_ONLY_METHODS)
def test_committees_cannot_be_changed_through_the_api(api_for, tree, method):
    client = api_for("admin")
    url = "/api/committees/" if method == "post" else f"/api/committees/{tree.college.pk}/"
    assert getattr(client, method)(url, {"name": "x"}, format="json").status_code == 405


def test_committee_list_is_the_users_subtree_in_tree_order(api_for, tree):
    codes = [c["code"] for c in api_for("sec_college").get("/api/committees/").json()["results"]]
    assert codes == ["UNI-ZJ", "UNI-ZJ-ST"]
    codes = [c["code"] for c in api_for("leader").get("/api/committees/").json()["results"]]
    # Depth first; siblings in the order they were added (the college before the sibling college).
    assert codes == ["UNI", "UNI-ZJ", "UNI-ZJ-ST", "UNI-JC"]


def test_parent_outside_the_scope_is_null(api_for, tree):
    rows = {c["code"]: c for c in api_for("sec_college").get("/api/committees/").json()["results"]}
    assert rows["UNI-ZJ"]["parent"] is None
    assert rows["UNI-ZJ-ST"]["parent"] == tree.college.pk
    assert api_for("admin").get(f"/api/committees/{tree.college.pk}/").json()["parent"] == tree.university.pk


def test_parent_filter_gives_direct_children_and_refuses_a_foreign_parent(api_for, tree):
    rows = api_for("leader").get("/api/committees/", {"parent": tree.university.pk}).json()["results"]
    assert [c["code"] for c in rows] == ["UNI-ZJ", "UNI-JC"]
    response = api_for("sec_sibling").get("/api/committees/", {"parent": tree.college.pk})
    assert response.status_code == 400
    assert "parent" in response.json()
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling", summary__contains="parent").exists()


def test_children_come_with_head_counts(api_for, tree):
    person_create(committee=tree.college, name="张老师", wulao_category="teacher")
    person_create(committee=tree.college, name="钱秘书")
    rows = api_for("leader").get(f"/api/committees/{tree.university.pk}/children/").json()["results"]
    college = next(r for r in rows if r["code"] == "UNI-ZJ")
    assert (college["people_count"], college["wulao_count"]) == (2, 1)


def test_outsider_probe_of_a_committee_is_audited_like_a_missing_one(api_for, tree):
    client = api_for("sec_sibling")
    foreign = client.get(f"/api/committees/{tree.college.pk}/")
    missing = client.get("/api/committees/987654/")
    assert foreign.status_code == missing.status_code == 404
    assert tree.college.name not in foreign.content.decode()
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").count() == 2


def test_committee_list_queries_do_not_grow(api_for, tree):
    client = api_for("admin")
    few = _query_count(client, "/api/committees/")
    for i in range(12):
        committee_create(parent=tree.college, name=f"辅导站{i}", code=f"UNI-ZJ-S{i}", kind=CommitteeKind.STATION)
    assert _query_count(client, "/api/committees/") == few


# --- people -------------------------------------------------------------------------


def test_people_matrix(statuses, people):
    assert statuses("get", "/api/people/") == [401, 200, 200, 200, 200, 200]
    assert statuses("get", f"/api/people/{people.zhang.pk}/") == [401, 404, 200, 200, 200, 200]
    assert statuses("post", "/api/people/", {"name": "x"}) == [401, 405, 405, 405, 405, 405]


def test_people_list_shows_the_registry_in_scope_with_roles(api_for, tree, people):
    from orgs.services import membership_add

    membership_add(person=people.zhang, committee=tree.college, role="lecturer")
    rows = api_for("sec_college").get("/api/people/").json()["results"]
    names = {r["name"] for r in rows}
    assert names == {"张老师", "李主任", "周站长"}
    zhang = next(r for r in rows if r["name"] == "张老师")
    assert zhang["roles"][0]["role"] == "lecturer"
    assert zhang["roles"][0]["role_label"] == "讲师团成员"


def test_people_filters(api_for, tree, people):
    client = api_for("leader")
    names = {r["name"] for r in client.get("/api/people/", {"committee": tree.sibling.pk}).json()["results"]}
    assert names == {"孙老师"}
    names = {r["name"] for r in client.get("/api/people/", {"wulao": "true"}).json()["results"]}
    assert names == {"张老师", "李主任", "孙老师"}
    assert api_for("sec_sibling").get("/api/people/", {"committee": tree.college.pk}).status_code == 400


def test_people_list_queries_do_not_grow(api_for, tree, people):
    from orgs.services import membership_add

    client = api_for("leader")
    few = _query_count(client, "/api/people/")
    for i in range(12):
        person = person_create(committee=tree.college, name=f"老师{i}")
        membership_add(person=person, committee=tree.college, role="member")
    assert _query_count(client, "/api/people/") == few


# --- plans --------------------------------------------------------------------------


def test_plan_matrix(statuses, uni_plan):
    assert statuses("get", "/api/plans/") == [401, 200, 200, 200, 200, 200]
    # published by the university: every college below sees it
    assert statuses("get", f"/api/plans/{uni_plan.pk}/") == [401, 200, 200, 200, 200, 200]
    assert statuses("get", f"/api/plans/{uni_plan.pk}/progress/") == [401, 200, 200, 200, 200, 200]
    assert statuses("delete", f"/api/plans/{uni_plan.pk}/") == [401, 405, 405, 405, 405, 405]


def test_a_draft_plan_is_404_for_the_committees_below(api_for, tree, kinds):
    from plans.extraction import extract_text
    from plans.services import plan_import

    draft = plan_import(committee=tree.college, year=2023, extracted=extract_text("一、工作\n1.开展宣讲不少于5场。"))
    assert api_for("sec_college").get(f"/api/plans/{draft.pk}/").status_code == 200
    assert api_for("sec_sibling").get(f"/api/plans/{draft.pk}/").status_code == 404
    assert api_for("sec_sibling").get(f"/api/plans/{draft.pk}/progress/").status_code == 404


def test_plan_detail_has_sections_points_and_targets(api_for, uni_plan):
    data = api_for("leader").get(f"/api/plans/{uni_plan.pk}/").json()
    assert data["sees_whole_plan"] is True
    assert data["title"] == uni_plan.title
    targets = [t for s in data["sections"] for p in s["points"] for t in p["targets"]]
    assert any(t["unit"] == "场" for t in targets)


def test_a_college_sees_only_the_points_it_owns_and_no_overall_standing(api_for, tree, uni_plan):
    from plans.models import WorkPoint
    from plans.services import work_point_assign

    points = list(WorkPoint.objects.filter(section__plan=uni_plan).order_by("pk"))
    work_point_assign(point=points[0], owner_kind="assigned", committees=[tree.sibling])
    college_view = api_for("sec_college").get(f"/api/plans/{uni_plan.pk}/").json()
    assert college_view["sees_whole_plan"] is False
    assert college_view["preamble"] == ""
    seen = {p["id"] for s in college_view["sections"] for p in s["points"]}
    assert points[0].pk not in seen
    for row in api_for("sec_college").get(f"/api/plans/{uni_plan.pk}/progress/").json():
        assert row["overall"] is None
        assert all(s["committee"]["code"].startswith("UNI-ZJ") for s in row["standings"])


def test_progress_counts_a_logged_lecture(api_for, tree, kinds, uni_plan, time_machine):
    import datetime as dt

    from activities.services import activity_create
    from plans.models import Target

    time_machine.move_to(dt.datetime(2022, 6, 1, 10, tzinfo=dt.UTC))
    target = Target.objects.get(work_point__section__plan=uni_plan, unit="场")  # 讲师团宣讲不少于25场
    assert target.params == {"kinds": ["lecture"]}

    def overall_value() -> float:
        rows = api_for("leader").get(f"/api/plans/{uni_plan.pk}/progress/").json()
        row = next(r for r in rows if r["target"]["id"] == target.pk)
        assert row["measured"] is True
        assert row["shown_target"] == "≥ 25场"
        return float(row["overall"]["value"])

    before = overall_value()
    activity_create(committee=tree.college, kind=kinds.lecture, title="宣讲", held_on=dt.date(2022, 5, 4))
    assert overall_value() == before + 1


def test_plan_list_queries_do_not_grow(api_for, tree, kinds):
    from plans.extraction import extract_text
    from plans.services import plan_import

    client = api_for("admin")
    plan_import(committee=tree.college, year=2020, extracted=extract_text("一、工作\n1.开展宣讲。"))
    few = _query_count(client, "/api/plans/")
    for year in range(2001, 2011):
        plan_import(committee=tree.sibling, year=year, extracted=extract_text("一、工作\n1.开展宣讲。"))
    assert _query_count(client, "/api/plans/") == few


# --- evaluations --------------------------------------------------------------------


def test_evaluation_matrix(statuses, evaluations):
    college = f"/api/evaluations/{evaluations.college.pk}/"
    sibling = f"/api/evaluations/{evaluations.sibling.pk}/"
    assert statuses("get", college) == [401, 404, 200, 200, 200, 200]
    # the reviewer is assigned the college's evaluation only
    assert statuses("get", sibling) == [401, 200, 404, 200, 404, 200]
    assert statuses("put", college, {"status": "finalised"}) == [401, 405, 405, 405, 405, 405]


def test_reviewer_lists_only_assigned_evaluations(api_for, evaluations):
    rows = api_for("reviewer").get("/api/evaluations/").json()["results"]
    assert [r["committee_name"] for r in rows] == ["针灸康复临床医学院关工分委"]
    assert api_for("leader").get("/api/evaluations/").json()["count"] == 2


def test_evaluation_detail_has_both_scores_per_criterion(api_for, evaluations):
    data = api_for("reviewer").get(f"/api/evaluations/{evaluations.college.pk}/").json()
    scores = {s["code"]: s for s in data["scores"]}
    assert scores["1.1"]["self_points"] == "55.0"
    assert scores["1.1"]["self_comment"] == "党委专题研究"
    assert scores["1.1"]["review_points"] is None
    assert scores["1.1"]["is_key"] is True
    assert data["self_total"] == "93.0"
    assert data["status"] == "draft"


def test_evaluation_report_is_a_pdf_for_those_who_may_see_it(api_for, evaluations):
    url = f"/api/evaluations/{evaluations.college.pk}/report.pdf"
    response = api_for("reviewer").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", username="reviewer", summary="pdf").exists()
    assert api_for("sec_sibling").get(url).status_code == 404
    assert api_for(None).get(url).status_code == 401
    assert api_for("reviewer").get(f"/api/evaluations/{evaluations.sibling.pk}/report.pdf").status_code == 404


def test_evaluation_list_queries_do_not_grow(api_for, tree, evaluations, personas):
    import datetime as dt

    from assessments import services

    client = api_for("admin")
    few = _query_count(client, "/api/evaluations/")
    for year in (2019, 2020, 2021):
        services.round_create(
            committee=tree.university,
            rubric=evaluations.round.rubric,
            committees=[tree.college, tree.sibling],
            name=f"{year}年度考核",
            year=year,
            self_deadline=dt.date(year, 12, 20),
            review_deadline=dt.date(year + 1, 1, 10),
            by=personas["admin"],
        )
    assert _query_count(client, "/api/evaluations/") == few
