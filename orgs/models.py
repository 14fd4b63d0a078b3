"""The committee tree, people, member units, groupings (片) and access grants."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

_UNLOADED = object()


class CommitteeKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    TOWN = "town", _("Town / street")
    VILLAGE = "village", _("Village / community")
    SCHOOL = "school", _("School")
    UNIVERSITY = "university", _("University")
    COLLEGE = "college", _("College")
    HOSPITAL = "hospital", _("Affiliated hospital")
    STATION = "station", _("Tutoring station")


class Committee(MP_Node):
    """One 关工委: a node of the tree. Access to a node covers its subtree.

    The tree is a materialised path (django-treebeard): `path` is the parent's
    path plus four characters, so a subtree is one range of `path` (see
    `orgs.tree`), an insert writes one row and a move rewrites only the moved
    subtree. `parent` is kept beside it for joins and forms; `save()` keeps the
    two in step, placing a new committee as its parent's last child and moving
    one whose parent changed.
    """

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent committee"),
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A short unique code, e.g. GZUCM-ZJ. Letters, digits and dashes."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CommitteeKind.choices)
    students = models.PositiveIntegerField(_("students"), default=0)
    retirees = models.PositiveIntegerField(_("retirees"), default=0)
    staff = models.PositiveIntegerField(_("staff"), default=0)
    office = models.CharField(_("office"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MP_NodeManager()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="committee_code_not_empty"),
            models.CheckConstraint(condition=~Q(name=""), name="committee_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def level(self) -> int:
        """0 for a root, 1 for its children, and so on (for indenting)."""
        return self.depth - 1

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Committee:
        instance = super().from_db(db, field_names, values)
        # A deferred parent_id is not compared on save (it was not loaded to be changed).
        instance._saved_parent_id = instance.__dict__.get("parent_id", _UNLOADED)
        return instance

    def full_clean(self, exclude: Any = None, *args: Any, **kwargs: Any) -> None:
        # The tree columns are the tree's to fill (a new committee has no path yet).
        super().full_clean({*(exclude or ()), *self._TREE_FIELDS}, *args, **kwargs)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Place a new committee under its parent, or move a saved one whose parent changed.

        Tree writes must hold `orgs.services.lock_tree()`; the services do.
        """
        if self._state.adding and not self.path:
            if self.parent_id is None:
                Committee.objects.add_root(instance=self)
            else:
                Committee.objects.add_child(Committee.objects.get(pk=self.parent_id), instance=self)
            self._saved_parent_id = self.parent_id
            return
        saved_parent_id = getattr(self, "_saved_parent_id", _UNLOADED)
        moved = not self._state.adding and saved_parent_id is not _UNLOADED and self.parent_id != saved_parent_id
        if moved:
            if self.parent_id is None:
                last_root = Committee.objects.get_last_root_node()
                Committee.objects.move(self, last_root, "last-sibling")
            else:
                Committee.objects.move(self, Committee.objects.get(pk=self.parent_id), "last-child")
            self._saved_parent_id = self.parent_id
        super().save(*args, **kwargs)


class WulaoCategory(models.TextChoices):
    CADRE = "cadre", _("Veteran cadre")  # 老干部
    SOLDIER = "soldier", _("Veteran soldier")  # 老战士
    EXPERT = "expert", _("Senior expert")  # 老专家
    TEACHER = "teacher", _("Retired teacher")  # 老教师
    MODEL = "model", _("Model worker")  # 老模范


class Gender(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Person(models.Model):
    """Somebody in a committee's registry: a member, a 五老, or both."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="people", verbose_name=_("committee")
    )
    name = models.CharField(_("name"), max_length=60)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("position or title"), max_length=100, blank=True)
    is_retired = models.BooleanField(_("retired"), default=False)
    is_party_member = models.BooleanField(_("party member"), default=False)
    wulao_category = models.CharField(
        _("五老 category"),
        max_length=20,
        choices=WulaoCategory.choices,
        blank=True,
        help_text=_("Leave empty if this person is not one of the 五老."),
    )
    real_name_registered = models.BooleanField(_("real-name registered"), default=False)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    import_batch = models.UUIDField(
        _("import batch"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The last Excel import that added or updated this person, so its rows can be listed together."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["committee_id", "name", "id"]
        indexes = [models.Index(fields=["committee", "wulao_category"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="person_active_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_wulao(self) -> bool:
        return bool(self.wulao_category)


class MemberRole(models.TextChoices):
    DIRECTOR = "director", _("Director")  # 主任
    EXECUTIVE_DEPUTY = "executive_deputy", _("Executive deputy director")  # 常务副主任
    DEPUTY = "deputy", _("Deputy director")  # 副主任
    SECRETARY = "secretary", _("Secretary")  # 秘书
    LIAISON = "liaison", _("Liaison")  # 联络员
    MEMBER = "member", _("Committee member")  # 委员
    PARTY_ORGANISER = "party_organiser", _("Invited party-building organiser")  # 特邀党建组织员
    MENTOR_YOUNG_TEACHER = "mentor_young_teacher", _("Mentor of young teachers")  # 青年教师导师
    MENTOR_COUNSELLOR = "mentor_counsellor", _("Mentor of counsellors")  # 辅导员导师
    MENTOR_EXTRACURRICULAR = "mentor_extracurricular", _("Extracurricular mentor")  # 学生课外导师
    MENTOR_CAREER = "mentor_career", _("Career mentor")  # 学生就业导师
    LECTURER = "lecturer", _("Lecture team member")  # 讲师团成员


MENTOR_ROLES = (
    MemberRole.MENTOR_YOUNG_TEACHER,
    MemberRole.MENTOR_COUNSELLOR,
    MemberRole.MENTOR_EXTRACURRICULAR,
    MemberRole.MENTOR_CAREER,
)


class Membership(models.Model):
    """A person holding a role in a committee for a time."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("committee")
    )
    role = models.CharField(_("role"), max_length=30, choices=MemberRole.choices)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["committee_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "committee", "role"], name="membership_unique_role"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="membership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"


class MemberUnit(models.Model):
    """A 委员单位: an office or department that has duties towards the committee."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="member_units", verbose_name=_("committee")
    )
    name = models.CharField(_("name"), max_length=100)
    duties = models.TextField(_("duties"), blank=True)

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["committee_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="member_unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Grouping(models.Model):
    """A 片: committees from across the tree grouped under a lead committee."""

    name = models.CharField(_("name"), max_length=100)
    lead = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="led_groupings", verbose_name=_("lead committee")
    )
    members = models.ManyToManyField(
        Committee, related_name="groupings", blank=True, verbose_name=_("member committees")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("grouping (片)")
        verbose_name_plural = _("groupings (片)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GrantRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    LEADER = "leader", _("Leader")
    REVIEWER = "reviewer", _("Reviewer")
    ADMIN = "admin", _("Administrator")


class Grant(models.Model):
    """Access for a user to a committee and its whole subtree, in one role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants", verbose_name=_("user")
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="grants", verbose_name=_("committee")
    )
    role = models.CharField(_("role"), max_length=20, choices=GrantRole.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "committee", "role"], name="grant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.committee} · {self.get_role_display()}"


class AuditEvent(models.Model):
    """Who did what and when: logins, denials, and changes to records."""

    class Action(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logged out")
        DENIED = "denied", _("Access denied")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        IMPORT = "import", _("Imported")
        EXPORT = "export", _("Exported")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("user")
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}#{self.object_id}"
