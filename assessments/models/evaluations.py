"""Assessment rounds, their evaluations, scores, score changes, status events and evidence.

Totals, bonus, grade and gate outcomes on an evaluation are written only by
the services from `assessments.scoring`.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.rubrics import POINTS, VALUE, Criterion, Rubric
from orgs.models import Committee


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
