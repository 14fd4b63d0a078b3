"""Run the benchmark's sections in order and collect one report."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from bench import bulk, load, pages, pdfs, plandocs, tree, wiring
from bench.context import BenchContext, quiet_logs
from bench.dataset import Dataset
from bench.figures import Figure, Report


def _load(ctx: BenchContext) -> None:
    load.load(
        ctx,
        [
            (
                "Province dashboard, leader",
                "leader",
                reverse("dashboards:committee", args=[ctx.dataset.ids["root"]]),
                True,
                "after the first request the page comes from the page cache (a big subtree's dashboard is "
                "rendered again when its snapshots change, at the latest after a minute)",
            ),
            ("Activity list, district secretary", "secretary", reverse("activities:index"), False, ""),
        ],
    )


# Tree writes go last: they rewrite much of the committee table (see `tree.tree_writes`).
SECTIONS: dict[str, Callable[[BenchContext], None]] = {
    "dashboard": pages.dashboard,
    "pending": pages.dashboard_pending,
    "snapshots": pages.snapshots,
    "list": pages.activity_list,
    "targets": pages.target_progress,
    "import": bulk.activity_import,
    "export": bulk.activity_export,
    "pdf": pdfs.pdf_reports,
    "plan": plandocs.plan_document,
    "wiring": wiring.target_wiring,
    "load": _load,
    "tree": tree.tree_writes,
}


def tidy_tables(out: Callable[[str], None]) -> None:
    """VACUUM ANALYZE the big tables first: a server may run without autovacuum (this one does), and an
    earlier run's writes must not slow this one down. Cheap when there is nothing to do."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    from activities.models import Activity
    from orgs.models import Committee

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] != "on":
            out("(autovacuum is off on this server: the benchmark vacuums its own tables)")
        for model in (Committee, Activity, Activity.participants.through):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
    out(f"(tables vacuumed in {time.monotonic() - started:.1f} s)")


def run_sections(
    dataset: Dataset,
    *,
    sections: list[str],
    quick: bool,
    in_process: bool,
    work_dir: Path,
    import_rows: int = 50_000,
    out: Callable[[str], None],
) -> tuple[Report, list[str]]:
    """Every chosen section; a section that fails is reported and the others still run."""
    quiet_logs()
    report = Report()
    errors: list[str] = []
    work_dir.mkdir(parents=True, exist_ok=True)
    ctx = BenchContext(
        dataset=dataset,
        report=report,
        work_dir=work_dir,
        quick=quick,
        in_process=in_process,
        import_rows=import_rows,
        out=out,
    )
    tidy_tables(out)
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        for name in sections:
            started = time.monotonic()
            out(f"== {name}")
            try:
                SECTIONS[name](ctx)
            except Exception as exc:  # one broken section must not hide the others' figures
                errors.append(f"{name}: {exc}")
                out(traceback.format_exc())
                report.add(Figure(name, f"{name} could not be measured", None, "", note=str(exc)[:300]))
            out(f"   ({time.monotonic() - started:.1f} s)")
    report.notes.append(
        f"Measured {timezone.localtime():%Y-%m-%d %H:%M}; latencies through Django's test client with DEBUG off;"
        " p95 is the nearest-rank 95th percentile."
    )
    return report, errors
