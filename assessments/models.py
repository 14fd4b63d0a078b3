"""Rubrics (考核方案), assessment rounds, evaluations and their scores.

Rubrics are versioned: once a round uses a version it is locked, and changing
it means making a new version (`services.rubric_new_version`); the round keeps
the version it started with. Totals, bonus, grade and gate outcomes on an
evaluation are written only by the services from `assessments.scoring`.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Committee, Grouping

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


class Round(models.Model):
    """An assessment round over a subtree and a year, using one rubric version."""

    name = models.CharField(_("name"), max_length=200)
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="assessment_rounds", verbose_name=_("organising committee")
    )
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("rubric"))
    year = models.PositiveSmallIntegerField(_("year"))
    self_deadline = models.DateField(_("self-assessment deadline"))
    review_deadline = models.DateField(_("review deadline"))
    balanced_target = models.DecimalField(
        _("target share reaching the gate (%)"),
        null=True,
        blank=True,
        max_digits=5,
        decimal_places=1,
        help_text=_("For example 90, when nine in ten sub-committees must reach 均衡发展."),
    )
    notice_start = models.DateField(_("public notice from"), null=True, blank=True)
    notice_end = models.DateField(_("public notice until"), null=True, blank=True)
    notice_text = models.TextField(_("public notice text"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    data_changed_at = models.DateTimeField(_("data changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_deadline__gte=models.F("self_deadline")), name="round_deadlines_ordered"
            ),
            models.CheckConstraint(
                condition=Q(notice_start__isnull=True)
                | Q(notice_end__isnull=True)
                | Q(notice_end__gte=models.F("notice_start")),
                name="round_notice_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessment")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    FINALISED = "finalised", _("Finalised")


STATUS_TONES = {
    EvaluationStatus.DRAFT: "",
    EvaluationStatus.SUBMITTED: "warn",
    EvaluationStatus.UNDER_REVIEW: "warn",
    EvaluationStatus.RETURNED: "bad",
    EvaluationStatus.FINALISED: "ok",
}


class Evaluation(models.Model):
    """One committee's assessment in a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("round"))
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("committee")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    # Written by services from assessments.scoring, never typed.
    self_total = models.DecimalField(_("self-assessed total"), null=True, blank=True, **POINTS)
    review_total = models.DecimalField(_("reviewed total"), null=True, blank=True, **POINTS)
    bonus_total = models.DecimalField(_("bonus"), null=True, blank=True, **POINTS)
    grade = models.CharField(_("grade"), max_length=40, blank=True)
    grade_tone = models.CharField(max_length=10, blank=True)
    gate_passed = models.BooleanField(_("gate reached"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["round_id", "committee__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "committee"], name="evaluation_unique_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} · {self.round}"

    @property
    def is_locked(self) -> bool:
        return self.status == EvaluationStatus.FINALISED

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "")


class Score(models.Model):
    """The self-score and the reviewer's score of one criterion in one evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    self_points = models.DecimalField(_("self score"), null=True, blank=True, **POINTS)
    self_comment = models.TextField(_("self-assessment note"), blank=True)
    review_points = models.DecimalField(_("review score"), null=True, blank=True, **POINTS)
    review_comment = models.TextField(_("reviewer's note"), blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    metric_value = models.DecimalField(_("measured value"), null=True, blank=True, **VALUE)
    metric_points = models.DecimalField(_("points from the data"), null=True, blank=True, **POINTS)
    metric_at = models.DateTimeField(_("measured at"), null=True, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="score_unique_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}/{self.criterion_id}"


class ScoreSide(models.TextChoices):
    SELF = "self", _("Self-assessment")
    REVIEW = "review", _("Review")


class ScoreChange(models.Model):
    """Every change to a score before finalisation: who, when, old, new and why."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="changes")
    side = models.CharField(_("side"), max_length=10, choices=ScoreSide.choices)
    old_points = models.DecimalField(_("old score"), null=True, blank=True, **POINTS)
    new_points = models.DecimalField(_("new score"), null=True, blank=True, **POINTS)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.score_id}: {self.old_points} → {self.new_points}"


class EvaluationEvent(models.Model):
    """A workflow step: submitted, returned, finalised …"""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=EvaluationStatus.choices)
    to_status = models.CharField(max_length=20, choices=EvaluationStatus.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.from_status} → {self.to_status}"


def evidence_path(instance: Evidence, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"assessments/evidence/{instance.score.evaluation_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file attached to a criterion of an evaluation. Served only through a scoped view."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("file type"), max_length=10)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReviewPanel(models.Model):
    """A 考核小组: reviewers who score together; may stand for a 片 lead committee."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="review_panels", verbose_name=_("members"))
    grouping = models.ForeignKey(
        Grouping, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("片")
    )

    class Meta:
        verbose_name = _("review panel")
        verbose_name_plural = _("review panels")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="panel_unique_name")]

    def __str__(self) -> str:
        return self.name


class ReviewAssignment(models.Model):
    """Who reviews an evaluation: one reviewer or one panel."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="review_assignments"
    )
    panel = models.ForeignKey(ReviewPanel, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, panel__isnull=True) | Q(user__isnull=True, panel__isnull=False),
                name="assignment_user_xor_panel",
            ),
            models.UniqueConstraint(fields=["evaluation", "user"], name="assignment_unique_user"),
            models.UniqueConstraint(fields=["evaluation", "panel"], name="assignment_unique_panel"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} ← {self.panel_id or self.user_id}"


class Objection(models.Model):
    """An objection (异议) raised during the public notice (公示) of a round's results."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="objections")
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("about committee"),
    )
    raised_by = models.CharField(_("raised by"), max_length=100)
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("objection"))
    response = models.TextField(_("response"), blank=True)
    resolved = models.BooleanField(_("resolved"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.raised_by} {self.received_on}"


class ReportJobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportJob(models.Model):
    """A round summary PDF rendered in the background, reused until the round's data change."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="report_jobs")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    data_stamp = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=ReportJobStatus.choices, default=ReportJobStatus.PENDING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="assessments/reports/", blank=True, max_length=300)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.committee_id} {self.status}"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0
