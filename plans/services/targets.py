"""Targets of a work point: created, corrected and removed by hand, checked against the metric catalogue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanwei.changes import set_fields
from orgs import audit
from orgs.models import AuditEvent
from plans.models import Target, WorkPoint

TARGET_FIELDS = (
    "text",
    "metric",
    "params",
    "comparator",
    "value",
    "unit",
    "period_kind",
    "period_start",
    "period_end",
    "scope",
    "subtree",
)


def _check_target(target: Target) -> None:
    from metrics.catalogue import METRICS

    if target.metric and target.metric not in METRICS:
        raise ValidationError({"metric": _("Unknown metric.")}, code="metric")
    if target.metric:
        METRICS[target.metric].check_params(target.params or {})
    if target.period_kind == "custom" and target.period_start and target.period_end:
        if target.period_end < target.period_start:
            raise ValidationError({"period_end": _("The end date is before the start date.")}, code="dates")
    target.full_clean()


@transaction.atomic
def target_create(*, work_point: WorkPoint, by: Any = None, request: Any = None, **fields: Any) -> Target:
    target = Target(
        work_point=work_point,
        position=work_point.targets.count(),
        **{k: v for k, v in fields.items() if k in TARGET_FIELDS},
    )
    _check_target(target)
    target.save()
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=target)
    return target


@transaction.atomic
def target_update(*, target: Target, by: Any = None, request: Any = None, **fields: Any) -> Target:
    """Save a person's correction. Saving also confirms a metric guessed on reading, changed or not."""
    if fields.get("value") is not None:
        fields["value"] = Decimal(fields["value"])
    changed = set_fields(target, TARGET_FIELDS, fields)
    if target.wiring_guessed:
        target.wiring_guessed = False
        changed.append("wiring_guessed")
    if changed:
        _check_target(target)
        target.save()
        audit.record_update(target, changed, user=by, request=request, label=f"target {target.pk}")
    return target


@transaction.atomic
def target_confirm_wiring(*, target: Target, by: Any = None, request: Any = None) -> Target:
    """A person checked the metric guessed on reading and keeps it as it is."""
    if target.wiring_guessed:
        target.wiring_guessed = False
        target.save(update_fields=["wiring_guessed"])
        audit.record_update(target, ["wiring_guessed"], user=by, request=request, label=f"target {target.pk}")
    return target


@transaction.atomic
def target_delete(*, target: Target, by: Any = None, request: Any = None) -> None:
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=target)
    target.delete()
