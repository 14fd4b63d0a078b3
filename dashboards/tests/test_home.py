"""The home page: what is due for a secretary, what was logged, and the big button."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import Milestone, PeriodKind, Plan, PlanStatus, Programme

from .conftest import add_target

PERSONAS = [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_home_matrix(client_for, tree):
    assert [client_for(n).get(reverse("home")).status_code for n in PERSONAS] == [302, 200, 200, 200, 200, 200]
    assert client_for("sec_college").post(reverse("home")).status_code == 405


def test_home_keeps_my_committees_and_roles(client_for, tree):
    body = client_for("sec_college").get(reverse("home")).content.decode()
    assert "我的委员会" in body and "针灸康复临床医学院关工分委 · 秘书" in body
    assert reverse("dashboards:committee", args=[tree.college.pk]) in body


def test_secretary_sees_the_big_log_button_and_a_leader_does_not(client_for, tree):
    assert f'href="{reverse("activities:create")}"' in client_for("sec_college").get(reverse("home")).content.decode()
    assert "记一次活动" in client_for("sec_college").get(reverse("home")).content.decode()
    assert "记一次活动" not in client_for("leader").get(reverse("home")).content.decode()


def test_semester_news_and_meetings_against_the_default_rule(client_for, tree, make_news, make_activity, time_machine):
    time_machine.move_to(dt.datetime(2022, 6, 30, 23, 30, tzinfo=SHANGHAI))  # still the spring semester
    make_news(tree.college, dt.date(2022, 6, 30))
    make_news(tree.college, dt.date(2022, 3, 1), photos=0)  # no photo: does not count
    make_news(tree.college_station, dt.date(2022, 4, 1))  # the station's own report: not the college's
    make_activity(tree.college, dt.date(2022, 1, 20), "meeting")  # the autumn semester's meeting
    response = client_for("sec_college").get(reverse("home"))
    standing = response.context["due"][0]["standing"]
    assert standing.period.label == "2021–2022学年第2学期"
    assert (standing.news.done, standing.news.required) == (1, 2)
    assert (standing.meetings.done, standing.meetings.required) == (0, 1)
    body = response.content.decode()
    assert "附照片的信息报道（2021–2022学年第2学期）" in body
    assert "1 / 2" in body and "0 / 1" in body


def test_the_new_semester_starts_on_1_september_in_shanghai(client_for, tree, make_news, time_machine):
    make_news(tree.college, dt.date(2022, 6, 1))
    make_news(tree.college, dt.date(2022, 8, 31))
    time_machine.move_to(dt.datetime(2022, 8, 31, 23, 30, tzinfo=SHANGHAI))
    standing = client_for("sec_college").get(reverse("home")).context["due"][0]["standing"]
    assert (standing.period.label, standing.news.done) == ("2021–2022学年第2学期", 2)
    time_machine.move_to(dt.datetime(2022, 9, 1, 0, 30, tzinfo=SHANGHAI))  # still 31 August in UTC
    standing = client_for("sec_college").get(reverse("home")).context["due"][0]["standing"]
    assert (standing.period.label, standing.news.done) == ("2022–2023学年第1学期", 0)


def test_published_semester_targets_set_the_numbers(client_for, tree, time_machine):
    time_machine.move_to(dt.datetime(2022, 10, 8, 9, tzinfo=SHANGHAI))
    plan = Plan.objects.create(committee=tree.college, year=2021, title="五好实施方案", status=PlanStatus.PUBLISHED)
    add_target(
        plan,
        "每学期至少三篇附照片的报道",
        metric="news_with_photos",
        params={},
        value=3,
        period_kind=PeriodKind.SEMESTER,
    )
    add_target(
        plan, "每学期两次全委会", params={"kinds": ["meeting"]}, value=2, period_kind=PeriodKind.SEMESTER, subtree=False
    )
    draft = Plan.objects.create(committee=tree.college, year=2022, title="草稿", status=PlanStatus.DRAFT)
    add_target(draft, "草稿：五篇", metric="news_with_photos", params={}, value=5, period_kind=PeriodKind.SEMESTER)
    response = client_for("sec_college").get(reverse("home"))
    standing = response.context["due"][0]["standing"]
    assert (standing.news.required, standing.news.from_plan) == (Decimal(3), True)
    assert (standing.meetings.required, standing.meetings.from_plan) == (Decimal(2), True)
    assert "0 / 3" in response.content.decode()  # not "0 / 3.0000"


def test_milestones_due_in_the_next_30_days_are_listed(client_for, tree, time_machine):
    time_machine.move_to(dt.datetime(2022, 6, 1, 9, tzinfo=SHANGHAI))
    programme = Programme.objects.create(committee=tree.university, title="优质化建设规划")
    Milestone.objects.create(programme=programme, title="中期自查报告", due_on=dt.date(2022, 7, 1))
    Milestone.objects.create(programme=programme, title="终期验收", due_on=dt.date(2022, 7, 2))
    body = client_for("sec_college").get(reverse("home")).content.decode()
    assert "中期自查报告" in body and "截止 2022-07-01" in body
    assert "终期验收" not in body


def test_evaluations_to_self_assess_show_their_deadline(client_for, tree, personas, time_machine):
    from assessments import services as assess

    time_machine.move_to(dt.datetime(2022, 11, 1, 9, tzinfo=SHANGHAI))
    rubric = assess.rubric_create(owner=tree.university, name="五好考核", score_step="0.5", by=personas["admin"])
    dim = assess.dimension_save(rubric=rubric, title="领导班子建设好", by=personas["admin"])
    assess.criterion_save(
        dimension=dim, code="1", title="党政重视", kind="manual", max_points=Decimal(100), by=personas["admin"]
    )
    assess.round_create(
        committee=tree.university,
        rubric=rubric,
        committees=[tree.college, tree.sibling],
        name="2022年度考核",
        year=2022,
        self_deadline=dt.date(2022, 12, 20),
        review_deadline=dt.date(2023, 1, 10),
        by=personas["admin"],
    )
    body = client_for("sec_college").get(reverse("home")).content.decode()
    assert "待完成的自评" in body and "2022年度考核 · 针灸康复学院" in body and "截止 2022-12-20" in body
    assert "基础医学院" not in body.split("待完成的自评")[1].split("</section>")[0]


def test_recent_activities_are_the_last_five_logged_in_scope(client_for, tree, make_activity, time_machine):
    time_machine.move_to(dt.datetime(2022, 6, 1, 9, tzinfo=SHANGHAI))
    for day in range(1, 8):
        make_activity(tree.college, dt.date(2022, 5, day), title=f"第{day}次宣讲")
    make_activity(tree.sibling, dt.date(2022, 5, 9), title="兄弟学院的活动")
    recent = client_for("sec_college").get(reverse("home")).context["recent"]
    assert [a.title for a in recent] == ["第7次宣讲", "第6次宣讲", "第5次宣讲", "第4次宣讲", "第3次宣讲"]


@pytest.mark.parametrize("n", [2, 12])
def test_home_query_count_does_not_grow_with_records(
    client_for, tree, make_activity, make_news, n, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(dt.datetime(2022, 6, 1, 9, tzinfo=SHANGHAI))
    for i in range(n):
        make_activity(tree.college, dt.date(2022, 5, 1 + i), "meeting")
        make_news(tree.college, dt.date(2022, 5, 1 + i))
    client = client_for("sec_college")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("home"))
    assert response.context["due"][0]["standing"].meetings.done == n
