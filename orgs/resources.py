"""Excel columns for the committee tree and the people registry (django-import-export).

Both resources are bound to a user: foreign keys are looked up by code only
among committees the user may use, rows are written through orgs.services (so
they are audited and the tree is locked), and a row that would touch a
committee outside the user's scope is a row error.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from guanwei.imports import LookupWidget
from orgs import selectors, services
from orgs.forms import code_validator
from orgs.models import Committee, CommitteeKind, Gender, MemberRole, Person, WulaoCategory
from orgs.scoping import Perm, can, committees_for, forget_scope, is_system_admin

ROLE_SEPARATORS = re.compile(r"[、,，;；/\s]+")
UI_LANGUAGE = "zh-hans"


def _text(value: Any) -> str:
    """A cell as text: numbers typed into Excel (phones, codes) lose any trailing .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return _text(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class CodeWidget(TextWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        code = _text(value)
        if code:
            try:
                code_validator(code)
            except ValidationError as exc:
                raise ValueError(exc.messages[0]) from exc
        return code


class CountWidget(widgets.Widget):
    """A head count: empty means 0; anything else must be a whole number."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int:
        text = _text(value)
        if not text:
            return 0
        try:
            number = float(text)
        except ValueError:
            number = -1.5
        if not number.is_integer() or number < 0:
            raise ValueError(_("“%(value)s” is not a whole number of people.") % {"value": text})
        return int(number)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value


class YearWidget(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        text = _text(value)
        if not text:
            return None
        if not re.fullmatch(r"(19|20)\d\d", text):
            raise ValueError(_("“%(value)s” is not a four-digit year such as 1952.") % {"value": text})
        return int(text)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value


class ChineseDateWidget(widgets.Widget):
    """Dates as Excel dates or text such as 2022-03-05, 2022/3/5, 2022.3.5 or 2022年3月5日."""

    PATTERN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _text(value)
        if not text:
            return None
        match = self.PATTERN.fullmatch(text)
        try:
            if match is None:
                raise ValueError(text)
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a valid date. Write it like 2022-03-05.") % {"value": text}
            ) from None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> date | None:
        return value if isinstance(value, date) else None  # a real date cell in the export

    def read_as(self, value: Any) -> str | None:
        """How the import preview shows the cell: the day it was read as, e.g. 2022-03-05."""
        try:
            read = self.clean(value)
        except ValueError:
            return None
        return read.isoformat() if read else None


class ChoiceLabelWidget(widgets.Widget):
    """A choice by its Chinese label (or its stored code); exported as the Chinese label."""

    def __init__(self, choices: Any, *, blank: bool = True) -> None:
        super().__init__()
        self.choices = choices
        self.blank = blank

    def _lookup(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for language in (UI_LANGUAGE, "en"):
            with translation.override(language):
                for value, label in self.choices.choices:
                    table[str(label).strip().lower()] = value
        for value in self.choices.values:
            table[value.lower()] = value
        return table

    def labels(self) -> str:
        with translation.override(UI_LANGUAGE):
            return "、".join(str(label) for label in self.choices.labels)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = _text(value)
        if not text:
            if self.blank:
                return ""
            raise ValueError(_("This column must be filled in. Use one of: %(labels)s.") % {"labels": self.labels()})
        found = self._lookup().get(text.lower())
        if found is None:
            raise ValueError(_("“%(value)s” is not one of: %(labels)s.") % {"value": text, "labels": self.labels()})
        return found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if not value:
            return ""
        with translation.override(UI_LANGUAGE):
            return str(self.choices(value).label)


class YesNoWidget(widgets.Widget):
    YES = {"是", "y", "yes", "true", "1", "√", "✓", "已登记", "已实名"}
    NO = {"否", "n", "no", "false", "0", "", "未登记"}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("“%(value)s” should be 是 or 否.") % {"value": _text(value)})

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "是" if value else "否"


class RolesWidget(widgets.Widget):
    """Roles as Chinese labels separated by 、 (commas, semicolons and spaces also work)."""

    def __init__(self) -> None:
        super().__init__()
        self.choice = ChoiceLabelWidget(MemberRole, blank=False)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[str]:
        parts = [p for p in ROLE_SEPARATORS.split(_text(value)) if p]
        roles = []
        for part in parts:
            try:
                roles.append(self.choice.clean(part))
            except ValueError:
                raise ValueError(
                    _("Unknown role “%(value)s”. Use: %(labels)s.") % {"value": part, "labels": self.choice.labels()}
                ) from None
        return list(dict.fromkeys(roles))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "、".join(self.choice.render(role) for role in value or [])


class ScopedLookupWidget(LookupWidget):
    """LookupWidget whose queryset is rebuilt for every row, so rows see committees
    created (or moved) by earlier rows of the same file."""

    def __init__(self, model: Any, field: str, queryset_factory: Callable[[], QuerySet]) -> None:
        super().__init__(model, field=field)
        self.queryset_factory = queryset_factory

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> QuerySet:
        return self.queryset_factory()


def _copy_saved_state(source: Any, target: Any) -> None:
    """Give the import's instance the primary key and tree columns the service assigned."""
    for attr in ("pk", "id", "path", "depth", "numchild", "created_at", "updated_at"):
        if hasattr(source, attr):
            setattr(target, attr, getattr(source, attr))
    target._state.adding = False
    target._state.db = source._state.db


class BoundResource(resources.ModelResource):
    """A resource that knows who is importing."""

    def __init__(self, *, user: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.request = request


PARENT_COLUMN = "上级编码"
CODE_COLUMN = "编码"


class CommitteeResource(BoundResource):
    parent = fields.Field(attribute="parent", column_name=PARENT_COLUMN)
    name = fields.Field(attribute="name", column_name="名称", widget=TextWidget())
    short_name = fields.Field(attribute="short_name", column_name="简称", widget=TextWidget())
    code = fields.Field(attribute="code", column_name=CODE_COLUMN, widget=CodeWidget())
    kind = fields.Field(attribute="kind", column_name="类型", widget=ChoiceLabelWidget(CommitteeKind, blank=False))
    students = fields.Field(attribute="students", column_name="学生数", widget=CountWidget())
    retirees = fields.Field(attribute="retirees", column_name="离退休人数", widget=CountWidget())
    staff = fields.Field(attribute="staff", column_name="教职工数", widget=CountWidget())
    office = fields.Field(attribute="office", column_name="办公地点", widget=TextWidget())
    contact_name = fields.Field(attribute="contact_name", column_name="联系人", widget=TextWidget())
    contact_phone = fields.Field(attribute="contact_phone", column_name="联系电话", widget=TextWidget())

    class Meta:
        model = Committee
        fields = (
            "parent",
            "name",
            "short_name",
            "code",
            "kind",
            "students",
            "retirees",
            "staff",
            "office",
            "contact_name",
            "contact_phone",
        )
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_diff = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fields["parent"].widget = ScopedLookupWidget(
            Committee, field="code", queryset_factory=lambda: committees_for(self.user, Perm.MANAGE)
        )

    REQUIRED_HEADERS = ["上级编码", "名称", "编码", "类型"]

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        # Hold the tree lock for the whole file: rows read parents and write
        # paths, and another writer in between would leave them stale.
        services.lock_tree()
        forget_scope(self.user)

    def get_instance(self, instance_loader: Any, row: Any) -> Committee | None:
        code = _text(row.get(CODE_COLUMN))
        if not code:
            return None
        existing = selectors.committee_by_code(code)
        if existing is None:
            return None
        if not can(self.user, Perm.MANAGE, existing):
            raise ValidationError(
                {
                    "code": _(
                        "The code “%(code)s” is already used by a committee outside the part of the tree "
                        "you manage. Choose another code."
                    )
                    % {"code": code}
                }
            )
        existing._import_parent_id = existing.parent_id
        return existing

    def import_field(self, field: Any, instance: Any, row: Any, is_m2m: bool = False, **kwargs: Any) -> None:
        if field.attribute == "parent" and field.column_name in row:
            code = _text(row[field.column_name])
            current = instance.parent if instance.pk else None
            if instance.pk and ((current is None and not code) or (current is not None and code == current.code)):
                # Unchanged place in the tree: a re-imported export stays valid even
                # when the top committee's parent is outside the user's scope.
                return
            if not code and not is_system_admin(self.user):
                raise ValueError(
                    _("Fill in the code of the parent committee. Only the system administrator adds top-level ones.")
                )
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def dehydrate_parent(self, committee: Committee) -> str:
        return committee.parent.code if committee.parent_id else ""

    def do_instance_save(self, instance: Committee, is_create: bool) -> None:
        values = {name: getattr(instance, name) for name in services.COMMITTEE_FIELDS}
        if is_create:
            created = services.committee_create(parent=instance.parent, by=self.user, request=self.request, **values)
            _copy_saved_state(created, instance)
        else:
            if instance.parent_id != getattr(instance, "_import_parent_id", instance.parent_id):
                services.committee_move(
                    committee=instance, new_parent=instance.parent, by=self.user, request=self.request
                )
            services.committee_update(committee=instance, by=self.user, request=self.request, **values)
        # The user's granted intervals have grown; look them up again for the next row.
        forget_scope(self.user)

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        """Rows were saved through the services; nothing to reset."""


COMMITTEE_COLUMN = "委员会编码"
NAME_COLUMN = "姓名"


class PersonResource(BoundResource):
    committee = fields.Field(attribute="committee", column_name=COMMITTEE_COLUMN)
    name = fields.Field(attribute="name", column_name=NAME_COLUMN, widget=TextWidget())
    gender = fields.Field(attribute="gender", column_name="性别", widget=ChoiceLabelWidget(Gender))
    birth_year = fields.Field(attribute="birth_year", column_name="出生年份", widget=YearWidget())
    phone = fields.Field(attribute="phone", column_name="电话", widget=TextWidget())
    title = fields.Field(attribute="title", column_name="职务或职称", widget=TextWidget())
    wulao_category = fields.Field(
        attribute="wulao_category", column_name="五老类别", widget=ChoiceLabelWidget(WulaoCategory)
    )
    real_name_registered = fields.Field(
        attribute="real_name_registered", column_name="已实名登记", widget=YesNoWidget()
    )
    active_from = fields.Field(attribute="active_from", column_name="参与起始日期", widget=ChineseDateWidget())
    active_until = fields.Field(attribute="active_until", column_name="参与截止日期", widget=ChineseDateWidget())
    roles = fields.Field(attribute="import_roles", column_name="职务", widget=RolesWidget())
    is_retired = fields.Field(attribute="is_retired", column_name="已退休", widget=YesNoWidget())
    is_party_member = fields.Field(attribute="is_party_member", column_name="中共党员", widget=YesNoWidget())
    notes = fields.Field(attribute="notes", column_name="备注", widget=TextWidget())

    class Meta:
        model = Person
        fields = (
            "committee",
            "name",
            "gender",
            "birth_year",
            "phone",
            "title",
            "wulao_category",
            "real_name_registered",
            "active_from",
            "active_until",
            "roles",
            "is_retired",
            "is_party_member",
            "notes",
        )
        import_id_fields = ("committee", "name")
        clean_model_instances = True
        skip_diff = True

    REQUIRED_HEADERS = ["委员会编码", "姓名"]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.batch = uuid.uuid4()  # every row this import adds or updates carries it
        self.fields["committee"].widget = ScopedLookupWidget(
            Committee, field="code", queryset_factory=lambda: committees_for(self.user, Perm.EDIT)
        )

    def get_instance(self, instance_loader: Any, row: Any) -> Person | None:
        """The person with this name in this committee, if the committee is one the user edits."""
        name = _text(row.get(NAME_COLUMN))
        try:
            committee = self.fields["committee"].clean(row)
        except ValueError:
            return None  # reported against its column when the row is read
        if committee is None or not name:
            return None
        matches = list(selectors.people_for(self.user, Perm.EDIT).filter(committee=committee, name=name)[:2])
        if len(matches) > 1:
            raise ValidationError(
                {
                    "name": _("Several people named “%(name)s” are in this committee; edit them on the website.")
                    % {"name": name}
                }
            )
        return matches[0] if matches else None

    def import_field(self, field: Any, instance: Any, row: Any, is_m2m: bool = False, **kwargs: Any) -> None:
        if field.attribute == "committee" and field.column_name in row and not _text(row[field.column_name]):
            raise ValueError(_("Fill in the code of the person's committee."))
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def dehydrate_committee(self, person: Person) -> str:
        return person.committee.code

    def dehydrate_roles(self, person: Person) -> str:
        memberships = getattr(person, "visible_memberships", None)
        if memberships is None:
            memberships = list(selectors.person_memberships(self.user, person))
        roles = [m.role for m in memberships if m.committee_id == person.committee_id]
        return self.fields["roles"].widget.render(roles)

    def do_instance_save(self, instance: Person, is_create: bool) -> None:
        values = {name: getattr(instance, name) for name in services.PERSON_FIELDS}
        if is_create:
            created = services.person_create(committee=instance.committee, by=self.user, request=self.request, **values)
            _copy_saved_state(created, instance)
        else:
            services.person_update(person=instance, by=self.user, request=self.request, **values)

    def after_save_instance(self, instance: Person, row: Any, **kwargs: Any) -> None:
        Person.objects.filter(pk=instance.pk).update(import_batch=self.batch)
        roles = getattr(instance, "import_roles", None)
        if roles is not None:
            services.membership_sync(
                person=instance, committee=instance.committee, roles=roles, by=self.user, request=self.request
            )

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        """Rows were saved through the services; nothing to reset."""


COMMITTEE_EXAMPLE = [
    "",
    "示例学院关工分委",
    "示例学院",
    "",
    "二级学院",
    1200,
    45,
    160,
    "行政楼201",
    "张老师",
    "020-12345678",
]
PERSON_EXAMPLE = [
    "",
    "李明",
    "男",
    1952,
    "13800138000",
    "原党委副书记、教授",
    "老教师",
    "是",
    "2022-03-01",
    "",
    "常务副主任、讲师团成员",
    "是",
    "是",
    "",
]
