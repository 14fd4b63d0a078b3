"""The migration from django-mptt's nested sets to treebeard's paths keeps the tree and its sibling order."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orgs import tree
from orgs.models import Committee

BEFORE = [("orgs", "0002_committee_tree_lft_index")]
AFTER = [("orgs", "0003_committee_materialised_path")]


@pytest.mark.django_db(transaction=True)
def test_nested_sets_become_paths_with_siblings_in_their_old_order():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("orgs", "Committee")

        def node(code, parent, lft, rght, tree_id, level):
            return old.objects.create(
                code=code, name=code, kind="college", parent=parent, lft=lft, rght=rght, tree_id=tree_id, level=level
            )

        # Two trees; under UNI the nested set orders B before A (their codes would sort the other way).
        uni = node("UNI", None, 1, 8, 1, 0)
        b = node("UNI-B", uni, 2, 5, 1, 1)
        node("UNI-A", uni, 6, 7, 1, 1)
        node("UNI-B-ST", b, 3, 4, 1, 2)
        node("CITY", None, 1, 2, 2, 0)

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    rows = list(Committee.objects.order_by("path").values_list("code", "path", "depth", "numchild"))
    assert rows == [
        ("UNI", "0001", 1, 2),
        ("UNI-B", "00010001", 2, 1),
        ("UNI-B-ST", "000100010001", 3, 0),
        ("UNI-A", "00010002", 2, 0),
        ("CITY", "0002", 1, 0),
    ]
    assert tree.problems() == {}
    # The migrated tree takes new committees and moves like any other.
    station = Committee.objects.get(code="UNI-B-ST")
    station.parent = Committee.objects.get(code="UNI-A")
    station.save()
    assert Committee.objects.get(code="UNI-B-ST").path == "000100020001"
    assert tree.problems() == {}
