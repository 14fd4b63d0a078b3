"""Subtree and ancestor filters over the committee tree's materialised paths.

`Committee` is a django-treebeard `MP_Node`: a committee's `path` is its
parent's path plus four characters of digits and capital letters. Everything
below a committee therefore has a path between the committee's own path and
that path padded with "Z" — one range of the `path` index, both for a given
committee and for a correlated subquery (`OuterRef`), where `LIKE 'p%'` could
not use the index. Ancestors are the prefixes of a path: an `IN` of at most
depth-many exact paths.

Every subtree filter in the project comes from here; `via` names the relation
from the queried rows to their committee ("committee", "plan__committee", or
"" for committees themselves), as in `orgs.scoping`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import CharField, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat

STEP = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_PATH = 255
# Sorts after every path that starts with a given path (all path characters sort before or equal "Z",
# and a shorter run of "Z" is a prefix, so it sorts first).
_TOP = ALPHABET[-1] * MAX_PATH


def _field(via: str, name: str = "path") -> str:
    return f"{via}__{name}" if via else name


def _path(node: Any) -> str:
    return node if isinstance(node, str) else node.path


def subtree_bounds(node: Any) -> tuple[str, str]:
    """The lowest and highest path in `node`'s subtree (itself included), for a range in raw SQL."""
    path = _path(node)
    return path, path + _TOP[len(path) :]


def subtree_q(node: Any, via: str = "committee", *, include_self: bool = True) -> Q:
    """Rows whose committee is `node` (a committee or its path) or below it."""
    low, high = subtree_bounds(node)
    lower = "gte" if include_self else "gt"
    return Q(**{f"{_field(via)}__{lower}": low, f"{_field(via)}__lte": high})


def subtrees_q(nodes: Iterable[Any], via: str = "committee") -> Q:
    """Rows in any of these committees' subtrees (nested ones are folded into the outer)."""
    q = Q(pk__in=[])
    for path in outermost(_path(n) for n in nodes):
        q |= subtree_q(path, via)
    return q


def outer_subtree_q(via: str = "committee", outer: str = "path", *, include_self: bool = True) -> Q:
    """In a subquery: rows whose committee lies in the subtree of the outer query's committee.

    `outer` is the outer row's path column (`OuterRef`); the bounds stay a range of the index.
    """
    path = OuterRef(outer) if isinstance(outer, str) else outer
    lower = "gte" if include_self else "gt"
    top = Concat(path, Value(_TOP), output_field=CharField())
    return Q(**{f"{_field(via)}__{lower}": path, f"{_field(via)}__lte": top})


def ancestor_paths(node: Any, *, include_self: bool = False) -> list[str]:
    """The paths of the committee's ancestors, root first."""
    path = _path(node)
    end = len(path) + (STEP if include_self else 0)
    return [path[:i] for i in range(STEP, end, STEP)]


def ancestors_q(node: Any, via: str = "committee", *, include_self: bool = False) -> Q:
    """Rows whose committee is above `node` (or `node` itself, with include_self)."""
    return Q(**{f"{_field(via)}__in": ancestor_paths(node, include_self=include_self)})


def ancestors_of_any_q(nodes: Iterable[Any], via: str = "committee", *, include_self: bool = False) -> Q:
    """Rows whose committee is above any of these committees."""
    paths = {p for n in nodes for p in ancestor_paths(n, include_self=include_self)}
    return Q(**{f"{_field(via)}__in": sorted(paths)})


def contains(ancestor: Any, node: Any, *, strict: bool = False) -> bool:
    """Whether `node` lies in `ancestor`'s subtree (strictly below it, with strict)."""
    top, path = _path(ancestor), _path(node)
    return path.startswith(top) and not (strict and path == top)


def outermost(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another of them: the fewest subtrees covering the same rows."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if kept and path.startswith(kept[-1]):
            continue
        kept.append(path)
    return kept


def _beyond(committees: QuerySet, limit: int) -> QuerySet:
    """The committees past the first `limit` (in no order): empty unless there are more than `limit`."""
    return committees.order_by().values("pk")[limit : limit + 1]


def more_than(committees: QuerySet, limit: int) -> bool:
    """Whether the queryset holds more than `limit` committees (reads at most limit + 1 index entries)."""
    return _beyond(committees, limit).exists()


def subtree_exceeds(node: Any, limit: int) -> bool:
    """Whether more than `limit` committees lie in the subtree."""
    from orgs.models import Committee

    return more_than(Committee.objects.filter(subtree_q(node, "")), limit)


def outer_subtree_exceeds(limit: int, outer: str = "path") -> Exists:
    """An annotation: `subtree_exceeds` for the committee of each outer row (`outer` is its path)."""
    from orgs.models import Committee

    return Exists(_beyond(Committee.objects.filter(outer_subtree_q("", outer)), limit))


def step(position: int) -> str:
    """The four characters of the `position`-th child (1-based), as treebeard writes them."""
    digits = ""
    while position:
        position, digit = divmod(position, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    if len(digits) > STEP:
        raise ValueError(f"more than {len(ALPHABET) ** STEP - 1} children under one committee")
    return digits.rjust(STEP, ALPHABET[0])


def paths_from_parents(rows: Sequence[tuple[int, int | None]]) -> dict[int, tuple[str, int, int]]:
    """{pk: (path, depth, numchild)} for committees given as (pk, parent pk) in sibling order.

    For writing a whole tree at once (the data migration, the demo and the benchmark's
    generator), where treebeard's one-node-at-a-time inserts would be too slow.
    """
    children: dict[int | None, list[int]] = {}
    for pk, parent in rows:
        children.setdefault(parent, []).append(pk)
    out: dict[int, tuple[str, int, int]] = {}
    stack = [(None, "")]
    while stack:
        parent, prefix = stack.pop()
        for position, pk in enumerate(children.get(parent, []), start=1):
            path = prefix + step(position)
            out[pk] = (path, len(path) // STEP, len(children.get(pk, [])))
            stack.append((pk, path))
    if len(out) != len(rows):
        raise ValueError("the parent links do not form a tree (a cycle, or a parent that is not in the list)")
    return out


def rebuild() -> int:
    """Recompute every committee's path from the parent links, siblings in code order. Returns the count.

    Only for committees written in bulk (the demo); the services place committees one by one.
    """
    from orgs.models import Committee

    rows = list(Committee.objects.order_by("code").values_list("pk", "parent_id"))
    paths = paths_from_parents(rows)
    # Two passes so that no intermediate state repeats a path (the column is unique).
    Committee.objects.update(path=Concat(Value("~"), F("pk"), output_field=CharField()))
    objs = [Committee(pk=pk, path=p, depth=d, numchild=n) for pk, (p, d, n) in paths.items()]
    Committee.objects.bulk_update(objs, ["path", "depth", "numchild"], batch_size=2000)
    return len(objs)


def same_tree_q(node: Any, via: str = "committee") -> Q:
    """Rows whose committee hangs from the same root as `node`."""
    return subtree_q(_path(node)[:STEP], via)


def descendant_count() -> Coalesce:
    """An annotation: how many committees lie below each committee of the outer query."""
    from orgs.models import Committee

    below = Committee.objects.filter(outer_subtree_q("", include_self=False)).order_by()
    counted = below.annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def problems() -> dict[str, list[int]]:
    """What is wrong with the stored tree, by kind, with the committees' ids; empty when consistent.

    treebeard's own checks (path characters and length, orphans, depth, child counts) and the
    parent links, which must name the committee whose path is one step shorter.
    """
    from orgs.models import Committee

    kinds = ("path characters", "path length", "orphans", "depth", "child count")
    found = dict(zip(kinds, Committee.objects.find_problems(), strict=True))
    links = Committee.objects.values_list("pk", "path", "parent__path")
    found["parent link"] = [pk for pk, path, parent in links if (parent or "") != path[:-STEP]]
    return {kind: ids for kind, ids in found.items() if ids}
