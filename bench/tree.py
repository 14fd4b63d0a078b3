"""Tree writes at province size: inserting and moving committees through `orgs.services`.

Every insert is committed and its node deleted again afterwards (not timed);
every move is followed by the move back (timed as well), so the tree ends as it
began (the village back under its town, as its last child). In a materialised
path an insert writes one row (and its parent's child count), a move rewrites
only the moved subtree's paths: a few hundred rows in all, so the table needs
no compaction afterwards. The paths are checked for consistency at the end.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any

from bench.context import BenchContext, BenchError
from bench.figures import Figure, below, percentile

TARGET_MS = 200


def _check_tree(root: Any) -> None:
    """The materialised path agrees with the parent links below `root` after the writes.

    Every committee in the root's path range hangs one step below its parent's path, at the
    depth its path says, with as many children as point to it; and the range holds exactly
    the committees the parent links reach from the root. (treebeard's `find_problems()`
    says much the same, but with two queries per committee.)
    """
    from orgs import tree
    from orgs.models import Committee

    root = Committee.objects.get(pk=root.pk)
    links = list(Committee.objects.values_list("pk", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for pk, parent in links:
        children.setdefault(parent, []).append(pk)
    reached, todo = set(), [root.pk]
    while todo:
        pk = todo.pop()
        reached.add(pk)
        todo.extend(children.get(pk, []))
    rows = {
        pk: (parent, path, depth, numchild)
        for pk, parent, path, depth, numchild in Committee.objects.filter(tree.subtree_q(root, "")).values_list(
            "pk", "parent_id", "path", "depth", "numchild"
        )
    }
    counts = Counter(parent for _pk, parent in links)
    broken = [] if set(rows) == reached else sorted(set(rows) ^ reached)[:10]
    for pk, (parent, path, depth, numchild) in rows.items():
        above = "" if pk == root.pk else rows[parent][1] if parent in rows else None
        if (
            above is None
            or len(path) != len(above) + tree.STEP
            or not path.startswith(above)
            or depth != len(path) // tree.STEP
            or numchild != counts[pk]
        ):
            broken.append(pk)
    if broken:
        raise BenchError(f"the materialised path is broken after the tree writes (committees {broken[:10]})")


def tree_writes(ctx: BenchContext) -> None:
    from orgs import tree
    from orgs.models import Committee, CommitteeKind
    from orgs.services import committee_create, committee_move

    rng = random.Random(5)  # noqa: S311 - picks committees
    admin = ctx.user("admin")
    root = Committee.objects.get(pk=ctx.dataset.ids["root"])
    in_tree = Committee.objects.filter(tree.subtree_q(root, ""))
    size = in_tree.count()
    villages = list(in_tree.filter(kind=CommitteeKind.VILLAGE).values_list("pk", flat=True))
    towns = list(in_tree.filter(kind=CommitteeKind.TOWN).values_list("pk", flat=True))
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
    _check_tree(root)

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
