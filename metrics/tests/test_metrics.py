from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from metrics.catalogue import METRICS
from metrics.engine import evaluate, evaluate_many, records
from metrics.periods import Period
from metrics.results import MetricResult
from orgs.models import Committee, MemberRole

LECTURES = {"kinds": ["lecture"]}


@pytest.fixture
def activity_log(tree, make_activity, make_person):
    """Lectures over the subtree in and around 2022, plus a deleted one and other kinds."""
    wang = make_person(tree.college, "王老师")
    li = make_person(tree.college, "李老师")
    staff = make_person(tree.college, "张干事", wulao="")
    ghost = make_person(tree.college, "只在已删除活动里", wulao="cadre")
    make_activity(tree.college, "lecture", date(2022, 1, 1), youth_reached=100, people=[wang, li, staff])
    make_activity(tree.college, "lecture", date(2022, 12, 31), youth_reached=50, people=[wang])
    make_activity(tree.college, "lecture", date(2022, 4, 1), youth_reached=999, deleted=True, people=[ghost])
    make_activity(tree.college, "essay", date(2022, 5, 1), youth_reached=7)
    make_activity(tree.college_station, "lecture", date(2022, 6, 1), youth_reached=30)
    make_activity(tree.sibling, "lecture", date(2023, 1, 1), youth_reached=40)
    make_activity(tree.sibling, "lecture", date(2021, 12, 31), youth_reached=40)
    make_activity(tree.university, "meeting", date(2022, 3, 3))
    return {"wang": wang, "li": li, "staff": staff, "ghost": ghost}


def test_activity_count_covers_the_subtree_and_only_the_given_kinds(tree, activity_log):
    p = Period.year(2022)
    assert evaluate("activity_count", committee=tree.university, period=p, params=LECTURES).value == 3
    assert evaluate("activity_count", committee=tree.college, period=p, params=LECTURES).value == 3
    assert evaluate("activity_count", committee=tree.college, period=p, params=LECTURES, subtree=False).value == 2
    assert evaluate("activity_count", committee=tree.sibling, period=p, params=LECTURES).value == 0
    assert evaluate("activity_count", committee=tree.university, period=p).value == 5  # every kind


def test_deleted_activities_never_count(tree, activity_log):
    p = Period.year(2022)
    assert evaluate("youth_reached", committee=tree.college, period=p, params=LECTURES).value == 180
    counted = records("activity_count", committee=tree.college, period=p, params=LECTURES)
    assert sorted(a.youth_reached for a in counted) == [30, 50, 100]


def test_evaluate_many_is_one_query_whatever_the_number_of_committees(tree, activity_log, django_assert_num_queries):
    p = Period.year(2022)
    committees = [tree.province, tree.university, tree.college, tree.college_station, tree.sibling, tree.other_root]
    with django_assert_num_queries(1):
        results = evaluate_many("activity_count", committees=committees, period=p, params=LECTURES)
    assert [results[c.pk].value for c in committees] == [3, 3, 3, 1, 0, 0]
    with django_assert_num_queries(1):
        evaluate_many("wulao_participants", committees=committees, period=p)
    with django_assert_num_queries(1):
        evaluate_many("party_organiser_ratio", committees=committees, period=p)


def test_distinct_wulao_are_counted_once_and_staff_not_at_all(tree, activity_log):
    result = evaluate("wulao_participants", committee=tree.university, period=Period.year(2022))
    assert result == MetricResult(Decimal(2))
    people = records("wulao_participants", committee=tree.university, period=Period.year(2022))
    assert {p.name for p in people} == {"王老师", "李老师"}


def test_registered_wulao_per_retiree_is_an_exact_ratio(tree, make_person):
    for i in range(3):
        make_person(tree.college, f"登记{i}")
    make_person(tree.college, "未登记", registered=False)
    result = evaluate("wulao_registered_ratio", committee=tree.college, period=Period.year(2022))
    assert result == MetricResult(Decimal("0.05"), Decimal(3), Decimal(60))  # 3 of 60 retirees


def test_party_organisers_per_student_uses_the_committees_own_headcount(tree, make_person):
    make_person(tree.college, "组织员甲", role=MemberRole.PARTY_ORGANISER)
    make_person(tree.college, "组织员乙", role=MemberRole.PARTY_ORGANISER)
    make_person(tree.sibling, "组织员丙", role=MemberRole.PARTY_ORGANISER)
    p = Period.year(2022)
    college = evaluate("party_organiser_ratio", committee=tree.college, period=p)
    assert (college.numerator, college.denominator) == (2, 1800)
    assert college.value == Decimal(2) / Decimal(1800)
    university = evaluate("party_organiser_ratio", committee=tree.university, period=p)
    assert (university.numerator, university.denominator) == (3, 20000)
    assert university.value == Decimal("0.00015")


def test_a_committee_without_its_own_headcount_adds_up_its_sub_committees(tree, make_activity):
    make_activity(tree.college, "article", date(2022, 10, 1))
    province = evaluate("student_articles_ratio", committee=tree.province, period=Period.year(2022))
    # the province has no student figure of its own: the university's 20000 already covers its colleges
    assert province.denominator == 20000
    assert province.numerator == 1
    Committee.objects.filter(pk=tree.university.pk).update(students=0)
    province = evaluate("student_articles_ratio", committee=tree.province, period=Period.year(2022))
    assert province.denominator == 1800 + 1500  # no university figure: its colleges add up


def test_student_articles_per_student(tree, make_activity):
    for day in range(1, 10):
        make_activity(tree.college, "article", date(2022, 3, day))
    result = evaluate("student_articles_ratio", committee=tree.college, period=Period.year(2022))
    assert result == MetricResult(Decimal("0.005"), Decimal(9), Decimal(1800))


def test_news_reports_count_only_with_photos_per_semester(tree, make_news):
    make_news(tree.college, date(2022, 9, 1))
    make_news(tree.college, date(2023, 1, 31))
    make_news(tree.college, date(2023, 2, 1))  # next semester
    make_news(tree.college, date(2022, 10, 1), photos=0)
    autumn = Period.semester(2022, 1)
    assert evaluate("news_with_photos", committee=tree.college, period=autumn).value == 2
    assert evaluate("news_with_photos", committee=tree.college, period=Period.semester(2022, 2)).value == 1


def test_donation_participation_counts_each_donor_once(tree, make_person, make_donation):
    wang = make_person(tree.college, "王老师")
    li = make_person(tree.college, "李老师")
    make_donation(tree.college, date(2022, 3, 1), wang)
    make_donation(tree.college, date(2022, 4, 1), wang)
    make_donation(tree.college, date(2022, 4, 1), li)
    make_donation(tree.college, date(2022, 4, 1))  # a unit, not a retiree
    result = evaluate("donation_participation", committee=tree.college, period=Period.year(2022))
    assert (result.numerator, result.denominator) == (2, 60)
    assert evaluate("donation_amount", committee=tree.college, period=Period.year(2022)).value == Decimal("40.00")


def test_share_of_sub_committees_meeting_a_condition(tree, activity_log, django_assert_max_num_queries):
    params = {"metric": "activity_count", "params": LECTURES, "comparator": ">=", "value": 1}
    with django_assert_max_num_queries(2):
        result = evaluate("subcommittee_share", committee=tree.university, period=Period.year(2022), params=params)
    assert result == MetricResult(Decimal("0.5"), Decimal(1), Decimal(2))  # the college yes, the sibling no
    met = records("subcommittee_share", committee=tree.university, period=Period.year(2022), params=params)
    assert list(met) == [tree.college]


def test_share_params_are_checked():
    with pytest.raises(ValidationError):
        METRICS["subcommittee_share"].check_params({"metric": "nonsense", "value": 1})
    with pytest.raises(ValidationError):
        METRICS["activity_count"].check_params({"kinds": "lecture"})
    METRICS["activity_count"].check_params({"kinds": ["lecture"]})


def test_year_and_semester_boundaries():
    assert (Period.year(2022).start, Period.year(2022).end) == (date(2022, 1, 1), date(2022, 12, 31))
    autumn, spring = Period.semester(2022, 1), Period.semester(2022, 2)
    assert (autumn.start, autumn.end) == (date(2022, 9, 1), date(2023, 1, 31))
    assert (spring.start, spring.end) == (date(2023, 2, 1), date(2023, 8, 31))
    assert Period.semester_of(date(2023, 1, 31)) == autumn
    assert Period.semester_of(date(2023, 2, 1)) == spring
    assert Period.semester_of(date(2022, 8, 31)) == Period.semester(2021, 2)
    assert Period.month(2024, 2).end == date(2024, 2, 29)
    assert spring.previous() == autumn


def test_period_of_a_moment_is_taken_in_shanghai_time():
    new_year_in_shanghai = datetime(2022, 12, 31, 16, 30, tzinfo=UTC)  # 00:30 on 1 January 2023 in Shanghai
    assert Period.year_of(new_year_in_shanghai) == Period.year(2023)
    assert not Period.year(2022).contains(new_year_in_shanghai)
    assert Period.semester_of(datetime(2023, 1, 31, 16, 0, tzinfo=UTC)) == Period.semester(2022, 2)


def test_activity_on_the_last_day_of_the_year_counts_in_that_year_only(tree, make_activity):
    make_activity(tree.college, "lecture", date(2022, 12, 31))
    assert evaluate("activity_count", committee=tree.college, period=Period.year(2022)).value == 1
    assert evaluate("activity_count", committee=tree.college, period=Period.year(2023)).value == 0


def test_every_planned_metric_is_registered_with_a_label():
    planned = {
        "activity_count",
        "youth_reached",
        "wulao_participants",
        "wulao_registered_ratio",
        "party_organiser_ratio",
        "student_articles_ratio",
        "news_with_photos",
        "donation_participation",
        "students_talked",
        "subcommittee_share",
    }
    assert planned <= set(METRICS)
    assert all(str(METRICS[code].label) for code in planned)
