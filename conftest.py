"""Shared personas and a small committee tree for every app's tests.

The tree:
    province (江苏省教育系统关工委)
    └── university (示范大学关工委)
        ├── college (针灸康复临床医学院关工分委)   ← sec_college works here
        │   └── college_station (校外辅导站)
        └── sibling (基础医学院关工分委)           ← sec_sibling, the outsider
    other_root (清江浦区关工委), outside everyone's grants but the admin's
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from orgs.models import Committee, CommitteeKind, GrantRole
from orgs.services import committee_create, grant_access

PASSWORD = "guanwei-test-password"

# Browser fixtures (one Chromium for the whole run): browser, phone_page, desktop_page.
pytest_plugins = ["guanwei.tests.browser.support"]


@dataclass
class Tree:
    province: Committee
    university: Committee
    college: Committee
    college_station: Committee
    sibling: Committee
    other_root: Committee


@pytest.fixture
def tree(db) -> Tree:
    return make_tree()


def make_tree() -> Tree:
    """The tree itself, for fixtures of a wider scope than one test (e.g. the URL matrix)."""
    province = committee_create(parent=None, name="江苏省教育系统关工委", code="JS", kind=CommitteeKind.PROVINCE)
    university = committee_create(
        parent=province, name="示范大学关工委", code="UNI", kind=CommitteeKind.UNIVERSITY, students=20000, retirees=900
    )
    college = committee_create(
        parent=university,
        name="针灸康复临床医学院关工分委",
        short_name="针灸康复学院",
        code="UNI-ZJ",
        kind=CommitteeKind.COLLEGE,
        students=1800,
        retirees=60,
    )
    college_station = committee_create(
        parent=college, name="针灸学院校外辅导站", code="UNI-ZJ-ST", kind=CommitteeKind.STATION
    )
    sibling = committee_create(
        parent=university, name="基础医学院关工分委", code="UNI-JC", kind=CommitteeKind.COLLEGE, students=1500
    )
    other_root = committee_create(parent=None, name="清江浦区关工委", code="QJP", kind=CommitteeKind.DISTRICT)
    return Tree(
        province=Committee.objects.get(pk=province.pk),
        university=Committee.objects.get(pk=university.pk),
        college=Committee.objects.get(pk=college.pk),
        college_station=Committee.objects.get(pk=college_station.pk),
        sibling=Committee.objects.get(pk=sibling.pk),
        other_root=Committee.objects.get(pk=other_root.pk),
    )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language; a request in English must not leak."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _user(username: str, **extra):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)


@pytest.fixture
def personas(tree: Tree) -> dict:
    """admin, sec_college, sec_sibling (outsider), leader, reviewer."""
    return make_personas(tree)


def make_personas(tree: Tree) -> dict:
    admin = _user("admin", is_superuser=True, is_staff=True)
    sec_college = _user("sec_college", first_name="王老师")
    sec_sibling = _user("sec_sibling")
    leader = _user("leader")
    reviewer = _user("reviewer")
    grant_access(user=sec_college, committee=tree.college, role=GrantRole.SECRETARY)
    grant_access(user=sec_sibling, committee=tree.sibling, role=GrantRole.SECRETARY)
    grant_access(user=leader, committee=tree.university, role=GrantRole.LEADER)
    grant_access(user=reviewer, committee=tree.province, role=GrantRole.REVIEWER)
    return {
        "admin": admin,
        "sec_college": sec_college,
        "sec_sibling": sec_sibling,
        "leader": leader,
        "reviewer": reviewer,
    }


@pytest.fixture
def client_for(personas):
    """client_for("sec_college") -> a logged-in test client; client_for(None) -> anonymous."""

    def make(name: str | None) -> Client:
        c = Client()
        if name is not None:
            c.force_login(personas[name])
        return c

    return make
