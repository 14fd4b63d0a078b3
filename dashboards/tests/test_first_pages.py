"""Each person's first page answers their first question (issue 21).

A leader: how this year's targets stand and which sub-committees are behind.
A reviewer: which evaluations wait for their scores, and by when.
A secretary: what is due (checked first, as before).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from assessments import services as assess
from assessments.models import Evaluation, ReviewPanel
from assessments.services import Entry
from orgs.models import GrantRole
from orgs.services import grant_access
from plans.models import Plan, PlanStatus, TargetScope

from .conftest import add_colleges, add_target

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def section(body: str, section_id: str) -> str:
    """The HTML of one <section> of the page, by id ('' when the page has none)."""
    start = body.find(f'id="{section_id}"')
    if start < 0:
        return ""
    return body[start : body.index("</section>", start)]


def position(body: str, section_id: str) -> int:
    found = body.find(f'id="{section_id}"')
    assert found >= 0, f"no section {section_id}"
    return found


# --- a leader ---------------------------------------------------------------------------


@pytest.fixture
def autumn(time_machine):
    """30 September 2022: three quarters of the year have passed."""
    time_machine.move_to(dt.datetime(2022, 9, 30, 9, tzinfo=SHANGHAI))


@pytest.fixture
def lagging(tree, uni_plan, make_activity, autumn):
    """Six colleges measured by the university's two targets (10 lectures in all, 2 reports each).

    7 lectures of 10 by now: amber. 基础医学院 is on track, 针灸康复学院 is amber on its
    reports, the four new colleges have logged nothing (red on both).
    """
    new = add_colleges(tree.university, 4)
    for month in range(1, 6):
        make_activity(tree.sibling, dt.date(2022, month, 5))
    for month in (3, 6):
        make_activity(tree.sibling, dt.date(2022, month, 8), "report")
    make_activity(tree.college, dt.date(2022, 4, 1))
    make_activity(tree.college, dt.date(2022, 5, 1))
    make_activity(tree.college, dt.date(2022, 5, 9), "report", title="针灸学院报告会")
    return new


def test_leader_home_shows_this_years_targets_first_with_status_figure_and_goal(client_for, tree, lagging):
    body = client_for("leader").get(reverse("home")).content.decode()
    targets = section(body, "home-targets")
    assert "示范大学关工委 2022年目标完成情况" in targets
    assert "红 1 项" in targets and "黄 1 项" in targets and "绿 0 项" in targets
    # 7 lectures of 10: amber, with the figure, the goal and the percent, linked to the target's page
    lecture = uni_plan_target(tree, "全年宣讲不少于10场")
    assert f'<a href="{reverse("plans:target_detail", args=[lecture.pk])}">全年宣讲不少于10场</a>' in targets
    assert "目前 <strong>7</strong>场，目标 ≥ 10场：已完成 70%" in targets
    assert "6 个下级中 <strong>1</strong> 个达到 ≥ 2场：已完成 16%" in targets
    # worst first: the red one (2 of 6 colleges held their reports) before the amber one
    assert targets.index("每个学院报告会不少于2场") < targets.index("全年宣讲不少于10场")
    assert targets.index('<span class="badge bad">红</span>') < targets.index('<span class="badge warn">黄</span>')
    # the targets come before everything else on the page, the activity list below
    assert position(body, "home-targets") < position(body, "home-behind") < position(body, "recent")


def uni_plan_target(tree, text):
    from plans.models import Target

    return Target.objects.get(text=text, work_point__section__plan__committee=tree.university)


def test_leader_home_lists_the_sub_committees_furthest_behind_linked_to_their_dashboards(client_for, tree, lagging):
    behind = section(client_for("leader").get(reverse("home")).content.decode(), "home-behind")
    assert "最落后的下级关工委" in behind
    expected = [*lagging, tree.college]  # four reds (nothing logged), then the amber one
    links = [f'href="{reverse("dashboards:committee", args=[c.pk])}">{c.display_name}</a>' for c in expected]
    found = [behind.index(link) for link in links]
    assert found[:4] == sorted(found[:4]) and found[3] < found[4]  # reds first, amber last
    assert behind.count("落后 2 项目标") == 4 and behind.count("落后 1 项目标") == 1
    assert "基础医学院" not in behind  # on track: not behind
    assert f'href="{reverse("dashboards:committee", args=[tree.university.pk])}"' in behind
    assert "查看示范大学关工委完整工作看板" in behind


def test_leader_home_shows_at_most_five_sub_committees_behind(client_for, tree, uni_plan, autumn):
    add_colleges(tree.university, 7)
    behind = section(client_for("leader").get(reverse("home")).content.decode(), "home-behind")
    assert behind.count('class="behind-row"') == 5


def test_leader_home_shows_the_five_worst_targets_and_says_how_many_more(client_for, tree, uni_plan, autumn):
    for i in range(5):
        add_target(uni_plan, f"第{i}项：全年征文不少于{i + 1}篇", params={"kinds": ["essay"]}, value=i + 1)
    targets = section(client_for("leader").get(reverse("home")).content.decode(), "home-targets")
    assert targets.count('class="target-row"') == 5
    assert "另有 2 项目标，请看完整工作看板。" in targets
    assert "红 7 项" in targets


def test_home_and_dashboard_give_the_leader_the_same_status_and_percent(client_for, tree, lagging):
    client = client_for("leader")
    panel = client.get(reverse("home")).context["leading"][0]
    board = client.get(reverse("dashboards:committee", args=[tree.university.pk])).context["board"]
    assert [(r.target.pk, r.status, r.percent, r.shown) for r in panel.targets] == [
        (r.target.pk, r.status, r.percent, r.shown) for r in board.target_rows
    ]
    assert [r.committee.pk for r in panel.behind] == [r.committee.pk for r in board.ranking if r.behind]


def test_leader_home_reads_the_targets_from_the_snapshots(client_for, tree, lagging):
    from metrics import recompute
    from metrics.models import MetricSnapshot

    recompute.snapshots_recompute_all(years=[2022])
    # Prove the page reads the stored figure, not a recount: change it behind the engine's back.
    MetricSnapshot.objects.filter(
        committee=tree.university, metric="activity_count", params_key='{"kinds":["lecture"]}'
    ).update(value=10)
    targets = section(client_for("leader").get(reverse("home")).content.decode(), "home-targets")
    assert "目前 <strong>10</strong>场，目标 ≥ 10场：已达到" in targets


def test_a_big_subtree_leader_panel_is_rendered_once_until_its_snapshots_change(
    client_for, tree, lagging, settings, django_assert_max_num_queries
):
    from metrics import recompute
    from orgs.models import Committee

    settings.GUANWEI_LIVE_SUBTREE_LIMIT = 3  # the university's committees count as a big subtree
    recompute.snapshots_recompute_all(years=[2022])
    leader = client_for("leader")
    assert "第0学院关工分委" in section(leader.get(reverse("home")).content.decode(), "home-behind")
    Committee.objects.filter(pk=lagging[0].pk).update(name="改名后的学院")
    with django_assert_max_num_queries(13):  # no plan, target or figure is read: the panel is cached
        body = leader.get(reverse("home")).content.decode()
    assert "第0学院关工分委" in section(body, "home-behind")


def test_leader_home_without_a_published_plan_says_so(client_for, tree, autumn):
    Plan.objects.create(committee=tree.university, year=2022, title="草稿", status=PlanStatus.DRAFT)
    body = client_for("leader").get(reverse("home")).content.decode()
    assert "本年没有已发布、含可量化目标的工作计划。" in section(body, "home-targets")
    assert "本年还没有衡量下级关工委的目标。" in section(body, "home-behind")


def test_nobody_behind_is_said_plainly(client_for, tree, make_activity, autumn):
    plan = Plan.objects.create(committee=tree.university, year=2022, title="要点", status=PlanStatus.PUBLISHED)
    add_target(plan, "每个学院宣讲不少于1场", value=1, scope=TargetScope.EACH_SUBCOMMITTEE)
    make_activity(tree.college, dt.date(2022, 3, 1))
    make_activity(tree.sibling, dt.date(2022, 3, 1))
    behind = section(client_for("leader").get(reverse("home")).content.decode(), "home-behind")
    assert "本年各项目标，下级关工委都没有落后。" in behind


def test_a_leader_of_a_committee_without_sub_committees_gets_no_leader_panel(client_for, tree, personas, autumn):
    grant_access(user=personas["sec_sibling"], committee=tree.college_station, role=GrantRole.LEADER)
    body = client_for("sec_sibling").get(reverse("home")).content.decode()
    assert 'id="home-targets"' not in body


def test_a_secretary_is_not_shown_the_leader_panel(client_for, tree, uni_plan, autumn):
    body = client_for("sec_college").get(reverse("home")).content.decode()  # the college has a station below it
    assert 'id="home-targets"' not in body and 'id="home-behind"' not in body


@pytest.mark.parametrize("colleges,targets", [(2, 0), (12, 6)])
def test_leader_home_query_count_does_not_grow_with_colleges_or_targets(
    client_for, tree, uni_plan, make_activity, autumn, colleges, targets, django_assert_max_num_queries
):
    new = add_colleges(tree.university, colleges)
    for i, college in enumerate(new):
        make_activity(college, dt.date(2022, 3, 1 + i))
    for i in range(targets):
        add_target(uni_plan, f"第{i}项目标", params={"kinds": ["essay"]}, value=i + 1)
    province_plan = Plan.objects.create(committee=tree.province, year=2022, title="省要点", status=PlanStatus.PUBLISHED)
    add_target(province_plan, "每校宣讲不少于3场", value=3)  # the university measured as part of the province
    client = client_for("leader")
    with django_assert_max_num_queries(25):
        response = client.get(reverse("home"))
    panel = response.context["leading"][0]
    assert len(panel.board.target_rows) == 3 + targets
    if not targets:  # with three targets, the province's is on the page (else it may be past the fifth line)
        assert "按江苏省教育系统关工委的目标计算" in section(response.content.decode(), "home-targets")


# --- a reviewer -------------------------------------------------------------------------


@pytest.fixture
def review_round(tree, personas):
    """A round over the two colleges and the station; review due 10 January 2023."""
    admin = personas["admin"]
    rubric = assess.rubric_create(owner=tree.university, name="五好考核", score_step="0.5", by=admin)
    dim = assess.dimension_save(rubric=rubric, title="领导班子建设好", by=admin)
    criterion = assess.criterion_save(
        dimension=dim, code="1", title="党政重视", kind="manual", max_points=D(100), by=admin
    )
    round_ = assess.round_create(
        committee=tree.university,
        rubric=rubric,
        committees=[tree.college, tree.sibling, tree.college_station],
        name="2022年度考核",
        year=2022,
        self_deadline=dt.date(2022, 12, 20),
        review_deadline=dt.date(2023, 1, 10),
        by=admin,
    )
    round_.criterion = criterion
    return round_


def submitted(round_, committee, by) -> Evaluation:
    evaluation = Evaluation.objects.get(round=round_, committee=committee)
    assess.evaluation_self_score(evaluation=evaluation, entries={round_.criterion.pk: Entry(D(90), "")}, by=by)
    return assess.evaluation_submit(evaluation=evaluation, by=by)


@pytest.fixture
def waiting(tree, personas, review_round, time_machine):
    """Assigned to the reviewer: the college (submitted) and the station (still a draft).

    The sibling college is submitted but assigned to nobody.
    """
    time_machine.move_to(dt.datetime(2022, 12, 15, 9, tzinfo=SHANGHAI))
    admin, reviewer = personas["admin"], personas["reviewer"]
    college = submitted(review_round, tree.college, personas["sec_college"])
    submitted(review_round, tree.sibling, personas["sec_sibling"])
    station = Evaluation.objects.get(round=review_round, committee=tree.college_station)
    assess.assignment_add(evaluation=college, user=reviewer, by=admin)
    assess.assignment_add(evaluation=station, user=reviewer, by=admin)
    return college


def test_reviewer_home_shows_first_the_evaluations_waiting_with_their_due_dates(
    client_for, tree, waiting, make_activity
):
    make_activity(tree.sibling, dt.date(2022, 12, 1), title="基础医学院的宣讲")
    body = client_for("reviewer").get(reverse("home")).content.decode()
    reviews = section(body, "home-reviews")
    assert "<h2>待考评</h2>" in reviews
    assert f'<a href="{reverse("assessments:evaluation_review", args=[waiting.pk])}">针灸康复学院</a>' in reviews
    assert "2022年度考核 · 已提交" in reviews and "截止 2023-01-10" in reviews
    assert "基础医学院" not in reviews  # submitted, but not assigned to this reviewer
    assert "针灸学院校外辅导站" not in reviews  # assigned, but not yet submitted
    assert reviews.count("<li") == 1
    # first on the page; the province's activity log is not a reviewer's business
    assert body.index('id="home-reviews"') < body.index("我的委员会")
    assert "基础医学院的宣讲" not in body and 'id="recent"' not in body


def test_an_overdue_review_is_marked(client_for, waiting, time_machine):
    time_machine.move_to(dt.datetime(2023, 1, 11, 9, tzinfo=SHANGHAI))
    reviews = section(client_for("reviewer").get(reverse("home")).content.decode(), "home-reviews")
    assert "已逾期（截止 2023-01-10）" in reviews and "review-due overdue" in reviews


def test_reviews_under_way_still_wait_and_finalised_or_returned_ones_do_not(
    client_for, tree, personas, waiting, review_round
):
    reviewer = personas["reviewer"]
    entries = {review_round.criterion.pk: Entry(D(80), "")}
    assess.evaluation_review_score(evaluation=waiting, entries=entries, by=reviewer)
    reviews = section(client_for("reviewer").get(reverse("home")).content.decode(), "home-reviews")
    assert "针灸康复学院" in reviews and "考评中" in reviews
    assess.evaluation_finalise(evaluation=waiting, by=reviewer)
    reviews = section(client_for("reviewer").get(reverse("home")).content.decode(), "home-reviews")
    assert "针灸康复学院" not in reviews
    assert "目前没有等待您评分的考评。" in reviews


def test_a_reviewer_with_nothing_waiting_is_told_so_and_the_admin_gets_no_review_list(client_for, review_round):
    reviews = section(client_for("reviewer").get(reverse("home")).content.decode(), "home-reviews")
    assert "目前没有等待您评分的考评。" in reviews
    assert 'id="home-reviews"' not in client_for("admin").get(reverse("home")).content.decode()


def test_evaluations_assigned_through_a_panel_wait_for_its_members(client_for, tree, personas, review_round, waiting):
    sibling = Evaluation.objects.get(round=review_round, committee=tree.sibling)
    panel = ReviewPanel.objects.create(round=review_round, name="第一考核小组")
    panel.members.add(personas["sec_college"])
    assess.assignment_add(evaluation=sibling, panel=panel, by=personas["admin"])
    reviews = section(client_for("sec_college").get(reverse("home")).content.decode(), "home-reviews")
    assert f'href="{reverse("assessments:evaluation_review", args=[sibling.pk])}"' in reviews
    # a secretary who also sits on a panel keeps what is due first
    body = client_for("sec_college").get(reverse("home")).content.decode()
    assert position(body, f"due-{tree.college.pk}") < position(body, "home-reviews")


@pytest.mark.parametrize("n", [1, 8])
def test_reviewer_home_query_count_does_not_grow_with_evaluations(
    client_for, tree, personas, review_round, time_machine, n, django_assert_max_num_queries
):
    time_machine.move_to(dt.datetime(2022, 12, 15, 9, tzinfo=SHANGHAI))
    for i in range(n):
        round_ = assess.round_create(
            committee=tree.university,
            rubric=review_round.rubric,
            committees=[tree.college],
            name=f"第{i}轮考核",
            year=2022,
            self_deadline=dt.date(2022, 12, 20),
            review_deadline=dt.date(2023, 1, 10),
            by=personas["admin"],
        )
        round_.criterion = review_round.criterion
        evaluation = submitted(round_, tree.college, personas["sec_college"])
        assess.assignment_add(evaluation=evaluation, user=personas["reviewer"], by=personas["admin"])
    client = client_for("reviewer")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("home"))
    assert len(response.context["reviews"]) == n


# --- a secretary, and the outsider ----------------------------------------------------------


def test_secretary_home_keeps_what_is_due_first(client_for, tree, make_activity, autumn):
    make_activity(tree.college, dt.date(2022, 9, 1))
    body = client_for("sec_college").get(reverse("home")).content.decode()
    due = position(body, f"due-{tree.college.pk}")
    assert "待办事项：针灸康复学院" in section(body, f"due-{tree.college.pk}")
    assert due < position(body, "recent") and due < body.index("我的委员会")
    assert 'id="home-reviews"' not in body and 'id="home-targets"' not in body


def test_outsider_sees_nothing_of_the_university_or_another_college(client_for, tree, lagging, waiting, make_activity):
    body = client_for("sec_sibling").get(reverse("home")).content.decode()
    assert 'id="home-targets"' not in body and 'id="home-behind"' not in body and 'id="home-reviews"' not in body
    for text in ("针灸康复", "针灸学院报告会", "全年宣讲不少于10场", "第0学院关工分委", "示范大学关工委 2022年"):
        assert text not in body, text
    assert f'id="due-{tree.sibling.pk}"' in body
