"""Metric snapshots: marked dirty after activity changes, recomputed once per burst, idempotent, equal to the engine."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from activities import services as activity_services
from dashboards.specs import dashboard_specs, kind_codes, month_specs, total_specs
from metrics import recompute as services
from metrics import tasks
from metrics.engine import evaluate_many
from metrics.models import DirtyCommittee, MetricSnapshot
from metrics.periods import Period
from metrics.snapshots import metric_values


@pytest.fixture
def logged(tree, make_activity, wulao, time_machine):
    time_machine.move_to(dt.datetime(2022, 6, 30, 4, tzinfo=dt.UTC))
    make_activity(tree.college, dt.date(2022, 3, 5), youth_reached=30, people=wulao)
    make_activity(tree.college_station, dt.date(2022, 6, 2), "station_activity", youth_reached=15)
    make_activity(tree.sibling, dt.date(2022, 4, 5), "report", youth_reached=50)


def test_marking_a_committee_dirty_marks_its_ancestors_but_not_its_siblings(tree):
    services.mark_dirty([tree.college_station.pk])
    dirty = set(DirtyCommittee.objects.values_list("committee_id", flat=True))
    assert dirty == {tree.college_station.pk, tree.college.pk, tree.university.pk, tree.province.pk}


def test_recompute_twice_gives_the_same_rows(tree, logged):
    services.snapshots_recompute_all(years=[2022])
    first = sorted(MetricSnapshot.objects.values_list("committee_id", "metric", "params_key", "period_start", "value"))
    services.snapshots_recompute_all(years=[2022])
    second = sorted(MetricSnapshot.objects.values_list("committee_id", "metric", "params_key", "period_start", "value"))
    assert first == second
    assert len(first) == 6 * len(dashboard_specs(2022, kind_codes()))  # six committees


def test_every_snapshot_equals_the_metric_engine(tree, logged):
    services.snapshots_recompute_all(years=[2022])
    ids = [tree.province.pk, tree.university.pk, tree.college.pk, tree.college_station.pk, tree.sibling.pk]
    stored = {
        (row.committee_id, row.metric, row.params_key, row.period_start, row.period_end): row.value
        for row in MetricSnapshot.objects.all()
    }
    for spec in dashboard_specs(2022, kind_codes()):
        engine = evaluate_many(spec.metric, committees=ids, period=spec.period, params=spec.params)
        metric, key, _subtree, start, end = spec.key
        for pk in ids:
            assert stored[(pk, metric, key, start, end)] == engine[pk].value, (spec.name, pk)
    assert stored[(tree.university.pk, "activity_count", "{}", dt.date(2022, 1, 1), dt.date(2022, 12, 31))] == 3


def test_the_dashboard_reads_snapshots_and_ignores_those_of_dirty_committees(client_for, tree, logged):
    services.snapshots_recompute_all(years=[2022])
    url = reverse("dashboards:committee", args=[tree.university.pk])
    # Prove the page reads the stored figure: change it behind the engine's back.
    MetricSnapshot.objects.filter(
        committee=tree.university,
        metric="youth_reached",
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2022, 12, 31),
    ).update(value=999)
    assert client_for("leader").get(url).context["board"].totals["youth"] == 999
    services.mark_dirty([tree.university.pk])  # now its numbers may have changed: ask the engine
    assert client_for("leader").get(url).context["board"].totals["youth"] == 95


def test_figures_are_the_same_from_snapshots_and_live(tree, logged):
    ids = [tree.university.pk, tree.college.pk, tree.sibling.pk]
    specs = total_specs(2022) + month_specs(2022)
    live = metric_values(ids, specs)
    services.snapshots_recompute_all(years=[2022])
    assert metric_values(ids, specs) == live


def test_logging_an_activity_recomputes_its_committee_and_those_above(
    tree, kinds, personas, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(dt.datetime(2022, 6, 30, 4, tzinfo=dt.UTC))
    services.snapshots_recompute_all(years=[2022])
    with django_capture_on_commit_callbacks(execute=True):
        activity = activity_services.activity_create(
            committee=tree.college,
            kind=kinds.lecture,
            title="党史宣讲",
            held_on=dt.date(2022, 5, 4),
            by=personas["sec_college"],
        )
    assert not DirtyCommittee.objects.exists()  # tasks run eagerly in tests: already recomputed
    year = MetricSnapshot.objects.filter(
        metric="activity_count", params_key="{}", period_start=dt.date(2022, 1, 1), period_end=dt.date(2022, 12, 31)
    )
    assert dict(year.filter(value__gt=0).values_list("committee_id", "value")) == {
        tree.college.pk: 1,
        tree.university.pk: 1,
        tree.province.pk: 1,
    }
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.activity_delete(activity=activity, by=personas["sec_college"])
    assert not year.filter(value__gt=0).exists()


def test_a_burst_of_changes_schedules_one_delayed_recompute(tree, django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.recompute_dirty_snapshots, "apply_async") as send:
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                services.mark_dirty([tree.college.pk])
    send.assert_called_once_with(countdown=services.DEBOUNCE_SECONDS)
    tasks.recompute_dirty_snapshots.apply()  # the run clears the debounce …
    with mock.patch.object(tasks.recompute_dirty_snapshots, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=True):
            services.mark_dirty([tree.college.pk])
    send.assert_called_once()  # … so the next change schedules again


def test_a_broker_outage_does_not_fail_the_save(tree, django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.recompute_dirty_snapshots, "apply_async", side_effect=ConnectionError("no redis")):
        with django_capture_on_commit_callbacks(execute=True):
            services.mark_dirty([tree.college.pk])
    assert DirtyCommittee.objects.filter(committee=tree.college).exists()  # the nightly run will pick it up


def test_the_recompute_task_run_twice_does_the_work_once(tree, logged):
    services.mark_dirty([tree.college.pk])
    assert tasks.recompute_dirty_snapshots.apply().get() == 3  # the college, the university, the province
    assert tasks.recompute_dirty_snapshots.apply().get() == 0
    assert MetricSnapshot.objects.filter(committee=tree.college).exists()


def test_a_committee_marked_again_during_a_run_stays_dirty(tree, logged):
    services.mark_dirty([tree.college.pk])
    original = services.snapshots_recompute

    def slow_recompute(**kwargs):
        written = original(**kwargs)
        DirtyCommittee.objects.filter(committee=tree.college).update(marked_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
        return written

    with mock.patch.object(services, "snapshots_recompute", side_effect=slow_recompute):
        services.snapshots_recompute_dirty()
    assert list(DirtyCommittee.objects.values_list("committee_id", flat=True)) == [tree.college.pk]


def test_the_nightly_recompute_is_in_the_beat_schedule():
    from guanwei.celery import app

    tasks_scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "metrics.tasks.recompute_all_snapshots" in tasks_scheduled
    assert tasks.recompute_all_snapshots.acks_late and tasks.recompute_all_snapshots.reject_on_worker_lost


def test_last_years_snapshots_are_recomputed_when_a_dirty_committee_has_them(tree, make_activity, time_machine):
    time_machine.move_to(dt.datetime(2022, 6, 30, 4, tzinfo=dt.UTC))
    services.snapshots_recompute(committee_ids=[tree.college.pk], years=[2021])
    make_activity(tree.college, dt.date(2021, 11, 11))
    services.mark_dirty([tree.college.pk])
    services.snapshots_recompute_dirty()
    row = MetricSnapshot.objects.get(
        committee=tree.college,
        metric="activity_count",
        params_key="{}",
        period_start=Period.year(2021).start,
        period_end=Period.year(2021).end,
    )
    assert row.value == 1


def test_figures_served_from_snapshots_read_as_plain_numbers(client_for, tree, logged):
    services.snapshots_recompute_all(years=[2022])
    body = client_for("leader").get(reverse("dashboards:committee", args=[tree.university.pk]), {"year": 2022})
    assert 'data-figure="youth">95<' in body.content.decode()


def _stored_youth(committee, value):
    MetricSnapshot.objects.filter(
        committee=committee,
        metric="youth_reached",
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2022, 12, 31),
    ).update(value=value)


def test_a_big_subtree_shows_its_last_snapshot_while_a_recompute_is_pending_and_says_when(
    client_for, tree, logged, settings
):
    services.snapshots_recompute_all(years=[2022])
    taken = MetricSnapshot.objects.filter(committee=tree.university).first().computed_at
    _stored_youth(tree.university, 999)  # the stored figure differs from the engine's 95
    services.mark_dirty([tree.college.pk])
    url = reverse("dashboards:committee", args=[tree.university.pk])

    settings.GUANWEI_LIVE_SUBTREE_LIMIT = 3  # the university's subtree has 4 committees: "big"
    response = client_for("leader").get(url)
    assert response.context["board"].totals["youth"] == 999
    assert response.context["board"].as_of == taken
    assert "记录已有变动" in response.content.decode()

    settings.GUANWEI_LIVE_SUBTREE_LIMIT = 4  # small enough to count live: current numbers, no notice
    response = client_for("leader").get(url)
    assert response.context["board"].totals["youth"] == 95
    assert response.context["board"].as_of is None
    assert "记录已有变动" not in response.content.decode()


def test_target_progress_on_the_dashboard_comes_from_snapshots_equal_to_the_engine(
    client_for, tree, uni_plan, make_activity, time_machine
):
    from dashboards.tests.conftest import add_target  # noqa: F401 (the plan's targets are in uni_plan)

    time_machine.move_to(dt.datetime(2022, 6, 30, 4, tzinfo=dt.UTC))
    for day in (1, 2, 3):
        make_activity(tree.college, dt.date(2022, 3, day))
    make_activity(tree.sibling, dt.date(2022, 3, 9))
    url = reverse("dashboards:committee", args=[tree.university.pk])
    client = client_for("leader")
    live = {r.target.text: (r.shown, r.status) for r in client.get(url).context["board"].target_rows}
    assert live["全年宣讲不少于10场"] == ("4", "warn")

    services.snapshots_recompute_all(years=[2022])
    lectures = MetricSnapshot.objects.filter(
        committee=tree.university, metric="activity_count", params_key='{"kinds":["lecture"]}'
    )
    assert lectures.get(period_start=dt.date(2022, 1, 1)).value == 4  # stored for the target
    assert {r.target.text: (r.shown, r.status) for r in client.get(url).context["board"].target_rows} == live

    lectures.update(value=10)  # prove the page reads the snapshot: change it behind the engine's back
    rows = {r.target.text: (r.shown, r.status) for r in client.get(url).context["board"].target_rows}
    assert rows["全年宣讲不少于10场"] == ("10", "ok")
    services.mark_dirty([tree.college.pk])  # a change below: a small subtree is counted live again
    rows = {r.target.text: (r.shown, r.status) for r in client.get(url).context["board"].target_rows}
    assert rows["全年宣讲不少于10场"] == ("4", "warn")


def test_a_big_subtree_page_is_rendered_once_until_its_snapshots_change(
    client_for, tree, logged, settings, django_assert_max_num_queries
):
    from orgs.models import Committee

    settings.GUANWEI_LIVE_SUBTREE_LIMIT = 3  # the university's 4 committees count as a big subtree
    services.snapshots_recompute_all(years=[2022])
    url = reverse("dashboards:committee", args=[tree.university.pk])
    leader = client_for("leader")
    assert "基础医学院关工分委" in leader.get(url).content.decode()
    Committee.objects.filter(pk=tree.college.pk).update(name="改名后的学院")
    with django_assert_max_num_queries(12):  # session, user, scope, breadcrumbs, the cache key: no figures
        assert "基础医学院关工分委" in leader.get(url).content.decode()  # the rendered page, from the cache

    # Another user gets a page of their own (the admin may log activities, the leader may not).
    assert "改名后的学院" in client_for("admin").get(url).content.decode()

    services.mark_dirty([tree.college.pk])  # a change below: the page is rendered afresh
    body = leader.get(url).content.decode()
    assert "改名后的学院" in body and "data-stale" in body
    services.snapshots_recompute_dirty()
    body = leader.get(url).content.decode()
    assert "改名后的学院" in body and "data-stale" not in body
