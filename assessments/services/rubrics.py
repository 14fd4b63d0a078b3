"""Writes to rubrics. A rubric version used by a round is locked; change it through a new version."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessments.models import Criterion, CriterionKind, Dimension, GradeBand, Rubric
from metrics.catalogue import METRICS
from orgs import audit
from orgs.models import AuditEvent, Committee

RUBRIC_FIELDS = ("name", "description", "score_step", "bonus_cap", "gate_label", "gate_min_total", "gate_key_full")
CRITERION_FIELDS = (
    "order",
    "code",
    "title",
    "kind",
    "max_points",
    "guide",
    "evidence_required",
    "is_key",
    "metric_code",
    "metric_params",
    "metric_subtree",
    "full_at",
    "step_points",
    "step_unit",
)


def ensure_editable(rubric: Rubric) -> None:
    if rubric.rounds.exists():
        raise ValidationError(
            _("This rubric version is used by an assessment round and can no longer change. Make a new version."),
            code="rubric_locked",
        )


def _locked_rubric(rubric: Rubric) -> Rubric:
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    ensure_editable(rubric)
    return rubric


@transaction.atomic
def rubric_create(*, owner: Committee, by: Any = None, request: Any = None, **fields: Any) -> Rubric:
    rubric = Rubric(owner=owner, created_by=by, **{k: v for k, v in fields.items() if k in RUBRIC_FIELDS})
    rubric.full_clean()
    rubric.save()
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=rubric)
    return rubric


@transaction.atomic
def rubric_update(*, rubric: Rubric, by: Any = None, request: Any = None, **fields: Any) -> Rubric:
    rubric = _locked_rubric(rubric)
    for key, value in fields.items():
        if key not in RUBRIC_FIELDS:
            raise ValueError(f"unknown rubric field {key}")
        setattr(rubric, key, value)
    rubric.full_clean()
    rubric.save()
    audit.record(action=AuditEvent.Action.UPDATE, user=by, request=request, obj=rubric)
    return rubric


@transaction.atomic
def rubric_new_version(*, rubric: Rubric, by: Any = None, request: Any = None) -> Rubric:
    """Copy a rubric with its dimensions, criteria and bands as the family's next version."""
    source = Rubric.objects.get(pk=rubric.pk)
    last = Rubric.objects.select_for_update().filter(family=source.family).aggregate(v=Max("version"))["v"] or 0
    copy = Rubric.objects.create(
        owner=source.owner,
        family=source.family,
        version=last + 1,
        created_by=by,
        **{f: getattr(source, f) for f in RUBRIC_FIELDS},
    )
    for dim in source.dimensions.prefetch_related("criteria"):
        new_dim = Dimension.objects.create(rubric=copy, order=dim.order, title=dim.title)
        Criterion.objects.bulk_create(
            [Criterion(dimension=new_dim, **{f: getattr(c, f) for f in CRITERION_FIELDS}) for c in dim.criteria.all()]
        )
    GradeBand.objects.bulk_create(
        [GradeBand(rubric=copy, label=b.label, min_total=b.min_total, tone=b.tone) for b in source.bands.all()]
    )
    audit.record(
        action=AuditEvent.Action.CREATE, user=by, request=request, obj=copy, summary=f"{copy} (from v{source.version})"
    )
    return copy


@transaction.atomic
def dimension_save(
    *,
    rubric: Rubric,
    title: str,
    order: int | None = None,
    dimension: Dimension | None = None,
    by: Any = None,
    request: Any = None,
) -> Dimension:
    rubric = _locked_rubric(rubric)
    created = dimension is None
    if dimension is None:
        dimension = Dimension(rubric=rubric)
        if order is None:
            order = (rubric.dimensions.aggregate(m=Max("order"))["m"] or 0) + 1
    dimension.title = title
    if order is not None:
        dimension.order = order
    dimension.full_clean()
    dimension.save()
    rubric.save(update_fields=["updated_at"])
    audit.record(
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        user=by,
        request=request,
        obj=dimension,
    )
    return dimension


@transaction.atomic
def dimension_delete(*, dimension: Dimension, by: Any = None, request: Any = None) -> None:
    _locked_rubric(dimension.rubric)
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=dimension)
    dimension.delete()


def _metric_errors(criterion: Criterion) -> dict[str, str]:
    """Check the metric code and its parameters against the engine's registry."""
    definition = METRICS.get(criterion.metric_code)
    if definition is None:
        return {"metric_code": _("This metric is not known.")}
    try:
        definition.check_params(criterion.metric_params or {})
    except ValidationError as exc:
        return {"metric_params": " ".join(m for ms in exc.message_dict.values() for m in ms)}
    return {}


def _clean_criterion(criterion: Criterion) -> None:
    errors = {}
    if criterion.kind == CriterionKind.METRIC:
        if not criterion.metric_code:
            errors["metric_code"] = _("Choose the metric this criterion is scored from.")
        if criterion.full_at is None:
            errors["full_at"] = _("Give the value that earns full marks.")
    if criterion.kind == CriterionKind.METRIC and criterion.metric_code:
        errors.update(_metric_errors(criterion))
    if criterion.kind != CriterionKind.METRIC:
        criterion.metric_code = ""
        criterion.full_at = None
        criterion.step_points = None
    if criterion.kind in (CriterionKind.BONUS, CriterionKind.DEDUCTION) and criterion.is_key:
        errors["is_key"] = _("Only scored criteria can be key indicators, not bonus or deduction items.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def criterion_save(
    *, dimension: Dimension, criterion: Criterion | None = None, by: Any = None, request: Any = None, **fields: Any
) -> Criterion:
    _locked_rubric(dimension.rubric)
    created = criterion is None
    criterion = criterion or Criterion(dimension=dimension)
    for key, value in fields.items():
        if key not in CRITERION_FIELDS:
            raise ValueError(f"unknown criterion field {key}")
        setattr(criterion, key, value)
    if created and not fields.get("order"):
        criterion.order = (dimension.criteria.aggregate(m=Max("order"))["m"] or 0) + 1
    elif criterion.order is None:
        criterion.order = 0
    if criterion.step_unit in (None, ""):
        criterion.step_unit = Decimal("1")
    _clean_criterion(criterion)
    criterion.full_clean()
    criterion.save()
    audit.record(
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        user=by,
        request=request,
        obj=criterion,
    )
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, by: Any = None, request: Any = None) -> None:
    _locked_rubric(criterion.dimension.rubric)
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=criterion)
    criterion.delete()


@transaction.atomic
def band_save(
    *,
    rubric: Rubric,
    label: str,
    min_total: Decimal,
    tone: str,
    band: GradeBand | None = None,
    by: Any = None,
    request: Any = None,
) -> GradeBand:
    rubric = _locked_rubric(rubric)
    created = band is None
    band = band or GradeBand(rubric=rubric)
    band.label, band.min_total, band.tone = label, min_total, tone
    if rubric.bands.exclude(pk=band.pk).filter(min_total=min_total).exists():
        raise ValidationError({"min_total": _("Another grade already starts at this total.")})
    band.full_clean()
    band.save()
    audit.record(
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, user=by, request=request, obj=band
    )
    return band


@transaction.atomic
def band_delete(*, band: GradeBand, by: Any = None, request: Any = None) -> None:
    _locked_rubric(band.rubric)
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=band)
    band.delete()
