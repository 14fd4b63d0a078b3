"""Excel import and export shared by every list: upload → preview → confirm.

Built on django-import-export, or on an app's own bulk importer (a function
of the sheet, see `import_view`). An import is all-or-nothing: the preview
saves nothing; the confirmed run rolls back entirely when any row fails, and
every failing row is reported with its Excel row number and the column at
fault. The preview keeps the cells it read (as JSON, bound to the session),
so the confirmation checks and saves exactly what was previewed without
reading the workbook again. Exports escape formula-like cells.
"""

from __future__ import annotations

import io
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from functools import cached_property
from pathlib import Path
from typing import Any

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.resources import Resource
from import_export.widgets import ForeignKeyWidget
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from guanwei.sheets import DamagedCell, TooManyCells, UnreadableSheet, sheet_rows
from guanwei.uploads import FileKind, check_upload

# Cells starting with these are evaluated by spreadsheet programs (CSV/formula
# injection). django-import-export's own escaping covers only "=".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_DAMAGED_SHOWN = 20
PREVIEW_ROWS = 100
PENDING_DIR = "import-pending"
PENDING_MAX_AGE_SECONDS = 24 * 3600
SESSION_KEY = "guanwei_pending_imports"


def escape_formula(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(value: Any) -> Any:
    """Undo `escape_formula`, so an exported sheet imports back to the same text."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


class LookupWidget(ForeignKeyWidget):
    """A foreign key by a natural key (e.g. committee code), limited to a queryset.

    A value that is missing, or outside the queryset (another committee's
    subtree), gives the same row error naming the value; it never leaks
    whether the thing exists elsewhere.
    """

    def __init__(self, model: Any, field: str = "pk", queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(model, field=field, **kwargs)
        self._queryset = queryset

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
        return self._queryset if self._queryset is not None else self.model.objects.all()

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if value is None or value == "":
            return None
        try:
            return super().clean(str(value).strip() if isinstance(value, str) else value, row, **kwargs)
        except (self.model.DoesNotExist, self.model.MultipleObjectsReturned, ValueError, TypeError) as exc:
            raise ValueError(
                _("“%(value)s” was not found among the %(things)s you can use.")
                % {"value": value, "things": self.model._meta.verbose_name_plural}
            ) from exc


@dataclass
class Sheet:
    """The first worksheet of an upload as a tablib Dataset, with Excel row numbers."""

    dataset: tablib.Dataset
    excel_rows: list[int]


def _clean_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, str):
        value = value.strip()
        return unescape_formula(value)
    return value


def _too_many_rows(row: int) -> ValidationError:
    return ValidationError(
        _(
            "Row %(row)s is past the import limit: a header row and at most %(limit)s rows under it, "
            "empty rows included. Please split the file into smaller ones."
        )
        % {"row": row, "limit": f"{settings.GUANWEI_IMPORT_MAX_ROWS:,}"}
    )


def _damaged(row: int, column: str, cell: DamagedCell) -> str:
    return _(
        "Row %(row)s, column “%(column)s”: this cell is damaged (%(problem)s). "
        "Please type it again in Excel and save the file."
    ) % {"row": row, "column": column, "problem": cell.problem()}


def read_sheet(uploaded: Any, *, required_headers: list[str] | None = None) -> Sheet:
    """Read an uploaded .xlsx; raise ValidationError with a message for the user.

    Only the cells the file holds are read, never the size the sheet declares:
    the first non-empty row is the header, columns past it are not read, and a
    sheet may use a header row and GUANWEI_IMPORT_MAX_ROWS rows under it, empty
    ones included: a row past them with anything in it, or a file with more rows
    than that, is refused with the row's number. A cell whose stored type and
    value disagree is named by row and column.
    """
    check_upload(uploaded, kinds=(FileKind.XLSX,))
    try:
        workbook = load_workbook(uploaded, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ValidationError(_("This Excel file cannot be read. Please save it again as .xlsx and retry.")) from exc
    last_row = settings.GUANWEI_IMPORT_MAX_ROWS + 1  # the header row and the rows under it
    width = settings.GUANWEI_IMPORT_MAX_COLUMNS
    headers: list[str] | None = None
    dataset = tablib.Dataset()
    excel_rows: list[int] = []
    damaged: list[str] = []
    try:
        rows = sheet_rows(workbook.worksheets[0], max_columns=width, max_cells=settings.GUANWEI_IMPORT_MAX_CELLS)
        for count, row in enumerate(rows, start=1):
            if count > last_row or (row.number > last_row and row.values):
                # More rows in the file than the limit (empty or not), or anything below it.
                raise _too_many_rows(max(row.number, count))
            cells = {c: _clean_cell(v) for c, v in row.values.items() if c <= width}
            cells = {c: v for c, v in cells.items() if v is not None and v != ""}
            if not cells:
                continue
            is_header = headers is None
            if headers is None:  # the first row with anything in it; columns past its last are not read
                width = max(cells)
                headers = [_header_name(cells.get(c)) for c in range(1, width + 1)]
                dataset.headers = headers
            for column, value in cells.items():
                if isinstance(value, DamagedCell):
                    damaged.append(_damaged(row.number, headers[column - 1] or get_column_letter(column), value))
                    cells[column] = None
            if not is_header:
                dataset.append([cells.get(c) for c in range(1, width + 1)])
                excel_rows.append(row.number)
    except TooManyCells as exc:
        raise ValidationError(
            _(
                "The sheet holds more than %(limit)s cells, more than one import reads. "
                "Please split it into smaller files."
            )
            % {"limit": f"{settings.GUANWEI_IMPORT_MAX_CELLS:,}"}
        ) from exc
    except UnreadableSheet as exc:
        raise ValidationError(_("This Excel file cannot be read. Please save it again as .xlsx and retry.")) from exc
    finally:
        workbook.close()
    if damaged:
        shown = damaged[:MAX_DAMAGED_SHOWN]
        if len(damaged) > len(shown):
            shown.append(_("… and %(count)s more damaged cells.") % {"count": len(damaged) - len(shown)})
        raise ValidationError(shown)
    if headers is None or not excel_rows:
        raise ValidationError(_("The file has no rows to import. Fill in the template below its header row."))
    missing = [h for h in (required_headers or []) if h not in headers]
    if missing:
        raise ValidationError(
            _("These columns are missing: %(columns)s. Please use the template.") % {"columns": "、".join(missing)}
        )
    return Sheet(dataset=dataset, excel_rows=excel_rows)


def _header_name(value: Any) -> str:
    return "" if value is None or isinstance(value, DamagedCell) else str(value).strip()


@dataclass
class RowReport:
    excel_row: int
    status: str  # new, update, skip, error
    values: list[Any]
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    headers: list[str]
    rows: list[RowReport]
    base_errors: list[str]

    @cached_property
    def shown_rows(self) -> list[RowReport]:
        """The preview table: the first rows and every row with a problem (50,000 rows would not fit a page)."""
        return [r for i, r in enumerate(self.rows) if i < PREVIEW_ROWS or r.errors]

    @property
    def hidden_count(self) -> int:
        return len(self.rows) - len(self.shown_rows)

    @property
    def error_rows(self) -> list[RowReport]:
        return [r for r in self.rows if r.errors]

    @property
    def has_errors(self) -> bool:
        return bool(self.base_errors or self.error_rows)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def _column_names(resource: Resource) -> dict[str, str]:
    names = {}
    for res_field in resource.get_import_fields():
        names[res_field.attribute or res_field.column_name] = res_field.column_name
        if res_field.column_name:
            names[res_field.column_name] = res_field.column_name
    return names


def _messages_of(error: Any) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def column_error(column: str, message: str) -> str:
    """A row error that names the Excel column at fault."""
    return _("Column “%(column)s”: %(message)s") % {"column": column, "message": message}


def run_import(resource: Resource, sheet: Sheet, *, dry_run: bool, **kwargs: Any) -> ImportReport:
    """Run (or preview) an import; on any row error nothing is saved."""
    result = resource.import_data(
        sheet.dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        raise_errors=False,
        **kwargs,
    )
    columns = _column_names(resource)
    headers = list(sheet.dataset.headers or [])
    reports = []
    for index, row_result in enumerate(result.rows):
        excel_row = sheet.excel_rows[index] if index < len(sheet.excel_rows) else index + 2
        errors: list[str] = []
        for err in row_result.errors:
            for message in _messages_of(err.error):
                errors.append(message)
        if row_result.validation_error is not None:
            error = row_result.validation_error
            if hasattr(error, "error_dict"):
                for attr, field_errors in error.message_dict.items():
                    for message in field_errors:
                        if attr == NON_FIELD_ERRORS:
                            errors.append(message)
                        else:
                            errors.append(column_error(columns.get(attr, attr), message))
            else:
                errors.extend(error.messages)
        status = "error" if errors else (row_result.import_type or "skip")
        values = list(sheet.dataset[index]) if index < len(sheet.dataset) else []
        reports.append(RowReport(excel_row=excel_row, status=status, values=values, errors=errors))
    base_errors = [m for err in result.base_errors for m in _messages_of(err.error)]
    return ImportReport(headers=headers, rows=reports, base_errors=base_errors)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        help_text=gettext_lazy("Fill in the template, save it, and choose the file here."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _pending_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / PENDING_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def _encode_cell(value: Any) -> Any:
    """A cell as JSON: dates and times are tagged so they come back as the same type."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, dt_time):
        return {"t": value.isoformat()}
    if isinstance(value, timedelta):
        return {"td": value.total_seconds()}
    return str(value)


def _decode_cell(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "dt" in value:
        return datetime.fromisoformat(value["dt"])
    if "d" in value:
        return date.fromisoformat(value["d"])
    if "t" in value:
        return dt_time.fromisoformat(value["t"])
    return timedelta(seconds=value["td"])


def _store_pending(request: HttpRequest, sheet: Sheet) -> str:
    """Keep the previewed cells for the confirmation; only this session may confirm them."""
    directory = _pending_dir()
    cutoff = time.time() - PENDING_MAX_AGE_SECONDS
    for old in [*directory.glob("*.json"), *directory.glob("*.xlsx")]:
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = uuid.uuid4().hex
    payload = {
        "headers": list(sheet.dataset.headers or []),
        "excel_rows": sheet.excel_rows,
        "rows": [[_encode_cell(v) for v in row] for row in sheet.dataset],
    }
    with open(directory / f"{token}.json", "w", encoding="utf-8") as out:
        json.dump(payload, out, ensure_ascii=False, separators=(",", ":"))
    pending = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [*pending[-9:], token]
    return token


def _open_pending(request: HttpRequest, token: str) -> Sheet | None:
    if token not in request.session.get(SESSION_KEY, []) or not token.isalnum():
        return None
    path = _pending_dir() / f"{token}.json"
    try:
        with open(path, encoding="utf-8") as stored:
            payload = json.load(stored)
    except (OSError, ValueError):
        return None
    dataset = tablib.Dataset(headers=payload["headers"])
    dataset.extend([tuple(_decode_cell(v) for v in row) for row in payload["rows"]])
    return Sheet(dataset=dataset, excel_rows=payload["excel_rows"])


def _forget_pending(request: HttpRequest, token: str) -> None:
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]
    (_pending_dir() / f"{token}.json").unlink(missing_ok=True)


Importer = Callable[[Sheet, bool], ImportReport]
"""`importer(sheet, dry_run)`: check (and unless `dry_run`, save) every row, all or nothing."""


def import_view(
    request: HttpRequest,
    *,
    resource_factory: Callable[[], Resource] | None = None,
    importer: Importer | None = None,
    title: str,
    template_url: str,
    done_url: str,
    required_headers: list[str] | None = None,
    on_done: Callable[[ImportReport], None] | None = None,
    extra_context: dict[str, Any] | None = None,
    template_name: str = "import/import.html",
) -> HttpResponse:
    """The whole upload → preview → confirm page for one resource (or bulk importer).

    `resource_factory` builds a django-import-export resource bound to the current
    user; `importer` is an app's own bulk path. Either way rows are checked against
    the user's scope, on the preview and again on the confirmation.
    """
    if importer is None:
        if resource_factory is None:
            raise TypeError("import_view needs a resource_factory or an importer")
        factory = resource_factory

        def importer(sheet: Sheet, dry_run: bool) -> ImportReport:
            return run_import(factory(), sheet, dry_run=dry_run)

    context: dict[str, Any] = {"title": title, "template_url": template_url, "done_url": done_url}
    context.update(extra_context or {})
    form = ImportUploadForm()
    if request.method == "POST" and request.POST.get("token"):
        token = request.POST["token"]
        sheet = _open_pending(request, token)
        if sheet is None:
            messages.error(request, _("This preview has expired. Please upload the file again."))
            return redirect(request.path)
        report = importer(sheet, False)
        if report.has_errors:
            context.update({"form": form, "report": report, "token": None, "saved": False})
            return render(request, template_name, context)
        _forget_pending(request, token)
        if on_done is not None:
            on_done(report)
        messages.success(
            request,
            _("Import finished: %(new)s added, %(update)s updated.")
            % {"new": report.count("new"), "update": report.count("update")},
        )
        return redirect(done_url)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                sheet = read_sheet(form.cleaned_data["file"], required_headers=required_headers)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                report = importer(sheet, True)
                token = None if report.has_errors else _store_pending(request, sheet)
                context.update({"form": ImportUploadForm(), "report": report, "token": token})
                return render(request, template_name, context)
    context["form"] = form
    return render(request, template_name, context)


def _xlsx_bytes(headers: list[str], rows: Any) -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet()
    worksheet.append(headers)
    for row in rows:
        # escape_formula, inlined: this runs for every cell of 100,000-row exports.
        worksheet.append([("'" + v) if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(headers: list[str], rows: Any, filename: str) -> FileResponse:
    """An .xlsx download with formula-like cells escaped."""
    stamp = date.today().strftime("%Y%m%d")  # noqa: DTZ011 - only part of a file name
    return FileResponse(
        io.BytesIO(_xlsx_bytes(headers, rows)),
        as_attachment=True,
        filename=f"{filename}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_response(resource: Resource, queryset: Any, filename: str) -> FileResponse:
    dataset = resource.export(queryset=queryset)
    return xlsx_response(list(dataset.headers or []), dataset, filename)


def template_response(resource: Resource, filename: str, example_rows: list[list[Any]] | None = None) -> FileResponse:
    headers = [f.column_name for f in resource.get_import_fields()]
    return xlsx_response(headers, example_rows or [], filename)
