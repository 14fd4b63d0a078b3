"""Writes of metric snapshots: mark committees dirty, recompute them, and the nightly full run.

Snapshots are derived numbers, not anybody's records: they are not written to
the audit log (the activity change that caused a recompute already is).

Freshness: `activities.services` calls `mark_dirty` after every activity
change commits; the committee and all its ancestors become dirty, and one
debounced task (`dashboards.tasks.recompute_dirty_snapshots`) recomputes
them. Changes that do not go through activities (people registries, moves in
the tree, news and donations) are picked up by the nightly full recompute;
the dashboard's activity figures are the ones snapshots serve.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dashboards.models import DirtyCommittee, MetricSnapshot, WeeklyMailing
from dashboards.specs import Spec, dashboard_specs
from orgs import tree
from orgs.models import Committee
from plans.metrics import MetricRequest, MetricResult, evaluate_many, evaluate_rollup, rolls_up

logger = logging.getLogger(__name__)

# A burst of saves within this many seconds schedules one recompute.
DEBOUNCE_SECONDS = 30
DEBOUNCE_KEY = "dashboards:recompute-scheduled"
CHUNK = 500


def kind_codes() -> list[str]:
    from activities.models import ActivityKind

    return list(ActivityKind.objects.order_by("sort_order", "id").values_list("code", flat=True))


def _with_ancestors(committee_ids: set[int]) -> list[int]:
    """The committees and everything above them: their paths' prefixes, in two queries."""
    paths = list(Committee.objects.filter(pk__in=committee_ids).values_list("path", flat=True))
    if not paths:
        return []
    return list(
        Committee.objects.filter(tree.ancestors_of_any_q(paths, "", include_self=True)).values_list("pk", flat=True)
    )


@transaction.atomic
def mark_dirty(committee_ids: Iterable[int | None]) -> int:
    """Record that these committees' numbers (and so their ancestors') changed; schedule one recompute."""
    ids = {pk for pk in committee_ids if pk}
    dirty = _with_ancestors(ids)
    if not dirty:
        return 0
    now = timezone.now()
    DirtyCommittee.objects.bulk_create(
        [DirtyCommittee(committee_id=pk, marked_at=now) for pk in dirty],
        update_conflicts=True,
        unique_fields=["committee"],
        update_fields=["marked_at"],
    )
    transaction.on_commit(schedule_recompute)
    return len(dirty)


def schedule_recompute() -> bool:
    """Send the recompute task unless one is already waiting (a cache `add` is the debounce)."""
    from dashboards.tasks import recompute_dirty_snapshots

    if not cache.add(DEBOUNCE_KEY, 1, timeout=DEBOUNCE_SECONDS * 4):
        return False
    try:
        recompute_dirty_snapshots.apply_async(countdown=DEBOUNCE_SECONDS)
    except Exception:  # a broker outage must not fail the save; the nightly run catches up
        cache.delete(DEBOUNCE_KEY)
        logger.exception("could not schedule the snapshot recompute")
        return False
    return True


def _target_jobs(ids: list[int], years: list[int], today: date) -> list[tuple[Spec, set[int]]]:
    """What the dashboards' target progress reads: each published target of these years, for the
    plan's committee and the sub-committees it is checked for, limited to `ids`."""
    from plans.metrics import METRICS
    from plans.models import PlanStatus, Target
    from plans.progress import subject_committees, target_period
    from plans.selectors import sub_committees

    wanted = set(ids)
    parents = set(
        Committee.objects.filter(pk__in=ids, parent__isnull=False).values_list("parent_id", flat=True).distinct()
    )
    targets = (
        Target.objects.filter(
            work_point__section__plan__status=PlanStatus.PUBLISHED,
            work_point__section__plan__year__in=years,
            metric__in=list(METRICS),
        )
        .filter(
            Q(work_point__section__plan__committee_id__in=wanted | parents) | Q(work_point__assigned_committees__in=ids)
        )
        .distinct()
        .select_related("work_point__section__plan__committee")
        .prefetch_related("work_point__assigned_committees")
    )
    children: dict[int, list[Committee]] = {}
    jobs = []
    for target in targets:
        plan = target.work_point.section.plan
        if plan.committee_id not in children:
            children[plan.committee_id] = sub_committees(plan.committee)
        subjects = subject_committees(target, plan.committee, children[plan.committee_id])
        committees = {plan.committee_id, *(c.pk for c in subjects)} & wanted
        if committees:
            period = target_period(target, plan.year, today)
            spec = Spec(f"target:{target.pk}", target.metric, period, target.params or {}, target.subtree)
            jobs.append((spec, committees))
    return jobs


class _SnapshotWriter:
    """Upserts snapshot rows in batches; one row per natural key in a batch (specs may repeat one another)."""

    BATCH = 5000

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.rows: dict[tuple, MetricSnapshot] = {}
        self.written = 0

    def add(self, pk: int, spec: Spec, result: MetricResult) -> None:
        metric, key, subtree, start, end = spec.key
        self.rows[(pk, *spec.key)] = MetricSnapshot(
            committee_id=pk,
            metric=metric,
            params_key=key,
            subtree=subtree,
            period_start=start,
            period_end=end,
            value=result.value,
            numerator=result.numerator,
            denominator=result.denominator,
            computed_at=self.now,
        )
        if len(self.rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        MetricSnapshot.objects.bulk_create(
            list(self.rows.values()),
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["committee", "metric", "params_key", "subtree", "period_start", "period_end"],
            update_fields=["value", "numerator", "denominator", "computed_at"],
        )
        self.written += len(self.rows)
        self.rows = {}


@transaction.atomic
def snapshots_recompute(*, committee_ids: Iterable[int], years: Iterable[int]) -> int:
    """Compute and store every dashboard figure for these committees and years, and the progress of
    the published targets they are measured by. Idempotent.

    Counts and sums of activities over whole months come from one roll-up over the tree
    (`plans.metrics.evaluate_rollup`); every other figure from the metric engine, a chunk
    of committees at a time.
    """
    ids = sorted(set(committee_ids))
    years = sorted(set(years))
    codes = kind_codes()
    specs = [spec for year in years for spec in dashboard_specs(year, codes)]
    jobs = [(spec, ids) for spec in specs]
    jobs += [(spec, sorted(pks)) for spec, pks in _target_jobs(ids, years, timezone.localdate())]
    rolled = [(s, pks) for s, pks in jobs if rolls_up(s.metric, s.period, s.params, s.subtree)]
    counted = [(s, pks) for s, pks in jobs if not rolls_up(s.metric, s.period, s.params, s.subtree)]
    writer = _SnapshotWriter(timezone.now())
    requests = [MetricRequest(s.metric, pks, s.period, s.params, s.subtree) for s, pks in rolled]
    for pk, results in evaluate_rollup(requests):
        for (spec, _pks), result in zip(rolled, results, strict=True):
            if result is not None:
                writer.add(pk, spec, result)
    for start in range(0, len(ids), CHUNK):
        chunk = set(ids[start : start + CHUNK])
        for spec, pks in counted:
            part = [pk for pk in pks if pk in chunk]
            if not part:
                continue
            results = evaluate_many(
                spec.metric, committees=part, period=spec.period, params=spec.params, subtree=spec.subtree
            )
            for pk, result in results.items():
                writer.add(pk, spec, result)
    writer.flush()
    return writer.written


def _claimed_q(claimed: list[tuple[int, datetime]]) -> Q:
    q = Q(pk__in=[])
    for committee_id, marked_at in claimed:
        q |= Q(committee_id=committee_id, marked_at=marked_at)
    return q


@transaction.atomic
def snapshots_recompute_dirty() -> int:
    """Recompute the dirty committees (current year, plus every year they have snapshots for).

    Only the dirty marks read here are cleared: a committee marked again while
    this ran keeps its mark and is recomputed by the next run.
    """
    claimed = list(DirtyCommittee.objects.values_list("committee_id", "marked_at"))
    if not claimed:
        return 0
    ids = [pk for pk, _ in claimed]
    years = {timezone.localdate().year}
    years |= {d.year for d in MetricSnapshot.objects.filter(committee_id__in=ids).dates("period_start", "year")}
    snapshots_recompute(committee_ids=ids, years=years)
    for start in range(0, len(claimed), 200):
        DirtyCommittee.objects.filter(_claimed_q(claimed[start : start + 200])).delete()
    return len(ids)


@transaction.atomic
def snapshots_recompute_all(*, years: Iterable[int] | None = None) -> int:
    """The nightly run: the dirty committees first (all their years), then every committee
    for this year and last year."""
    snapshots_recompute_dirty()
    today = timezone.localdate()
    years = list(years) if years is not None else [today.year - 1, today.year]
    ids = list(Committee.objects.values_list("pk", flat=True))
    for year in years:  # a year at a time: the roll-up holds one year's cells of the whole province
        snapshots_recompute(committee_ids=ids, years=[year])
    return len(ids)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@transaction.atomic
def weekly_mailings_plan(*, today: date) -> list[int]:
    """Claim this week's workbook for every leader (with e-mail on) and each committee they lead.

    Returns the ids of mailings not sent yet; each is sent by its own task
    after the commit. Running this twice in a week plans nothing new.
    """
    from dashboards.tasks import send_weekly_mailing
    from notifications.services import email_enabled
    from orgs.models import Grant, GrantRole

    week = iso_week(today)
    grants = Grant.objects.filter(role=GrantRole.LEADER, user__is_active=True).exclude(user__email="")
    rows = [
        WeeklyMailing(user_id=g.user_id, committee_id=g.committee_id, week=week)
        for g in grants.select_related("user")
        if email_enabled(g.user)
    ]
    WeeklyMailing.objects.bulk_create(rows, ignore_conflicts=True)
    pending = list(WeeklyMailing.objects.filter(week=week, sent_at__isnull=True).values_list("pk", flat=True))
    for pk in pending:
        transaction.on_commit(lambda pk=pk: send_weekly_mailing.delay(pk))
    return pending


def weekly_mailing_send(*, mailing_id: int, today: date) -> bool:
    """Send one workbook, at most once: claim the row first (a second run finds it claimed)."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.utils import translation
    from django.utils.translation import gettext as _

    from dashboards.board import Dashboard
    from dashboards.exports import workbook_bytes

    claimed = WeeklyMailing.objects.filter(pk=mailing_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if claimed != 1:
        return False
    mailing = WeeklyMailing.objects.select_related("user", "committee").get(pk=mailing_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            board = Dashboard(mailing.user, mailing.committee, today.year, today)
            content = workbook_bytes(board)
            subject = _("[Guanwei] Weekly dashboard of %(name)s, %(week)s") % {
                "name": mailing.committee.display_name,
                "week": mailing.week,
            }
            counts = board.rag_counts
            body = _(
                "Activities this year: %(activities)s. Targets: %(red)s red, %(amber)s amber, %(green)s green.\n"
                "The attached workbook has the numbers of every chart on the dashboard."
            ) % {
                "activities": board.totals["activities"],
                "red": counts["bad"],
                "amber": counts["warn"],
                "green": counts["ok"],
            }
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [mailing.user.email])
        message.attach(
            f"dashboard-{mailing.committee.code}-{mailing.week}.xlsx",
            content,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        message.send()
    except Exception:
        WeeklyMailing.objects.filter(pk=mailing_id).update(sent_at=None)  # let a retry send it
        raise
    return True
