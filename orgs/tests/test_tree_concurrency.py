"""Concurrent writers leave a valid nested-set tree (PostgreSQL only).

Run with:
DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test GUANWEI_TEST_DB_NAME=test_orgs_people \
    DJANGO_SETTINGS_MODULE=guanwei.settings_test .venv/bin/pytest orgs/tests/test_tree_concurrency.py
"""

import threading

import pytest
from django.db import connection, connections

from orgs import tree as tree_module
from orgs.models import Committee, CommitteeKind
from orgs.services import committee_create, committee_move

THREADS = 20


def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite admits one writer at a time, so there is no race to test")


def assert_tree_is_consistent():
    # Paths are unique by constraint; the checks find wrong depths, child counts and parent links.
    assert tree_module.problems() == {}


def run_in_threads(work, count):
    """Start `count` threads together; each runs work(i) on its own DB connection."""
    barrier = threading.Barrier(count)
    errors = []

    def target(i):
        try:
            barrier.wait(timeout=30)
            work(i)
        except Exception as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_creates_under_one_parent_leave_a_valid_tree(tree):
    _require_postgresql()
    stale_parent = Committee.objects.get(pk=tree.university.pk)  # every thread starts from the same old copy

    def create(i):
        committee_create(parent=stale_parent, name=f"并发学院{i:02d}", code=f"UNI-P{i:02d}", kind=CommitteeKind.COLLEGE)

    run_in_threads(create, THREADS)
    created = Committee.objects.filter(code__startswith="UNI-P")
    assert created.count() == THREADS
    assert set(created.values_list("parent_id", flat=True)) == {tree.university.pk}
    assert_tree_is_consistent()
    university = Committee.objects.get(pk=tree.university.pk)
    below = Committee.objects.filter(tree_module.subtree_q(university, "", include_self=False))
    assert below.count() == 3 + THREADS  # college, its station, sibling, and the new ones


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_and_creates_leave_a_valid_tree(tree):
    _require_postgresql()
    stale = {c.code: c for c in Committee.objects.all()}

    def work(i):
        if i % 2:
            committee_create(
                parent=stale["UNI-ZJ"], name=f"针灸辅导站{i:02d}", code=f"UNI-ZJ-P{i:02d}", kind=CommitteeKind.STATION
            )
        else:
            target = stale["UNI-JC"] if i % 4 else stale["UNI-ZJ"]
            committee_move(committee=stale["UNI-ZJ-ST"], new_parent=target)

    run_in_threads(work, THREADS)
    assert Committee.objects.filter(code__startswith="UNI-ZJ-P", parent__code="UNI-ZJ").count() == THREADS // 2
    assert Committee.objects.get(code="UNI-ZJ-ST").parent.code in {"UNI-JC", "UNI-ZJ"}
    assert_tree_is_consistent()
