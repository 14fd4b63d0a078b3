"""The province generator and the benchmark must not rot: run both at a tiny size.

`make bench` measures at 100,000 committees on PostgreSQL; here the same
commands run on 50 committees and one year, on whatever database the test run
uses, with every section but the gunicorn load test (whose load generator is
checked against a local HTTP server instead).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from activities.models import Activity
from guanwei.bench.load import hammer
from guanwei.bench.seed import read_dataset
from guanwei.bench.shape import build_tree
from orgs.models import Committee


def test_a_province_of_100k_committees_is_exactly_that_size_and_seven_levels_deep():
    tree = build_tree(100_000)
    assert len(tree) == 100_000
    assert tree.depth == 7
    assert tree.lft[0] == 1 and tree.rght[0] == 200_000
    assert all(tree.lft[p] < tree.lft[i] and tree.rght[i] < tree.rght[p] for i, p in enumerate(tree.parent) if p >= 0)


@pytest.mark.django_db
def test_seed_scale_then_a_quick_benchmark_measure_every_section(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("seed_scale", committees=50, years=1, round_size=3, stdout=out)

    dataset = read_dataset()
    assert Committee.objects.count() == 50
    assert Activity.all_objects.count() == dataset.options["activities"] == round(50 * 1 * 20 / 3)
    assert dataset.counts["depth"] == 7
    root = Committee.objects.get(pk=dataset.ids["root"])
    assert root.rght == 2 * 50  # nested sets written directly are consistent
    assert Committee.objects.get(pk=dataset.ids["town"]).get_ancestors().count() == 3

    again = StringIO()
    call_command("seed_scale", committees=50, years=1, round_size=3, stdout=again)
    assert "already holds this dataset" in again.getvalue()

    report = tmp_path / "bench.json"
    call_command(
        "bench", quick=True, no_setup=True, in_process=True, skip="load", json_path=str(report), stdout=StringIO()
    )
    figures = json.loads(report.read_text())["figures"]
    sections = {f["section"] for f in figures}
    assert sections == {"dashboard", "activity list", "target progress", "import", "export", "pdf", "tree"}
    unmeasured = [f["label"] for f in figures if f["value"] is None and "memory" not in f["label"]]
    assert not unmeasured  # peak memory needs a worker process, which --in-process does without
    by_label = {f["label"].split(" (")[0]: f for f in figures}
    assert by_label["Province dashboard p95"]["target"] == "< 300 ms"
    assert by_label["Province dashboard p95"]["verdict"] in ("met", "MISSED")
    assert Committee.objects.count() == 50  # tree writes were undone
    assert Activity.all_objects.count() == dataset.options["activities"]  # imports were rolled back


@pytest.mark.django_db
def test_the_benchmark_refuses_a_database_that_is_not_a_benchmark_database():
    with pytest.raises(CommandError, match="PostgreSQL only|does not look like a benchmark database"):
        call_command("bench", quick=True, stdout=StringIO())


@pytest.mark.django_db
def test_seed_scale_will_not_overwrite_a_database_that_holds_committees(tree):
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_scale", committees=50, years=1, stdout=StringIO())
    assert Committee.objects.count() == 6


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = b"ok" if "sessionid=abc" in self.headers.get("Cookie", "") else b"who?"
        self.send_response(200 if body == b"ok" else 403)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_the_load_generator_counts_answers_and_stops_at_its_bounds():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        served = hammer(port, "/", "sessionid=abc", seconds=5, concurrency=2, max_requests=40)
        refused = hammer(port, "/", "", seconds=0.3, concurrency=2, max_requests=10)
    finally:
        server.shutdown()
    assert served.requests == 40 and served.errors == 0
    assert served.seconds < 5
    assert refused.requests == 0 and refused.errors == 10
