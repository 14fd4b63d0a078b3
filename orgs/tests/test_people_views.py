import datetime

import pytest
import time_machine
from django.urls import reverse

from orgs.models import AuditEvent, Committee, MemberRole, Membership, Person, WulaoCategory
from orgs.services import membership_add, person_create

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
def zhang(tree):
    """A retired teacher in the college, executive deputy director there."""
    person = person_create(
        committee=tree.college,
        name="张老师",
        gender="F",
        birth_year=1950,
        phone="13800000001",
        wulao_category=WulaoCategory.TEACHER,
        real_name_registered=True,
        active_from=datetime.date(2020, 9, 1),
    )
    membership_add(person=person, committee=tree.college, role=MemberRole.EXECUTIVE_DEPUTY)
    return person


@pytest.fixture
def li(tree):
    """Somebody in the sibling college: nobody in the college may see them."""
    return person_create(committee=tree.sibling, name="李老师", wulao_category=WulaoCategory.CADRE)


def person_data(committee, **extra):
    data = {
        "committee": committee.pk,
        "name": "王老师",
        "gender": "M",
        "birth_year": "1948",
        "phone": "13900000000",
        "title": "原副院长",
        "wulao_category": "expert",
        "real_name_registered": "on",
        "active_from": "2021-03-01",
        "active_until": "",
        "notes": "",
    }
    data.update(extra)
    return data


# --- status-code matrices -------------------------------------------------------------


def test_people_list_matrix(client_for, tree, zhang):
    assert statuses(client_for, "get", reverse("orgs:people_list")) == [302, 200, 200, 200, 200, 200]
    url = reverse("orgs:people_list") + f"?committee={tree.college.pk}"
    assert statuses(client_for, "get", url) == [302, 404, 200, 200, 200, 200]


def test_wulao_registry_matrix(client_for, tree, zhang):
    url = reverse("orgs:wulao_registry") + f"?committee={tree.college.pk}"
    assert statuses(client_for, "get", url) == [302, 404, 200, 200, 200, 200]


def test_people_export_matrix(client_for, tree, zhang):
    url = reverse("orgs:people_export") + f"?committee={tree.college.pk}"
    assert statuses(client_for, "get", url) == [302, 404, 200, 200, 200, 200]


def test_person_detail_matrix(client_for, zhang):
    url = reverse("orgs:person_detail", args=[zhang.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 200, 200, 200]


def test_person_edit_matrix(client_for, tree, zhang):
    url = reverse("orgs:person_edit", args=[zhang.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 403, 403, 200]
    data = person_data(tree.college, name="张老师")
    assert statuses(client_for, "post", url, data) == [302, 404, 302, 403, 403, 302]


def test_person_create_matrix(client_for, tree):
    url = reverse("orgs:person_create")
    assert statuses(client_for, "get", url) == [302, 200, 200, 403, 403, 200]
    assert statuses(client_for, "get", url + f"?committee={tree.college.pk}") == [302, 404, 200, 403, 403, 200]
    results = statuses(client_for, "post", url, person_data(tree.college))
    # the outsider's form refuses the college (a form error, not a save)
    assert results == [302, 200, 302, 403, 403, 302]
    assert Person.objects.filter(name="王老师", committee=tree.college).count() == 2


def test_membership_add_matrix(client_for, zhang):
    url = reverse("orgs:membership_add", args=[zhang.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 403, 403, 200]


def test_membership_remove_confirm_matrix(client_for, zhang):
    membership = zhang.memberships.get()
    url = reverse("orgs:membership_remove_confirm", args=[membership.pk])
    assert statuses(client_for, "get", url) == [302, 404, 200, 403, 403, 200]


def test_membership_remove_matrix_and_405_on_get(client_for, tree, zhang):
    def fresh():
        Membership.objects.filter(person=zhang).delete()
        Membership.objects.create(pk=4242, person=zhang, committee=tree.college, role=MemberRole.MEMBER)

    url = reverse("orgs:membership_remove", args=[4242])
    assert statuses(client_for, "post", url, before_each=fresh) == [302, 404, 302, 403, 403, 302]
    assert statuses(client_for, "get", url, before_each=fresh) == [302, 405, 405, 405, 405, 405]
    assert Membership.objects.filter(pk=4242).exists()


# --- outsiders ------------------------------------------------------------------------


def test_outsider_gets_404_on_person_pages_and_is_audited(client_for, zhang):
    client = client_for("sec_sibling")
    for url in (reverse("orgs:person_detail", args=[zhang.pk]), reverse("orgs:person_edit", args=[zhang.pk])):
        response = client.get(url)
        assert response.status_code == 404
        assert "张老师" not in response.content.decode()
    assert AuditEvent.objects.filter(action="denied", username="sec_sibling").count() == 2


def test_outsider_cannot_edit_a_person_by_posting(client_for, tree, zhang):
    response = client_for("sec_sibling").post(
        reverse("orgs:person_edit", args=[zhang.pk]), person_data(tree.sibling, name="被篡改")
    )
    assert response.status_code == 404
    zhang.refresh_from_db()
    assert zhang.name == "张老师"


def test_export_with_a_foreign_committee_id_is_404(client_for, tree, zhang):
    response = client_for("sec_sibling").get(reverse("orgs:people_export") + f"?committee={tree.college.pk}")
    assert response.status_code == 404


def test_posting_a_foreign_committee_id_is_a_form_error_and_saves_nothing(client_for, tree):
    response = client_for("sec_college").post(reverse("orgs:person_create"), person_data(tree.sibling))
    body = response.content.decode()
    assert response.status_code == 200
    assert "只能选择您负责的委员会" in body
    assert 'value="王老师"' in body  # what was typed is kept
    assert not Person.objects.filter(name="王老师").exists()
    assert AuditEvent.objects.filter(
        action="denied", username="sec_college", object_type="orgs.committee", object_id=str(tree.sibling.pk)
    ).exists()


def test_adding_a_role_in_a_foreign_committee_is_refused(client_for, tree, zhang):
    response = client_for("sec_college").post(
        reverse("orgs:membership_add", args=[zhang.pk]), {"committee": tree.sibling.pk, "role": "member"}
    )
    assert response.status_code == 200
    assert not zhang.memberships.filter(committee=tree.sibling).exists()
    assert AuditEvent.objects.filter(action="denied", username="sec_college").exists()


def test_role_filter_only_counts_roles_the_viewer_can_see(client_for, tree):
    person = person_create(committee=tree.college, name="兼职老师")
    membership_add(person=person, committee=tree.university, role=MemberRole.DIRECTOR)
    college_view = client_for("sec_college").get(reverse("orgs:people_list"), {"role": "director"}).content.decode()
    leader_view = client_for("leader").get(reverse("orgs:people_list"), {"role": "director"}).content.decode()
    assert "兼职老师" not in college_view
    assert "兼职老师" in leader_view


def test_people_list_never_shows_people_outside_scope(client_for, zhang, li):
    body = client_for("sec_college").get(reverse("orgs:people_list")).content.decode()
    assert "张老师" in body
    assert "李老师" not in body


# --- leader is read-only --------------------------------------------------------------


def test_leader_gets_403_on_every_person_write(client_for, tree, zhang):
    client = client_for("leader")
    membership = zhang.memberships.get()
    assert client.post(reverse("orgs:person_create"), person_data(tree.college)).status_code == 403
    assert client.post(reverse("orgs:person_edit", args=[zhang.pk]), person_data(tree.college)).status_code == 403
    assert (
        client.post(reverse("orgs:membership_add", args=[zhang.pk]), {"committee": tree.college.pk, "role": "member"})
    ).status_code == 403
    assert client.post(reverse("orgs:membership_remove", args=[membership.pk])).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not Person.objects.filter(name="王老师").exists()


# --- what a secretary does --------------------------------------------------------------


def test_secretary_adds_a_person_and_a_role(client_for, tree):
    client = client_for("sec_college")
    response = client.post(reverse("orgs:person_create"), person_data(tree.college_station))
    person = Person.objects.get(name="王老师")
    assert response.status_code == 302
    assert person.committee == tree.college_station
    assert person.wulao_category == "expert" and person.real_name_registered
    response = client.post(
        reverse("orgs:membership_add", args=[person.pk]),
        {"committee": tree.college.pk, "role": "party_organiser", "started_on": "2022-09-01"},
    )
    assert response.status_code == 302
    detail = client.get(reverse("orgs:person_detail", args=[person.pk])).content.decode()
    assert "特邀党建组织员" in detail
    assert "针灸康复临床医学院关工分委" in detail
    assert AuditEvent.objects.filter(action="create", object_type="orgs.membership").exists()


def test_the_same_role_twice_is_a_clear_message(client_for, tree, zhang):
    response = client_for("sec_college").post(
        reverse("orgs:membership_add", args=[zhang.pk]), {"committee": tree.college.pk, "role": "executive_deputy"}
    )
    assert response.status_code == 200
    assert "已经担任" in response.content.decode()


def test_removing_a_role_asks_first_then_removes_it(client_for, zhang):
    client = client_for("sec_college")
    membership = zhang.memberships.get()
    confirm = client.get(reverse("orgs:membership_remove_confirm", args=[membership.pk])).content.decode()
    assert "常务副主任" in confirm
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(reverse("orgs:membership_remove", args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Person.objects.filter(pk=zhang.pk).exists()


def test_secretary_moves_a_person_within_scope(client_for, tree, zhang):
    client = client_for("sec_college")
    data = person_data(tree.college_station, name="张老师")
    assert client.post(reverse("orgs:person_edit", args=[zhang.pk]), data).status_code == 302
    zhang.refresh_from_db()
    assert zhang.committee == tree.college_station
    assert AuditEvent.objects.filter(object_type="orgs.person", summary__contains="registry moved").exists()


def test_bad_person_input_is_explained_in_chinese_and_kept(client_for, tree):
    data = person_data(tree.college, birth_year="1850", active_from="2022-05-01", active_until="2021-01-01")
    response = client_for("sec_college").post(reverse("orgs:person_create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "1900" in body  # the year range
    assert "截止日期不能早于起始日期" in body
    assert 'value="13900000000"' in body
    assert not Person.objects.filter(name="王老师").exists()


# --- the list and its filters -----------------------------------------------------------


def make_people(committee, count, prefix="人员"):
    for i in range(count):
        person = person_create(
            committee=committee,
            name=f"{prefix}{i:03d}",
            wulao_category=[WulaoCategory.TEACHER, WulaoCategory.CADRE, ""][i % 3],
            real_name_registered=bool(i % 2),
        )
        membership_add(person=person, committee=committee, role=MemberRole.MEMBER)


@pytest.mark.parametrize(("url_name", "queries"), [("orgs:people_list", 10), ("orgs:wulao_registry", 11)])
def test_people_list_query_count_does_not_grow_with_rows(
    client_for, tree, django_assert_max_num_queries, url_name, queries
):
    client = client_for("sec_college")
    url = reverse(url_name) + f"?committee={tree.college.pk}&role=member"
    make_people(tree.college, 5)
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200
    make_people(tree.college_station, 35, prefix="成员")
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert "下一页" in response.content.decode()  # 40 people: more than one page


def test_committee_filter_includes_sub_committees(client_for, tree, zhang):
    person_create(committee=tree.college_station, name="辅导站老师")
    person_create(committee=tree.university, name="校关工委老师")
    body = client_for("leader").get(reverse("orgs:people_list"), {"committee": tree.college.pk}).content.decode()
    assert "张老师" in body and "辅导站老师" in body
    assert "校关工委老师" not in body


def test_filters_by_role_category_registration_and_name(client_for, tree, zhang):
    person_create(committee=tree.college, name="赵同志", wulao_category=WulaoCategory.SOLDIER)
    client = client_for("sec_college")
    by_role = client.get(reverse("orgs:people_list"), {"role": "executive_deputy"}).content.decode()
    assert "张老师" in by_role and "赵同志" not in by_role
    by_category = client.get(reverse("orgs:people_list"), {"wulao_category": "soldier"}).content.decode()
    assert "赵同志" in by_category and "张老师" not in by_category
    unregistered = client.get(reverse("orgs:people_list"), {"real_name_registered": "no"}).content.decode()
    assert "赵同志" in unregistered and "张老师" not in unregistered
    by_name = client.get(reverse("orgs:people_list"), {"q": "赵"}).content.decode()
    assert "赵同志" in by_name and "张老师" not in by_name


@time_machine.travel(datetime.datetime(2023, 6, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_active_filter_follows_the_dates(client_for, tree, zhang):
    person_create(
        committee=tree.college,
        name="已结束",
        active_from=datetime.date(2018, 1, 1),
        active_until=datetime.date(2022, 12, 31),
    )
    person_create(committee=tree.college, name="明年参加", active_from=datetime.date(2024, 1, 1))
    client = client_for("sec_college")
    active = client.get(reverse("orgs:people_list"), {"active": "yes"}).content.decode()
    assert "张老师" in active
    assert "已结束" not in active and "明年参加" not in active
    inactive = client.get(reverse("orgs:people_list"), {"active": "no"}).content.decode()
    assert "已结束" in inactive and "明年参加" in inactive and "张老师" not in inactive


def test_wulao_registry_lists_only_wulao_with_counts_per_category(client_for, tree, zhang):
    person_create(committee=tree.college, name="普通委员")
    person_create(committee=tree.college_station, name="老干部甲", wulao_category=WulaoCategory.CADRE)
    person_create(committee=tree.college_station, name="老干部乙", wulao_category=WulaoCategory.CADRE)
    response = client_for("sec_college").get(reverse("orgs:wulao_registry"), {"committee": tree.college.pk})
    body = response.content.decode()
    assert "普通委员" not in body
    assert "老干部甲" in body and "张老师" in body
    counts = {value: n for value, _label, n in response.context["category_counts"]}
    assert counts == {"cadre": 2, "soldier": 0, "expert": 0, "teacher": 1, "model": 0}
    assert response.context["wulao_total"] == 3


def test_committee_detail_links_to_people_and_keeps_its_query_count(
    client_for, tree, zhang, django_assert_max_num_queries
):
    client = client_for("sec_college")
    url = reverse("orgs:committee_detail", args=[tree.college.pk])
    body = client.get(url).content.decode()
    assert reverse("orgs:people_list") + f"?committee={tree.college.pk}" in body
    assert reverse("orgs:person_create") + f"?committee={tree.college.pk}" in body
    assert reverse("orgs:person_detail", args=[zhang.pk]) in body
    make_people(tree.college, 20)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_member_from_outside_scope_is_named_but_not_linked(client_for, tree):
    outsider = person_create(committee=tree.university, name="校领导")
    membership_add(person=outsider, committee=tree.college, role=MemberRole.DIRECTOR)
    body = client_for("sec_college").get(reverse("orgs:committee_detail", args=[tree.college.pk])).content.decode()
    assert "校领导" in body
    assert reverse("orgs:person_detail", args=[outsider.pk]) not in body


def test_import_and_add_buttons_are_only_for_editors(client_for, tree):
    url = reverse("orgs:committee_detail", args=[tree.college.pk])
    leader_body = client_for("leader").get(url).content.decode()
    secretary_body = client_for("sec_college").get(url).content.decode()
    admin_body = client_for("admin").get(url).content.decode()
    assert reverse("orgs:people_import") not in leader_body
    assert reverse("orgs:people_import") in secretary_body
    assert reverse("orgs:committee_import") not in secretary_body
    assert reverse("orgs:committee_import") in admin_body


def test_unknown_committee_in_the_filter_is_404(client_for, tree):
    assert Committee.objects.filter(pk=999999).count() == 0
    client = client_for("admin")
    assert client.get(reverse("orgs:people_list"), {"committee": 999999}).status_code == 404
    # Not a number at all: a bad request, which says so (issue 20: "²" and twenty digits were a 500).
    malformed = client.get(reverse("orgs:people_list"), {"committee": "abc"})
    assert malformed.status_code == 400
    assert "不是有效的数字" in malformed.content.decode()


def test_membership_add_post_matrix(client_for, tree, zhang):
    url = reverse("orgs:membership_add", args=[zhang.pk])
    data = {"committee": tree.college.pk, "role": "lecturer"}

    def fresh():
        Membership.objects.filter(person=zhang, role="lecturer").delete()

    assert statuses(client_for, "post", url, data, before_each=fresh) == [302, 404, 302, 403, 403, 302]


@pytest.mark.parametrize(
    "url_name", ["orgs:people_list", "orgs:wulao_registry", "orgs:people_export", "orgs:person_detail", "confirm"]
)
def test_read_only_people_pages_refuse_post(client_for, zhang, url_name):
    if url_name == "confirm":
        url = reverse("orgs:membership_remove_confirm", args=[zhang.memberships.get().pk])
    elif url_name == "orgs:person_detail":
        url = reverse(url_name, args=[zhang.pk])
    else:
        url = reverse(url_name)
    assert statuses(client_for, "post", url) == [302, 405, 405, 405, 405, 405]
    assert Membership.objects.filter(person=zhang).count() == 1
