"""The share of sub-committees meeting a condition: a metric over another metric's values.

`subcommittee_share` measures each direct sub-committee with another metric
(through the engine) and gives the share that reach a value, e.g. "90% of the
colleges reach 均衡发展" (`gate_reached` ≥ 1). It is registered in the
catalogue when the app starts (`metrics.apps`), after the metrics it measures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metrics.catalogue import METRICS, MetricDef, MetricKind, Param, register
from metrics.engine import evaluate_many
from metrics.goals import COMPARATORS
from metrics.results import MetricResult, ratio
from orgs.models import Committee

# params: {"metric": code, "params": {...}, "comparator": ">=", "value": "1", "subtree": true}


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


register(
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
        check_more=_check_share_params,
    )
)
