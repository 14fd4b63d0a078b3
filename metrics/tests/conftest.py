"""Helpers for metrics tests: activities, people, news and donations built straight on the models."""

from __future__ import annotations

from datetime import date

import pytest

from activities.models import Activity, ActivityKind, Donation, NewsPhoto, NewsReport
from orgs.models import Committee, Membership, Person


@pytest.fixture
def make_activity(db):
    def make(committee: Committee, kind: str, held_on: date, *, deleted: bool = False, people=(), **fields):
        activity = Activity.objects.create(
            committee=committee,
            kind=ActivityKind.objects.get(code=kind),
            held_on=held_on,
            title=fields.pop("title", f"{kind} {held_on}"),
            **fields,
        )
        if people:
            activity.participants.set(people)
        if deleted:
            Activity.all_objects.filter(pk=activity.pk).update(deleted_at="2022-06-30T00:00:00Z")
        return activity

    return make


@pytest.fixture
def make_person(db):
    def make(committee: Committee, name: str, *, wulao: str = "teacher", registered: bool = True, role: str = ""):
        person = Person.objects.create(
            committee=committee, name=name, wulao_category=wulao, real_name_registered=registered, is_retired=True
        )
        if role:
            Membership.objects.create(person=person, committee=committee, role=role)
        return person

    return make


@pytest.fixture
def make_news(db):
    def make(committee: Committee, published_on: date, *, photos: int = 1, title: str = "简讯"):
        report = NewsReport.objects.create(
            committee=committee, title=title, published_on=published_on, outlet="学校关工网站"
        )
        for i in range(photos):
            NewsPhoto.objects.create(report=report, image=f"activities/news/{report.pk}-{i}.jpg")
        return report

    return make


@pytest.fixture
def make_donation(db):
    def make(committee: Committee, donated_on: date, person=None, amount="10.00"):
        return Donation.objects.create(
            committee=committee,
            donor_name=person.name if person else "某单位",
            donor_person=person,
            amount=amount,
            donated_on=donated_on,
        )

    return make
