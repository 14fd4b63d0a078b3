"""Fixtures for dashboards: activity kinds, records built straight on the models, a plan with targets."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache

from activities.models import Activity, ActivityKind, NewsPhoto, NewsReport
from orgs.models import Committee, CommitteeKind, Person
from orgs.services import committee_create
from plans.models import OwnerKind, PeriodKind, Plan, PlanSection, PlanStatus, Target, TargetScope, WorkPoint


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The debounce key lives in the cache; each test starts without it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kinds(db) -> SimpleNamespace:
    """The kinds the data migration creates (made again after a live-server flush)."""
    migration = importlib.import_module("activities.migrations.0002_activity_kinds")
    migration.create_kinds(django_apps, None)
    return SimpleNamespace(**{k.code: k for k in ActivityKind.objects.all()})


@pytest.fixture
def make_activity(kinds):
    def make(committee: Committee, held_on: date, kind: str = "lecture", *, people=(), **fields) -> Activity:
        activity = Activity.objects.create(
            committee=committee,
            kind=getattr(kinds, kind),
            held_on=held_on,
            title=fields.pop("title", f"{kind} {held_on}"),
            **fields,
        )
        if people:
            activity.participants.set(people)
        return activity

    return make


@pytest.fixture
def make_news(db):
    def make(committee: Committee, published_on: date, *, photos: int = 1) -> NewsReport:
        report = NewsReport.objects.create(
            committee=committee, title="简讯", published_on=published_on, outlet="学校关工网站"
        )
        for i in range(photos):
            NewsPhoto.objects.create(report=report, image=f"activities/news/{report.pk}-{i}.jpg")
        return report

    return make


@pytest.fixture
def wulao(tree) -> list[Person]:
    return [
        Person.objects.create(committee=tree.college, name=name, wulao_category="teacher")
        for name in ("张老师", "李主任")
    ]


def add_target(plan: Plan, text: str, *, metric="activity_count", params=None, value=10, **extra) -> Target:
    section = plan.sections.first() or PlanSection.objects.create(plan=plan, position=1, number="一", title="重点工作")
    point = WorkPoint.objects.create(
        section=section,
        position=section.points.count() + 1,
        text=text,
        owner_kind=extra.pop("owner_kind", OwnerKind.EACH_SUBCOMMITTEE),
    )
    return Target.objects.create(
        work_point=point,
        text=text,
        metric=metric,
        params=params if params is not None else {"kinds": ["lecture"]},
        value=Decimal(value),
        unit=extra.pop("unit", "场"),
        **extra,
    )


@pytest.fixture
def uni_plan(tree) -> Plan:
    """The university's published 2022 plan: 10 lectures in all, 2 reports for each college."""
    plan = Plan.objects.create(
        committee=tree.university, year=2022, title="2022年工作要点", status=PlanStatus.PUBLISHED
    )
    add_target(plan, "全年宣讲不少于10场", value=10)
    add_target(
        plan, "每个学院报告会不少于2场", params={"kinds": ["report"]}, value=2, scope=TargetScope.EACH_SUBCOMMITTEE
    )
    return plan


def add_colleges(university: Committee, n: int, start: int = 0) -> list[Committee]:
    return [
        committee_create(
            parent=university, name=f"第{i}学院关工分委", code=f"UNI-C{i:02d}", kind=CommitteeKind.COLLEGE, students=100
        )
        for i in range(start, start + n)
    ]


SEMESTER = PeriodKind.SEMESTER
