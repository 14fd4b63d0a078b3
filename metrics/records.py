"""The records that count: for each kind of thing a metric counts, the rows of a period.

Activities, their 五老 participants, news reports with photos, registered 五老,
organisers and donations are read here from `activities` and `orgs`. Records
kept by an app above the engine (the finalised evaluations of `assessments`,
for `gate_reached`) come from a reader that app registers at start-up
(`register_source` in its `AppConfig.ready`), so the engine imports none of them.

`counted` turns any such row into what a page lists under "what counted".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from metrics.periods import Period
from orgs.models import MemberRole, Membership, Person

# Rows another app keeps, by name: a function of the period giving a queryset with a `committee`.
Source = Callable[[Period], QuerySet]
_SOURCES: dict[str, Source] = {}

GATE_EVALUATIONS = "gate_evaluations"  # finalised evaluations that reached their rubric's gate


def register_source(name: str, source: Source) -> None:
    """Give the engine the rows of `name` (called from the owning app's `AppConfig.ready`)."""
    _SOURCES[name] = source


def from_source(name: str, period: Period) -> QuerySet:
    try:
        source = _SOURCES[name]
    except KeyError:
        raise LookupError(f"no app registered the records {name!r} (see metrics.records.register_source)") from None
    return source(period)


def activities(period: Period, params: dict[str, Any], default_kinds: list[str] | None = None) -> QuerySet:
    from activities.models import Activity

    qs = Activity.objects.filter(held_on__gte=period.start, held_on__lte=period.end)
    kinds = params.get("kinds") or default_kinds
    if kinds:
        qs = qs.filter(kind__code__in=kinds)
    return qs


def participations(period: Period, params: dict[str, Any]) -> QuerySet:
    """Rows of (activity, person) for live activities in the period, people who are 五老."""
    from activities.models import Activity

    through = Activity.participants.through
    qs = through.objects.filter(
        activity__deleted_at__isnull=True,
        activity__held_on__gte=period.start,
        activity__held_on__lte=period.end,
    ).exclude(person__wulao_category="")
    if params.get("kinds"):
        qs = qs.filter(activity__kind__code__in=params["kinds"])
    return qs


def news_with_photos(period: Period) -> QuerySet:
    from activities.models import NewsPhoto, NewsReport

    return NewsReport.objects.filter(published_on__gte=period.start, published_on__lte=period.end).filter(
        Exists(NewsPhoto.objects.filter(report=OuterRef("pk")))
    )


def registered_wulao(period: Period) -> QuerySet:
    return (
        Person.objects.exclude(wulao_category="")
        .filter(real_name_registered=True)
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=period.end))
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=period.start))
    )


def organisers(period: Period) -> QuerySet:
    return (
        Membership.objects.filter(role=MemberRole.PARTY_ORGANISER)
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=period.end))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
    )


def donations(period: Period) -> QuerySet:
    from activities.models import Donation

    return Donation.objects.filter(donated_on__gte=period.start, donated_on__lte=period.end)


@dataclass
class CountedRecord:
    when: date | None
    text: str


def counted(obj: Any) -> CountedRecord:
    """A row that counted, as a list shows it: its date (unless its text already names it) and text."""
    when = next((getattr(obj, f) for f in ("held_on", "published_on", "donated_on") if hasattr(obj, f)), None)
    text = str(obj)
    if when is not None and when.isoformat() in text:
        when = None  # the record already names its date
    return CountedRecord(when=when, text=text)
