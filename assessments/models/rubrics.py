"""Rubrics (考核方案) and their parts: dimensions, criteria and grade bands.

Rubrics are versioned: once a round uses a version it is locked, and changing
it means making a new version (`services.rubric_new_version`); the round keeps
the version it started with.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Committee

POINTS = {"max_digits": 6, "decimal_places": 1}
VALUE = {"max_digits": 14, "decimal_places": 4}


class ScoreStep(models.TextChoices):
    HALF = "0.5", _("Half points (0.5)")
    TENTH = "0.1", _("Tenths (0.1)")


class Rubric(models.Model):
    """One version of a 考核方案."""

    owner = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="rubrics",
        verbose_name=_("owning committee"),
        help_text=_("The committee whose office maintains this rubric."),
    )
    name = models.CharField(_("name"), max_length=200)
    family = models.UUIDField(_("family"), default=uuid.uuid4, editable=False)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    description = models.TextField(_("description"), blank=True)
    score_step = models.CharField(_("rounding"), max_length=4, choices=ScoreStep.choices, default=ScoreStep.HALF)
    bonus_cap = models.DecimalField(
        _("bonus cap"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The most bonus points an evaluation can earn in total. Leave empty for no cap."),
        **POINTS,
    )
    gate_label = models.CharField(
        _("gate name"), max_length=60, blank=True, help_text=_("For example 均衡发展. Leave empty for no gate.")
    )
    gate_min_total = models.DecimalField(
        _("gate: minimum total"), null=True, blank=True, validators=[MinValueValidator(Decimal("0"))], **POINTS
    )
    gate_key_full = models.BooleanField(_("gate: every key indicator at full marks"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="rubric_family_version_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="rubric_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def step(self) -> Decimal:
        return Decimal(self.score_step)

    @property
    def has_gate(self) -> bool:
        return bool(self.gate_label)


class Dimension(models.Model):
    """A top-level branch of the rubric, e.g. 领导班子建设好."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("rubric"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class CriterionKind(models.TextChoices):
    MANUAL = "manual", _("Scored by hand")
    METRIC = "metric", _("From activity data, with steps")
    BONUS = "bonus", _("Bonus item")
    DEDUCTION = "deduction", _("Deduction item")


class Criterion(models.Model):
    """A scored line of the rubric."""

    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("dimension")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("number"), max_length=20, blank=True, help_text=_("For example 1.2"))
    title = models.CharField(_("criterion"), max_length=300)
    kind = models.CharField(_("scoring rule"), max_length=20, choices=CriterionKind.choices, default="manual")
    max_points = models.DecimalField(
        _("points"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Full marks; for a bonus item the most it can add, for a deduction the most it can take away."),
        **POINTS,
    )
    guide = models.TextField(_("scoring guide"), blank=True)
    evidence_required = models.TextField(_("evidence required"), blank=True)
    is_key = models.BooleanField(_("key indicator"), default=False)
    metric_code = models.CharField(_("metric"), max_length=60, blank=True)
    metric_params = models.JSONField(_("metric parameters"), default=dict, blank=True)
    metric_subtree = models.BooleanField(_("count the whole subtree"), default=True)
    full_at = models.DecimalField(
        _("full marks at"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The metric value that earns full marks, e.g. 24 activities."),
        **VALUE,
    )
    step_points = models.DecimalField(
        _("points off per step"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Points taken off for each step below full marks, down to 0."),
        **POINTS,
    )
    step_unit = models.DecimalField(
        _("step size"),
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.0001"))],
        help_text=_("How much of the metric one step is, e.g. 1 activity."),
        **VALUE,
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criterion_points_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="metric") | (~Q(metric_code="") & Q(full_at__isnull=False)),
                name="criterion_metric_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def counts_in_base(self) -> bool:
        return self.kind in (CriterionKind.MANUAL, CriterionKind.METRIC)


class BandTone(models.TextChoices):
    OK = "ok", _("Good")
    WARN = "warn", _("Middle")
    BAD = "bad", _("Failing")


class GradeBand(models.Model):
    """A grade from a minimum total upwards, e.g. ≥85 优秀."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="bands", verbose_name=_("rubric"))
    label = models.CharField(_("grade"), max_length=40)
    min_total = models.DecimalField(_("from total"), validators=[MinValueValidator(Decimal("0"))], **POINTS)
    tone = models.CharField(_("colour"), max_length=10, choices=BandTone.choices, default=BandTone.OK)

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["-min_total"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "min_total"], name="band_unique_min"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ≥{self.min_total}"
