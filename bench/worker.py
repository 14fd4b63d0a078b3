"""Measurements that need their own process, for an honest peak memory: imports and exports.

`python -m bench.worker TASK ARGS_JSON` sets Django up, runs one task and
prints its result as JSON on the last line of stdout; `run_task` runs the same
task in the calling process (no memory figure then). Every write is rolled
back at the end, so the benchmark database keeps its dataset.
"""

from __future__ import annotations

import io
import json
import os
import resource
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

TASKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def task(fn: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    TASKS[fn.__name__] = fn
    return fn


class Rollback(Exception):
    """Raised at the end of a task's transaction to undo its writes."""


def _rolled_back(action: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    from django.db import transaction

    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            result = action()
            raise Rollback
    except Rollback:
        pass
    return result


def _client(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _xlsx_rows(content: bytes) -> int:
    """Data rows of the first sheet of an .xlsx (header excluded), counted in the XML."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        return archive.read(sheet).count(b"<row ") - 1


def _median_of_runs(runs: int, run: Callable[[], dict[str, Any]], keys: tuple[str, ...]) -> dict[str, Any]:
    """Run a rolled-back task `runs` times; the median of each timed key (a shared machine is noisy)."""
    results = [_rolled_back(run) for _ in range(max(1, runs))]
    merged = dict(results[0])
    for key in keys:
        merged[key] = statistics.median(r[key] for r in results)
    merged["runs"] = len(results)
    return merged


@task
def import_flow(args: dict[str, Any]) -> dict[str, Any]:
    """Upload → preview → confirm through the real import page, as the secretary would (median of runs)."""
    from django.urls import reverse

    from activities.models import Activity

    client = _client(args["username"])
    url = reverse("activities:import")
    content = Path(args["file"]).read_bytes()

    def run() -> dict[str, Any]:
        before = Activity.all_objects.count()
        upload = io.BytesIO(content)
        upload.name = "activities.xlsx"
        started = time.perf_counter()
        preview = client.post(url, {"file": upload})
        preview_s = time.perf_counter() - started
        token = _token_from(preview.content.decode())
        if preview.status_code != 200 or not token:
            raise RuntimeError(f"the preview was refused ({preview.status_code}): {_errors_of(preview)}")
        started = time.perf_counter()
        done = client.post(url, {"token": token})
        confirm_s = time.perf_counter() - started
        added = Activity.all_objects.count() - before
        if done.status_code != 302 or added != args["rows"]:
            raise RuntimeError(f"the import did not save every row ({done.status_code}, {added} of {args['rows']})")
        return {"preview_s": preview_s, "confirm_s": confirm_s, "rows": added}

    return _median_of_runs(args.get("runs", 1), run, ("preview_s", "confirm_s"))


def _token_from(html: str) -> str | None:
    marker = 'name="token" value="'
    at = html.find(marker)
    if at < 0:
        return None
    start = at + len(marker)
    return html[start : html.find('"', start)]


def _errors_of(response: Any) -> str:
    text = response.content.decode(errors="replace")
    at = text.find("form-errors")
    return text[at : at + 600] if at >= 0 else text[:300]


@task
def import_raw(args: dict[str, Any]) -> dict[str, Any]:
    """The same rows with `bulk_create`: activities, then their participants (median of runs)."""
    from activities.models import Activity

    rows = json.loads(Path(args["rows_file"]).read_text(encoding="utf-8"))

    def run() -> dict[str, Any]:
        started = time.perf_counter()
        activities = [
            Activity(
                committee_id=r["committee"],
                kind_id=r["kind"],
                held_on=date.fromisoformat(r["held_on"]),
                title=r["title"],
                place=r["place"],
                youth_reached=r["youth_reached"],
                students_talked=r["students_talked"],
                summary=r["summary"],
            )
            for r in rows
        ]
        Activity.objects.bulk_create(activities, batch_size=2000)
        Through = Activity.participants.through
        links = [
            Through(activity_id=a.pk, person_id=p) for a, r in zip(activities, rows, strict=True) for p in r["people"]
        ]
        Through.objects.bulk_create(links, batch_size=5000)
        return {"seconds": time.perf_counter() - started, "rows": len(activities)}

    return _median_of_runs(args.get("runs", 1), run, ("seconds",))


@task
def export_view(args: dict[str, Any]) -> dict[str, Any]:
    """The activity export page for a query string, as the user would download it."""
    from django.urls import reverse

    client = _client(args["username"])
    url = reverse("activities:export") + "?" + args["query"]
    started = time.perf_counter()
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"the export answered {response.status_code}")
    return {"seconds": seconds, "bytes": len(content), "rows": _xlsx_rows(content)}


@task
def export_raw(args: dict[str, Any]) -> dict[str, Any]:
    """The same rows from one SQL query into a bare openpyxl write-only workbook."""
    from django.db import connection
    from openpyxl import Workbook

    from activities.models import Activity, ActivityKind
    from activities.resources import COLUMNS
    from orgs.models import Committee, Person

    join = (
        "string_agg(p.name, '、' ORDER BY p.name)"
        if connection.vendor == "postgresql"
        else "group_concat(p.name, '、')"
    )
    sql = (
        f"SELECT c.code, k.name, a.held_on, a.title, a.place, a.youth_reached, a.students_talked,"  # noqa: S608
        f" {join}, a.summary"
        f" FROM {Activity._meta.db_table} a"
        f" INNER JOIN {Committee._meta.db_table} c ON c.id = a.committee_id"
        f" INNER JOIN {ActivityKind._meta.db_table} k ON k.id = a.kind_id"
        f" LEFT JOIN {Activity.participants.through._meta.db_table} ap ON ap.activity_id = a.id"
        f" LEFT JOIN {Person._meta.db_table} p ON p.id = ap.person_id"
        f" WHERE a.deleted_at IS NULL AND a.held_on >= %s"
        f" GROUP BY a.id, c.code, k.name ORDER BY a.held_on DESC, a.id DESC"
    )
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(COLUMNS.values()))
    with connection.cursor() as cursor:
        cursor.execute(sql, [args["date_from"]])
        while batch := cursor.fetchmany(5000):
            for row in batch:
                sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    seconds = time.perf_counter() - started
    content = buffer.getvalue()
    return {"seconds": seconds, "bytes": len(content), "rows": _xlsx_rows(content)}


def run_task(name: str, args: dict[str, Any]) -> dict[str, Any]:
    from django.conf import settings
    from django.test.utils import override_settings

    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        return TASKS[name](args)


def _max_rss_mb() -> float:
    """Peak resident memory of this process since it started.

    VmHWM belongs to the address space exec() created; getrusage's ru_maxrss would carry
    over the (larger) peak of the benchmark process that spawned this one.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanwei.settings")
    import django

    django.setup()
    from bench.context import quiet_logs

    quiet_logs()
    ready_mb = _max_rss_mb()
    result = run_task(argv[1], json.loads(argv[2]))
    result.update(peak_rss_mb=_max_rss_mb(), ready_rss_mb=ready_mb)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv)
