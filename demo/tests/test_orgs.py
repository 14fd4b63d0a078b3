"""The demo data of `manage.py seed_demo`: complete, repeatable, and usable by every demo account.

These tests build the demo itself, so they use neither the `tree` nor the
`personas` fixtures (the demo has its own 江苏省 root and its own accounts).
"""

import importlib.machinery
import io
import sys
import types

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.orgs import data, seed
from orgs import tree as orgs_tree
from orgs.models import Committee, CommitteeKind, Grant, Grouping, MemberRole, Membership, MemberUnit, Person
from orgs.scoping import committees_for

pytestmark = pytest.mark.django_db

USERNAMES = [account[0] for account in data.ACCOUNTS]


@pytest.fixture
def demo():
    seed()


def committee(code: str) -> Committee:
    return Committee.objects.get(code=code)


def logged_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": data.DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} could not log in"
    return client


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Committee, Person, Membership, MemberUnit, Grouping, Grant, get_user_model())
    } | {"grouping members": Grouping.members.through.objects.count()}


def test_running_the_demo_twice_changes_nothing():
    first = seed()
    counts = row_counts()
    tree_columns = list(Committee.objects.order_by("pk").values_list("pk", "path", "depth", "numchild"))
    out = io.StringIO()

    second = seed(stdout=out)

    assert first["committees"] > 200 and first["people"] > 1000
    assert not second
    assert row_counts() == counts
    assert list(Committee.objects.order_by("pk").values_list("pk", "path", "depth", "numchild")) == tree_columns
    assert "nothing to add" in out.getvalue()


def test_a_second_run_keeps_what_users_changed_and_restores_what_they_deleted(demo):
    college = committee(data.ZJ_CODE)
    Committee.objects.filter(pk=college.pk).update(students=1850)
    Person.objects.filter(committee=college, name="李渊").delete()

    created = seed()

    assert created == {"people": 1, "memberships": 1}
    college.refresh_from_db()
    assert college.students == 1850
    deputy = Membership.objects.get(committee=college, person__name="李渊")
    assert deputy.role == MemberRole.EXECUTIVE_DEPUTY


def test_the_district_has_16_towns_110_villages_25_schools_and_36_stations(demo):
    below = Committee.objects.filter(orgs_tree.subtree_q(committee(data.QJP_CODE), "", include_self=False))
    assert below.filter(kind=CommitteeKind.TOWN).count() == 16
    assert below.filter(kind=CommitteeKind.VILLAGE).count() == 110
    assert below.filter(kind=CommitteeKind.SCHOOL).count() == 25
    stations = below.filter(kind=CommitteeKind.STATION).select_related("parent__parent")
    assert stations.count() == 36
    assert all(s.parent.kind == CommitteeKind.VILLAGE for s in stations)
    assert len({s.parent.parent_id for s in stations}) == 9
    assert committee("QJP-T01-V003").parent == committee("QJP-T01")
    assert committee("QJP-S07").parent.kind == CommitteeKind.TOWN
    assert committee(data.QJP_CODE).parent == committee(data.HA_CODE)


def test_the_universities_look_like_the_seed_documents(demo):
    wxit = committee(data.WXIT_CODE)
    assert (wxit.students, wxit.retirees) == (12000, 600)
    assert Committee.objects.filter(parent=wxit, kind=CommitteeKind.COLLEGE, name="机电技术学院关工委").exists()
    assert set(wxit.member_units.values_list("name", flat=True)) == {
        "办公室", "组织部", "宣传部", "学工处", "教务处", "质控处", "财务处", "人事处", "工会", "团委"
    }  # fmt: skip
    assert all(unit.duties for unit in wxit.member_units.all())
    group = Grouping.objects.get(name="江苏高校关工委第十片")
    assert group.lead == wxit
    assert {"江苏信息职业技术学院关工委", "无锡商业职业技术学院关工委", "无锡城市职业技术学院关工委"} <= set(
        group.members.values_list("name", flat=True)
    )
    assert all(m.parent == committee(data.JS_CODE) for m in group.members.all())

    gzucm = committee(data.GZUCM_CODE)
    assert Committee.objects.filter(parent=gzucm, kind=CommitteeKind.HOSPITAL, name="第一附属医院关工委").exists()
    college = committee(data.ZJ_CODE)
    assert college.office == "针灸楼325"
    roles = dict(Membership.objects.filter(committee=college).values_list("person__name", "role"))
    assert roles["肖鑫和"] == MemberRole.DIRECTOR
    assert roles["李渊"] == MemberRole.EXECUTIVE_DEPUTY
    held = set(roles.values())
    assert {MemberRole.SECRETARY, MemberRole.PARTY_ORGANISER, MemberRole.MENTOR_CAREER} <= held
    organisers = Membership.objects.filter(committee=college, role=MemberRole.PARTY_ORGANISER).count()
    assert organisers * 200 >= college.students  # seed 002: one organiser per 200 students


def test_every_committee_has_a_director_and_an_executive_deputy(demo):
    for role in (MemberRole.DIRECTOR, MemberRole.EXECUTIVE_DEPUTY):
        without = Committee.objects.exclude(memberships__role=role)
        assert list(without.values_list("code", flat=True)) == []


def test_the_wulao_registry_is_realistic(demo):
    wulao = Person.objects.exclude(wulao_category="")
    assert set(wulao.values_list("wulao_category", flat=True)) == {"cadre", "soldier", "expert", "teacher", "model"}
    years = wulao.values_list("birth_year", flat=True)
    assert min(years) >= 1940 and max(years) <= 1962
    assert not wulao.filter(is_retired=False).exists()
    assert wulao.filter(real_name_registered=True).count() > 0.8 * wulao.count()
    assert wulao.exclude(active_until=None).exists()
    town = committee("QJP-T05")
    assert Person.objects.filter(committee=town).exclude(wulao_category="").count() >= 5


def test_every_demo_account_logs_in_through_the_login_page(demo):
    for username in USERNAMES:
        client = Client()
        refused = client.post("/accounts/login/", {"username": username, "password": "wrong-password"})
        assert refused.status_code == 200 and "_auth_user_id" not in client.session, username

        response = client.post("/accounts/login/", {"username": username, "password": "guanwei-demo"})

        assert response.status_code == 302, username
        assert response["Location"] == reverse("home"), username
        assert client.get(reverse("home")).status_code == 200, username


def test_sec_college_sees_her_college_and_not_the_basic_medicine_college(demo):
    client = logged_in("sec_college")

    own = client.get(reverse("orgs:committee_detail", args=[committee(data.ZJ_CODE).pk]))
    sibling = client.get(reverse("orgs:committee_detail", args=[committee(data.JC_CODE).pk]))
    search = client.get(reverse("orgs:committee_tree"), {"q": "医学院"}).content.decode()

    assert own.status_code == 200
    assert "针灸楼325" in own.content.decode()
    assert sibling.status_code == 404
    assert "针灸康复临床医学院关工分委" in search
    assert "基础医学院关工分委" not in search


def test_the_reviewer_sees_every_tree_but_cannot_edit(demo):
    reviewer = get_user_model().objects.get(username="reviewer")
    client = logged_in("reviewer")
    town = committee("QJP-T01")

    tree_page = client.get(reverse("orgs:committee_tree")).content.decode()
    edit_page = client.get(reverse("orgs:committee_edit", args=[town.pk]))
    edit_post = client.post(
        reverse("orgs:committee_edit", args=[town.pk]),
        {"name": town.name, "code": town.code, "kind": town.kind, "students": 1, "retirees": 1, "staff": 1},
    )

    assert committees_for(reviewer).count() == Committee.objects.count()
    for root in ("江苏省教育系统关工委", "广东省教育系统关工委", "淮安市关工委"):
        assert root in tree_page
    assert client.get(reverse("orgs:committee_detail", args=[committee("QJP-T16-V007").pk])).status_code == 200
    assert edit_page.status_code == 403
    assert edit_post.status_code == 403
    town.refresh_from_db()
    assert town.students == 0


def test_the_other_accounts_reach_their_own_committees(demo):
    expectations = {
        "leader": (data.GZUCM_CODE, data.WXIT_CODE),
        "sec_wuxi": ("WXIT-JD", data.GZUCM_CODE),
        "leader_wuxi": ("WXIT-YS", "QJP-T01"),
        "sec_qjp": ("QJP-S07", "WXIT"),
        "sec_town": ("QJP-T01-V001", "QJP-T02"),
    }
    for username, (inside, outside) in expectations.items():
        client = logged_in(username)
        assert client.get(reverse("orgs:committee_detail", args=[committee(inside).pk])).status_code == 200, username
        assert client.get(reverse("orgs:committee_detail", args=[committee(outside).pk])).status_code == 404, username


def test_the_tree_is_valid(demo):
    assert orgs_tree.problems() == {}
    for node in Committee.objects.exclude(parent=None).select_related("parent"):
        assert node.path.startswith(node.parent.path) and node.depth == node.parent.depth + 1
    # Siblings in code order, as the demo's plan lists them.
    codes = list(Committee.objects.order_by("path").values_list("parent_id", "code"))
    for parent in {p for p, _code in codes}:
        siblings = [code for p, code in codes if p == parent]
        assert siblings == sorted(siblings)


def fake_app_demo(monkeypatch, app: str, calls: list) -> None:
    """Put a stand-in `demo.<app>` module where importlib will find it."""
    module = types.ModuleType(f"demo.{app}")
    module.__spec__ = importlib.machinery.ModuleSpec(f"demo.{app}", loader=None)

    def fake_seed(*, stdout):
        calls.append((app, Committee.objects.filter(code=data.ZJ_CODE).exists()))
        stdout.write(f"{app}: demo seeded")

    module.seed = fake_seed
    monkeypatch.setitem(sys.modules, f"demo.{app}", module)


def test_the_command_seeds_orgs_then_each_app_demo_and_prints_the_accounts(monkeypatch):
    calls: list = []
    for app in ("activities", "plans", "assessments"):
        fake_app_demo(monkeypatch, app, calls)
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    # Each app ran once, in order, after the committee tree existed.
    assert calls == [("activities", True), ("plans", True), ("assessments", True)]
    text = out.getvalue()
    assert "plans: demo seeded" in text
    assert "guanwei-demo" in text
    for username in USERNAMES:
        assert username in text
