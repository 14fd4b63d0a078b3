"""API fixtures: clients per persona, and a little of everything in the two colleges."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from activities import services as activity_services
from activities.models import ActivityKind
from assessments import services as assessment_services
from assessments.models import Evaluation
from orgs.models import WulaoCategory
from orgs.services import person_create
from plans.extraction import extract_text
from plans.services import plan_import, plan_publish

PERSONAS = [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]
SEED_PLAN = Path(__file__).resolve().parents[2] / "demo" / "documents" / "001_bc1637571a05c243.txt"


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@pytest.fixture
def api_for(personas):
    """api_for("sec_college") -> an APIClient acting as that persona; api_for(None) -> anonymous."""

    def make(name: str | None) -> APIClient:
        client = APIClient()
        if name is not None:
            client.force_authenticate(personas[name])
        return client

    return make


@pytest.fixture
def statuses(api_for):
    """The status code each persona gets, in PERSONAS order."""

    def run(method: str, url: str, data: dict | None = None) -> list[int]:
        codes = []
        for name in PERSONAS:
            client = api_for(name)
            call = getattr(client, method)
            response = call(url, data, format="json") if method in ("post", "put", "patch") else call(url)
            codes.append(response.status_code)
        return codes

    return run


@pytest.fixture
def kinds(db) -> SimpleNamespace:
    migration = importlib.import_module("activities.migrations.0002_activity_kinds")
    migration.create_kinds(django_apps, None)
    return SimpleNamespace(**{k.code: k for k in ActivityKind.objects.all()})


@pytest.fixture
def people(tree) -> SimpleNamespace:
    return SimpleNamespace(
        zhang=person_create(committee=tree.college, name="张老师", wulao_category=WulaoCategory.TEACHER),
        li=person_create(committee=tree.college, name="李主任", wulao_category=WulaoCategory.CADRE),
        station=person_create(committee=tree.college_station, name="周站长"),
        foreign=person_create(committee=tree.sibling, name="孙老师", wulao_category=WulaoCategory.TEACHER),
    )


@pytest.fixture
def college_activity(tree, kinds, people, personas):
    return activity_services.activity_create(
        committee=tree.college,
        kind=kinds.lecture,
        title="红色故事进课堂",
        place="针灸楼325",
        held_on=dt.date(2022, 3, 1),
        youth_reached=80,
        participants=[people.zhang],
        photos=[png_upload()],
        by=personas["sec_college"],
    )


@pytest.fixture
def sibling_activity(tree, kinds, people, personas):
    return activity_services.activity_create(
        committee=tree.sibling,
        kind=kinds.report,
        title="基础医学院报告会",
        held_on=dt.date(2022, 4, 1),
        participants=[people.foreign],
        by=personas["sec_sibling"],
    )


@pytest.fixture
def uni_plan(tree, kinds):
    """The seed 2022 plan, imported for the university and published to the colleges."""
    plan = plan_import(committee=tree.university, year=2022, extracted=extract_text(SEED_PLAN.read_text("utf-8")))
    return plan_publish(plan=plan)


@pytest.fixture
def evaluations(tree, personas) -> SimpleNamespace:
    """A two-criterion round over both colleges; the reviewer is assigned the college's evaluation only."""
    admin = personas["admin"]
    rubric = assessment_services.rubric_create(owner=tree.university, name="五好关工委考核", score_step="0.5", by=admin)
    dimension = assessment_services.dimension_save(rubric=rubric, title="领导班子建设好", by=admin)
    lead = assessment_services.criterion_save(
        dimension=dimension, code="1.1", title="党政重视", kind="manual", max_points=D("60"), is_key=True, by=admin
    )
    wulao = assessment_services.criterion_save(
        dimension=dimension, code="1.2", title="五老参与", kind="manual", max_points=D("40"), by=admin
    )
    assessment_services.band_save(rubric=rubric, label="优秀", min_total=D("85"), tone="ok", by=admin)
    round_ = assessment_services.round_create(
        committee=tree.university,
        rubric=rubric,
        committees=[tree.college, tree.sibling],
        name="2022年度五好关工分委考核",
        year=2022,
        self_deadline=dt.date(2022, 12, 20),
        review_deadline=dt.date(2023, 1, 10),
        by=admin,
    )
    college = Evaluation.objects.get(round=round_, committee=tree.college)
    sibling = Evaluation.objects.get(round=round_, committee=tree.sibling)
    assessment_services.evaluation_self_score(
        evaluation=college,
        entries={
            lead.pk: assessment_services.Entry(D("55"), comment="党委专题研究"),
            wulao.pk: assessment_services.Entry(D("38")),
        },
        by=personas["sec_college"],
    )
    assessment_services.assignment_add(evaluation=college, user=personas["reviewer"], by=admin)
    return SimpleNamespace(round=round_, college=college, sibling=sibling, lead=lead, wulao=wulao)
