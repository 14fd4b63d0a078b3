"""Excel columns for importing and exporting activities (Chinese headers, one row per activity).

Rows may only name committees in the importer's EDIT scope; an unknown or foreign
committee code is a row error, never a silent import. Exported sheets import back
unchanged (participants are joined with 、).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from activities.models import Activity, ActivityKind
from orgs.models import Committee, Person
from orgs.scoping import Perm, committees_for

NAME_SEPARATOR = "、"
COLUMNS = {
    "committee": "委员会编码",
    "kind": "活动类型",
    "held_on": "日期",
    "title": "标题",
    "place": "地点",
    "youth_reached": "受教育青少年人数",
    "students_talked": "谈话学生人数",
    "participants": "参与五老",
    "summary": "内容摘要",
}
REQUIRED_COLUMNS = [COLUMNS[k] for k in ("committee", "kind", "held_on", "title")]

_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
]


def parse_date(value: Any) -> date:
    """Dates as people type them in Chinese spreadsheets, or real Excel dates."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace(" ", "")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise ValueError(_("“%(value)s” is not a valid date. Write it like 2022-03-05 or 2022年3月5日.") % {"value": value})


class ChineseDateWidget(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> date | None:
        if value is None or str(value).strip() == "":
            return None
        return parse_date(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value


class CountWidget(widgets.Widget):
    """A whole number of 0 or more; an empty cell counts as 0."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int:
        if value is None or str(value).strip() == "":
            return 0
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if not text.isdigit():
            raise ValueError(_("“%(value)s” is not a whole number of 0 or more.") % {"value": value})
        return int(text)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value


class TextWidget(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value).strip()

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value or ""


class ScopedCommitteeWidget(widgets.Widget):
    """A committee code the importer may edit; unknown and foreign codes get the same answer."""

    def __init__(self, user: Any) -> None:
        super().__init__()
        self.user = user
        self._cache: dict[str, Committee | None] = {}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Committee:
        code = "" if value is None else str(value).strip()
        if not code:
            raise ValueError(_("Fill in the committee code."))
        if code not in self._cache:
            self._cache[code] = committees_for(self.user, Perm.EDIT).filter(code__iexact=code).first()
        committee = self._cache[code]
        if committee is None:
            raise ValueError(_("There is no committee with code “%(code)s” that you may edit.") % {"code": code})
        return committee

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.code if value else ""


def _plain(name: str) -> str:
    """宣讲会（讲师团） → 宣讲会, so people may type the short form."""
    return re.split(r"[（(]", name, maxsplit=1)[0].strip()


class KindWidget(widgets.Widget):
    """An activity kind by its name (宣讲会) or code (lecture)."""

    def __init__(self) -> None:
        super().__init__()
        self._kinds: dict[str, ActivityKind] | None = None

    def _lookup(self) -> dict[str, ActivityKind]:
        if self._kinds is None:
            self._kinds = {}
            for kind in ActivityKind.objects.all():
                for key in (kind.code, kind.name, _plain(kind.name)):
                    self._kinds.setdefault(key.lower(), kind)
        return self._kinds

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> ActivityKind:
        text = "" if value is None else str(value).strip()
        if not text:
            raise ValueError(_("Fill in the kind of activity."))
        kind = self._lookup().get(text.lower()) or self._lookup().get(_plain(text).lower())
        if kind is None:
            names = NAME_SEPARATOR.join(k.name for k in ActivityKind.objects.filter(is_active=True))
            raise ValueError(_("Unknown kind “%(value)s”. Use one of: %(names)s.") % {"value": text, "names": names})
        return kind

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.name if value else ""


class ParticipantsWidget(widgets.ManyToManyWidget):
    """Names separated by 、 (or commas), looked up in the row's own committee."""

    def __init__(self) -> None:
        super().__init__(Person, separator=NAME_SEPARATOR, field="name")

    @staticmethod
    def split(value: Any) -> list[str]:
        text = "" if value is None else str(value)
        return [n.strip() for n in re.split(r"[、,，;；\s]+", text) if n.strip()]

    def resolve(self, value: Any, committee: Committee) -> list[Person]:
        names = self.split(value)
        if not names:
            return []
        found: dict[str, list[Person]] = {}
        for person in Person.objects.filter(committee=committee, name__in=names):
            found.setdefault(person.name, []).append(person)
        missing = [n for n in names if n not in found]
        if missing:
            raise ValueError(
                _("%(names)s not found in the registry of %(committee)s.")
                % {"names": NAME_SEPARATOR.join(missing), "committee": committee.name}
            )
        ambiguous = [n for n in names if len(found[n]) > 1]
        if ambiguous:
            raise ValueError(
                _("More than one person is called %(names)s; enter this activity on the website instead.")
                % {"names": NAME_SEPARATOR.join(ambiguous)}
            )
        return [found[n][0] for n in dict.fromkeys(names)]

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[Person]:
        # Resolved in ActivityResource.import_instance, where the row's committee is known.
        return []

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return NAME_SEPARATOR.join(p.name for p in value.all())


class ActivityResource(resources.ModelResource):
    """One row per activity. Build it with the importing (or exporting) user."""

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.fields["committee"] = fields.Field(
            attribute="committee", column_name=COLUMNS["committee"], widget=ScopedCommitteeWidget(user)
        )
        self._participants: dict[int, list[Person]] = {}

    committee = fields.Field(attribute="committee", column_name=COLUMNS["committee"])
    kind = fields.Field(attribute="kind", column_name=COLUMNS["kind"], widget=KindWidget())
    held_on = fields.Field(attribute="held_on", column_name=COLUMNS["held_on"], widget=ChineseDateWidget())
    title = fields.Field(attribute="title", column_name=COLUMNS["title"], widget=TextWidget())
    place = fields.Field(attribute="place", column_name=COLUMNS["place"], widget=TextWidget())
    youth_reached = fields.Field(attribute="youth_reached", column_name=COLUMNS["youth_reached"], widget=CountWidget())
    students_talked = fields.Field(
        attribute="students_talked", column_name=COLUMNS["students_talked"], widget=CountWidget()
    )
    participants = fields.Field(
        attribute="participants", column_name=COLUMNS["participants"], widget=ParticipantsWidget()
    )
    summary = fields.Field(attribute="summary", column_name=COLUMNS["summary"], widget=TextWidget())

    class Meta:
        model = Activity
        fields = tuple(COLUMNS)
        export_order = tuple(COLUMNS)
        import_order = tuple(COLUMNS)
        force_init_instance = True  # every row is a new activity
        clean_model_instances = True
        skip_diff = True
        use_transactions = True
        # Exports with prefetched participants are paged with OFFSET; import-export's default of
        # 100 rows a page made 100,000 rows take 1,000 ever slower queries (232 s instead of ~35 s).
        chunk_size = 2000

    def import_instance(self, instance: Activity, row: Any, **kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        column = COLUMNS["participants"]
        if "committee" not in errors and instance.committee_id and row.get(column):
            try:
                people = self.fields["participants"].widget.resolve(row.get(column), instance.committee)
            except ValueError as exc:
                errors["participants"] = [ValidationError(str(exc), code="invalid")]
            else:
                instance._import_participants = people
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance: Activity, is_create: bool, row: Any, **kwargs: Any) -> None:
        if self.user is not None and getattr(self.user, "is_authenticated", False):
            instance.created_by = instance.created_by or self.user
            instance.updated_by = self.user
            instance._history_user = self.user
        super().save_instance(instance, is_create, row, **kwargs)

    def save_m2m(self, instance: Activity, row: Any, **kwargs: Any) -> None:
        people = getattr(instance, "_import_participants", None)
        if people:
            instance.participants.set(people)

    def dehydrate_participants(self, activity: Activity) -> str:
        # Uses the prefetched participants of the export queryset.
        return NAME_SEPARATOR.join(p.name for p in activity.participants.all())


TEMPLATE_EXAMPLE = [
    ["UNI-ZJ", "宣讲会", "2022-03-05", "党史宣讲进班级", "针灸楼325", 120, 0, "张三、李四", "讲述入党经历"],
]
