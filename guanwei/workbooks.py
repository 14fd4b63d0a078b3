"""Writing .xlsx files people can use: numbers as numbers, dates as dates, every sheet named.

Every workbook the portal hands out is written here. A cell keeps the type it
was given: int, float and Decimal become numbers, a `Percent` a number with a
% format, date and datetime real Excel dates; text starting like a formula is
escaped. Text is never guessed into a number (a phone number or a code stays
text): the caller passes numbers where it means numbers.

Import templates (`template_bytes`) add an example row, drop-down lists fed by
a sheet of codes, and date formats on date columns.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Cells starting with these are evaluated by spreadsheet programs (CSV/formula
# injection). django-import-export's own escaping covers only "=".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MAX_TITLE = 31  # Excel's limit for a sheet name
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
WIDTH_SAMPLE_ROWS = 50
MIN_WIDTH, MAX_WIDTH = 8, 60
HEADER_FONT = Font(bold=True)
EXAMPLE_FONT = Font(italic=True, color="666666")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")
_PLAIN = (int, float, type(None))


@dataclass(frozen=True, slots=True)
class Percent:
    """A share written as a percentage: Percent(0.25) is the number 0.25 shown as 25%."""

    share: Decimal | float | int | None
    digits: int = 0

    @property
    def number_format(self) -> str:
        return "0%" if self.digits <= 0 else "0." + "0" * self.digits + "%"


@dataclass
class SheetData:
    """One worksheet: its name (what it holds), a header row and the rows under it."""

    title: str
    headers: Sequence[Any]
    rows: Iterable[Sequence[Any]]


def sheet_title(text: Any) -> str:
    """A name Excel accepts: no []:*?/\\, no quote at either end, at most 31 characters; never empty."""
    title = _TITLE_FORBIDDEN.sub(" ", str(text)).strip().strip("'").strip()[:MAX_TITLE].strip()
    if not title:
        raise ValueError("a worksheet needs a name that says what it holds")
    return title


def plain_number(value: Decimal) -> int | float | None:
    """A Decimal as the number Excel stores: whole numbers stay whole."""
    if not value.is_finite():
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def cell_value(value: Any, sheet: Any = None) -> Any:
    """What to hand openpyxl for a value: a number, a date, escaped text, or a cell with a number format."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, str):
        return ("'" + value) if value.startswith(FORMULA_PREFIXES) else value
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, Percent):
        share = value.share
        number = plain_number(share) if isinstance(share, Decimal) else share
        if number is None or sheet is None:
            return number
        cell = WriteOnlyCell(sheet, value=number)
        cell.number_format = value.number_format
        return cell
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
        if sheet is None:
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        return value  # openpyxl gives a date the yyyy-mm-dd format
    return cell_value(str(value), sheet)  # lazy translations, UUIDs …


def _shown_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (date, datetime)):
        return 12
    text = str(value)
    first_line = text.split("\n", 1)[0][:200]
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in first_line)


def column_widths(headers: Sequence[Any], sample: Sequence[Sequence[Any]]) -> list[float]:
    """Widths that show the header and most values: wide characters count twice."""
    widths = []
    for index, header in enumerate(headers):
        longest = max([_shown_width(header), *(_shown_width(r[index]) for r in sample if index < len(r))])
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, longest + 2)))
    return widths


def _header_cells(sheet: Any, headers: Sequence[Any]) -> list[Any]:
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=cell_value(header))
        cell.font = HEADER_FONT
        cells.append(cell)
    return cells


def write_sheet(workbook: Workbook, data: SheetData) -> None:
    """Append one named worksheet to a write-only workbook: a bold, frozen header row, then the rows."""
    sheet = workbook.create_sheet(title=sheet_title(data.title))
    rows = iter(data.rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    headers = list(data.headers)
    for index, width in enumerate(column_widths(headers, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet, headers))
    prefixes = FORMULA_PREFIXES
    for row in itertools.chain(sample, rows):
        # Plain values inline: this runs for every cell of 100,000-row exports.
        sheet.append(
            [
                v
                if type(v) in _PLAIN
                else (("'" + v) if v.startswith(prefixes) else v)
                if type(v) is str
                else cell_value(v, sheet)
                for v in row
            ]
        )


def workbook_bytes(sheets: Iterable[SheetData]) -> bytes:
    workbook = Workbook(write_only=True)
    for data in sheets:
        write_sheet(workbook, data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Import templates


@dataclass
class CodeList:
    """Allowed values of one template column: listed on the codes sheet, offered as a drop-down.

    `names` (optional) go in the column beside the values, e.g. each committee's name beside its code.
    `strict` refuses anything else as the user types; otherwise Excel only warns (the importer
    also accepts other spellings, such as a kind's short name).
    """

    column: str | list[str]  # the template column(s) it feeds ("" for a list only shown on the codes sheet)
    heading: str  # its heading on the codes sheet
    values: list[str]
    names_heading: str = ""
    names: list[str] = field(default_factory=list)
    strict: bool = True


@dataclass
class TemplateSpec:
    title: str  # the name of the sheet to fill in
    headers: list[str]
    example: list[Any]  # the example row, recognised and skipped on import
    codes_title: str = ""  # the name of the sheet of codes
    lists: list[CodeList] = field(default_factory=list)
    date_columns: list[str] = field(default_factory=list)
    number_columns: list[str] = field(default_factory=list)
    rows: int = 1000  # how many rows under the header get drop-downs and formats
    prompts: dict[str, tuple[str, str]] = field(default_factory=dict)  # column → (title, input message)
    list_error: tuple[str, str] = ("", "")  # title and message when a value is not in a strict list


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _prompt(validation: DataValidation, prompt: tuple[str, str] | None) -> None:
    if prompt:
        validation.showInputMessage = True
        validation.promptTitle, validation.prompt = prompt[0][:32], prompt[1][:255]  # Excel's limits


def _code_column(codes: Any, column: int, heading: str, values: list[Any]) -> None:
    codes.cell(row=1, column=column, value=heading).font = HEADER_FONT
    for offset, value in enumerate(values, start=2):
        codes.cell(row=offset, column=column, value=cell_value(value))
    widths = [_shown_width(heading), *(_shown_width(v) for v in values)]
    codes.column_dimensions[get_column_letter(column)].width = max(MIN_WIDTH, min(MAX_WIDTH, max(widths) + 2))


def _add_code_lists(workbook: Workbook, sheet: Any, spec: TemplateSpec, letter_of: dict[str, str]) -> set[str]:
    """The sheet of codes, one list after another, and a drop-down on each column a list feeds.

    Returns the columns that got a drop-down (and with it their input message)."""
    prompted: set[str] = set()
    if not spec.lists:
        return prompted
    codes = workbook.create_sheet(sheet_title(spec.codes_title))
    codes.freeze_panes = "A2"
    last_row = spec.rows + 1
    next_column = 1
    for code_list in spec.lists:
        value_letter = get_column_letter(next_column)
        _code_column(codes, next_column, code_list.heading, code_list.values)
        if code_list.names_heading:
            next_column += 1
            _code_column(codes, next_column, code_list.names_heading, code_list.names)
        next_column += 2  # an empty column between lists
        fed = [code_list.column] if isinstance(code_list.column, str) else code_list.column
        fed = [c for c in fed if c in letter_of]
        if not fed or not code_list.values:
            continue
        end = len(code_list.values) + 1
        validation = DataValidation(
            type="list",
            formula1=f"{_quoted(codes.title)}!${value_letter}$2:${value_letter}${end}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if code_list.strict else "warning",
            errorTitle=spec.list_error[0][:32] or None,
            error=spec.list_error[1][:255] or None,
        )
        _prompt(validation, spec.prompts.get(fed[0]))
        for header in fed:
            validation.add(f"{letter_of[header]}2:{letter_of[header]}{last_row}")
            prompted.add(header)
        sheet.add_data_validation(validation)
    return prompted


def template_bytes(spec: TemplateSpec) -> bytes:
    """An import template: the header row, one example row, drop-downs, and a sheet listing the codes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(spec.title)
    sheet.append(spec.headers)
    sheet.append([cell_value(v) for v in spec.example])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(column_widths(spec.headers, [spec.example]), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    for cell in sheet[2]:
        cell.font, cell.fill = EXAMPLE_FONT, EXAMPLE_FILL
    letter_of = {header: get_column_letter(i) for i, header in enumerate(spec.headers, start=1)}
    # A column's own format: what is typed into it later (3/5) shows as the date it was read as.
    for header in spec.date_columns:
        sheet.column_dimensions[letter_of[header]].number_format = DATE_FORMAT
    for header in spec.number_columns:
        sheet.column_dimensions[letter_of[header]].number_format = "0"
    prompted = _add_code_lists(workbook, sheet, spec, letter_of)
    for header, prompt in spec.prompts.items():
        if header in letter_of and header not in prompted:
            hint = DataValidation(allow_blank=True)  # any value: only the message shown on the cell
            _prompt(hint, prompt)
            hint.add(f"{letter_of[header]}2:{letter_of[header]}{spec.rows + 1}")
            sheet.add_data_validation(hint)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
