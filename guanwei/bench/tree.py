"""Tree writes at province size: inserting and moving committees through `orgs.services`.

Every insert is committed and its node deleted again afterwards (not timed);
every move is followed by the move back (timed as well), so the tree ends as it
began. A nested-set write renumbers every committee to its right: each one
rewrites tens of thousands of rows, so the table is compacted afterwards.
"""

from __future__ import annotations

import random
import time

from guanwei.bench.context import BenchContext, BenchError
from guanwei.bench.figures import Figure, below, percentile

TARGET_MS = 200


def _check_tree(tree_id: int) -> None:
    from orgs.models import Committee

    nodes = Committee.objects.filter(tree_id=tree_id)
    root = nodes.get(parent__isnull=True)
    if root.lft != 1 or root.rght != 2 * nodes.count():
        raise BenchError("the nested-set numbering is broken after the tree writes")


def _compact(model: type) -> None:
    """Each write above rewrote tens of thousands of committee rows; without autovacuum the dead
    rows would slow every later query on the table. The table is small: rewrite it."""
    from django.db import connection

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (FULL, ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def tree_writes(ctx: BenchContext) -> None:
    from orgs.models import Committee, CommitteeKind
    from orgs.services import committee_create, committee_move

    rng = random.Random(5)  # noqa: S311 - picks committees
    admin = ctx.user("admin")
    root = Committee.objects.get(pk=ctx.dataset.ids["root"])
    size = Committee.objects.filter(tree_id=root.tree_id).count()
    villages = list(
        Committee.objects.filter(tree_id=root.tree_id, kind=CommitteeKind.VILLAGE).values_list("pk", flat=True)
    )
    towns = list(Committee.objects.filter(tree_id=root.tree_id, kind=CommitteeKind.TOWN).values_list("pk", flat=True))
    runs = ctx.runs(20)

    inserts, created = [], []
    for i in range(runs):
        parent = Committee.objects.get(pk=rng.choice(villages))
        started = time.perf_counter()
        node = committee_create(
            parent=parent,
            name=f"基准测试辅导站{i}",
            code=f"{parent.code}-ZB{i}",
            kind=CommitteeKind.STATION,
            by=admin,
        )
        inserts.append((time.perf_counter() - started) * 1000)
        created.append(node.pk)
    for pk in created:
        Committee.objects.get(pk=pk).delete()

    moves = []
    for _ in range(max(1, runs // 2)):
        village = Committee.objects.get(pk=rng.choice(villages))
        home = Committee.objects.get(pk=village.parent_id)
        away = Committee.objects.get(pk=rng.choice([t for t in towns if t != home.pk] or [home.pk]))
        for parent in (away, home):
            started = time.perf_counter()
            committee_move(committee=Committee.objects.get(pk=village.pk), new_parent=parent, by=admin)
            moves.append((time.perf_counter() - started) * 1000)
    _check_tree(root.tree_id)
    _compact(Committee)

    for label, samples in (("Insert a committee", inserts), ("Move a village with its subtree to another town", moves)):
        p95 = percentile(samples, 95)
        ctx.add(
            Figure(
                "tree",
                f"{label} p95 ({size:,} committees in the tree, {len(samples)} runs)",
                p95,
                "ms",
                target=f"< {TARGET_MS} ms",
                met=below(p95, TARGET_MS),
                note=f"p50 {percentile(samples, 50):.0f} ms; committed, through orgs.services",
            )
        )
