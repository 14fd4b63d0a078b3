"""Helpers for plans tests: the seed documents, a secretary, a plan and a programme.

Activities, people, news and donations built straight on the models are the metrics tests' fixtures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from activities.tests.conftest import kinds  # noqa: F401 (the activity kinds, for target forms)
from metrics.tests.conftest import make_activity, make_donation, make_news, make_person  # noqa: F401

DOCUMENTS = Path(__file__).resolve().parents[2] / "demo" / "documents"
SEED_PLAN_2022 = "001_bc1637571a05c243.txt"
SEED_PROGRAMME = "002_3dd27eabe960211c.txt"


def seed_text(name: str) -> str:
    return (DOCUMENTS / name).read_text(encoding="utf-8")


@pytest.fixture
def sec_uni(tree, personas):
    """The university office secretary (edits the university's plans)."""
    from django.contrib.auth import get_user_model

    from orgs.models import GrantRole
    from orgs.services import grant_access

    user = get_user_model().objects.create_user(username="sec_uni", password="x-test-password")
    grant_access(user=user, committee=tree.university, role=GrantRole.SECRETARY)
    return user


@pytest.fixture
def uni_plan(tree):
    """Seed plan 001 imported as a draft for the university, 2022."""
    from plans.extraction import extract_text
    from plans.services import plan_import

    return plan_import(committee=tree.university, year=2022, extracted=extract_text(seed_text(SEED_PLAN_2022)))


@pytest.fixture
def college_programme(tree):
    """Seed 002 (the 五好 programme) imported for the college, 2017."""
    from plans.extraction import extract_text
    from plans.services import plan_import

    plan = plan_import(committee=tree.college, year=2017, extracted=extract_text(seed_text(SEED_PROGRAMME)))
    return plan.programmes.get()
