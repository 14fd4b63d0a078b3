"""The province generator and the benchmark must not rot: run both at a tiny size.

`make bench` measures at 100,000 committees on PostgreSQL; here the same
commands run on 50 committees and one year, on whatever database the test run
uses, with every section but the gunicorn load test (whose load generator is
checked against a local HTTP server instead).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from activities.models import Activity
from bench.dataset import read_dataset
from bench.load import hammer
from bench.shape import build_tree
from orgs import tree as tree_paths
from orgs.models import Committee


def test_a_province_of_100k_committees_is_exactly_that_size_and_seven_levels_deep():
    tree = build_tree(100_000)
    assert len(tree) == 100_000
    assert tree.depth == 7
    assert tree.path[0] == "0001" and tree.parent[0] == -1
    assert all(tree.path[i] == tree.path[p] + tree.path[i][-4:] for i, p in enumerate(tree.parent) if p >= 0)
    assert len(set(tree.path)) == len(tree)
    children = Counter(tree.parent)
    assert tree.numchild == [children[i] for i in range(len(tree))]
    assert tree.descendants()[0] == len(tree) - 1
    # Exactly what treebeard's columns would be for the same parent links, siblings in code order.
    in_order = sorted(range(len(tree)), key=tree.code.__getitem__)
    expected = tree_paths.paths_from_parents([(i, tree.parent[i] if tree.parent[i] >= 0 else None) for i in in_order])
    assert [expected[i] for i in range(len(tree))] == [
        (tree.path[i], tree.level[i] + 1, tree.numchild[i]) for i in range(len(tree))
    ]


def test_a_province_hangs_below_the_root_path_it_is_given():
    tree = build_tree(50, root_path="000A")
    assert all(path.startswith("000A") for path in tree.path)
    assert sorted(len(p) for p in tree.path)[:2] == [4, 8]


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
    # The paths written directly are what treebeard would keep: it finds no problem and counts the same subtree.
    assert root.depth == 1 and len(root.path) == 4
    assert Committee.objects.find_problems() == ([], [], [], [], [])
    assert (
        Committee.objects.filter(path__startswith=root.path).count()
        == 50
        == Committee.objects.get_descendant_count(root) + 1
    )
    assert Committee.objects.get_ancestors(Committee.objects.get(pk=dataset.ids["town"])).count() == 3

    again = StringIO()
    call_command("seed_scale", committees=50, years=1, round_size=3, stdout=again)
    assert "already holds this dataset" in again.getvalue()

    report = tmp_path / "bench.json"
    call_command(
        "bench", quick=True, no_setup=True, in_process=True, skip="load", json_path=str(report), stdout=StringIO()
    )
    figures = json.loads(report.read_text())["figures"]
    sections = {f["section"] for f in figures}
    assert sections == {
        "dashboard",
        "activity list",
        "target progress",
        "import",
        "export",
        "pdf",
        "plan document",
        "wiring",
        "tree",
    }
    unmeasured = [f["label"] for f in figures if f["value"] is None and "memory" not in f["label"]]
    assert not unmeasured  # peak memory needs a worker process, which --in-process does without
    by_label = {f["label"].split(" (")[0]: f for f in figures}
    assert by_label["Province dashboard p95"]["target"] == "< 300 ms"
    assert by_label["Province dashboard p95"]["verdict"] in ("met", "MISSED")
    wiring = by_label["Targets wired to a metric on reading"]
    assert wiring["verdict"] == "met" and wiring["target"].startswith("≥ 90%")
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
