"""Excel columns for importing and exporting activities (Chinese headers, one row per activity).

Rows may only name committees in the importer's EDIT scope; an unknown or foreign
committee code is a row error, never a silent import. Exported sheets import back
unchanged (participants are joined with 、).

Both directions work on whole sheets, not row by row: the import checks every row
against lookups fetched up front (committees in scope, kinds, registries), so its
query count does not grow with the rows, and the export reads plain values in
chunks (participants by one query per chunk) instead of model instances.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, ProhibitNullCharactersValidator
from django.db.models import QuerySet
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityKind
from guanwei.imports import ImportReport, RowReport, Sheet, example_marker
from guanwei.workbooks import CodeList, TemplateSpec
from orgs.models import Person
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
# Lookups go to the database in chunks of this many values (well under SQLite's parameter limit).
LOOKUP_CHUNK = 2000
EXPORT_CHUNK = 2000
MAX_COUNT = 2**31 - 1  # PositiveIntegerField on PostgreSQL
MAX_TEXT = 32_767  # an Excel cell holds at most this many characters

_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
]
_NAME_SPLIT = re.compile(r"[、,，;；\s]+")

T = TypeVar("T")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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


def parse_count(value: Any) -> int:
    """A whole number of 0 or more; an empty cell counts as 0. Full-width digits are fine."""
    if value is None or str(value).strip() == "":
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text.isdecimal():
        raise ValueError(_("“%(value)s” is not a whole number of 0 or more.") % {"value": value})
    return int(text)


def clean_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def split_names(value: Any) -> list[str]:
    """Names separated by 、 (or commas, semicolons, spaces)."""
    text = "" if value is None else str(value)
    return [n for n in _NAME_SPLIT.split(text) if n]


def _plain(name: str) -> str:
    """宣讲会（讲师团） → 宣讲会, so people may type the short form."""
    return re.split(r"[（(]", name, maxsplit=1)[0].strip()


@dataclass(slots=True)
class ImportedActivity:
    """One checked row, ready to save."""

    committee_id: int
    kind_id: int
    held_on: date
    title: str
    place: str
    youth_reached: int
    students_talked: int
    summary: str
    people: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _Row:
    """A row while it is being checked: parsed values so far and errors by field."""

    excel_row: int
    values: tuple  # the row as read, for the preview
    cells: tuple  # the values of COLUMNS, in order
    errors: dict[str, list[str]] = field(default_factory=dict)
    committee: tuple[int, str] | None = None  # (pk, name)
    kind_id: int | None = None
    held_on: date | None = None
    title: str = ""
    place: str = ""
    youth_reached: int = 0
    students_talked: int = 0
    summary: str = ""
    names: list[str] = field(default_factory=list)
    people: list[int] = field(default_factory=list)

    def fail(self, key: str, message: str | Iterable[str]) -> None:
        self.errors.setdefault(key, []).extend([message] if isinstance(message, str) else message)


class ActivitySheetChecker:
    """Checks every row of an activity sheet for one importing user, all at once.

    Lookups are fetched up front, a few queries for the whole sheet: the
    committee codes among those the user may edit, the kinds, and the people
    of the rows' committees by name.
    """

    def __init__(self, user: Any) -> None:
        self.user = user
        self.fields = {f.name: f for f in Activity._meta.concrete_fields}
        self._dates: dict[date, dict[str, list[str]]] = {}

    def check(self, sheet: Sheet) -> tuple[ImportReport, list[ImportedActivity]]:
        headers = list(sheet.dataset.headers or [])
        at = {header: i for i, header in enumerate(headers)}  # a repeated header: the last one counts
        picks = [at.get(name) for name in COLUMNS.values()]  # a missing optional column reads as empty
        rows = []
        for i, values in enumerate(sheet.dataset):
            width = len(values)
            excel_row = sheet.excel_rows[i] if i < len(sheet.excel_rows) else i + 2
            cells = tuple(values[j] if j is not None and j < width else None for j in picks)
            rows.append(_Row(excel_row=excel_row, values=values, cells=cells))

        committees = self._committees({clean_text(row.cells[0]) for row in rows})
        kinds, active_names = self._kinds()
        for row in rows:
            # In the order of COLUMNS.
            committee, kind, held_on, title, place, youth_reached, students_talked, participants, summary = row.cells
            self._check_committee(row, clean_text(committee), committees)
            self._check_kind(row, clean_text(kind), kinds, active_names)
            self._check_date(row, held_on)
            row.title = self._text(row, "title", title)
            row.place = self._text(row, "place", place)
            row.youth_reached = self._count(row, "youth_reached", youth_reached)
            row.students_talked = self._count(row, "students_talked", students_talked)
            row.summary = self._text(row, "summary", summary)
            if row.committee is not None and participants:
                row.names = list(dict.fromkeys(split_names(participants)))
        self._check_people(rows)

        reports, checked = [], []
        date_at = at.get(COLUMNS["held_on"])
        for row in rows:
            report = RowReport(row.excel_row, "error" if row.errors else "new", list(row.values))
            if row.held_on is not None and date_at is not None:
                report.read_as[date_at] = row.held_on.isoformat()  # 3/5 in the sheet: the preview says which day
            reports.append(report)
            if row.errors:
                for key in COLUMNS:
                    for message in row.errors.get(key, ()):
                        report.cell_error(at.get(COLUMNS[key]), COLUMNS[key], message)
                continue
            if row.committee is not None and row.kind_id is not None and row.held_on is not None:
                checked.append(
                    ImportedActivity(
                        committee_id=row.committee[0],
                        kind_id=row.kind_id,
                        held_on=row.held_on,
                        title=row.title,
                        place=row.place,
                        youth_reached=row.youth_reached,
                        students_talked=row.students_talked,
                        summary=row.summary,
                        people=row.people,
                    )
                )
        return ImportReport(headers=headers, rows=reports, base_errors=[]), checked

    # Lookups: a few queries for the whole sheet

    def _committees(self, codes: set[str]) -> dict[str, tuple[int, str]]:
        """Code → (pk, name) among the committees the user may edit; codes match regardless of case."""
        codes = {c for c in codes if c and "\x00" not in c}
        scope = committees_for(self.user, Perm.EDIT)
        found: dict[str, tuple[int, str]] = {}
        for chunk in chunked(sorted(codes), LOOKUP_CHUNK):
            for pk, code, name in scope.filter(code__in=chunk).values_list("pk", "code", "name"):
                found[code] = (pk, name)
        missing = {c.upper(): c for c in codes if c not in found}
        for chunk in chunked(sorted(missing), LOOKUP_CHUNK):
            matches = (
                scope.annotate(code_upper=Upper("code"))
                .filter(code_upper__in=chunk)
                .order_by("path")
                .values_list("pk", "code_upper", "name")
            )
            for pk, upper, name in matches:
                found.setdefault(missing[upper], (pk, name))
        return found

    @staticmethod
    def _kinds() -> tuple[dict[str, int], str]:
        """Kinds by code, name and short name (lower case), and the active kinds' names for messages."""
        lookup: dict[str, int] = {}
        active = []
        for kind in ActivityKind.objects.all():
            for key in (kind.code, kind.name, _plain(kind.name)):
                lookup.setdefault(key.lower(), kind.pk)
            if kind.is_active:
                active.append(kind.name)
        return lookup, NAME_SEPARATOR.join(active)

    def _check_people(self, rows: list[_Row]) -> None:
        """Participants must be in the registry of the row's own committee, each name exactly once."""
        wanted = sorted({(r.committee[0], n) for r in rows if r.committee is not None for n in r.names})
        found: dict[tuple[int, str], list[int]] = {}
        for chunk in chunked([(c, n) for c, n in wanted if "\x00" not in n], LOOKUP_CHUNK):
            people = Person.objects.filter(
                committee_id__in={c for c, _n in chunk}, name__in={n for _c, n in chunk}
            ).values_list("pk", "committee_id", "name")
            for pk, committee_id, name in people.order_by("id"):
                found.setdefault((committee_id, name), []).append(pk)
        for row in rows:
            if not row.names or row.committee is None:
                continue
            committee_id, committee_name = row.committee
            missing = [n for n in row.names if (committee_id, n) not in found]
            if missing:
                row.fail(
                    "participants",
                    _("%(names)s not found in the registry of %(committee)s.")
                    % {"names": NAME_SEPARATOR.join(missing), "committee": committee_name},
                )
                continue
            ambiguous = [n for n in row.names if len(found[(committee_id, n)]) > 1]
            if ambiguous:
                row.fail(
                    "participants",
                    _("More than one person is called %(names)s; enter this activity on the website instead.")
                    % {"names": NAME_SEPARATOR.join(ambiguous)},
                )
                continue
            row.people = [found[(committee_id, n)][0] for n in row.names]

    # One row's cells

    @staticmethod
    def _check_committee(row: _Row, code: str, committees: dict[str, tuple[int, str]]) -> None:
        if not code:
            row.fail("committee", _("Fill in the committee code."))
        elif code not in committees:
            row.fail("committee", _("There is no committee with code “%(code)s” that you may edit.") % {"code": code})
        else:
            row.committee = committees[code]

    @staticmethod
    def _check_kind(row: _Row, text: str, kinds: dict[str, int], active_names: str) -> None:
        if not text:
            row.fail("kind", _("Fill in the kind of activity."))
            return
        kind_id = kinds.get(text.lower()) or kinds.get(_plain(text).lower())
        if kind_id is None:
            row.fail(
                "kind", _("Unknown kind “%(value)s”. Use one of: %(names)s.") % {"value": text, "names": active_names}
            )
        else:
            row.kind_id = kind_id

    def _check_date(self, row: _Row, value: Any) -> None:
        if value is None or str(value).strip() == "":
            row.fail("held_on", str(self.fields["held_on"].error_messages["null"]))
            return
        try:
            row.held_on = parse_date(value)
        except ValueError as exc:
            row.fail("held_on", str(exc))
            return
        for key, messages in self._date_rules(row.held_on).items():
            row.fail(key if key in COLUMNS else "held_on", messages)

    def _date_rules(self, held_on: date) -> dict[str, list[str]]:
        """What `Activity.clean` says about this date (not in the future, not before 2000), once per date."""
        if held_on not in self._dates:
            try:
                Activity(held_on=held_on).clean()
            except ValidationError as exc:
                self._dates[held_on] = exc.message_dict
            else:
                self._dates[held_on] = {}
        return self._dates[held_on]

    def _text(self, row: _Row, name: str, value: Any) -> str:
        text = clean_text(value)
        model_field = self.fields[name]
        if "\x00" in text:  # PostgreSQL cannot store it
            try:
                ProhibitNullCharactersValidator()(text)
            except ValidationError as exc:
                row.fail(name, exc.messages)
        elif (not text and not model_field.blank) or len(text) > (model_field.max_length or MAX_TEXT):
            # Only a bad value pays for the model field's own check (and its message).
            try:
                model_field.clean(text, None)
            except ValidationError as exc:
                row.fail(name, exc.messages)
        return text

    def _count(self, row: _Row, name: str, value: Any) -> int:
        try:
            number = parse_count(value)
            if number > MAX_COUNT:
                MaxValueValidator(MAX_COUNT)(number)
        except ValueError as exc:
            row.fail(name, str(exc))
            return 0
        except ValidationError as exc:
            row.fail(name, exc.messages)
            return 0
        return number


def export_rows(activities: QuerySet[Activity]) -> Iterator[tuple]:
    """The sheet's rows for these activities, in their order, read as plain values in chunks.

    Participants come per chunk: the links by activity, then the names of people not
    seen before by id. (Joining people into the links query made PostgreSQL scan the
    whole registry for every chunk.)
    """
    values = activities.prefetch_related(None).values_list(
        "pk",
        "committee__code",
        "kind__name",
        "held_on",
        "title",
        "place",
        "youth_reached",
        "students_talked",
        "summary",
    )
    links = Activity.participants.through.objects.order_by()
    name_of: dict[int, str] = {}
    for chunk in chunked(values.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
        people: dict[int, list[int]] = {}
        for activity_id, person_id in links.filter(activity_id__in=[r[0] for r in chunk]).values_list(
            "activity_id", "person_id"
        ):
            people.setdefault(activity_id, []).append(person_id)
        unseen = {pk for ids in people.values() for pk in ids if pk not in name_of}
        if unseen:
            name_of.update(Person.objects.filter(pk__in=unseen).values_list("pk", "name"))
        for pk, code, kind, held_on, title, place, youth, talked, summary in chunk:
            ids = people.get(pk)
            names = NAME_SEPARATOR.join(sorted(name_of[i] for i in ids)) if ids else ""
            yield (code, kind, held_on, title, place, youth, talked, names, summary)


def template_spec(user: Any) -> TemplateSpec:
    """The import template for this user: an example row, drop-downs of kinds and of their committees, and a
    sheet of codes. The example row is marked (its title starts with 【示例】) and skipped on import."""
    committees = list(committees_for(user, Perm.EDIT).order_by("path").values_list("code", "name"))
    kinds = list(ActivityKind.objects.filter(is_active=True).values_list("name", "code"))
    example = [
        committees[0][0] if committees else "",
        kinds[0][0] if kinds else "",
        timezone.localdate(),
        f"{example_marker()}党史宣讲进班级",
        "报告厅",
        120,
        0,
        "张老师、李老师",
        _("This example row is skipped on import; fill in your activities below it or overwrite it."),
    ]
    codes_title = _("Codes")
    return TemplateSpec(
        title=_("Activities"),
        headers=list(COLUMNS.values()),
        example=example,
        codes_title=codes_title,
        lists=[
            CodeList(
                column=COLUMNS["committee"],
                heading=COLUMNS["committee"],
                values=[code for code, _name in committees],
                names_heading=_("Committee"),
                names=[name for _code, name in committees],
            ),
            CodeList(
                column=COLUMNS["kind"],
                heading=COLUMNS["kind"],
                values=[name for name, _code in kinds],
                names_heading=_("Code of the kind"),
                names=[code for _name, code in kinds],
                strict=False,  # the importer also takes a kind's code or its short name
            ),
        ],
        date_columns=[COLUMNS["held_on"]],
        number_columns=[COLUMNS["youth_reached"], COLUMNS["students_talked"]],
        rows=settings.GUANWEI_IMPORT_MAX_ROWS,
        prompts={
            COLUMNS["committee"]: (
                _("Committee code"),
                _("Choose from the list: the committees you may log activities for. Sheet “%(sheet)s” lists them.")
                % {"sheet": codes_title},
            ),
            COLUMNS["kind"]: (_("Kind of activity"), _("Choose from the list.")),
        },
        list_error=(
            _("Not in the list"),
            _("Choose a value from the list; sheet “%(sheet)s” shows every code with its name.")
            % {"sheet": codes_title},
        ),
    )
