"""Who reviews (panels and assignments), objections during the public notice, and report jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.evaluations import Evaluation, Round
from orgs.models import Committee, Grouping


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
