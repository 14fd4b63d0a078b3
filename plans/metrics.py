"""The metric engine: the one place measurements over activity data are computed.

A metric is a named, parameterised measurement for a committee (itself or its
whole subtree) over a period. Targets, assessment criteria and dashboards all
call `evaluate`, `evaluate_many` and `records` here (or `evaluate_batch` and
`records_batch` for many at once, as a plan page does); nobody else writes
metric queries.

Every metric is one SQL query for any number of committees: the committees are
the outer rows and each value is a correlated aggregate subquery over the
range of tree paths below that committee (`orgs.tree`). Results are exact
Decimals; ratios keep their numerator and denominator so comparisons stay exact.
Periods are inclusive local dates (Asia/Shanghai); deleted activities never count.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Left, Length, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs import tree
from orgs.models import Committee, MemberRole, Membership, Person

# ---------------------------------------------------------------------------
# Periods


def local_date(value: date | datetime) -> date:
    """The Asia/Shanghai calendar date of a date or an aware datetime."""
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            raise ValueError("naive datetime: give an aware datetime or a date")
        return timezone.localtime(value).date()
    return value


@dataclass(frozen=True)
class Period:
    """An inclusive range of local dates with a kind: year, semester, month or custom."""

    start: date
    end: date
    kind: str = "custom"
    year_number: int | None = None  # the calendar year, or the academic year a semester belongs to
    number: int | None = None  # semester 1/2, month 1..12

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period cannot end before it starts")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year", year)

    @classmethod
    def semester(cls, academic_year: int, number: int) -> Period:
        """Semester 1 (autumn): Sep 1 .. Jan 31; semester 2 (spring): Feb 1 .. Aug 31 of the next year."""
        if number == 1:
            return cls(date(academic_year, 9, 1), date(academic_year + 1, 1, 31), "semester", academic_year, 1)
        if number == 2:
            return cls(date(academic_year + 1, 2, 1), date(academic_year + 1, 8, 31), "semester", academic_year, 2)
        raise ValueError("a semester is 1 (autumn) or 2 (spring)")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), "month", year, month)

    @classmethod
    def custom(cls, start: date | datetime, end: date | datetime) -> Period:
        return cls(local_date(start), local_date(end), "custom")

    @classmethod
    def semester_of(cls, value: date | datetime) -> Period:
        d = local_date(value)
        if d.month >= 9:
            return cls.semester(d.year, 1)
        if d.month == 1:
            return cls.semester(d.year - 1, 1)
        return cls.semester(d.year - 1, 2)

    @classmethod
    def year_of(cls, value: date | datetime) -> Period:
        return cls.year(local_date(value).year)

    @classmethod
    def month_of(cls, value: date | datetime) -> Period:
        d = local_date(value)
        return cls.month(d.year, d.month)

    def contains(self, value: date | datetime) -> bool:
        return self.start <= local_date(value) <= self.end

    def previous(self) -> Period:
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        if self.kind == "semester":
            return Period.semester_of(self.start - timedelta(days=1))
        if self.kind == "month":
            return Period.month_of(self.start - timedelta(days=1))
        length = self.end - self.start
        return Period.custom(self.start - length - timedelta(days=1), self.start - timedelta(days=1))

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("%(year)s") % {"year": self.start.year}
        if self.kind == "semester":
            return _("%(first)s–%(second)s semester %(n)s") % {
                "first": self.year_number,
                "second": (self.year_number or 0) + 1,
                "n": self.number,
            }
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    def __str__(self) -> str:
        return self.label


# ---------------------------------------------------------------------------
# Results and definitions


@dataclass(frozen=True)
class MetricResult:
    value: Decimal  # exact; ratios are Decimal too (e.g. Decimal("0.0045"))
    numerator: Decimal | None = None  # for ratios
    denominator: Decimal | None = None


def ratio(numerator: Any, denominator: Any) -> MetricResult:
    num, den = Decimal(numerator or 0), Decimal(denominator or 0)
    return MetricResult(value=num / den if den else Decimal(0), numerator=num, denominator=den)


class MetricKind:
    COUNT = "count"
    SUM = "sum"
    RATIO = "ratio"
    SHARE = "share"


@dataclass(frozen=True)
class Param:
    name: str
    kind: type  # list, str, dict, Decimal, bool
    label: Any
    required: bool = False


# A metric's values for many committees: computed (shares), or columns for `evaluate_many` to run.
ComputeMany = Callable[[list[int], Period, dict[str, Any], bool], "dict[int, MetricResult] | Columns"]
Records = Callable[[Committee, Period, dict[str, Any], bool], QuerySet]


@dataclass(frozen=True)
class MetricDef:
    code: str
    label: Any  # lazy translation
    unit: Any
    kind: str
    compute_many: ComputeMany
    records: Records
    params: tuple[Param, ...] = field(default_factory=tuple)
    description: Any = ""

    def check_params(self, params: dict[str, Any]) -> None:
        """Raise ValidationError (for the user) when params do not fit this metric."""
        if not isinstance(params, dict):
            raise ValidationError({"params": _("Parameters must be an object of named values.")}, code="params")
        known = {p.name: p for p in self.params}
        for name, value in params.items():
            spec = known.get(name)
            if spec is None:
                raise ValidationError(
                    {"params": _("Unknown parameter “%(name)s” for this metric.") % {"name": name}}, code="params"
                )
            if spec.kind is list and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise ValidationError(
                    {"params": _("“%(name)s” must be a list of codes.") % {"name": name}}, code="params"
                )
            if spec.kind is str and not isinstance(value, str):
                raise ValidationError({"params": _("“%(name)s” must be text.") % {"name": name}}, code="params")
            if spec.kind is dict and not isinstance(value, dict):
                raise ValidationError({"params": _("“%(name)s” must be an object.") % {"name": name}}, code="params")
        for spec in self.params:
            if spec.required and spec.name not in params:
                raise ValidationError(
                    {"params": _("The parameter “%(name)s” is required.") % {"name": spec.name}}, code="params"
                )
        if self.code == "subcommittee_share":
            _check_share_params(params)

    @property
    def is_ratio(self) -> bool:
        return self.kind in (MetricKind.RATIO, MetricKind.SHARE)


METRICS: dict[str, MetricDef] = {}


def _register(defn: MetricDef) -> MetricDef:
    METRICS[defn.code] = defn
    return defn


def _definition(code: str) -> MetricDef:
    try:
        return METRICS[code]
    except KeyError:
        raise KeyError(f"unknown metric {code!r}; known: {', '.join(sorted(METRICS))}") from None


def evaluate(
    code: str, *, committee: Committee, period: Period, params: dict[str, Any] | None = None, subtree: bool = True
) -> MetricResult:
    return evaluate_many(code, committees=[committee], period=period, params=params, subtree=subtree)[committee.pk]


def evaluate_many(
    code: str,
    *,
    committees: Iterable[Committee | int],
    period: Period,
    params: dict[str, Any] | None = None,
    subtree: bool = True,
) -> dict[int, MetricResult]:
    """Values for many committees in one (or, for shares, two) aggregate queries."""
    defn = _definition(code)
    params = params or {}
    ids = [c if isinstance(c, int) else c.pk for c in committees]
    if not ids:
        return {}
    values = defn.compute_many(ids, period, params, subtree)
    if isinstance(values, Columns):
        values = _run_columns(ids, [(ids, values)])[0]
    return _filled(defn, ids, values)


def _filled(defn: MetricDef, ids: list[int], values: dict[int, MetricResult]) -> dict[int, MetricResult]:
    zero = MetricResult(Decimal(0), Decimal(0), Decimal(0)) if defn.is_ratio else MetricResult(Decimal(0))
    return {pk: values.get(pk, zero) for pk in ids}


@dataclass
class MetricRequest:
    """The arguments of one `evaluate_many` call, for `evaluate_batch`."""

    code: str
    committees: list[Committee | int]
    period: Period
    params: dict[str, Any] = field(default_factory=dict)
    subtree: bool = True


# Correlated subqueries per statement in `evaluate_batch`; PostgreSQL allows 1,664 columns.
BATCH_COLUMNS = 400


def evaluate_batch(requests: Sequence[MetricRequest]) -> list[dict[int, MetricResult]]:
    """`evaluate_many` for each request, in one query for all of them.

    Each request's columns are computed only for its own committees (a CASE
    around the subquery), so a target measured over a thousand towns does not
    make the other targets count for them too. Shares of sub-committees run
    their own two queries; past `BATCH_COLUMNS` columns a second statement starts.
    """
    out: list[dict[int, MetricResult]] = [{} for _ in requests]
    pending: list[tuple[int, list[int], Columns]] = []
    for i, request in enumerate(requests):
        defn = _definition(request.code)
        ids = [c if isinstance(c, int) else c.pk for c in request.committees]
        if not ids:
            continue
        values = defn.compute_many(ids, request.period, request.params or {}, request.subtree)
        if isinstance(values, Columns):
            pending.append((i, ids, values))
        else:
            out[i] = _filled(defn, ids, values)
    chunks: list[list[tuple[int, list[int], Columns]]] = []
    width = BATCH_COLUMNS
    for item in pending:
        if width + len(item[2].annotations) > BATCH_COLUMNS:
            chunks.append([])
            width = 0
        chunks[-1].append(item)
        width += len(item[2].annotations)
    for chunk in chunks:
        union = sorted({pk for _i, ids, _columns in chunk for pk in ids})
        results = _run_columns(union, [(ids, columns) for _i, ids, columns in chunk])
        for (i, ids, _columns), values in zip(chunk, results, strict=True):
            out[i] = _filled(_definition(requests[i].code), ids, values)
    return out


# ---------------------------------------------------------------------------
# Roll-up: additive activity metrics of many subtrees from one pass over the records

# Metrics whose subtree value is the sum of its committees' own values: a count, or a sum
# of one column, of live activities (index into the [count, youth, talked] cells below).
_ROLLUP_COLUMNS = {"activity_count": 0, "youth_reached": 1, "students_talked": 2}


def rolls_up(code: str, period: Period, params: dict[str, Any] | None, subtree: bool) -> bool:
    """Whether `evaluate_rollup` gives this request's values (equal to `evaluate_many`'s)."""
    return (
        subtree
        and code in _ROLLUP_COLUMNS
        and set(params or {}) <= {"kinds"}
        and period.start.day == 1
        and (period.end + timedelta(days=1)).day == 1
    )


def _cover(ids: set[int]) -> list[str]:
    """The paths of the fewest subtrees that hold all these committees."""
    return tree.outermost(Committee.objects.filter(pk__in=ids).values_list("path", flat=True))


def evaluate_rollup(requests: Sequence[MetricRequest]) -> Iterable[tuple[int, list[MetricResult | None]]]:
    """For every committee asked about: (its id, one result per request, None where not asked).

    Each request must pass `rolls_up`. One grouped query reads each committee's own live
    activities per month and kind over the subtrees asked about; each subtree's value is then
    the sum of its committees' own, added up the tree from the deepest level. This is how the
    nightly snapshot run counts a whole province in seconds instead of one subquery per
    committee and figure; tests check it against `evaluate_many`.
    """
    if not requests:
        return
    groups: dict[int, tuple[set[int], list[int]]] = {}  # requests sharing one list of committees
    for index, request in enumerate(requests):
        if not rolls_up(request.code, request.period, request.params, request.subtree):
            raise ValueError(f"{request.code} over {request.period} cannot be rolled up")
        key = id(request.committees)
        if key not in groups:
            groups[key] = ({c if isinstance(c, int) else c.pk for c in request.committees}, [])
        groups[key][1].append(index)
    asked = set().union(*(ids for ids, _indices in groups.values()))
    if not asked:
        return
    cover = _cover(asked)
    activity_cover = tree.subtrees_q(cover, "committee")
    start = min(r.period.start for r in requests)
    end = max(r.period.end for r in requests)
    own: dict[int, dict[tuple[date, str], list[int]]] = {}
    cells = (
        _activities(Period.custom(start, end), {})
        .filter(activity_cover)
        .annotate(month=TruncMonth("held_on"))
        .values_list("committee_id", "month", "kind__code")
        .annotate(n=Count("pk"), youth=Sum("youth_reached"), talked=Sum("students_talked"))
        .order_by()
    )
    for committee_id, month, kind, n, youth, talked in cells:
        own.setdefault(committee_id, {})[(month, kind)] = [n, youth or 0, talked or 0]
    wanted = [(ids, indices) for ids, indices in groups.values()]
    kinds = [set(r.params.get("kinds") or []) if r.params else set() for r in requests]
    nodes = sorted(
        Committee.objects.filter(tree.subtrees_q(cover, "")).values_list("depth", "pk", "parent_id"), reverse=True
    )
    inside = {pk for _depth, pk, _parent in nodes}
    below: dict[int, dict[tuple[date, str], list[int]]] = {}
    for _depth, pk, parent in nodes:
        total = below.pop(pk, None) or {}
        _add_cells(total, own.pop(pk, None))
        indices = [i for ids, group in wanted if pk in ids for i in group]
        if indices:
            results: list[MetricResult | None] = [None] * len(requests)
            for i in indices:
                results[i] = _rolled_value(requests[i], kinds[i], total)
            yield pk, results
        if parent in inside and total:
            if parent in below:
                _add_cells(below[parent], total)
            else:
                below[parent] = total


def _add_cells(into: dict[tuple[date, str], list[int]], cells: dict[tuple[date, str], list[int]] | None) -> None:
    for key, values in (cells or {}).items():
        found = into.get(key)
        if found is None:
            into[key] = list(values)
        else:
            found[0] += values[0]
            found[1] += values[1]
            found[2] += values[2]


def _rolled_value(request: MetricRequest, kinds: set[str], cells: dict[tuple[date, str], list[int]]) -> MetricResult:
    column = _ROLLUP_COLUMNS[request.code]
    start, end = request.period.start, request.period.end
    total = sum(
        values[column]
        for (month, kind), values in cells.items()
        if start <= month <= end and (not kinds or kind in kinds)
    )
    return MetricResult(Decimal(total))


def records(
    code: str, *, committee: Committee, period: Period, params: dict[str, Any] | None = None, subtree: bool = True
) -> QuerySet:
    """The rows that counted (for ratios: the numerator's rows)."""
    return _definition(code).records(committee, period, params or {}, subtree)


def records_batch(requests: Sequence[MetricRequest], limit: int) -> list[list[Any]]:
    """The first `limit` rows of `records` for each request (for its one committee), newest first.

    Requests whose rows are of one kind in one order (activities by date, people
    by name …) are read in one query: the rows of any of them, each marked with
    the requests it belongs to. So a page listing what counted for many criteria
    costs a query per kind of row, not one per criterion.
    """
    out: list[list[Any]] = [[] for _ in requests]
    groups: dict[tuple, list[tuple[int, QuerySet]]] = {}
    for i, r in enumerate(requests):
        (committee,) = r.committees
        qs = records(r.code, committee=committee, period=r.period, params=r.params, subtree=r.subtree)
        groups.setdefault((qs.model, tuple(qs.query.order_by)), []).append((i, qs))
    for (model, order), members in groups.items():
        if len(members) == 1 or not all(isinstance(o, str) for o in order):
            for i, qs in members:
                out[i] = list(qs[:limit])
            continue
        wanted = Q(pk__in=[])
        marks: dict[str, Any] = {}
        for n, (_i, qs) in enumerate(members):
            first = qs.values("pk")[:limit]
            wanted |= Q(pk__in=first)
            marks[f"_in_{n}"] = Case(When(pk__in=first, then=Value(True)), default=Value(False))
        rows = model._base_manager.filter(wanted).annotate(**marks).order_by(*order)
        related = _related_paths(members)
        if related:
            rows = rows.select_related(*related)
        for row in rows:
            for n, (i, _qs) in enumerate(members):
                if getattr(row, f"_in_{n}"):
                    out[i].append(row)
    return out


def _related_paths(members: list[tuple[int, QuerySet]]) -> list[str]:
    """The select_related paths of all the querysets, for the one query that reads their rows."""
    paths: set[str] = set()

    def walk(tree: dict, prefix: str) -> None:
        for name, below in tree.items():
            path = f"{prefix}{name}"
            paths.add(path)
            if below:
                walk(below, f"{path}__")

    for _i, qs in members:
        if isinstance(qs.query.select_related, dict):
            walk(qs.query.select_related, "")
    return sorted(paths)


# ---------------------------------------------------------------------------
# Query building blocks


def _in_subtree(prefix: str, subtree: bool) -> Q:
    """Rows whose committee (through `prefix`) lies in the outer committee's subtree."""
    if subtree:
        return tree.outer_subtree_q(prefix)
    return Q(**{prefix: OuterRef("pk")})


def _in_committee(prefix: str, committee: Committee, subtree: bool) -> Q:
    if subtree:
        return tree.subtree_q(committee, prefix)
    return Q(**{prefix: committee.pk})


def _aggregate(qs: QuerySet, column: str, function: str = "COUNT", distinct: bool = False) -> Coalesce:
    """A scalar subquery: COUNT/SUM over qs, correlated to the outer committee row."""
    template = f"{function}(DISTINCT %(expressions)s)" if distinct else f"{function}(%(expressions)s)"
    agg = Func(F(column), template=template, output_field=IntegerField())
    return Coalesce(Subquery(qs.order_by().annotate(_v=agg).values("_v")[:1]), Value(0))


def _headcount(column: str, subtree: bool) -> Any:
    """A committee's own headcount; with no own figure (and a subtree), the figures of the highest
    committees below it that have one: a university's figure already covers its colleges."""
    if not subtree:
        return F(column)
    # Between the outer committee and the one below it, strictly: a prefix of the latter's path that is
    # longer than the former's.
    covered = Committee.objects.filter(
        path__gt=OuterRef(OuterRef("path")),
        path__lt=OuterRef("path"),
        path=Left(OuterRef("path"), Length("path")),
        **{f"{column}__gt": 0},
    )
    below = (
        Committee.objects.filter(
            tree.outer_subtree_q("", include_self=False),
            **{f"{column}__gt": 0},
        )
        .filter(~Exists(covered))
        .order_by()
    )
    return Case(
        When(**{f"{column}__gt": 0}, then=F(column)),
        default=_aggregate(below, column, "SUM"),
        output_field=IntegerField(),
    )


def _run(ids: list[int], **annotations: Any) -> list[dict[str, Any]]:
    return list(Committee.objects.filter(pk__in=ids).annotate(**annotations).values("pk", *annotations))


@dataclass
class Columns:
    """What a metric computes, not yet run: columns over the committee rows and how a row reads.

    `evaluate_many` runs one metric's columns; `evaluate_batch` puts the columns
    of many metrics into one statement.
    """

    annotations: dict[str, Any]
    read: Callable[[dict[str, Any]], MetricResult]


def _run_columns(ids: list[int], wanted: list[tuple[list[int], Columns]]) -> list[dict[int, MetricResult]]:
    """Run the columns of each (committee ids, columns) pair over `ids` in one statement."""
    annotations: dict[str, Any] = {}
    for n, (own, columns) in enumerate(wanted):
        everyone = set(own) >= set(ids)
        for name, expr in columns.annotations.items():
            # Only the request's own committees pay for its subquery.
            annotations[f"c{n}_{name}"] = expr if everyone else Case(When(pk__in=own, then=expr), default=None)
    rows = _run(ids, **annotations)
    out = []
    for n, (own, columns) in enumerate(wanted):
        mine = set(own)
        out.append(
            {
                row["pk"]: columns.read({name: row[f"c{n}_{name}"] for name in columns.annotations})
                for row in rows
                if row["pk"] in mine
            }
        )
    return out


def _plain(ids: list[int], expr: Any) -> Columns:
    return Columns({"v": expr}, lambda row: MetricResult(Decimal(row["v"] or 0)))


def _ratio(ids: list[int], num: Any, den: Any) -> Columns:
    return Columns({"n": num, "d": den}, lambda row: ratio(row["n"], row["d"]))


def _activities(period: Period, params: dict[str, Any], default_kinds: list[str] | None = None) -> QuerySet:
    from activities.models import Activity

    qs = Activity.objects.filter(held_on__gte=period.start, held_on__lte=period.end)
    kinds = params.get("kinds") or default_kinds
    if kinds:
        qs = qs.filter(kind__code__in=kinds)
    return qs


def _participations(period: Period, params: dict[str, Any]) -> QuerySet:
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


def _news_with_photos(period: Period) -> QuerySet:
    from activities.models import NewsPhoto, NewsReport

    return NewsReport.objects.filter(published_on__gte=period.start, published_on__lte=period.end).filter(
        Exists(NewsPhoto.objects.filter(report=OuterRef("pk")))
    )


def _registered_wulao(period: Period) -> QuerySet:
    return (
        Person.objects.exclude(wulao_category="")
        .filter(real_name_registered=True)
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=period.end))
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=period.start))
    )


def _organisers(period: Period) -> QuerySet:
    return (
        Membership.objects.filter(role=MemberRole.PARTY_ORGANISER)
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=period.end))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
    )


def _donations(period: Period) -> QuerySet:
    from activities.models import Donation

    return Donation.objects.filter(donated_on__gte=period.start, donated_on__lte=period.end)


KINDS_PARAM = Param("kinds", list, gettext_lazy("activity kinds (codes)"))


# ---------------------------------------------------------------------------
# The metrics


def _activity_count(ids, period, params, subtree):
    qs = _activities(period, params).filter(_in_subtree("committee", subtree))
    return _plain(ids, _aggregate(qs, "pk"))


def _activity_records(committee, period, params, subtree):
    return (
        _activities(period, params)
        .filter(_in_committee("committee", committee, subtree))
        .select_related("committee", "kind")
        .order_by("-held_on", "-id")
    )


_register(
    MetricDef(
        "activity_count",
        gettext_lazy("Number of activities"),
        gettext_lazy("activities"),
        MetricKind.COUNT,
        _activity_count,
        _activity_records,
        (KINDS_PARAM,),
    )
)


def _sum_of(column: str) -> ComputeMany:
    def compute(ids, period, params, subtree):
        qs = _activities(period, params).filter(_in_subtree("committee", subtree))
        return _plain(ids, _aggregate(qs, column, "SUM"))

    return compute


def _summed_records(column: str) -> Records:
    def rows(committee, period, params, subtree):
        return _activity_records(committee, period, params, subtree).filter(**{f"{column}__gt": 0})

    return rows


_register(
    MetricDef(
        "youth_reached",
        gettext_lazy("Young people reached"),
        gettext_lazy("people"),
        MetricKind.SUM,
        _sum_of("youth_reached"),
        _summed_records("youth_reached"),
        (KINDS_PARAM,),
    )
)
_register(
    MetricDef(
        "students_talked",
        gettext_lazy("Students talked with"),
        gettext_lazy("students"),
        MetricKind.SUM,
        _sum_of("students_talked"),
        _summed_records("students_talked"),
        (KINDS_PARAM,),
    )
)


def _wulao_participants(ids, period, params, subtree):
    qs = _participations(period, params).filter(_in_subtree("activity__committee", subtree))
    return _plain(ids, _aggregate(qs, "person_id", distinct=True))


def _wulao_participant_records(committee, period, params, subtree):
    rows = _participations(period, params).filter(_in_committee("activity__committee", committee, subtree))
    return Person.objects.filter(pk__in=rows.values("person_id")).select_related("committee").order_by("name", "id")


_register(
    MetricDef(
        "wulao_participants",
        gettext_lazy("五老 taking part"),
        gettext_lazy("people"),
        MetricKind.COUNT,
        _wulao_participants,
        _wulao_participant_records,
        (KINDS_PARAM,),
    )
)


def _wulao_registered_ratio(ids, period, params, subtree):
    qs = _registered_wulao(period).filter(_in_subtree("committee", subtree))
    return _ratio(ids, _aggregate(qs, "pk"), _headcount("retirees", subtree))


def _wulao_registered_records(committee, period, params, subtree):
    return (
        _registered_wulao(period)
        .filter(_in_committee("committee", committee, subtree))
        .select_related("committee")
        .order_by("name", "id")
    )


_register(
    MetricDef(
        "wulao_registered_ratio",
        gettext_lazy("Registered 五老 per retiree"),
        gettext_lazy("ratio"),
        MetricKind.RATIO,
        _wulao_registered_ratio,
        _wulao_registered_records,
    )
)


def _party_organiser_ratio(ids, period, params, subtree):
    qs = _organisers(period).filter(_in_subtree("committee", subtree))
    return _ratio(ids, _aggregate(qs, "person_id", distinct=True), _headcount("students", subtree))


def _party_organiser_records(committee, period, params, subtree):
    rows = _organisers(period).filter(_in_committee("committee", committee, subtree))
    return Person.objects.filter(pk__in=rows.values("person_id")).select_related("committee").order_by("name", "id")


_register(
    MetricDef(
        "party_organiser_ratio",
        gettext_lazy("Invited party-building organisers per student"),
        gettext_lazy("ratio"),
        MetricKind.RATIO,
        _party_organiser_ratio,
        _party_organiser_records,
    )
)


def _student_articles_ratio(ids, period, params, subtree):
    qs = _activities(period, params, ["article"]).filter(_in_subtree("committee", subtree))
    return _ratio(ids, _aggregate(qs, "pk"), _headcount("students", subtree))


def _student_article_records(committee, period, params, subtree):
    return _activity_records(committee, period, {"kinds": params.get("kinds") or ["article"]}, subtree)


_register(
    MetricDef(
        "student_articles_ratio",
        gettext_lazy("Student articles per student"),
        gettext_lazy("ratio"),
        MetricKind.RATIO,
        _student_articles_ratio,
        _student_article_records,
        (KINDS_PARAM,),
    )
)


def _news_count(ids, period, params, subtree):
    qs = _news_with_photos(period).filter(_in_subtree("committee", subtree))
    return _plain(ids, _aggregate(qs, "pk"))


def _news_records(committee, period, params, subtree):
    return (
        _news_with_photos(period)
        .filter(_in_committee("committee", committee, subtree))
        .select_related("committee")
        .order_by("-published_on", "-id")
    )


_register(
    MetricDef(
        "news_with_photos",
        gettext_lazy("News reports with photos"),
        gettext_lazy("reports"),
        MetricKind.COUNT,
        _news_count,
        _news_records,
    )
)


def _donation_participation(ids, period, params, subtree):
    qs = _donations(period).filter(donor_person__isnull=False).filter(_in_subtree("committee", subtree))
    return _ratio(ids, _aggregate(qs, "donor_person_id", distinct=True), _headcount("retirees", subtree))


def _donation_records(committee, period, params, subtree):
    return (
        _donations(period)
        .filter(_in_committee("committee", committee, subtree))
        .select_related("committee", "donor_person")
        .order_by("-donated_on", "-id")
    )


_register(
    MetricDef(
        "donation_participation",
        gettext_lazy("Retirees who donated to the aid fund, per retiree"),
        gettext_lazy("ratio"),
        MetricKind.RATIO,
        _donation_participation,
        _donation_records,
        description=gettext_lazy("Distinct donors from the registry divided by the retirees headcount."),
    )
)


def _donation_amount(ids, period, params, subtree):
    qs = _donations(period).filter(_in_subtree("committee", subtree))
    agg = Func(F("amount"), function="SUM", output_field=_decimal_field())
    sub = Coalesce(Subquery(qs.order_by().annotate(_v=agg).values("_v")[:1]), Value(Decimal(0)))
    return Columns({"v": sub}, lambda row: MetricResult(Decimal(str(row["v"] or 0))))


def _decimal_field() -> Any:
    from django.db.models import DecimalField

    return DecimalField(max_digits=14, decimal_places=2)


_register(
    MetricDef(
        "donation_amount",
        gettext_lazy("Donations to the aid fund (yuan)"),
        gettext_lazy("yuan"),
        MetricKind.SUM,
        _donation_amount,
        _donation_records,
    )
)


def _gate_evaluations(period: Period) -> QuerySet:
    """Finalised evaluations of rounds held in the period's years that reached their rubric's gate."""
    from assessments.models import Evaluation, EvaluationStatus

    return Evaluation.objects.filter(
        status=EvaluationStatus.FINALISED,
        gate_passed=True,
        round__year__gte=period.start.year,
        round__year__lte=period.end.year,
    )


def _gate_reached(ids, period, params, subtree):
    # The committee's own assessment: a university's colleges are counted with subcommittee_share.
    reached = Exists(_gate_evaluations(period).filter(committee=OuterRef("pk")))
    return _plain(ids, Case(When(reached, then=Value(1)), default=Value(0), output_field=IntegerField()))


def _gate_records(committee, period, params, subtree):
    return (
        _gate_evaluations(period)
        .filter(committee=committee)
        .select_related("round", "committee")
        .order_by("-round__year", "-id")
    )


_register(
    MetricDef(
        "gate_reached",
        gettext_lazy("Reached the gate of its assessment (e.g. 均衡发展)"),
        gettext_lazy("yes = 1"),
        MetricKind.COUNT,
        _gate_reached,
        _gate_records,
        description=gettext_lazy(
            "1 when the committee's finalised evaluation in a round of the period reached its rubric's gate "
            "(for 均衡发展: every key indicator in full and the total high enough), else 0. Measure a share of "
            "sub-committees with “share of sub-committees” over this metric, reaching 1."
        ),
    )
)


# subcommittee_share: {"metric": code, "params": {...}, "comparator": ">=", "value": "1", "subtree": true}
COMPARATORS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    "=": lambda a, b: a == b,
}


def _check_share_params(params: dict[str, Any]) -> None:
    inner = params.get("metric")
    if inner not in METRICS or inner == "subcommittee_share":
        raise ValidationError({"params": _("Choose the metric each sub-committee is measured by.")}, code="params")
    if params.get("comparator", ">=") not in COMPARATORS:
        raise ValidationError({"params": _("The comparison must be >=, <= or =.")}, code="params")
    try:
        Decimal(str(params.get("value", "")))
    except ArithmeticError:
        raise ValidationError({"params": _("The value each sub-committee must reach is not a number.")}) from None
    METRICS[inner].check_params(params.get("params") or {})


def _children_of(ids: list[int]) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {pk: [] for pk in ids}
    for pk, parent_id in Committee.objects.filter(parent_id__in=ids).values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    return children


def meets_condition(result: MetricResult, comparator: str, value: Decimal) -> bool:
    return COMPARATORS[comparator](result.value, value)


def _subcommittee_share(ids, period, params, subtree):
    children = _children_of(ids)
    all_children = [pk for kids in children.values() for pk in kids]
    inner = evaluate_many(
        params["metric"],
        committees=all_children,
        period=period,
        params=params.get("params") or {},
        subtree=params.get("subtree", True),
    )
    comparator, value = params.get("comparator", ">="), Decimal(str(params.get("value", 0)))
    return {
        pk: ratio(sum(1 for k in kids if meets_condition(inner[k], comparator, value)), len(kids))
        for pk, kids in children.items()
    }


def _subcommittee_share_records(committee, period, params, subtree):
    kids = list(Committee.objects.filter(parent=committee).values_list("pk", flat=True))
    inner = evaluate_many(
        params["metric"],
        committees=kids,
        period=period,
        params=params.get("params") or {},
        subtree=params.get("subtree", True),
    )
    comparator, value = params.get("comparator", ">="), Decimal(str(params.get("value", 0)))
    met = [k for k in kids if meets_condition(inner[k], comparator, value)]
    return Committee.objects.filter(pk__in=met).order_by("code")


_register(
    MetricDef(
        "subcommittee_share",
        gettext_lazy("Share of sub-committees meeting a condition"),
        gettext_lazy("share"),
        MetricKind.SHARE,
        _subcommittee_share,
        _subcommittee_share_records,
        (
            Param("metric", str, gettext_lazy("metric of each sub-committee"), required=True),
            Param("params", dict, gettext_lazy("parameters of that metric")),
            Param("comparator", str, gettext_lazy("comparison")),
            Param("value", object, gettext_lazy("value each sub-committee must reach"), required=True),
            Param("subtree", bool, gettext_lazy("count each sub-committee's subtree")),
        ),
    )
)


def metric_choices() -> list[tuple[str, Any]]:
    return [("", gettext_lazy("— not measured —"))] + [(code, d.label) for code, d in METRICS.items()]
