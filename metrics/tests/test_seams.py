"""The metrics app stands on its own: it imports none of the apps that ask it, and what it needs
from them (records they keep, figures they want stored) comes through its registries."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from metrics import recompute, records
from metrics.engine import evaluate_many
from metrics.models import MetricSnapshot
from metrics.periods import Period
from metrics.snapshots import Spec, metric_values

APP = Path(__file__).resolve().parents[1]
ABOVE = {"plans", "assessments", "dashboards", "notifications", "api"}


def _imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_no_module_of_the_metrics_app_imports_an_app_that_asks_it():
    offenders = {
        str(path.relative_to(APP)): sorted(_imported(path) & ABOVE)
        for path in APP.rglob("*.py")
        if _imported(path) & ABOVE
    }
    assert offenders == {}


def test_every_module_of_the_metrics_app_is_under_500_lines():
    long = {
        str(p.relative_to(APP)): n
        for p in APP.rglob("*.py")
        if "migrations" not in p.parts and "tests" not in p.parts
        for n in [len(p.read_text(encoding="utf-8").splitlines())]
        if n > 500
    }
    assert long == {}


def test_records_nobody_registered_are_named_in_the_error():
    with pytest.raises(LookupError, match="no_such_records"):
        records.from_source("no_such_records", Period.year(2022))


def test_the_gate_evaluations_are_registered_by_the_app_that_keeps_them(db):
    rows = records.from_source(records.GATE_EVALUATIONS, Period.year(2022))
    assert rows.model._meta.label == "assessments.Evaluation"


@pytest.fixture
def extra_figures():
    """A figure source of a test's own, registered like an app's and removed afterwards."""
    added: list[str] = []

    def register(name, source):
        added.append(name)
        recompute.register_figures(name, source)

    yield register
    for name in added:
        recompute._FIGURE_SOURCES.pop(name, None)


def test_a_registered_figure_is_stored_and_read_back_as_the_engine_counts_it(tree, make_activity, extra_figures):
    make_activity(tree.college, "lecture", date(2022, 3, 1))
    make_activity(tree.college_station, "lecture", date(2022, 4, 1))
    make_activity(tree.college, "lecture", date(2022, 9, 1))  # outside the spring semester
    spring = Spec("test:spring", "activity_count", Period.semester(2021, 2), {"kinds": ["lecture"]})
    extra_figures("test", lambda ids, years, today: [(spring, [tree.college.pk])])

    recompute.snapshots_recompute(committee_ids=[tree.college.pk, tree.sibling.pk], years=[2022])

    semester = MetricSnapshot.objects.filter(period_start=spring.period.start, period_end=spring.period.end)
    stored = semester.get()  # for the college only, as the source asked
    assert (stored.committee, stored.params_key, stored.value) == (tree.college, '{"kinds":["lecture"]}', 2)
    engine = evaluate_many("activity_count", committees=[tree.college], period=spring.period, params=spring.params)
    assert engine[tree.college.pk].value == 2
    semester.update(value=Decimal(5))  # prove the read uses the snapshot
    assert metric_values([tree.college.pk], [spring])[(tree.college.pk, "test:spring")].value == 5


def test_the_recompute_is_scheduled_through_the_task_the_app_handed_over(tree, django_capture_on_commit_callbacks):
    from unittest import mock

    from django.core.cache import cache

    from metrics import tasks

    cache.delete(recompute.DEBOUNCE_KEY)
    with mock.patch.object(tasks.recompute_dirty_snapshots, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=True):
            recompute.mark_dirty([tree.college.pk])
    send.assert_called_once_with(countdown=recompute.DEBOUNCE_SECONDS)
    cache.delete(recompute.DEBOUNCE_KEY)
