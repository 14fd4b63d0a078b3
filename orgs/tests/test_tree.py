"""orgs.tree: subtree and ancestor filters over materialised paths, on the database in use."""

import pytest
from django.db.models import Count

from orgs import tree as orgs_tree
from orgs.models import Committee, CommitteeKind
from orgs.services import committee_create, committee_move


def station(parent, i):
    return committee_create(
        parent=parent, name=f"辅导站{i}", code=f"{parent.code}-S{i:02d}", kind=CommitteeKind.STATION
    )


@pytest.fixture
def crowded(tree):
    """40 stations after the college's own: past step "0009" the paths go on in capital letters ("000A" … "0015")."""
    return [station(tree.college, i) for i in range(40)]


def test_paths_after_the_digits_keep_the_order_in_which_committees_were_added(tree, crowded):
    below = Committee.objects.filter(orgs_tree.subtree_q(tree.college, "", include_self=False)).order_by("path")
    codes = [c.code for c in below if c.code != "UNI-ZJ-ST"]
    assert codes == [c.code for c in crowded]
    assert crowded[9].path.endswith("000B") and crowded[39].path.endswith("0015")
    assert orgs_tree.problems() == {}


def test_a_subtree_holds_its_committees_and_no_neighbour(tree, crowded):
    eleventh = crowded[9]  # path …000B: a string neighbour of …000A and …000C
    under = station(eleventh, 99)
    inside = set(Committee.objects.filter(orgs_tree.subtree_q(eleventh, "")).values_list("code", flat=True))
    assert inside == {eleventh.code, under.code}
    strictly = Committee.objects.filter(orgs_tree.subtree_q(eleventh.path, "", include_self=False))
    assert list(strictly.values_list("code", flat=True)) == [under.code]


def test_the_correlated_filters_agree_with_the_plain_ones(tree, crowded):
    counted = dict(Committee.objects.annotate(n=orgs_tree.descendant_count()).values_list("code", "n"))
    for committee in Committee.objects.all():
        plain = Committee.objects.filter(orgs_tree.subtree_q(committee, "", include_self=False)).count()
        assert counted[committee.code] == plain, committee.code
    assert counted[tree.university.code] == 3 + 40
    big = dict(Committee.objects.annotate(big=orgs_tree.outer_subtree_exceeds(40)).values_list("code", "big"))
    assert big[tree.college.code] is True  # itself, its station and 40 more
    assert big[tree.sibling.code] is False
    assert orgs_tree.subtree_exceeds(tree.college, 42) is False
    assert orgs_tree.subtree_exceeds(tree.college, 41) is True


def test_ancestors_are_the_prefixes_of_a_path(tree):
    above = Committee.objects.filter(orgs_tree.ancestors_q(tree.college_station, "")).order_by("depth")
    assert [c.code for c in above] == ["JS", "UNI", "UNI-ZJ"]
    with_self = Committee.objects.filter(orgs_tree.ancestors_q(tree.college_station, "", include_self=True))
    assert with_self.count() == 4
    either = Committee.objects.filter(orgs_tree.ancestors_of_any_q([tree.college_station, tree.sibling], ""))
    assert set(either.values_list("code", flat=True)) == {"JS", "UNI", "UNI-ZJ"}


def test_a_move_rewrites_the_subtree_and_the_child_counts(tree, crowded):
    moved = committee_move(committee=crowded[0], new_parent=tree.sibling)
    station(moved, 1)
    moved.refresh_from_db()
    assert moved.path.startswith(tree.sibling.path) and moved.depth == tree.sibling.depth + 1
    counts = dict(Committee.objects.annotate(n=Count("children")).values_list("code", "n"))
    assert dict(Committee.objects.values_list("code", "numchild")) == counts
    assert orgs_tree.problems() == {}


def test_problems_names_a_broken_parent_link_and_a_wrong_child_count(tree):
    Committee.objects.filter(pk=tree.college_station.pk).update(parent=tree.sibling)
    Committee.objects.filter(pk=tree.college.pk).update(numchild=5)
    found = orgs_tree.problems()
    assert found["parent link"] == [tree.college_station.pk]
    assert found["child count"] == [tree.college.pk]


def test_paths_from_parents_refuses_a_cycle():
    assert orgs_tree.paths_from_parents([(1, None), (2, 1), (3, 2)]) == {
        1: ("0001", 1, 1),
        2: ("00010001", 2, 1),
        3: ("000100010001", 3, 0),
    }
    with pytest.raises(ValueError, match="cycle"):
        orgs_tree.paths_from_parents([(1, None), (2, 3), (3, 2)])
