"""Activity import and xlsx export: rows per second and seconds beside a bare baseline, peak memory."""

from __future__ import annotations

import json
import random
import subprocess  # noqa: S404 - runs this project's own worker module
import sys
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from openpyxl import Workbook

from bench.context import BenchContext, BenchError
from bench.figures import Figure, at_least, below, ratio
from bench.texts import PLACES, SUMMARIES, TITLES

IMPORT_ROWS = 50_000  # the size the memory target is set for
IMPORT_RUNS = 3
EXPORT_ROWS = 100_000
QUICK_ROWS = 200
IMPORT_RATE_TARGET = 2_000
IMPORT_RATIO_TARGET = 2.0
IMPORT_MEMORY_TARGET_MB = 500
EXPORT_SECONDS_TARGET = 60
EXPORT_RATIO_TARGET = 1.5


def call_worker(ctx: BenchContext, name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run a worker task in its own process (or in this one with --in-process)."""
    if ctx.in_process:
        from bench.worker import run_task

        return run_task(name, args)
    completed = subprocess.run(  # noqa: S603 - fixed argv: this interpreter and our module
        [sys.executable, "-m", "bench.worker", name, json.dumps(args)],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=3600,
        check=False,
    )
    if completed.returncode != 0:
        raise BenchError(f"worker {name} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _import_rows(ctx: BenchContext, count: int) -> tuple[list[list[Any]], list[dict[str, Any]]]:
    """Rows a district secretary might import: (sheet rows, the same rows resolved to ids)."""
    from activities.models import ActivityKind
    from orgs import tree
    from orgs.models import Committee, Person

    rng = random.Random(11)  # noqa: S311 - synthetic data
    district = Committee.objects.get(pk=ctx.dataset.ids["district"])
    committees = list(Committee.objects.filter(tree.subtree_q(district, "")).order_by("code").values_list("pk", "code"))
    ids = [pk for pk, _code in committees]
    unique = {
        (row["committee_id"], row["name"])
        for row in Person.objects.filter(committee_id__in=ids)
        .values("committee_id", "name")
        .annotate(n=Count("id"))
        .filter(n=1)
    }
    people: dict[int, list[tuple[int, str]]] = {}
    for pk, committee_id, name in Person.objects.filter(committee_id__in=ids).values_list("pk", "committee_id", "name"):
        if (committee_id, name) in unique:
            people.setdefault(committee_id, []).append((pk, name))
    kinds = list(ActivityKind.objects.filter(is_active=True).values_list("pk", "code", "name"))
    today = timezone.localdate()
    sheet_rows, resolved = [], []
    for _ in range(count):
        committee_id, code = rng.choice(committees)
        kind_id, kind_code, kind_name = rng.choice(kinds)
        held_on = today - timedelta(days=rng.randint(1, 300))
        title = rng.choice(TITLES.get(kind_code, TITLES["other"]))
        place = rng.choice(PLACES)
        youth = rng.randint(10, 300)
        talked = rng.randint(1, 8) if kind_code in ("heart_talk", "party_talk") else 0
        summary = rng.choice(SUMMARIES) if rng.random() < 0.3 else ""
        chosen = []
        if people.get(committee_id) and rng.random() < 0.3:
            chosen = rng.sample(people[committee_id], min(len(people[committee_id]), rng.randint(1, 2)))
        shown_date: Any = rng.choice(
            [held_on.isoformat(), f"{held_on.year}年{held_on.month}月{held_on.day}日", held_on, held_on]
        )
        sheet_rows.append(
            [code, kind_name, shown_date, title, place, youth, talked, "、".join(n for _, n in chosen), summary]
        )
        resolved.append(
            {
                "committee": committee_id,
                "kind": kind_id,
                "held_on": held_on.isoformat(),
                "title": title,
                "place": place,
                "youth_reached": youth,
                "students_talked": talked,
                "summary": summary,
                "people": [pk for pk, _ in chosen],
            }
        )
    return sheet_rows, resolved


def _write_xlsx(path: Any, rows: list[list[Any]]) -> None:
    from activities.resources import COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(COLUMNS.values()))
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def activity_import(ctx: BenchContext) -> None:
    count = QUICK_ROWS if ctx.quick else ctx.import_rows
    sheet_rows, resolved = _import_rows(ctx, count)
    xlsx = ctx.work_dir / f"import-{count}.xlsx"
    rows_file = ctx.work_dir / f"import-{count}.json"
    _write_xlsx(xlsx, sheet_rows)
    rows_file.write_text(json.dumps(resolved, ensure_ascii=False), encoding="utf-8")
    username = ctx.dataset.personas["secretary"]
    # Sub-second timings on a shared machine: the median of a few runs on both sides (one at the memory size).
    runs = 1 if count >= IMPORT_ROWS else IMPORT_RUNS
    real = call_worker(ctx, "import_flow", {"file": str(xlsx), "username": username, "rows": count, "runs": runs})
    raw = call_worker(ctx, "import_raw", {"rows_file": str(rows_file), "runs": runs})
    rate = count / real["confirm_s"]
    raw_rate = count / raw["seconds"]
    slower = ratio(real["confirm_s"], raw["seconds"])
    memory = real.get("peak_rss_mb")
    where = f"{count:,} rows, district secretary, upload → preview → confirm"
    ctx.add(
        Figure(
            "import",
            f"Activity import, confirm step ({where})",
            rate,
            "rows/s",
            raw_rate,
            "raw bulk_create of the same rows (activities + participants)",
            target=f"≥ {IMPORT_RATE_TARGET:,} rows/s",
            met=at_least(rate, IMPORT_RATE_TARGET),
            note=f"confirm {real['confirm_s']:.2f} s; the preview before it took {real['preview_s']:.1f} s"
            + (f"; medians of {runs} runs each" if runs > 1 else ""),
        )
    )
    ctx.add(
        Figure(
            "import",
            "Activity import time ÷ raw bulk_create time",
            slower,
            "×",
            target=f"≤ {IMPORT_RATIO_TARGET:g}×",
            met=None if slower is None else slower <= IMPORT_RATIO_TARGET,
        )
    )
    ctx.add(
        Figure(
            "import",
            f"Activity import peak memory (whole process, {count:,} rows)",
            memory,
            "MB",
            raw.get("peak_rss_mb"),
            "raw bulk_create process",
            target=f"< {IMPORT_MEMORY_TARGET_MB} MB for {IMPORT_ROWS:,} rows",
            met=below(memory, IMPORT_MEMORY_TARGET_MB) if count >= IMPORT_ROWS else None,
            note=_memory_note(memory, count, (real["preview_s"] + real["confirm_s"]) / count),
        )
    )


def _memory_note(memory: float | None, count: int, seconds_per_row: float) -> str:
    if memory is None:
        return "in-process run: no separate memory figure"
    if count >= IMPORT_ROWS:
        return ""
    seconds = IMPORT_ROWS * seconds_per_row
    took = f"{seconds / 60:.0f} min" if seconds >= 120 else f"{seconds:.0f} s"
    return (
        f"measured at {count:,} rows, not at {IMPORT_ROWS:,}: at this rate {IMPORT_ROWS:,} rows take about "
        f"{took} (preview + confirm); `bench --only import --import-rows {IMPORT_ROWS}` measures it"
    )


def _export_cutoff(count: int) -> date:
    """The earliest date such that live activities from it on number about `count`."""
    from activities.models import Activity

    dates = Activity.objects.order_by("-held_on").values_list("held_on", flat=True)
    found = list(dates[count - 1 : count])
    if found:
        return found[0]
    earliest = Activity.objects.order_by("held_on").values_list("held_on", flat=True).first()
    return earliest or timezone.localdate()


def activity_export(ctx: BenchContext) -> None:
    count = QUICK_ROWS if ctx.quick else EXPORT_ROWS
    cutoff = _export_cutoff(count)
    username = ctx.dataset.personas["leader"]
    real = call_worker(ctx, "export_view", {"username": username, "query": f"date_from={cutoff.isoformat()}"})
    bare = call_worker(ctx, "export_raw", {"date_from": cutoff.isoformat()})
    if real["rows"] != bare["rows"]:
        raise BenchError(f"the export has {real['rows']} rows but the bare dump {bare['rows']}")
    slower = ratio(real["seconds"], bare["seconds"])
    big = count >= EXPORT_ROWS
    ctx.add(
        Figure(
            "export",
            f"Activity xlsx export ({real['rows']:,} rows, leader of the province, real export page)",
            real["seconds"],
            "s",
            bare["seconds"],
            "one SQL query into a bare openpyxl write-only workbook",
            target=f"< {EXPORT_SECONDS_TARGET} s" if big else "",
            met=below(real["seconds"], EXPORT_SECONDS_TARGET) if big else None,
            note=f"{real['bytes'] / 1e6:.1f} MB file",
        )
    )
    ctx.add(
        Figure(
            "export",
            "Export time ÷ bare openpyxl time",
            slower,
            "×",
            target=f"≤ {EXPORT_RATIO_TARGET:g}×",
            met=None if slower is None else slower <= EXPORT_RATIO_TARGET,
        )
    )
    ctx.add(
        Figure(
            "export",
            "Export peak memory (whole process)",
            real.get("peak_rss_mb"),
            "MB",
            bare.get("peak_rss_mb"),
            "bare openpyxl process",
            note="" if real.get("peak_rss_mb") is not None else "in-process run: no separate memory figure",
        )
    )
