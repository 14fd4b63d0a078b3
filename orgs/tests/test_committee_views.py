import pytest
from django.urls import reverse

from orgs import services
from orgs import tree as orgs_tree
from orgs.models import AuditEvent, Committee

PERSONAS = [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]


def statuses(client_for, method, url, data=None):
    results = []
    for name in PERSONAS:
        client = client_for(name)
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        results.append(response.status_code)
    return results


def test_committee_detail_matrix(client_for, tree):
    url = reverse("orgs:committee_detail", args=[tree.college.pk])
    # anonymous → login; outsider → 404; the rest can read
    assert statuses(client_for, "get", url) == [302, 404, 200, 200, 200, 200]


def test_committee_edit_matrix(client_for, tree):
    url = reverse("orgs:committee_edit", args=[tree.college.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 403, 403, 200]


def test_committee_move_matrix(client_for, tree):
    url = reverse("orgs:committee_move", args=[tree.college.pk])
    assert statuses(client_for, "get", url) == [302, 404, 403, 403, 403, 200]


def test_committee_create_under_a_parent_matrix(client_for, tree):
    url = reverse("orgs:committee_create") + f"?parent={tree.college.pk}"
    assert statuses(client_for, "get", url) == [302, 404, 403, 403, 403, 200]


def test_only_the_system_admin_creates_top_level_committees(client_for, tree):
    url = reverse("orgs:committee_create")
    assert statuses(client_for, "get", url) == [302, 403, 403, 403, 403, 200]


def test_tree_and_home_pages_need_login(client_for, tree):
    for url in (reverse("home"), reverse("orgs:committee_tree")):
        assert statuses(client_for, "get", url) == [302, 200, 200, 200, 200, 200]


def test_outsider_404_looks_like_a_missing_page_and_is_audited(client_for, tree):
    client = client_for("sec_sibling")
    foreign = client.get(reverse("orgs:committee_detail", args=[tree.college.pk]))
    missing = client.get(reverse("orgs:committee_detail", args=[987654]))
    assert foreign.status_code == missing.status_code == 404
    assert tree.college.name not in foreign.content.decode()
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").count() == 2


def test_outsider_cannot_edit_by_posting(client_for, tree):
    response = client_for("sec_sibling").post(
        reverse("orgs:committee_edit", args=[tree.college.pk]), {"name": "被篡改", "code": "X", "kind": "college"}
    )
    assert response.status_code == 404
    tree.college.refresh_from_db()
    assert tree.college.name == "针灸康复临床医学院关工分委"


def test_leader_cannot_change_details(client_for, tree):
    response = client_for("leader").post(
        reverse("orgs:committee_edit", args=[tree.college.pk]),
        {"name": "x", "code": "UNI-ZJ", "kind": "college", "students": 1, "retirees": 1, "staff": 1},
    )
    assert response.status_code == 403
    tree.college.refresh_from_db()
    assert tree.college.students == 1800


def test_tree_search_shows_only_committees_in_scope(client_for, tree):
    response = client_for("sec_sibling").get(reverse("orgs:committee_tree"), {"q": "医学院"})
    body = response.content.decode()
    assert "基础医学院关工分委" in body
    assert "针灸康复临床医学院关工分委" not in body


def test_detail_lists_children_and_breadcrumbs_to_the_top_of_scope(client_for, tree):
    body = client_for("leader").get(reverse("orgs:committee_detail", args=[tree.college.pk])).content.decode()
    assert "针灸学院校外辅导站" in body  # child
    assert "示范大学关工委" in body  # breadcrumb within the leader's scope
    assert "江苏省教育系统关工委" not in body  # above the leader's scope


def test_secretary_updates_headcounts_but_cannot_rename(client_for, tree):
    response = client_for("sec_college").post(
        reverse("orgs:committee_edit", args=[tree.college.pk]),
        {
            "name": "改名",
            "short_name": "",
            "code": "HACK",
            "kind": "college",
            "students": "2100",
            "retirees": "65",
            "staff": "300",
            "office": "针灸楼325",
            "contact_name": "王老师",
            "contact_phone": "020-1234",
        },
    )
    assert response.status_code == 302
    tree.college.refresh_from_db()
    assert (tree.college.name, tree.college.code, tree.college.students) == (
        "针灸康复临床医学院关工分委",
        "UNI-ZJ",
        2100,
    )


def test_admin_creates_a_sub_committee(client_for, tree):
    response = client_for("admin").post(
        reverse("orgs:committee_create"),
        {
            "parent": tree.college.pk,
            "name": "针灸学院第二辅导站",
            "code": "UNI-ZJ-ST2",
            "kind": "station",
            "students": "0",
            "retirees": "0",
            "staff": "0",
        },
    )
    assert response.status_code == 302
    created = Committee.objects.get(code="UNI-ZJ-ST2")
    assert created.parent_id == tree.college.pk
    assert orgs_tree.problems() == {}
    assert Committee.objects.get(code="UNI-ZJ-ST2").parent_id == tree.college.pk


def test_bad_committee_form_keeps_input_and_explains_in_chinese(client_for, tree):
    response = client_for("admin").post(
        reverse("orgs:committee_create"),
        {"parent": tree.college.pk, "name": "新辅导站", "code": "bad code!", "kind": "station", "students": "-5"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="新辅导站"' in body  # what was typed is kept
    assert "只能使用字母、数字、短横线和下划线" in body
    assert not Committee.objects.filter(name="新辅导站").exists()


def test_duplicate_code_is_a_clear_message(client_for, tree):
    response = client_for("admin").post(
        reverse("orgs:committee_create"),
        {
            "parent": tree.college.pk,
            "name": "重复",
            "code": "UNI-JC",
            "kind": "station",
            "students": 0,
            "retirees": 0,
            "staff": 0,
        },
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_move_under_own_descendant_is_refused_with_a_clear_message(client_for, tree):
    response = client_for("admin").post(
        reverse("orgs:committee_move", args=[tree.college.pk]), {"new_parent": tree.college_station.pk}
    )
    assert response.status_code == 200
    assert "不能移到它自己或它的下级委员会之下" in response.content.decode()
    tree.college.refresh_from_db()
    assert tree.college.parent_id == tree.university.pk


def test_move_to_another_parent_carries_the_subtree(client_for, tree):
    response = client_for("admin").post(
        reverse("orgs:committee_move", args=[tree.college.pk]), {"new_parent": tree.sibling.pk}
    )
    assert response.status_code == 302
    station = Committee.objects.get(pk=tree.college_station.pk)
    assert [a.code for a in Committee.objects.get_ancestors(station)] == ["JS", "UNI", "UNI-JC", "UNI-ZJ"]
    assert orgs_tree.problems() == {}


@pytest.mark.parametrize("url_name", ["orgs:committee_edit", "orgs:committee_move"])
def test_english_is_selectable(client_for, tree, url_name):
    client = client_for("admin")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse(url_name, args=[tree.college.pk])).content.decode()
    assert "Cancel" in body
    assert "取消" not in body


def _admin_form(committee, **changes):
    fields = {name: getattr(committee, name) for name in services.COMMITTEE_FIELDS}
    fields["parent"] = committee.parent_id or ""
    return {**fields, **changes}


def test_the_django_admin_moves_a_committee_through_the_services_and_refuses_a_cycle(client_for, tree):
    client = client_for("admin")
    url = reverse("admin:orgs_committee_change", args=[tree.college.pk])
    refused = client.post(url, _admin_form(tree.college, parent=tree.college_station.pk))
    assert refused.status_code == 200
    assert "委员会不能移到它自己或它的下级委员会之下。" in refused.content.decode()
    assert Committee.objects.get(pk=tree.college.pk).parent_id == tree.university.pk

    moved = client.post(url, _admin_form(tree.college, parent=tree.other_root.pk, name="针灸学院关工委（新）"))
    assert moved.status_code == 302
    college = Committee.objects.get(pk=tree.college.pk)
    assert college.parent_id == tree.other_root.pk and college.name == "针灸学院关工委（新）"
    assert Committee.objects.get(pk=tree.college_station.pk).path.startswith(college.path)
    assert AuditEvent.objects.filter(summary__contains="moved from", username="admin").exists()
    assert orgs_tree.problems() == {}

    added = client.post(
        reverse("admin:orgs_committee_add"),
        _admin_form(tree.college, parent=tree.sibling.pk, code="UNI-JC-ST", name="基础医学院辅导站", kind="station"),
    )
    assert added.status_code == 302
    assert Committee.objects.get(code="UNI-JC-ST").path.startswith(Committee.objects.get(pk=tree.sibling.pk).path)
    assert orgs_tree.problems() == {}
