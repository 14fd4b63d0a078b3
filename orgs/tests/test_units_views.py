import pytest
from django.urls import reverse

from orgs.models import AuditEvent, MemberUnit
from orgs.services import member_unit_save

PERSONAS = [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]


def statuses(client_for, method, url, data=None, before_each=None):
    results = []
    for name in PERSONAS:
        if before_each is not None:
            before_each()
        client = client_for(name)
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        results.append(response.status_code)
    return results


@pytest.fixture
def unit(tree):
    return member_unit_save(committee=tree.college, name="学生工作办公室", duties="负责学生思想政治教育")


def test_unit_create_matrix(client_for, tree):
    url = reverse("orgs:unit_create", args=[tree.college.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 403, 403, 200]
    counter = iter(range(100))

    def data():
        return {"name": f"团委{next(counter)}", "duties": "组织青年活动"}

    results = []
    for name in PERSONAS:
        results.append(client_for(name).post(url, data()).status_code)
    assert results == [302, 404, 302, 403, 403, 302]
    assert MemberUnit.objects.filter(committee=tree.college).count() == 2


def test_unit_edit_matrix(client_for, unit):
    url = reverse("orgs:unit_edit", args=[unit.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 403, 403, 200]
    data = {"name": "学生工作处", "duties": "负责学生工作"}
    assert statuses(client_for, "post", url, data) == [302, 404, 302, 403, 403, 302]


def test_unit_delete_confirm_matrix(client_for, unit):
    url = reverse("orgs:unit_delete_confirm", args=[unit.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 403, 403, 200]


def test_unit_delete_matrix_and_405_on_get(client_for, tree):
    def fresh():
        MemberUnit.objects.filter(pk=777).delete()
        MemberUnit.objects.create(pk=777, committee=tree.college, name="宣传部")

    url = reverse("orgs:unit_delete", args=[777])
    assert statuses(client_for, "post", url, before_each=fresh) == [302, 404, 302, 403, 403, 302]
    assert statuses(client_for, "get", url, before_each=fresh) == [302, 405, 405, 405, 405, 405]
    assert MemberUnit.objects.filter(pk=777).exists()


def test_outsider_gets_404_editing_or_deleting_a_unit(client_for, unit):
    client = client_for("sec_sibling")
    assert client.post(reverse("orgs:unit_edit", args=[unit.pk]), {"name": "改了"}).status_code == 404
    assert client.post(reverse("orgs:unit_delete", args=[unit.pk])).status_code == 404
    unit.refresh_from_db()
    assert unit.name == "学生工作办公室"
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").count() == 2


def test_leader_gets_403_on_unit_writes(client_for, tree, unit):
    client = client_for("leader")
    assert client.post(reverse("orgs:unit_create", args=[tree.college.pk]), {"name": "新单位"}).status_code == 403
    assert client.post(reverse("orgs:unit_edit", args=[unit.pk]), {"name": "改了"}).status_code == 403
    assert client.post(reverse("orgs:unit_delete", args=[unit.pk])).status_code == 403
    assert MemberUnit.objects.filter(pk=unit.pk, name="学生工作办公室").exists()


def test_units_are_listed_on_the_committee_page_with_edit_links_for_editors(client_for, tree, unit):
    url = reverse("orgs:committee_detail", args=[tree.college.pk])
    secretary = client_for("sec_college").get(url).content.decode()
    leader = client_for("leader").get(url).content.decode()
    assert "学生工作办公室" in secretary and "负责学生思想政治教育" in secretary
    assert reverse("orgs:unit_edit", args=[unit.pk]) in secretary
    assert "学生工作办公室" in leader
    assert reverse("orgs:unit_edit", args=[unit.pk]) not in leader


def test_duplicate_unit_name_is_a_clear_message_and_keeps_input(client_for, tree, unit):
    response = client_for("sec_college").post(
        reverse("orgs:unit_create", args=[tree.college.pk]), {"name": "学生工作办公室", "duties": "新的职责"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "已有同名的委员单位" in body
    assert "新的职责" in body
    assert MemberUnit.objects.filter(committee=tree.college).count() == 1


def test_deleting_a_unit_is_audited(client_for, unit):
    response = client_for("sec_college").post(reverse("orgs:unit_delete", args=[unit.pk]))
    assert response.status_code == 302
    assert not MemberUnit.objects.filter(pk=unit.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="orgs.memberunit", username="sec_college").exists()


def test_delete_confirmation_page_refuses_post(client_for, unit):
    url = reverse("orgs:unit_delete_confirm", args=[unit.pk])
    assert statuses(client_for, "post", url) == [302, 405, 405, 405, 405, 405]
    assert MemberUnit.objects.filter(pk=unit.pk).exists()
