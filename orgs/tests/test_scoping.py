import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from orgs.models import AuditEvent, Committee, Person
from orgs.scoping import Perm, can, committees_for, get_in_scope, scoped


def codes(qs):
    return sorted(qs.values_list("code", flat=True))


def test_secretary_sees_own_college_and_everything_below_it(personas, tree):
    assert codes(committees_for(personas["sec_college"])) == ["UNI-ZJ", "UNI-ZJ-ST"]


def test_sibling_secretary_sees_only_the_sibling_college(personas, tree):
    assert codes(committees_for(personas["sec_sibling"])) == ["UNI-JC"]


def test_leader_sees_whole_university_but_cannot_edit(personas, tree):
    leader = personas["leader"]
    assert codes(committees_for(leader)) == ["UNI", "UNI-JC", "UNI-ZJ", "UNI-ZJ-ST"]
    assert committees_for(leader, Perm.EDIT).count() == 0
    assert can(leader, Perm.APPROVE, tree.college)
    assert not can(leader, Perm.EDIT, tree.college)


def test_system_admin_sees_every_tree(personas, tree):
    assert committees_for(personas["admin"]).count() == Committee.objects.count() == 6


def test_anonymous_sees_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert committees_for(AnonymousUser()).count() == 0


def test_scoped_follows_the_committee_of_related_rows(personas, tree):
    Person.objects.create(committee=tree.college, name="张老师")
    Person.objects.create(committee=tree.sibling, name="李老师")
    Person.objects.create(committee=tree.college_station, name="赵老师")
    names = sorted(scoped(personas["sec_college"], Person.objects.all()).values_list("name", flat=True))
    assert names == ["张老师", "赵老师"]


def test_lookup_outside_scope_is_404_and_is_audited(personas, tree):
    with pytest.raises(Http404):
        get_in_scope(personas["sec_sibling"], Committee.objects.all(), via="", pk=tree.college.pk)
    event = AuditEvent.objects.get(action="denied")
    assert event.username == "sec_sibling"
    assert event.object_id == str(tree.college.pk)


def test_lookup_of_missing_object_is_the_same_404(personas, tree):
    with pytest.raises(Http404):
        get_in_scope(personas["sec_sibling"], Committee.objects.all(), via="", pk=999999)


def test_visible_but_read_only_is_403(personas, tree):
    with pytest.raises(PermissionDenied):
        get_in_scope(personas["leader"], Committee.objects.all(), perm=Perm.EDIT, via="", pk=tree.college.pk)


def test_grant_covers_committees_added_later_below_it(personas, tree):
    from orgs.services import committee_create

    new = committee_create(parent=tree.college_station, name="新辅导点", code="UNI-ZJ-ST-2", kind="station")
    sec = personas["sec_college"]
    sec.refresh_from_db()  # a new request starts with a fresh user object
    assert committees_for(sec).filter(pk=new.pk).exists()


def test_ancestor_scope_reaches_up_but_not_sideways(personas, tree):
    from orgs.scoping import ancestor_scope_q

    ancestors = Committee.objects.filter(ancestor_scope_q(personas["sec_college"], via=""))
    assert codes(ancestors) == ["JS", "UNI"]  # not the college itself, not the sibling


def test_pages_are_chinese_even_for_an_english_browser_until_english_is_chosen(client_for, tree):
    from django.urls import reverse

    client = client_for("sec_college")
    body = client.get(reverse("orgs:committee_tree"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "组织架构" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Committees" in client.get(reverse("orgs:committee_tree")).content.decode()
