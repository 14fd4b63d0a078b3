"""Latency of real pages through Django's test client, beside hand-written SQL giving the same numbers."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from bench.context import BenchContext, BenchError, page_latency, sql_latency
from bench.figures import Figure, below, ratio

LIST_TARGET_MS = 100
PAGE_SIZE = 25


def _table(model: Any) -> str:
    return model._meta.db_table


def _placeholders(values: list[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _subtree_pad() -> str:
    """What a committee's path is padded with to bound its subtree from above (a parameter of the
    correlated joins below, the bound `orgs.tree.outer_subtree_q` uses: one range of the path index)."""
    from orgs import tree

    return tree.subtree_bounds("")[1]


def activity_list(ctx: BenchContext) -> None:
    """A district secretary's activity list: one kind, one year, page 2 — and the same page in plain SQL."""
    from activities.models import Activity, ActivityKind, ActivityPhoto
    from orgs import tree
    from orgs.models import Committee

    kind = ActivityKind.objects.get(code="station_activity")
    district = Committee.objects.get(pk=ctx.dataset.ids["district"])
    year = date.fromisoformat(ctx.dataset.seeded_on).year - (1 if ctx.dataset.options["years"] > 1 else 0)
    start, end = date(year, 1, 1), date(year, 12, 31)
    query = {"kind": kind.pk, "date_from": start.isoformat(), "date_to": end.isoformat(), "page": 2}
    url = reverse("activities:index") + "?" + urlencode(query)
    size = ctx.dataset.ids.get("district_size", 0)
    who = f"district secretary, {size:,} committees below"
    page = page_latency(ctx, "secretary", url, runs=40)

    a, c = _table(Activity), _table(Committee)
    where = (
        "a.deleted_at IS NULL AND c.path >= %s AND c.path <= %s "
        "AND a.kind_id = %s AND a.held_on >= %s AND a.held_on <= %s"
    )
    params = [*tree.subtree_bounds(district), kind.pk, start, end]
    count_sql = f"SELECT COUNT(*) FROM {a} a INNER JOIN {c} c ON c.id = a.committee_id WHERE {where}"  # noqa: S608
    page_sql = (
        f"SELECT a.id, a.held_on, a.title, a.place, c.name, k.name, u.username,"  # noqa: S608
        f" (SELECT COUNT(*) FROM {_table(ActivityPhoto)} p WHERE p.activity_id = a.id),"
        f" (SELECT COUNT(*) FROM {_table(Activity.participants.through)} ap WHERE ap.activity_id = a.id)"
        f" FROM {a} a INNER JOIN {c} c ON c.id = a.committee_id"
        f" INNER JOIN {_table(ActivityKind)} k ON k.id = a.kind_id"
        f" LEFT JOIN auth_user u ON u.id = a.created_by_id"
        f" WHERE {where} ORDER BY a.held_on DESC, a.created_at DESC, a.id DESC LIMIT {PAGE_SIZE} OFFSET {PAGE_SIZE}"
    )
    sql50, sql95, _rows = sql_latency(ctx, [(count_sql, params), (page_sql, params)], runs=40)
    ctx.add(
        Figure(
            "activity list",
            f"Activity list p50 ({who}; one kind, one year, page 2)",
            page.p50,
            "ms",
            sql50,
            "same page in hand-written SQL (count + rows), p50",
            note=f"{page.queries} queries per request",
        )
    )
    ctx.add(
        Figure(
            "activity list",
            "Activity list p95 (same request)",
            page.p95,
            "ms",
            sql95,
            "hand-written SQL, p95",
            target=f"< {LIST_TARGET_MS} ms",
            met=below(page.p95, LIST_TARGET_MS),
        )
    )
    first = page_latency(ctx, "secretary", reverse("activities:index"), runs=20)
    ctx.add(
        Figure(
            "activity list",
            "Activity list p95, no filter, page 1 (same secretary)",
            first.p95,
            "ms",
            note=f"{first.queries} queries per request",
        )
    )


def target_progress(ctx: BenchContext) -> None:
    """The province plan's target assigned to up to 1,000 towns: its progress page, and the counts in SQL."""
    from activities.models import Activity, ActivityKind
    from metrics.engine import evaluate_many
    from orgs.models import Committee
    from plans.models import Target
    from plans.progress import target_period

    target = Target.objects.select_related("work_point__section__plan").get(pk=ctx.dataset.ids["target"])
    plan = target.work_point.section.plan
    subjects = list(target.work_point.assigned_committees.values_list("pk", flat=True))
    period = target_period(target, plan.year)
    url = reverse("plans:target_detail", args=[target.pk])
    page = page_latency(ctx, "leader", url, runs=20)

    kinds = list(ActivityKind.objects.filter(code__in=target.params["kinds"]).values_list("pk", flat=True))
    a, c = _table(Activity), _table(Committee)
    sql = (
        f"SELECT t.id, (SELECT COUNT(*) FROM {c} c INNER JOIN {a} a ON a.committee_id = c.id"  # noqa: S608
        f" WHERE c.path >= t.path AND c.path <= (t.path || %s) AND a.deleted_at IS NULL"
        f" AND a.held_on >= %s AND a.held_on <= %s AND a.kind_id IN ({_placeholders(kinds)}))"
        f" FROM {c} t WHERE t.id IN ({_placeholders(subjects)})"
    )
    params = [_subtree_pad(), period.start, period.end, *kinds, *subjects]
    sql50, sql95, rows = sql_latency(ctx, [(sql, params)], runs=20)
    engine = evaluate_many(target.metric, committees=subjects, period=period, params=target.params)
    same = {pk: int(n) for pk, n in rows} == {pk: int(r.value) for pk, r in engine.items()}
    if not same:
        raise BenchError("the hand-written SQL and the metric engine disagree on the target's counts")
    ctx.add(
        Figure(
            "target progress",
            f"Target progress page p95 ({len(subjects):,} sub-committees, leader of the province)",
            page.p95,
            "ms",
            sql95,
            "the same counts in one hand-written SQL query, p95",
            note=f"p50 {page.p50:.0f} ms; {page.queries} queries per request; SQL and metric engine agree",
        )
    )
    plan_page = page_latency(ctx, "leader", reverse("plans:plan_detail", args=[plan.pk]), runs=10)
    ctx.add(
        Figure(
            "target progress",
            "Plan page p95 (both targets' progress)",
            plan_page.p95,
            "ms",
            note=f"{plan_page.queries} queries per request",
        )
    )


DASHBOARD_TARGET_MS = 300
DASHBOARD_RATIO_TARGET = 3.0


def _dashboard_sql(root: Any, children: list[int], start: date, end: date) -> list[tuple[str, list[Any]]]:
    """Hand-written SQL for every number of the dashboard: totals, months, kinds, sub-committee totals."""
    from django.db import connection

    from activities.models import Activity, ActivityKind
    from orgs import tree
    from orgs.models import Committee, Person

    a, c, k = _table(Activity), _table(Committee), _table(ActivityKind)
    ap, p = _table(Activity.participants.through), _table(Person)
    month = (
        "EXTRACT(MONTH FROM a.held_on)"
        if connection.vendor == "postgresql"
        else "CAST(strftime('%%m', a.held_on) AS INTEGER)"
    )
    ids = [root.pk, *children]
    subtree = (
        f"FROM {c} t INNER JOIN {c} c ON c.path >= t.path AND c.path <= (t.path || %s)"
        f" INNER JOIN {a} a ON a.committee_id = c.id AND a.deleted_at IS NULL AND a.held_on >= %s AND a.held_on <= %s"
    )
    subtree_params = [_subtree_pad(), start, end]
    in_root = f"FROM {a} a INNER JOIN {c} c ON c.id = a.committee_id WHERE a.deleted_at IS NULL AND a.held_on >= %s"
    in_root += " AND a.held_on <= %s AND c.path >= %s AND c.path <= %s"
    root_params = [start, end, *tree.subtree_bounds(root)]
    return [
        (
            f"SELECT t.id, COUNT(a.id), COALESCE(SUM(a.youth_reached), 0) {subtree}"  # noqa: S608
            f" WHERE t.id IN ({_placeholders(ids)}) GROUP BY t.id",
            [*subtree_params, *ids],
        ),
        (
            f"SELECT t.id, COUNT(DISTINCT ap.person_id) {subtree}"  # noqa: S608
            f" INNER JOIN {ap} ap ON ap.activity_id = a.id INNER JOIN {p} p ON p.id = ap.person_id"
            f" WHERE p.wulao_category <> '' AND t.id IN ({_placeholders(ids)}) GROUP BY t.id",
            [*subtree_params, *ids],
        ),
        (f"SELECT {month}, COUNT(*) {in_root} GROUP BY 1", root_params),  # noqa: S608
        (
            f"SELECT k.code, COUNT(*) {in_root.replace('WHERE', f'INNER JOIN {k} k ON k.id = a.kind_id WHERE')}"  # noqa: S608
            " GROUP BY k.code",
            root_params,
        ),
    ]


def dashboard(ctx: BenchContext) -> None:
    """The province leader's dashboard (a subtree of every committee) and the same numbers in plain SQL."""
    from django.db import connection
    from django.utils import timezone

    from dashboards.board import Dashboard
    from orgs.models import Committee

    root = Committee.objects.get(pk=ctx.dataset.ids["root"])
    today = timezone.localdate()
    leader = ctx.user("leader")
    board = Dashboard(leader, root, today.year, today)
    children = [child.pk for child in board.children]
    url = reverse("dashboards:committee", args=[root.pk])
    _refresh_snapshots(ctx, root, children, today.year)
    page = page_latency(ctx, "leader", url, runs=30, cached=False)
    cached = page_latency(ctx, "leader", url, runs=30)

    statements = _dashboard_sql(root, children, date(today.year, 1, 1), date(today.year, 12, 31))
    results: list[list] = []

    def run_sql() -> None:
        results.clear()
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())

    from bench.figures import percentile, timed_ms

    samples = timed_ms(run_sql, ctx.runs(10), warmup=1)
    sql50, sql95 = percentile(samples, 50), percentile(samples, 95)
    totals, wulao, months, kinds = ({row[0]: row[1:] for row in rows} for rows in results)
    expected = {
        "activities": int(totals.get(root.pk, (0, 0))[0]),
        "youth": int(totals.get(root.pk, (0, 0))[1]),
        "wulao": int(wulao.get(root.pk, (0,))[0]),
    }
    shown = {name: int(value) for name, value in board.totals.items()}
    same = (
        shown == expected
        and [int(v) for _m, v in board.months] == [int(months.get(m, (0,))[0]) for m in range(1, 13)]
        and {code: int(v) for code, _n, v in board.by_kind} == {code: int(v[0]) for code, v in kinds.items()}
        and all(int(board.value(pk, "year:activity_count")) == int(totals.get(pk, (0,))[0]) for pk in children)
    )
    if not same:
        raise BenchError(f"the dashboard and the hand-written SQL disagree: {shown} vs {expected}")
    size = ctx.dataset.options["committees"]
    slower = ratio(page.p95, sql95)
    ctx.add(
        Figure(
            "dashboard",
            f"Province dashboard p50 (leader; {size:,} committees below, {len(children)} sub-committees listed)",
            page.p50,
            "ms",
            sql50,
            "the same numbers from hand-written SQL aggregates, p50",
            note=f"{page.queries} queries per request; {len(board.target_rows)} target(s) of this year's plan shown",
        )
    )
    ctx.add(
        Figure(
            "dashboard",
            "Province dashboard p95",
            page.p95,
            "ms",
            sql95,
            "hand-written SQL, p95",
            target=f"< {DASHBOARD_TARGET_MS} ms",
            met=below(page.p95, DASHBOARD_TARGET_MS),
            note="numbers checked equal to the SQL",
        )
    )
    ctx.add(
        Figure(
            "dashboard",
            "Dashboard p95 ÷ hand-written SQL p95",
            slower,
            "×",
            target=f"≤ {DASHBOARD_RATIO_TARGET:g}×",
            met=None if slower is None else slower <= DASHBOARD_RATIO_TARGET,
        )
    )
    ctx.add(
        Figure(
            "dashboard",
            "Province dashboard p95, page cache warm (the same leader again)",
            cached.p95,
            "ms",
            note=f"p50 {cached.p50:.0f} ms; {cached.queries} queries; every figure above renders the page afresh",
        )
    )


def _refresh_snapshots(ctx: BenchContext, root: Any, children: list[int], year: int) -> None:
    """What the nightly run stores for the committees the province dashboard reads (figures and the
    progress of the targets they are measured by), timed; a dataset seeded by older code gets them too."""
    import time

    from metrics.models import DirtyCommittee
    from metrics.recompute import snapshots_recompute
    from plans.models import PlanStatus, WorkPoint

    assigned = set(
        WorkPoint.assigned_committees.through.objects.filter(
            workpoint__section__plan__committee=root,
            workpoint__section__plan__year=year,
            workpoint__section__plan__status=PlanStatus.PUBLISHED,
        ).values_list("committee_id", flat=True)
    )
    ids = sorted({root.pk, *children, *assigned})
    DirtyCommittee.objects.filter(committee_id__in=ids).delete()
    started = time.perf_counter()
    snapshots_recompute(committee_ids=ids, years=[year])
    ctx.add(
        Figure(
            "dashboard",
            f"Snapshot recompute of the {len(ids):,} committees the province dashboard reads (the province, "
            f"its {len(children)} sub-committees, the {len(assigned):,} its targets are assigned to)",
            time.perf_counter() - started,
            "s",
            note="part of the nightly run; the page below reads these snapshots",
        )
    )


def dashboard_pending(ctx: BenchContext) -> None:
    """The province dashboard while a change below waits for its recompute, and how long that recompute takes.

    After an activity is saved, the committee and its ancestors are marked dirty and one
    debounced task recomputes them; until then a big subtree's page shows its last
    snapshot and says when it was taken.
    """
    import time

    from django.core.cache import cache
    from django.db import transaction

    from metrics.models import DirtyCommittee
    from metrics.recompute import DEBOUNCE_KEY, mark_dirty, snapshots_recompute_dirty
    from orgs import tree
    from orgs.models import Committee

    root = Committee.objects.get(pk=ctx.dataset.ids["root"])
    leaf = Committee.objects.filter(tree.subtree_q(root, ""), numchild=0).order_by("-depth", "pk").first()
    url = reverse("dashboards:committee", args=[root.pk])
    DirtyCommittee.objects.all().delete()
    # What `mark_dirty` records, without the recompute it sends (in-process it would run at once):
    # a recompute already waiting (the debounce key) means none is sent.
    cache.set(DEBOUNCE_KEY, 1, timeout=600)
    marked = mark_dirty([leaf.pk])
    try:
        page = page_latency(ctx, "leader", url, runs=20, cached=False)
        body = ctx.client("leader").get(url).content.decode()
        stale_note = "data-stale" in body
        with transaction.atomic():
            started = time.perf_counter()
            snapshots_recompute_dirty()
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
    finally:
        DirtyCommittee.objects.all().delete()
        cache.delete(DEBOUNCE_KEY)
    ctx.add(
        Figure(
            "dashboard",
            "Province dashboard p95 while a change below awaits its recompute (last snapshot shown)",
            page.p95,
            "ms",
            target=f"< {DASHBOARD_TARGET_MS} ms",
            met=below(page.p95, DASHBOARD_TARGET_MS) and stale_note,
            note=f"p50 {page.p50:.0f} ms; {page.queries} queries; "
            + ("the page says when its figures were counted" if stale_note else "NO notice of the older figures"),
        )
    )
    ctx.add(
        Figure(
            "dashboard",
            f"Recompute after one activity in a village ({marked} committees: the village and every one above)",
            seconds,
            "s",
            note="how long after the 30 s debounce the province page shows the new numbers",
        )
    )


def snapshots(ctx: BenchContext) -> None:
    """The nightly snapshot recompute over the biggest sub-committee's whole subtree, and what that
    means for the whole province (rolled back: the stored snapshots stay as they were)."""
    import time

    from django.db import transaction
    from django.utils import timezone

    from metrics.recompute import snapshots_recompute
    from orgs import tree
    from orgs.models import Committee

    root = Committee.objects.get(pk=ctx.dataset.ids["root"])
    biggest = (
        Committee.objects.filter(parent=root).annotate(below=tree.descendant_count()).order_by("-below", "pk").first()
    )
    if biggest is None:
        return
    ids = list(Committee.objects.filter(tree.subtree_q(biggest, "")).values_list("pk", flat=True))
    total = Committee.objects.count()
    started = time.perf_counter()
    with transaction.atomic():
        rows = snapshots_recompute(committee_ids=ids, years=[timezone.localdate().year])
        transaction.set_rollback(True)
    seconds = time.perf_counter() - started
    whole = seconds / len(ids) * total * 2 / 60
    ctx.add(
        Figure(
            "dashboard",
            f"Snapshot recompute of one city's whole subtree ({len(ids):,} committees × 1 year, {rows:,} figures)",
            seconds,
            "s",
            note=f"the nightly run over all {total:,} committees × 2 years would take about {whole:.0f} min "
            "(counts and sums of activities are rolled up the tree in one pass; the rest per committee)",
        )
    )
