"""Annual work plans (年度工作要点), their targets, and construction programmes (建设规划).

Plans never point into `activities` (the activities app points at WorkPoint),
so the two apps' migrations cannot form a cycle.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Committee, MemberUnit


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Plan(models.Model):
    """One committee's annual plan: a 文号, an issuer, numbered sections of work points."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="plans", verbose_name=_("committee")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    preamble = models.TextField(_("preamble"), blank=True, help_text=_("Text before the first section."))
    closing = models.TextField(_("closing text"), blank=True, help_text=_("Signatures and notes after the sections."))
    source_text = models.TextField(_("original text"), blank=True)
    source_file = models.FileField(_("original file"), upload_to="plans/sources/%Y/", blank=True)
    source_name = models.CharField(_("original file name"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "committee_id", "id"]
        indexes = [models.Index(fields=["committee", "year"])]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="plan_year_range"),
            models.CheckConstraint(condition=~Q(title=""), name="plan_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PlanStatus.PUBLISHED


class PlanSection(models.Model):
    """A numbered section (一、二、… or （一）…) of a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("plan"))
    position = models.PositiveIntegerField(_("position"), default=0)
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True, help_text=_("Introductory text of the section."))

    class Meta:
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        ordering = ["plan_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.number}{self.title}"


class OwnerKind(models.TextChoices):
    SELF = "self", _("The committee itself")
    MEMBER_UNIT = "member_unit", _("A member unit")
    EACH_SUBCOMMITTEE = "each_subcommittee", _("Every sub-committee")
    ASSIGNED = "assigned", _("Assigned sub-committees")


class WorkPoint(models.Model):
    """One work point of a section, with who owns it. Activities may point here."""

    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="points", verbose_name=_("section"))
    position = models.PositiveIntegerField(_("position"), default=0)
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    owner_kind = models.CharField(_("owner"), max_length=20, choices=OwnerKind.choices, default=OwnerKind.SELF)
    member_unit = models.ForeignKey(
        MemberUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_points",
        verbose_name=_("member unit"),
    )
    assigned_committees = models.ManyToManyField(
        Committee, blank=True, related_name="assigned_work_points", verbose_name=_("assigned sub-committees")
    )

    class Meta:
        verbose_name = _("work point")
        verbose_name_plural = _("work points")
        ordering = ["section_id", "position", "id"]

    def __str__(self) -> str:
        label = self.title or self.text[:40]
        return f"{self.number} {label}".strip()

    @property
    def number_label(self) -> str:
        """ "1." for Arabic numbers, "三、" for Chinese ones, "" without a number."""
        if not self.number:
            return ""
        return f"{self.number}." if self.number.isdigit() else f"{self.number}、"


class Comparator(models.TextChoices):
    GTE = ">=", "≥"
    LTE = "<=", "≤"
    EQ = "=", "="


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    SEMESTER = "semester", _("Semester")
    MONTH = "month", _("Month")
    CUSTOM = "custom", _("Custom dates")


class TargetScope(models.TextChoices):
    AGGREGATE = "aggregate", _("The committee as a whole")
    EACH_SUBCOMMITTEE = "each_subcommittee", _("Each sub-committee")


class Target(models.Model):
    """A quantified target on a work point, optionally wired to a metric."""

    work_point = models.ForeignKey(
        WorkPoint, on_delete=models.CASCADE, related_name="targets", verbose_name=_("work point")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("text"), help_text=_("The words of the plan this target comes from."))
    metric = models.CharField(_("metric"), max_length=50, blank=True, help_text=_("Leave empty if not measured."))
    params = models.JSONField(_("metric parameters"), default=dict, blank=True)
    comparator = models.CharField(_("comparison"), max_length=2, choices=Comparator.choices, default=Comparator.GTE)
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=4, default=Decimal(0))
    # "%" and "比" ("1比200") change how the value is compared (`metrics.goals`); any other unit is a count or sum.
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    scope = models.CharField(
        _("who must reach it"), max_length=20, choices=TargetScope.choices, default=TargetScope.AGGREGATE
    )
    subtree = models.BooleanField(
        _("count the whole subtree"), default=True, help_text=_("Include the records of sub-committees below.")
    )
    # Set when the plan is read and a metric is chosen from the target's words; cleared once a person saves it.
    wiring_guessed = models.BooleanField(
        _("metric guessed on reading"),
        default=False,
        help_text=_("The metric was chosen from the plan's words and nobody has checked it yet."),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["work_point_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
            models.CheckConstraint(
                condition=~Q(period_kind="custom") | Q(period_start__isnull=False, period_end__isnull=False),
                name="target_custom_period_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Programme(models.Model):
    """A multi-year construction programme (建设规划) with phases and milestones."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("committee")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("plan it came from"),
    )
    participants = models.ManyToManyField(
        Committee,
        through="ProgrammeParticipant",
        related_name="programmes_joined",
        blank=True,
        verbose_name=_("participating committees"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["committee_id", "id"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="programme_title_not_empty")]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="phases", verbose_name=_("programme")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["programme_id", "starts_on", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="phase_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class MilestoneKind(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term report")
    SELF_CHECK = "self_check", _("Self-check")
    ACCEPTANCE = "acceptance", _("Acceptance")
    OTHER = "other", _("Other")


class Milestone(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("programme")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones", verbose_name=_("phase")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices, default=MilestoneKind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due date"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["programme_id", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ParticipantStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    MID_TERM_PASSED = "mid_term_passed", _("Mid-term passed")
    SELF_CHECKED = "self_checked", _("Self-check done")
    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Not accepted")


class ProgrammeParticipant(models.Model):
    """A committee taking part in a programme, with its status."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="participations", verbose_name=_("programme")
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="programme_participations", verbose_name=_("committee")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ParticipantStatus.choices, default=ParticipantStatus.NOT_STARTED
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("programme participant")
        verbose_name_plural = _("programme participants")
        ordering = ["programme_id", "committee__path"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "committee"], name="programme_participant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.committee}"


class DeliverableStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class Deliverable(models.Model):
    """A file a committee hands in for a milestone; a reviewer accepts or returns it."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("milestone")
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="deliverables", verbose_name=_("committee")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="plans/deliverables/%Y/")
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliverableStatus.choices, default=DeliverableStatus.SUBMITTED
    )
    reviewer_note = models.TextField(_("reviewer's note"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["milestone_id", "committee_id", "-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title
