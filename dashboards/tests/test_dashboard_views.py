"""The leader's dashboard: who may open it, what it shows, and that its numbers are the engine's."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from metrics import recompute as services
from metrics.engine import evaluate, evaluate_many
from metrics.periods import Period
from metrics.readings import colour as rag
from metrics.readings import elapsed_share
from orgs.models import AuditEvent
from plans.models import Milestone, Programme

from .conftest import add_colleges

PERSONAS = [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]
JUNE_30 = dt.datetime(2022, 6, 30, 4, tzinfo=dt.UTC)  # noon in Shanghai; half of 2022 has passed


def statuses(client_for, url):
    return [client_for(name).get(url).status_code for name in PERSONAS]


@pytest.fixture
def june(time_machine):
    time_machine.move_to(JUNE_30)


@pytest.fixture
def logged(tree, make_activity, wulao, june):
    """Five activities in the college (March, April×2, June), one report in the sibling college."""
    make_activity(tree.college, dt.date(2022, 3, 5), youth_reached=30, people=wulao)
    make_activity(tree.college, dt.date(2022, 4, 1), youth_reached=20, people=wulao[:1])
    make_activity(tree.college, dt.date(2022, 4, 20), "story", youth_reached=10)
    make_activity(tree.college_station, dt.date(2022, 6, 2), "station_activity", youth_reached=15)
    make_activity(tree.sibling, dt.date(2022, 4, 5), "report", youth_reached=50)
    make_activity(tree.college, dt.date(2021, 12, 31), youth_reached=99)  # last year: not counted


def cells(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


# --- access ----------------------------------------------------------------------


def test_college_dashboard_matrix(client_for, tree):
    url = reverse("dashboards:committee", args=[tree.college.pk])
    # anonymous → login; the sibling college's secretary → 404; everyone above reads it
    assert statuses(client_for, url) == [302, 404, 200, 200, 200, 200]


def test_university_dashboard_matrix(client_for, tree):
    url = reverse("dashboards:committee", args=[tree.university.pk])
    assert statuses(client_for, url) == [302, 404, 404, 200, 200, 200]


def test_xlsx_matrix(client_for, tree):
    url = reverse("dashboards:chart_xlsx", args=[tree.college.pk, "months"])
    assert statuses(client_for, url) == [302, 404, 200, 200, 200, 200]


def test_index_sends_each_user_to_the_top_of_their_scope(client_for, tree):
    url = reverse("dashboards:index")
    assert statuses(client_for, url) == [302, 302, 302, 302, 302, 302]  # to the login page, or onwards
    assert client_for("leader").get(url)["Location"] == reverse("dashboards:committee", args=[tree.university.pk])
    assert client_for("sec_college").get(url)["Location"] == reverse("dashboards:committee", args=[tree.college.pk])


def test_a_user_without_any_grant_is_told_so(client_for, tree, django_user_model):
    from django.test import Client

    client = Client()
    client.force_login(django_user_model.objects.create_user("nobody", password="x-test-password"))
    response = client.get(reverse("dashboards:index"))
    assert response.status_code == 200
    assert "请联系关工委办公室开通" in response.content.decode()


def test_outsider_gets_404_for_dashboard_and_xlsx_and_the_attempt_is_audited(client_for, tree):
    client = client_for("sec_sibling")
    page = client.get(reverse("dashboards:committee", args=[tree.college.pk]))
    sheet = client.get(reverse("dashboards:chart_xlsx", args=[tree.college.pk, "kinds"]))
    missing = client.get(reverse("dashboards:committee", args=[987654]))
    assert page.status_code == sheet.status_code == missing.status_code == 404
    assert tree.college.name not in page.content.decode()
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").count() == 3


def test_unknown_chart_is_404_and_a_year_out_of_range_falls_back_to_this_year(client_for, tree, june):
    client = client_for("leader")
    assert client.get(reverse("dashboards:chart_xlsx", args=[tree.college.pk, "secrets"])).status_code == 404
    response = client.get(reverse("dashboards:committee", args=[tree.college.pk]), {"year": "1888"})
    assert response.status_code == 200
    assert "2022" in response.content.decode()
    # Not a number at all: a bad request, which says so (issue 20: "²" was a 500).
    malformed = client.get(reverse("dashboards:committee", args=[tree.college.pk]), {"year": "20x2"})
    assert malformed.status_code == 400
    assert "不是有效的数字" in malformed.content.decode()


def test_dashboard_pages_are_read_only(client_for, tree):
    assert client_for("admin").post(reverse("dashboards:committee", args=[tree.college.pk])).status_code == 405


# --- numbers ---------------------------------------------------------------------


def test_dashboard_figures_equal_the_metric_engine_and_the_xlsx(client_for, tree, logged):
    client = client_for("leader")
    response = client.get(reverse("dashboards:committee", args=[tree.university.pk]), {"year": 2022})
    board = response.context["board"]
    year = Period.year(2022)
    engine = {
        code: evaluate(code, committee=tree.university, period=year).value
        for code in ("activity_count", "youth_reached", "wulao_participants")
    }
    assert board.totals == {
        "activities": engine["activity_count"],
        "youth": engine["youth_reached"],
        "wulao": engine["wulao_participants"],
    }
    assert board.totals == {"activities": 5, "youth": 125, "wulao": 2}
    body = response.content.decode()
    assert '<dd data-figure="activities">5</dd>' in body
    assert '<dd data-figure="youth">125</dd>' in body

    months = evaluate_many("activity_count", committees=[tree.university], period=year)  # sanity: same engine
    assert months[tree.university.pk].value == 5
    monthly = [
        evaluate("activity_count", committee=tree.university, period=Period.month(2022, m)).value for m in range(1, 13)
    ]
    assert [v for _m, v in board.months] == monthly == [0, 0, 1, 3, 0, 1, 0, 0, 0, 0, 0, 0]
    sheet = cells(client.get(reverse("dashboards:chart_xlsx", args=[tree.university.pk, "months"]), {"year": 2022}))
    assert [row[1] for row in sheet[1:]] == monthly

    kinds = cells(client.get(reverse("dashboards:chart_xlsx", args=[tree.university.pk, "kinds"]), {"year": 2022}))
    assert {row[0]: row[1] for row in kinds[1:]} == {"宣讲会": 2, "故事会": 1, "校外辅导站活动": 1, "报告会": 1}

    subs = cells(
        client.get(reverse("dashboards:chart_xlsx", args=[tree.university.pk, "subcommittees"]), {"year": 2022})
    )
    by_name = {row[0]: row[1:4] for row in subs[1:]}
    college = {c: evaluate(c, committee=tree.college, period=year).value for c in ("activity_count", "youth_reached")}
    assert by_name["针灸康复临床医学院关工分委"][:2] == [college["activity_count"], college["youth_reached"]] == [4, 75]
    assert by_name["基础医学院关工分委"] == [1, 50, 0]


def test_charts_are_svg_with_chinese_titles_and_tables_of_the_same_numbers(client_for, tree, logged):
    body = client_for("leader").get(reverse("dashboards:committee", args=[tree.university.pk])).content.decode()
    assert body.count("<svg") == 2
    assert "2022年各月活动数" in body
    assert "2022年各类活动数" in body
    assert "<title>4月：3 项活动</title>" in body
    assert "viewBox=" in body
    assert "以表格查看数据" in body


def test_months_without_activity_are_named(client_for, tree, logged):
    board = client_for("leader").get(reverse("dashboards:committee", args=[tree.college.pk])).context["board"]
    assert board.empty_months == [1, 2, 5]  # up to June; June has the station's activity


# --- targets and ranking ------------------------------------------------------------


def test_rag_thresholds():
    assert rag(met=True, fraction=0, elapsed=1) == "ok"
    assert rag(met=False, fraction=0.5, elapsed=0.5) == "ok"  # on track pro rata
    assert rag(met=False, fraction=0.3, elapsed=0.5) == "warn"  # behind, but more than half way to pro rata
    assert rag(met=False, fraction=0.2, elapsed=0.5) == "bad"  # far behind
    assert rag(met=False, fraction=0.9, elapsed=0.2, at_least=False) == "bad"  # an upper limit broken
    year = Period.year(2022)
    assert elapsed_share(year, dt.date(2021, 12, 31)) == 0
    assert elapsed_share(year, dt.date(2023, 1, 1)) == 1
    assert elapsed_share(year, dt.date(2022, 7, 2)) == pytest.approx(183 / 365)


def test_journey_4_colleges_furthest_behind_come_first_and_a_click_shows_which_targets(
    client_for, tree, uni_plan, make_activity, june
):
    colleges = add_colleges(tree.university, 3)  # three more colleges with nothing logged
    for day in (1, 2, 3, 4, 5):
        make_activity(tree.sibling, dt.date(2022, 3, day))  # 5 lectures: its share of 10, on track
    make_activity(tree.sibling, dt.date(2022, 4, 1), "report")
    make_activity(tree.sibling, dt.date(2022, 4, 2), "report")
    make_activity(tree.college, dt.date(2022, 4, 1), "report")  # half of its reports, but no lecture yet
    client = client_for("leader")
    response = client.get(reverse("dashboards:committee", args=[tree.university.pk]))
    ranking = response.context["board"].ranking
    names = [r.committee.code for r in ranking]
    assert names[-1] == "UNI-JC"  # the sibling is on track on both targets: last
    assert set(names[:3]) == {c.code for c in colleges}  # nothing logged: furthest behind, first
    assert names[3] == "UNI-ZJ"  # red on lectures only
    assert [(r.red, r.status) for r in ranking] == [(2, "bad"), (2, "bad"), (2, "bad"), (1, "bad"), (0, "ok")]
    body = response.content.decode()
    assert body.index("第0学院关工分委") < body.index("基础医学院关工分委")
    link = reverse("dashboards:committee", args=[colleges[0].pk]) + "?year=2022"
    assert link in body

    drill = client.get(link)
    rows = drill.context["board"].target_rows
    assert [(r.target.text, r.status) for r in rows] == [
        ("全年宣讲不少于10场", "bad"),  # equally far behind: in the plan's order
        ("每个学院报告会不少于2场", "bad"),
    ]
    assert "按示范大学关工委的目标计算" in drill.content.decode()
    assert drill.context["board"].empty_months == [1, 2, 3, 4, 5, 6]


def test_a_college_on_track_is_green_on_its_own_dashboard(client_for, tree, uni_plan, make_activity, june):
    for day in (1, 2, 3):
        make_activity(tree.college, dt.date(2022, 3, day))  # 3 of its share of 5 by mid-year
    make_activity(tree.college, dt.date(2022, 4, 1), "report")
    rows = client_for("sec_college").get(reverse("dashboards:committee", args=[tree.college.pk])).context["board"]
    assert {r.target.text: r.status for r in rows.target_rows} == {
        "全年宣讲不少于10场": "ok",
        "每个学院报告会不少于2场": "ok",
    }


def test_target_xlsx_lists_the_same_statuses(client_for, tree, uni_plan, june):
    sheet = cells(client_for("leader").get(reverse("dashboards:chart_xlsx", args=[tree.university.pk, "targets"])))
    assert sheet[0][0] == "目标"
    assert sorted(row[-1] for row in sheet[1:]) == ["红", "红"]


# --- assessment and milestones -------------------------------------------------------


def _stages(client_for, tree) -> dict[str, int]:
    board = client_for("leader").get(reverse("dashboards:committee", args=[tree.university.pk])).context["board"]
    return {code: n for code, _label, n in board.round_summary.stages}


def test_round_status_and_grades_of_the_subtree(client_for, tree, personas, time_machine):
    from assessments import services as assess
    from assessments.models import Evaluation, EvaluationStatus

    time_machine.move_to(JUNE_30)
    rubric = assess.rubric_create(owner=tree.university, name="五好考核", score_step="0.5", by=personas["admin"])
    dim = assess.dimension_save(rubric=rubric, title="领导班子建设好", by=personas["admin"])
    assess.criterion_save(
        dimension=dim, code="1", title="党政重视", kind="manual", max_points=Decimal(100), by=personas["admin"]
    )
    assess.band_save(rubric=rubric, label="优秀", min_total=Decimal(85), tone="ok", by=personas["admin"])
    round_ = assess.round_create(
        committee=tree.university,
        rubric=rubric,
        committees=[tree.college, tree.sibling],
        name="2022年度考核",
        year=2022,
        self_deadline=dt.date(2022, 12, 20),
        review_deadline=dt.date(2023, 1, 10),
        by=personas["admin"],
    )
    Evaluation.objects.filter(round=round_, committee=tree.sibling).update(
        status=EvaluationStatus.FINALISED, review_total=90, grade="优秀", grade_tone="ok"
    )
    board = client_for("leader").get(reverse("dashboards:committee", args=[tree.university.pk])).context["board"]
    summary = board.round_summary
    assert summary.round == round_
    assert {code: n for code, _label, n in summary.stages} == {
        "not_started": 1,
        "self_assessing": 0,
        "submitted": 0,
        "finalised": 1,
    }
    assert ("优秀", "ok", 1) in summary.results.distribution

    # Scores pre-filled from the data are not the college's doing; a score given by hand is.
    from assessments.models import Score

    score = Score.objects.get(evaluation__round=round_, evaluation__committee=tree.college)
    Score.objects.filter(pk=score.pk).update(self_points=80, metric_points=80)
    assert _stages(client_for, tree) == {"not_started": 1, "self_assessing": 0, "submitted": 0, "finalised": 1}
    Score.objects.filter(pk=score.pk).update(self_points=90)
    assert _stages(client_for, tree) == {"not_started": 0, "self_assessing": 1, "submitted": 0, "finalised": 1}
    college_board = client_for("leader").get(reverse("dashboards:committee", args=[tree.college.pk])).context["board"]
    assert college_board.round_summary.total == 1  # only the college's own evaluation


def test_next_milestones_of_the_programme_in_date_order(client_for, tree, june):
    programme = Programme.objects.create(committee=tree.university, title="优质化建设规划")
    Milestone.objects.create(programme=programme, title="终期验收", due_on=dt.date(2023, 6, 30))
    Milestone.objects.create(programme=programme, title="中期评估", due_on=dt.date(2022, 9, 1))
    Milestone.objects.create(programme=programme, title="启动会", due_on=dt.date(2022, 3, 1))  # past
    other = Programme.objects.create(committee=tree.other_root, title="别区规划")
    Milestone.objects.create(programme=other, title="别区验收", due_on=dt.date(2022, 8, 1))
    body = client_for("sec_college").get(reverse("dashboards:committee", args=[tree.college.pk])).content.decode()
    assert body.index("中期评估") < body.index("终期验收")
    assert "启动会" not in body and "别区验收" not in body


# --- cost ---------------------------------------------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_does_not_grow_with_the_subtree(
    client_for, tree, uni_plan, make_activity, june, django_assert_max_num_queries
):
    client = client_for("leader")
    url = reverse("dashboards:committee", args=[tree.university.pk])
    colleges = add_colleges(tree.university, 1)  # 3 sub-committees
    make_activity(colleges[0], dt.date(2022, 3, 1))
    small = _count_queries(client, url)
    for college in add_colleges(tree.university, 27, start=1):  # 30 sub-committees, each with activities
        make_activity(college, dt.date(2022, 3, 1))
        make_activity(college, dt.date(2022, 5, 1), "report")
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert len(response.context["board"].ranking) == 30
    live_totals = response.context["board"].totals
    services.snapshots_recompute_all(years=[2022])  # the nightly run: now every figure has a snapshot
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert len(ctx.captured_queries) < small
    # Every figure comes from a snapshot: no count over the activities, whatever the subtree.
    assert not [q for q in ctx.captured_queries if 'FROM "activities_activity"' in q["sql"]]
    assert response.context["board"].totals == live_totals == {"activities": 55, "youth": 0, "wulao": 0}


def test_the_year_turns_at_midnight_in_shanghai(client_for, tree, time_machine):
    shanghai = dt.timezone(dt.timedelta(hours=8))
    url = reverse("dashboards:committee", args=[tree.college.pk])
    time_machine.move_to(dt.datetime(2022, 12, 31, 23, 30, tzinfo=shanghai))
    assert client_for("leader").get(url).context["year"] == 2022
    time_machine.move_to(dt.datetime(2023, 1, 1, 0, 30, tzinfo=shanghai))  # still 31 December in UTC
    response = client_for("leader").get(url)
    assert response.context["year"] == 2023
    assert response.context["board"].empty_months == [1]


def test_the_year_links_include_years_with_a_published_plan(client_for, tree, personas):
    from plans.models import Plan, PlanStatus

    Plan.objects.create(committee=tree.university, year=2019, title="2019年工作要点", status=PlanStatus.PUBLISHED)
    body = client_for("leader").get(reverse("dashboards:committee", args=[tree.university.pk]), {"year": 2022})
    assert "?year=2019" in body.content.decode()
    assert "?year=2021" in body.content.decode()
