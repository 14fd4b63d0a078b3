import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from orgs.models import AuditEvent, GrantRole, Grouping
from orgs.services import grant_access, grouping_save

PERSONAS = [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]


def statuses(client_for, method, url, data=None):
    results = []
    for name in PERSONAS:
        client = client_for(name)
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        results.append(response.status_code)
    return results


@pytest.fixture
def grouping(tree):
    """A 片 led by the university, with a college and a committee from another tree."""
    return grouping_save(
        name="城区片", lead=tree.university, members=[tree.college, tree.other_root], notes="每季度联席会"
    )


@pytest.fixture
def college_admin(tree):
    """Manages only the college subtree."""
    user = get_user_model().objects.create_user(username="college_admin", password="x")
    grant_access(user=user, committee=tree.college, role=GrantRole.ADMIN)
    client = Client()
    client.force_login(user)
    return client


def test_grouping_list_matrix_and_scope(client_for, grouping):
    assert statuses(client_for, "get", reverse("orgs:grouping_list")) == [302, 200, 200, 200, 200, 200]
    assert "城区片" not in client_for("sec_college").get(reverse("orgs:grouping_list")).content.decode()
    assert "城区片" in client_for("leader").get(reverse("orgs:grouping_list")).content.decode()


def test_grouping_detail_matrix(client_for, grouping):
    url = reverse("orgs:grouping_detail", args=[grouping.pk])
    assert statuses(client_for, "get", url) == [302, 404, 404, 200, 200, 200]


def test_grouping_create_matrix(client_for, tree):
    url = reverse("orgs:grouping_create")
    assert statuses(client_for, "get", url) == [302, 403, 403, 403, 403, 200]
    data = {"name": "新片", "lead": tree.university.pk, "member_codes": "UNI-ZJ"}
    assert statuses(client_for, "post", url, data) == [302, 403, 403, 403, 403, 302]
    assert Grouping.objects.filter(name="新片").count() == 1


def test_grouping_edit_matrix(client_for, tree, grouping):
    url = reverse("orgs:grouping_edit", args=[grouping.pk])
    assert statuses(client_for, "get", url) == [302, 404, 404, 403, 403, 200]
    data = {"name": "城区片", "lead": tree.university.pk, "member_codes": "UNI-ZJ\nQJP"}
    assert statuses(client_for, "post", url, data) == [302, 404, 404, 403, 403, 302]


def test_detail_shows_member_committees_by_name_only(client_for, tree, grouping):
    body = client_for("leader").get(reverse("orgs:grouping_detail", args=[grouping.pk])).content.decode()
    assert "清江浦区关工委" in body  # a member outside the leader's scope is named…
    assert reverse("orgs:committee_detail", args=[tree.other_root.pk]) not in body  # …but not linked
    assert "每季度联席会" in body


def test_outsider_gets_404_on_grouping_edit(client_for, tree, grouping):
    response = client_for("sec_sibling").post(
        reverse("orgs:grouping_edit", args=[grouping.pk]), {"name": "改", "lead": tree.sibling.pk}
    )
    assert response.status_code == 404
    grouping.refresh_from_db()
    assert grouping.name == "城区片"


def test_leader_gets_403_on_grouping_writes(client_for, tree, grouping):
    client = client_for("leader")
    data = {"name": "改", "lead": tree.university.pk, "member_codes": ""}
    assert client.post(reverse("orgs:grouping_edit", args=[grouping.pk]), data).status_code == 403
    assert client.post(reverse("orgs:grouping_create"), data).status_code == 403
    assert Grouping.objects.get().name == "城区片"


def test_admin_builds_a_grouping_across_the_tree_by_codes(client_for, tree):
    response = client_for("admin").post(
        reverse("orgs:grouping_create"),
        {"name": "医学片", "lead": tree.university.pk, "member_codes": "UNI-ZJ、 UNI-JC\nQJP", "notes": ""},
    )
    assert response.status_code == 302
    created = Grouping.objects.get(name="医学片")
    assert set(created.members.values_list("code", flat=True)) == {"UNI-ZJ", "UNI-JC", "QJP"}
    assert AuditEvent.objects.filter(action="create", object_type="orgs.grouping").exists()


def test_unknown_member_code_is_named_and_nothing_saved(client_for, tree):
    response = client_for("admin").post(
        reverse("orgs:grouping_create"), {"name": "医学片", "lead": tree.university.pk, "member_codes": "UNI-ZJ\nNOPE"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "NOPE" in body and "医学片" in body
    assert not Grouping.objects.exists()


def test_a_committee_admin_leads_only_what_they_manage_but_picks_members_anywhere(college_admin, tree):
    refused = college_admin.post(
        reverse("orgs:grouping_create"), {"name": "越权片", "lead": tree.university.pk, "member_codes": ""}
    )
    assert refused.status_code == 200
    assert not Grouping.objects.filter(name="越权片").exists()
    allowed = college_admin.post(
        reverse("orgs:grouping_create"), {"name": "针灸片", "lead": tree.college.pk, "member_codes": "UNI-JC\nQJP"}
    )
    assert allowed.status_code == 302
    assert Grouping.objects.get(name="针灸片").members.count() == 2


def test_member_search_finds_committees_anywhere_for_managers_only(client_for, college_admin, tree):
    found = college_admin.get(reverse("orgs:grouping_create"), {"find": "清江浦"}).content.decode()
    assert "QJP" in found
    admin_found = client_for("admin").get(reverse("orgs:grouping_create"), {"find": "QJP"}).content.decode()
    assert "清江浦区关工委" in admin_found


def test_edit_form_starts_with_the_current_member_codes(client_for, grouping):
    body = client_for("admin").get(reverse("orgs:grouping_edit", args=[grouping.pk])).content.decode()
    assert "QJP\nUNI-ZJ" in body


def test_grouping_list_and_detail_refuse_post(client_for, grouping):
    for url in (reverse("orgs:grouping_list"), reverse("orgs:grouping_detail", args=[grouping.pk])):
        assert statuses(client_for, "post", url) == [302, 405, 405, 405, 405, 405]
