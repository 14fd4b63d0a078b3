"""The cells an uploaded worksheet really holds, read in one pass with bounded memory.

openpyxl's reader pads every row to the size a sheet declares: a 2 KB file that
declares `<dimension ref="A1:XFD20000"/>` becomes 327 million empty cells. It
also fails outright (ValueError, IndexError) on a cell whose type and value
disagree. This reader walks the sheet's XML as it comes, returns only the cells
that are there (and only in the first `max_columns` columns), drops each cell's
XML once it is read, and returns a `DamagedCell` for a cell it cannot read, so
the import can name its row and column.

Cell values are read by openpyxl's own cell parser (shared strings, inline
text, dates by number format), with the workbook's date styles and epoch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

from django.utils.translation import gettext as _
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import CELL_TAG, ROW_TAG, VALUE_TAG, WorkSheetParser


class UnreadableSheet(Exception):
    """The sheet's XML is not a worksheet that can be read (a bad row or cell reference)."""


class TooManyCells(Exception):
    """The sheet holds more cell elements than one import reads."""


@dataclass(frozen=True)
class DamagedCell:
    """A cell whose declared type does not match its value (`t="n"` holding "abc", ...)."""

    cell_type: str
    raw: str

    def problem(self) -> str:
        shown = self.raw if len(self.raw) <= 40 else self.raw[:40] + "…"
        if self.cell_type == "n":
            return _("“%(value)s” is stored as a number but is not one") % {"value": shown}
        if self.cell_type == "b":
            return _("“%(value)s” is stored as true/false but is neither") % {"value": shown}
        if self.cell_type == "s":
            return _("it refers to a piece of text the file does not contain")
        if self.cell_type == "d":
            return _("“%(value)s” is stored as a date but is not one") % {"value": shown}
        return _("“%(value)s” cannot be read") % {"value": shown}


@dataclass
class SheetRow:
    number: int  # the Excel row number
    values: dict[int, Any]  # column number (from 1) → value, for the cells that hold one


class _CellParser(WorkSheetParser):
    """openpyxl's cell parser, keeping the sheet's row and column counters, that never fails on a value."""

    max_columns = 0

    def parse_cell(self, element: Any) -> dict[str, Any]:
        reference = element.get("r")
        if reference:
            try:
                column = coordinate_to_tuple(reference)[1]
            except (ValueError, TypeError) as exc:
                raise UnreadableSheet(reference) from exc
        else:
            column = self.col_counter + 1
        if column > self.max_columns:  # not read: only its place counts
            self.col_counter = column
            return {"column": column, "value": None}
        try:
            return super().parse_cell(element)
        except (ValueError, TypeError, IndexError, OverflowError):
            raw = element.findtext(VALUE_TAG) or ""
            self.col_counter = column
            return {"column": column, "value": DamagedCell(element.get("t", "n"), raw)}


def _row_number(element: Any, previous: int) -> int:
    reference = element.get("r")
    if reference is None:
        return previous + 1
    try:
        return int(reference)
    except ValueError as exc:
        raise UnreadableSheet(reference) from exc


def sheet_rows(worksheet: ReadOnlyWorksheet, *, max_columns: int, max_cells: int) -> Iterator[SheetRow]:
    """Every `<row>` of a read-only worksheet in file order, with the values of its first `max_columns` columns.

    Rows the file leaves out are not made up, and a row with no value comes back
    with no values, so the caller decides how far to read. Past `max_cells` cell
    elements (read or not) it raises TooManyCells.
    """
    workbook = worksheet.parent
    # The same inputs openpyxl's read-only worksheet gives its parser.
    parser = _CellParser(
        None,
        worksheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    parser.max_columns = max_columns
    with worksheet._get_source() as source:
        try:
            yield from _rows(parser, source, max_cells)
        except ParseError as exc:
            raise UnreadableSheet(str(exc)) from exc


def _rows(parser: _CellParser, source: Any, max_cells: int) -> Iterator[SheetRow]:
    stack: list[Any] = []
    cells = 0
    row: SheetRow | None = None
    # The parser openpyxl itself reads sheets with (defusedxml's is pure Python, 70% slower here);
    # check_upload refused DOCTYPE declarations and expat bounds entity expansion.
    for event, element in iterparse(source, events=("start", "end")):  # noqa: S314
        if event == "start":
            if element.tag == ROW_TAG:
                parser.row_counter = _row_number(element, parser.row_counter)
                parser.col_counter = 0
                row = SheetRow(number=parser.row_counter, values={})
            stack.append(element)
            continue
        stack.pop()
        if element.tag == CELL_TAG:
            cells += 1
            if cells > max_cells:
                raise TooManyCells(max_cells)
            cell = parser.parse_cell(element)
            if row is not None and cell["value"] not in (None, ""):
                row.values[cell["column"]] = cell["value"]
        elif element.tag == ROW_TAG and row is not None:
            yield row
            row = None
        if stack and (element.tag in (CELL_TAG, ROW_TAG) or CELL_TAG not in (e.tag for e in stack)):
            # Drop what is read: a row of a million cells, or a million rows, holds no memory.
            stack[-1].remove(element)
