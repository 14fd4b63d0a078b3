"""What an import's preview shows: each row's status and problems, each cell as read, the table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dt_time
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

PREVIEW_ROWS = 100


def column_error(column: str, message: str) -> str:
    """A row error that names the Excel column at fault."""
    return _("Column “%(column)s”: %(message)s") % {"column": column, "message": message}


def shown_value(value: Any) -> str:
    """A cell as the preview shows it: dates as 2026-03-05, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != dt_time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class PreviewCell:
    shown: str  # the value as read (a date as 2026-03-05)
    original: str  # what the sheet says, when it reads differently ("2026年3月5日"), else ""
    errors: list[str]
    in_error_column: bool
    anchor: str = ""  # the id the row's message links to: its first bad cell


@dataclass
class RowReport:
    excel_row: int
    status: str  # new, update, skip, error, example
    values: list[Any]
    errors: list[str] = field(default_factory=list)  # every message, each naming its column
    cell_errors: dict[int, list[str]] = field(default_factory=dict)  # column index → messages of that cell
    read_as: dict[int, str] = field(default_factory=dict)  # column index → how the cell was read (dates)

    def cell_error(self, index: int | None, column: str, message: str) -> None:
        """A problem with one cell: listed for the row, and shown beside the cell when its column is known."""
        self.errors.append(column_error(column, message))
        if index is not None:
            self.cell_errors.setdefault(index, []).append(message)

    @property
    def anchor(self) -> str:
        """Where the message list leads: the first bad cell (scrolled into view in a wide table), else the row."""
        if self.cell_errors:
            return f"import-cell-{self.excel_row}-{min(self.cell_errors)}"
        return f"import-row-{self.excel_row}"

    def cells(self, width: int, error_columns: set[int]) -> list[PreviewCell]:
        first_bad = min(self.cell_errors, default=None)
        cells = []
        for index in range(width):
            original = shown_value(self.values[index]) if index < len(self.values) else ""
            shown = self.read_as.get(index, original)
            cells.append(
                PreviewCell(
                    shown=shown,
                    original=original if shown != original else "",
                    errors=self.cell_errors.get(index, []),
                    in_error_column=index in error_columns,
                    anchor=self.anchor if index == first_bad else "",
                )
            )
        return cells


@dataclass
class PreviewRow:
    report: RowReport
    cells: list[PreviewCell]


@dataclass
class ImportReport:
    headers: list[str]
    rows: list[RowReport]
    base_errors: list[str]
    examples: list[RowReport] = field(default_factory=list)  # the template's example rows, skipped
    batch: str = ""  # a reference to the rows saved together, when the import keeps one

    @cached_property
    def shown_rows(self) -> list[RowReport]:
        """The preview table: the first rows and every row with a problem (50,000 rows would not fit a page)."""
        return [r for i, r in enumerate(self.rows) if i < PREVIEW_ROWS or r.errors]

    @cached_property
    def error_columns(self) -> set[int]:
        return {index for r in self.rows for index in r.cell_errors}

    @property
    def header_cells(self) -> list[tuple[str, bool]]:
        """Each header and whether any cell of its column has a problem."""
        return [(h, i in self.error_columns) for i, h in enumerate(self.headers)]

    @cached_property
    def table(self) -> list[PreviewRow]:
        """The rows of the preview table in sheet order: the example rows, then the shown rows."""
        width = len(self.headers)
        rows = sorted([*self.examples, *self.shown_rows], key=lambda r: r.excel_row)
        return [PreviewRow(report=r, cells=r.cells(width, self.error_columns)) for r in rows]

    @property
    def hidden_count(self) -> int:
        return len(self.rows) - len(self.shown_rows)

    @property
    def error_rows(self) -> list[RowReport]:
        return [r for r in self.rows if r.errors]

    @property
    def has_errors(self) -> bool:
        return bool(self.base_errors or self.error_rows)

    @property
    def has_dates(self) -> bool:
        """Whether any cell of the table was read as a date, so the preview explains how dates read."""
        return any(r.read_as or any(isinstance(v, date) for v in r.values) for r in self.shown_rows)

    @property
    def example_rows(self) -> str:
        return "、".join(str(r.excel_row) for r in self.examples)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)
