"""What happened: activities with photos, donations to the 助学基金, news reports (信息报道).

Field names here are read by the metric engine (metrics/records.py, metrics/catalogue.py): keep them stable.
`Activity.objects` hides soft-deleted rows, so metrics never count a deleted activity.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

EARLIEST_YEAR = 2000


class ActivityKind(models.Model):
    """A kind of activity (报告会, 宣讲会 …). Data, so an admin can add kinds; codes are stable."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A stable code used by metrics and imports, e.g. lecture. Do not change it once in use."),
    )
    name = models.CharField(_("name"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive kinds are not offered on forms."))
    counts_students_talked = models.BooleanField(
        _("asks for students talked with"),
        default=False,
        help_text=_("Whether entries of this kind usually record how many students were talked with."),
    )

    class Meta:
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class LiveManager(models.Manager):
    """Hides soft-deleted rows."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


# Kept at module level so services can write one history record after saving a row
# and its participants together (simple-history otherwise records each step).
ACTIVITY_HISTORY = HistoricalRecords(m2m_fields=["participants"])


class AllRowsManager(models.Manager):
    """Every row, soft-deleted ones included (admin restore, related lookups)."""


class Activity(models.Model):
    committee = models.ForeignKey(
        "orgs.Committee", on_delete=models.PROTECT, related_name="activities", verbose_name=_("committee")
    )
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="activities", verbose_name=_("kind"))
    held_on = models.DateField(_("date"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    youth_reached = models.PositiveIntegerField(
        _("young people reached"), default=0, help_text=_("How many students or young people took part.")
    )
    students_talked = models.PositiveIntegerField(
        _("students talked with"), default=0, help_text=_("For talks with students: how many students.")
    )
    participants = models.ManyToManyField(
        "orgs.Person",
        related_name="activities",
        blank=True,
        verbose_name=_("五老 and members who took part"),
    )
    work_point = models.ForeignKey(
        "plans.WorkPoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("work point of the plan"),
    )
    summary = models.TextField(_("summary"), blank=True)
    import_batch = models.UUIDField(
        _("import batch"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The Excel import that created this activity, so its rows can be listed together."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("deleted by"),
    )

    history = ACTIVITY_HISTORY

    objects = LiveManager()
    all_objects = AllRowsManager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-id"]
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["committee", "held_on"], name="activity_committee_date"),
            models.Index(fields=["kind", "held_on"], name="activity_kind_date"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="activity_title_not_empty")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def clean(self) -> None:
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError({"held_on": _("The date is in the future. Log an activity after it took place.")})
        if self.held_on and self.held_on.year < EARLIEST_YEAR:
            raise ValidationError({"held_on": _("The date is too far in the past. Please check the year.")})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class PhotoBase(models.Model):
    """An uploaded picture and its JPEG thumbnail; never served from a public URL."""

    image = models.FileField(_("photo"), max_length=255)
    thumbnail = models.FileField(_("thumbnail"), max_length=255, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name or self.image.name


def _stored_name(folder: str, filename: str) -> str:
    """A random name under folder/YYYY/MM/: users' file names never reach the disk."""
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"{folder}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def activity_photo_path(instance: ActivityPhoto, filename: str) -> str:
    return _stored_name("activities/photos", filename)


def activity_thumb_path(instance: ActivityPhoto, filename: str) -> str:
    return _stored_name("activities/thumbs", filename)


class ActivityPhoto(PhotoBase):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("activity"))
    image = models.FileField(_("photo"), upload_to=activity_photo_path, max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to=activity_thumb_path, max_length=255, blank=True)

    class Meta(PhotoBase.Meta):
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")


class DonorKind(models.TextChoices):
    PERSON = "person", _("Person")
    UNIT = "unit", _("Unit")


class Donation(models.Model):
    """A gift to the 助学基金 (student aid fund)."""

    committee = models.ForeignKey(
        "orgs.Committee", on_delete=models.PROTECT, related_name="donations", verbose_name=_("committee")
    )
    donor_kind = models.CharField(_("donor is a"), max_length=10, choices=DonorKind.choices, default=DonorKind.PERSON)
    donor_name = models.CharField(_("donor"), max_length=100)
    donor_person = models.ForeignKey(
        "orgs.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name=_("donor in the registry"),
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    donated_on = models.DateField(_("date"), default=timezone.localdate)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-donated_on", "-id"]
        indexes = [models.Index(fields=["committee", "donated_on"], name="donation_committee_date")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="donation_amount_positive"),
            models.CheckConstraint(condition=~Q(donor_name=""), name="donation_donor_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.donor_name} ¥{self.amount}"


class OutletLevel(models.TextChoices):
    SCHOOL = "school", _("School")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


class NewsReport(models.Model):
    """A 信息报道: a report of the committee's work published somewhere."""

    committee = models.ForeignKey(
        "orgs.Committee", on_delete=models.PROTECT, related_name="news_reports", verbose_name=_("committee")
    )
    title = models.CharField(_("title"), max_length=200)
    published_on = models.DateField(_("published on"), default=timezone.localdate)
    outlet = models.CharField(_("published in"), max_length=200, help_text=_("e.g. the university 关工 website"))
    outlet_level = models.CharField(
        _("level of the outlet"), max_length=20, choices=OutletLevel.choices, default=OutletLevel.SCHOOL
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("news report")
        verbose_name_plural = _("news reports")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["committee", "published_on"], name="news_committee_date")]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="news_title_not_empty")]

    def __str__(self) -> str:
        return self.title


def news_photo_path(instance: NewsPhoto, filename: str) -> str:
    return _stored_name("activities/news", filename)


def news_thumb_path(instance: NewsPhoto, filename: str) -> str:
    return _stored_name("activities/news-thumbs", filename)


class NewsPhoto(PhotoBase):
    report = models.ForeignKey(NewsReport, on_delete=models.CASCADE, related_name="photos", verbose_name=_("report"))
    image = models.FileField(_("photo"), upload_to=news_photo_path, max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to=news_thumb_path, max_length=255, blank=True)

    class Meta(PhotoBase.Meta):
        verbose_name = _("news photo")
        verbose_name_plural = _("news photos")
