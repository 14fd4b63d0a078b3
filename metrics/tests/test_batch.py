"""Many measurements at once: `evaluate_batch` and `records_batch` give what one call at a time gives."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps as django_apps

from metrics.engine import MetricRequest, evaluate_batch, evaluate_many, records, records_batch
from metrics.periods import Period

YEAR = Period.year(2022)


@pytest.fixture
def log(tree, make_activity, make_person, make_news, make_donation):
    # The kinds, even after a transactional test flushed what the data migration made.
    importlib.import_module("activities.migrations.0002_activity_kinds").create_kinds(django_apps, None)
    wang = make_person(tree.college, "王老师")
    li = make_person(tree.college_station, "李老师")
    make_activity(tree.college, "lecture", date(2022, 3, 1), youth_reached=40, people=[wang])
    make_activity(tree.college_station, "lecture", date(2022, 4, 1), youth_reached=10, people=[li])
    make_activity(tree.college, "meeting", date(2022, 5, 1))
    make_activity(tree.sibling, "lecture", date(2022, 6, 1), youth_reached=5)
    make_activity(tree.college, "lecture", date(2022, 7, 1), deleted=True)
    make_news(tree.college, date(2022, 3, 2))
    make_news(tree.sibling, date(2022, 3, 3), photos=0)
    make_donation(tree.college, date(2022, 3, 4), person=wang, amount="120.50")
    return {"wang": wang, "li": li}


def _requests(tree) -> list[MetricRequest]:
    everyone = [tree.university, tree.college, tree.college_station, tree.sibling]
    return [
        MetricRequest("activity_count", everyone, YEAR, {"kinds": ["lecture"]}),
        MetricRequest("activity_count", [tree.college], YEAR, {"kinds": ["lecture"]}, subtree=False),
        MetricRequest("youth_reached", [tree.college, tree.sibling], YEAR),
        MetricRequest("wulao_participants", [tree.university], YEAR),
        MetricRequest("wulao_registered_ratio", everyone, YEAR),
        MetricRequest("news_with_photos", [tree.university, tree.sibling], YEAR),
        MetricRequest("donation_amount", [tree.college_station, tree.college], YEAR),
        MetricRequest("activity_count", [], YEAR),
    ]


def test_a_batch_gives_what_each_call_gives_in_one_query(tree, log, django_assert_num_queries):
    requests = _requests(tree)
    one_by_one = [
        evaluate_many(r.code, committees=r.committees, period=r.period, params=r.params, subtree=r.subtree)
        for r in requests
    ]
    with django_assert_num_queries(1):
        batch = evaluate_batch(requests)
    assert batch == one_by_one
    assert batch[0][tree.university.pk].value == 3  # the deleted lecture does not count
    assert batch[1][tree.college.pk].value == 1  # the college alone
    assert batch[6][tree.college.pk].value == Decimal("120.50")
    assert batch[-1] == {}


def test_a_share_of_sub_committees_in_a_batch_runs_its_own_queries(tree, log, django_assert_num_queries):
    share = MetricRequest(
        "subcommittee_share",
        [tree.university],
        YEAR,
        {"metric": "activity_count", "params": {"kinds": ["lecture"]}, "value": "1"},
    )
    requests = [*_requests(tree), share]
    with django_assert_num_queries(3):  # the batch, the sub-committees, their counts
        batch = evaluate_batch(requests)
    assert batch[-1][tree.university.pk].value == 1  # both colleges held a lecture


def test_records_in_a_batch_are_what_each_call_lists_a_query_per_kind_of_row(tree, log, django_assert_num_queries):
    asked = [
        ("activity_count", tree.university, {"kinds": ["lecture"]}, True),
        ("activity_count", tree.college, {}, False),
        ("youth_reached", tree.college, {}, True),
        ("wulao_participants", tree.university, {}, True),
        ("wulao_participants", tree.sibling, {}, True),
        ("news_with_photos", tree.university, {}, True),
        ("donation_amount", tree.college, {}, True),
    ]
    requests = [MetricRequest(code, [c], YEAR, params, subtree) for code, c, params, subtree in asked]
    one_by_one = [
        list(records(code, committee=c, period=YEAR, params=params, subtree=subtree)[:2])
        for code, c, params, subtree in asked
    ]
    with django_assert_num_queries(4):  # activities, people, news, donations
        batch = records_batch(requests, limit=2)
    assert batch == one_by_one
    assert [a.held_on for a in batch[0]] == [date(2022, 6, 1), date(2022, 4, 1)]  # newest first, the first two
    assert [p.name for p in batch[3]] == ["李老师", "王老师"]
    assert batch[4] == []
    with django_assert_num_queries(0):  # committees and kinds come with the rows
        assert [(a.committee.code, a.kind.code) for a in batch[0]] == [("UNI-JC", "lecture"), ("UNI-ZJ-ST", "lecture")]


def test_the_roll_up_gives_what_the_engine_gives(tree, log, make_activity):
    from metrics.rollup import evaluate_rollup, rolls_up

    make_activity(tree.college_station, "report", date(2022, 8, 31), youth_reached=7, students_talked=3)
    make_activity(tree.college_station, "report", date(2022, 9, 1), youth_reached=2)  # the next semester
    make_activity(tree.province, "lecture", date(2021, 12, 31), youth_reached=99)  # last year: never counted
    everyone = [tree.province, tree.university, tree.college, tree.college_station, tree.sibling, tree.other_root]
    few = [tree.college_station, tree.sibling]
    requests = [
        MetricRequest("activity_count", everyone, YEAR),
        MetricRequest("activity_count", everyone, YEAR, {"kinds": ["lecture"]}),
        MetricRequest("activity_count", few, Period.month(2022, 8)),
        MetricRequest("youth_reached", everyone, Period.semester(2021, 2)),  # spring 2022
        MetricRequest("youth_reached", few, Period.semester(2022, 1)),  # autumn 2022
        MetricRequest("students_talked", everyone, YEAR, {"kinds": ["report"]}),
    ]
    assert all(rolls_up(r.code, r.period, r.params, r.subtree) for r in requests)
    rolled = dict(evaluate_rollup(requests))
    for i, r in enumerate(requests):
        engine = evaluate_many(r.code, committees=r.committees, period=r.period, params=r.params)
        assert {pk: rolled[pk][i] for pk in engine} == engine, r
    assert rolled[tree.university.pk][0].value == 6  # 3 lectures, a meeting, 2 reports; not the deleted one
    assert rolled[tree.sibling.pk][2] is not None and rolled[tree.university.pk][2] is None  # only what was asked
    assert set(rolled) == {c.pk for c in everyone}


def test_the_roll_up_refuses_what_it_cannot_add_up(tree):
    from metrics.rollup import evaluate_rollup, rolls_up

    assert not rolls_up("wulao_participants", YEAR, {}, True)  # the same person in two committees counts once
    assert not rolls_up("activity_count", YEAR, {}, False)
    assert not rolls_up("activity_count", Period.custom(date(2022, 3, 5), date(2022, 4, 30)), {}, True)
    with pytest.raises(ValueError):
        list(evaluate_rollup([MetricRequest("wulao_participants", [tree.college], YEAR)]))
