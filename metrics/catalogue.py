"""The metric catalogue: every metric's name, parameters, Chinese label and unit, and how it counts.

A metric is a named, parameterised measurement for a committee (itself or its
whole subtree) over a period. Targets, assessment criteria and dashboards
choose metrics by the codes registered here (`METRICS`) and have them computed
by `metrics.engine`; nobody else writes metric queries. Each definition gives
its values for many committees (`compute_many`: columns for one query, see
`metrics.queries`) and the rows that counted for one committee (`records`).

The share of sub-committees meeting a condition, which measures other metrics
through the engine, is registered by `metrics.shares`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metrics import records
from metrics.periods import Period
from metrics.queries import Columns, aggregate, headcount, in_committee, in_subtree, plain, ratio_of
from metrics.results import MetricResult
from orgs.models import Committee, Person


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
    # Checks of the parameters beyond their names and types (raising ValidationError).
    check_more: Callable[[dict[str, Any]], None] | None = None

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
        if self.check_more is not None:
            self.check_more(params)

    @property
    def is_ratio(self) -> bool:
        return self.kind in (MetricKind.RATIO, MetricKind.SHARE)


METRICS: dict[str, MetricDef] = {}


def register(defn: MetricDef) -> MetricDef:
    METRICS[defn.code] = defn
    return defn


def definition(code: str) -> MetricDef:
    try:
        return METRICS[code]
    except KeyError:
        raise KeyError(f"unknown metric {code!r}; known: {', '.join(sorted(METRICS))}") from None


def metric_choices() -> list[tuple[str, Any]]:
    """Every metric for a form's select, after a blank choice for "not measured"."""
    return [("", gettext_lazy("— not measured —"))] + [(code, d.label) for code, d in METRICS.items()]


def metric_label(code: str) -> str:
    """The metric's label, or its code when no metric has it."""
    defn = METRICS.get(code)
    return str(defn.label) if defn is not None else code


# ---------------------------------------------------------------------------
# The metrics


KINDS_PARAM = Param("kinds", list, gettext_lazy("activity kinds (codes)"))


# ---------------------------------------------------------------------------
# The metrics


def _activity_count(ids, period, params, subtree):
    qs = records.activities(period, params).filter(in_subtree("committee", subtree))
    return plain(aggregate(qs, "pk"))


def _activity_records(committee, period, params, subtree):
    return (
        records.activities(period, params)
        .filter(in_committee("committee", committee, subtree))
        .select_related("committee", "kind")
        .order_by("-held_on", "-id")
    )


register(
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
        qs = records.activities(period, params).filter(in_subtree("committee", subtree))
        return plain(aggregate(qs, column, "SUM"))

    return compute


def _summed_records(column: str) -> Records:
    def rows(committee, period, params, subtree):
        return _activity_records(committee, period, params, subtree).filter(**{f"{column}__gt": 0})

    return rows


register(
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
register(
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
    qs = records.participations(period, params).filter(in_subtree("activity__committee", subtree))
    return plain(aggregate(qs, "person_id", distinct=True))


def _wulao_participant_records(committee, period, params, subtree):
    rows = records.participations(period, params).filter(in_committee("activity__committee", committee, subtree))
    return Person.objects.filter(pk__in=rows.values("person_id")).select_related("committee").order_by("name", "id")


register(
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
    qs = records.registered_wulao(period).filter(in_subtree("committee", subtree))
    return ratio_of(aggregate(qs, "pk"), headcount("retirees", subtree))


def _wulao_registered_records(committee, period, params, subtree):
    return (
        records.registered_wulao(period)
        .filter(in_committee("committee", committee, subtree))
        .select_related("committee")
        .order_by("name", "id")
    )


register(
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
    qs = records.organisers(period).filter(in_subtree("committee", subtree))
    return ratio_of(aggregate(qs, "person_id", distinct=True), headcount("students", subtree))


def _party_organiser_records(committee, period, params, subtree):
    rows = records.organisers(period).filter(in_committee("committee", committee, subtree))
    return Person.objects.filter(pk__in=rows.values("person_id")).select_related("committee").order_by("name", "id")


register(
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
    qs = records.activities(period, params, ["article"]).filter(in_subtree("committee", subtree))
    return ratio_of(aggregate(qs, "pk"), headcount("students", subtree))


def _student_article_records(committee, period, params, subtree):
    return _activity_records(committee, period, {"kinds": params.get("kinds") or ["article"]}, subtree)


register(
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
    qs = records.news_with_photos(period).filter(in_subtree("committee", subtree))
    return plain(aggregate(qs, "pk"))


def _news_records(committee, period, params, subtree):
    return (
        records.news_with_photos(period)
        .filter(in_committee("committee", committee, subtree))
        .select_related("committee")
        .order_by("-published_on", "-id")
    )


register(
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
    qs = records.donations(period).filter(donor_person__isnull=False).filter(in_subtree("committee", subtree))
    return ratio_of(aggregate(qs, "donor_person_id", distinct=True), headcount("retirees", subtree))


def _donation_records(committee, period, params, subtree):
    return (
        records.donations(period)
        .filter(in_committee("committee", committee, subtree))
        .select_related("committee", "donor_person")
        .order_by("-donated_on", "-id")
    )


register(
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
    qs = records.donations(period).filter(in_subtree("committee", subtree))
    agg = Func(F("amount"), function="SUM", output_field=_decimal_field())
    sub = Coalesce(Subquery(qs.order_by().annotate(_v=agg).values("_v")[:1]), Value(Decimal(0)))
    return Columns({"v": sub}, lambda row: MetricResult(Decimal(str(row["v"] or 0))))


def _decimal_field() -> DecimalField:
    return DecimalField(max_digits=14, decimal_places=2)


register(
    MetricDef(
        "donation_amount",
        gettext_lazy("Donations to the aid fund (yuan)"),
        gettext_lazy("yuan"),
        MetricKind.SUM,
        _donation_amount,
        _donation_records,
    )
)


def _gate_reached(ids, period, params, subtree):
    # The committee's own assessment: a university's colleges are counted with subcommittee_share.
    reached = Exists(records.from_source(records.GATE_EVALUATIONS, period).filter(committee=OuterRef("pk")))
    return plain(Case(When(reached, then=Value(1)), default=Value(0), output_field=IntegerField()))


def _gate_records(committee, period, params, subtree):
    return (
        records.from_source(records.GATE_EVALUATIONS, period)
        .filter(committee=committee)
        .select_related("round", "committee")
        .order_by("-round__year", "-id")
    )


register(
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
