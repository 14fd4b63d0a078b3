"""Fixtures for the activities tests: registries of people, kinds, pictures and sheets."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from activities import services
from activities.models import ActivityKind
from orgs.models import WulaoCategory
from orgs.services import person_create


def png_bytes(size=(800, 600), color=(200, 40, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


def png_upload(name="photo.png", size=(800, 600)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(size), content_type="image/png")


def xlsx_upload(rows, name="activities.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


@pytest.fixture
def kinds(db) -> SimpleNamespace:
    """The kinds the data migration creates, by code (made again after a live-server flush)."""
    migration = importlib.import_module("activities.migrations.0002_activity_kinds")
    migration.create_kinds(django_apps, None)
    return SimpleNamespace(**{k.code: k for k in ActivityKind.objects.all()})


@pytest.fixture
def people(tree) -> SimpleNamespace:
    """Three 五老 and a member in the college; one 五老 in the sibling college."""
    return SimpleNamespace(
        zhang=person_create(committee=tree.college, name="张老师", wulao_category=WulaoCategory.TEACHER),
        li=person_create(committee=tree.college, name="李主任", wulao_category=WulaoCategory.CADRE),
        zhao=person_create(committee=tree.college, name="赵教授", wulao_category=WulaoCategory.EXPERT),
        member=person_create(committee=tree.college, name="钱秘书"),
        foreign=person_create(committee=tree.sibling, name="孙老师", wulao_category=WulaoCategory.TEACHER),
    )


@pytest.fixture
def make_activity(tree, kinds, personas):
    def make(committee=None, kind=None, title="党史宣讲", photos=(), **fields):
        return services.activity_create(
            committee=committee or tree.college,
            kind=kind or kinds.lecture,
            title=title,
            photos=photos,
            by=personas["sec_college"],
            **fields,
        )

    return make


@pytest.fixture
def college_activity(make_activity, people):
    return make_activity(
        title="红色故事进课堂", place="针灸楼325", youth_reached=80, participants=[people.zhang], photos=[png_upload()]
    )


@pytest.fixture
def sibling_activity(tree, kinds, personas):
    return services.activity_create(
        committee=tree.sibling, kind=kinds.report, title="基础医学院报告会", by=personas["sec_sibling"]
    )


@pytest.fixture
def donation(tree, people, personas):
    return services.donation_save(
        committee=tree.college,
        donor_kind="person",
        donor_name="张老师",
        donor_person=people.zhang,
        amount=Decimal("120.00"),
        donated_on=dt.date(2022, 12, 1),
        purpose="助学基金",
        by=personas["sec_college"],
    )


@pytest.fixture
def report(tree, personas):
    return services.news_save(
        committee=tree.college,
        title="关工分委召开全委会",
        published_on=dt.date(2022, 4, 1),
        outlet="学校关工网站",
        outlet_level="school",
        photos=[png_upload()],
        by=personas["sec_college"],
    )
