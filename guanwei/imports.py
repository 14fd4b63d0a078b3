"""Excel import and export shared by every list: upload → preview → confirm.

Built on django-import-export, or on an app's own bulk importer (a function
of the sheet, see `import_view`). An import is all-or-nothing: the preview
saves nothing; the confirmed run rolls back entirely when any row fails, and
every failing row is reported with its Excel row number and the column at
fault. The preview keeps the cells it read (as JSON, bound to the session),
so the confirmation checks and saves exactly what was previewed without
reading the workbook again.

Templates carry an example row marked 【示例】 in one column: it is recognised
on upload, shown as skipped, and never imported. The preview marks each bad
cell (its row, its column and the message beside it) and shows dates as they
were read. Workbooks are written by `guanwei.workbooks` (numbers as numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.resources import Resource
from import_export.widgets import ForeignKeyWidget
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from guanwei.downloads import export_response, template_file, workbook_response, xlsx_response  # noqa: F401
from guanwei.import_pending import _forget_pending, _open_pending, _store_pending
from guanwei.import_reports import (  # noqa: F401
    PREVIEW_ROWS,
    ImportReport,
    PreviewCell,
    PreviewRow,
    RowReport,
    column_error,
    shown_value,
)
from guanwei.sheets import DamagedCell, TooManyCells, UnreadableSheet, sheet_rows
from guanwei.uploads import FileKind, check_upload
from guanwei.workbooks import FORMULA_PREFIXES

MAX_DAMAGED_SHOWN = 20


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


def example_marker() -> str:
    """What starts the marked cell of a template's example row, in the current language."""
    return _("[Example]")


def example_markers() -> tuple[str, ...]:
    """The marker in every language: a template travels between users of either."""
    markers = {example_marker()}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            markers.add(example_marker())
    return tuple(markers)


def is_example(value: Any, markers: tuple[str, ...]) -> bool:
    """Whether a cell marks its row as the template's example."""
    return isinstance(value, str) and value.strip().startswith(markers)


@dataclass
class Sheet:
    """The first worksheet of an upload as a tablib Dataset, with Excel row numbers.

    `examples` are the template's example rows (Excel row number, values): left out of the dataset.
    """

    dataset: tablib.Dataset
    excel_rows: list[int]
    examples: list[tuple[int, list[Any]]] = field(default_factory=list)


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


def read_sheet(uploaded: Any, *, required_headers: list[str] | None = None, example_column: str | None = None) -> Sheet:
    """Read an uploaded .xlsx; raise ValidationError with a message for the user.

    A row whose `example_column` cell starts with the example marker is the
    template's example: it is kept apart, never imported.

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
    examples: list[tuple[int, list[Any]]] = []
    example_at: int | None = None
    markers = example_markers()
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
                if example_column in headers:
                    example_at = headers.index(example_column) + 1
            for column, value in cells.items():
                if isinstance(value, DamagedCell):
                    damaged.append(_damaged(row.number, headers[column - 1] or get_column_letter(column), value))
                    cells[column] = None
            if is_header:
                continue
            values = [cells.get(c) for c in range(1, width + 1)]
            if example_at is not None and is_example(cells.get(example_at), markers):
                examples.append((row.number, values))
            else:
                dataset.append(values)
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
    if headers is not None and examples and not excel_rows:
        raise ValidationError(
            _(
                "Nothing was imported: the file holds only the template's example row (row %(rows)s). "
                "Fill in your own records below it, one per row, and upload the file again; "
                "the example row may stay, it is always skipped."
            )
            % {"rows": "、".join(str(number) for number, _values in examples)}
        )
    if headers is None or not excel_rows:
        raise ValidationError(_("The file has no rows to import. Fill in the template below its header row."))
    missing = [h for h in (required_headers or []) if h not in headers]
    if missing:
        raise ValidationError(
            _("These columns are missing: %(columns)s. Please use the template.") % {"columns": "、".join(missing)}
        )
    return Sheet(dataset=dataset, excel_rows=excel_rows, examples=examples)


def _header_name(value: Any) -> str:
    return "" if value is None or isinstance(value, DamagedCell) else str(value).strip()


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


def _readers(resource: Resource, headers: list[str]) -> dict[int, Callable[[Any], str | None]]:
    """Column index → how its widget reads a cell, for the columns whose widget says (dates)."""
    readers = {}
    for res_field in resource.get_import_fields():
        read_as = getattr(res_field.widget, "read_as", None)
        if callable(read_as) and res_field.column_name in headers:
            readers[headers.index(res_field.column_name)] = read_as
    return readers


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
    readers = _readers(resource, headers)
    reports = []
    for index, row_result in enumerate(result.rows):
        excel_row = sheet.excel_rows[index] if index < len(sheet.excel_rows) else index + 2
        values = list(sheet.dataset[index]) if index < len(sheet.dataset) else []
        report = RowReport(excel_row=excel_row, status="", values=values)
        for err in row_result.errors:
            report.errors.extend(_messages_of(err.error))
        if row_result.validation_error is not None:
            error = row_result.validation_error
            if hasattr(error, "error_dict"):
                for attr, field_errors in error.message_dict.items():
                    for message in field_errors:
                        if attr == NON_FIELD_ERRORS:
                            report.errors.append(message)
                        else:
                            column = columns.get(attr, attr)
                            at = headers.index(column) if column in headers else None
                            report.cell_error(at, column, message)
            else:
                report.errors.extend(error.messages)
        for at, read_as in readers.items():
            shown = read_as(values[at]) if at < len(values) and at not in report.cell_errors else None
            if shown:
                report.read_as[at] = shown
        report.status = "error" if report.errors else (row_result.import_type or "skip")
        reports.append(report)
    base_errors = [m for err in result.base_errors for m in _messages_of(err.error)]
    return ImportReport(headers=headers, rows=reports, base_errors=base_errors)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        help_text=gettext_lazy("Fill in the template, save it, and choose the file here."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


Importer = Callable[[Sheet, bool], ImportReport]
"""`importer(sheet, dry_run)`: check (and unless `dry_run`, save) every row, all or nothing."""


def _open_sheet(request: HttpRequest, token: str) -> Sheet | None:
    kept = _open_pending(request, token)
    return None if kept is None else Sheet(dataset=kept[0], excel_rows=kept[1])


def import_view(
    request: HttpRequest,
    *,
    resource_factory: Callable[[], Resource] | None = None,
    importer: Importer | None = None,
    title: str,
    template_url: str,
    done_url: str,
    required_headers: list[str] | None = None,
    example_column: str | None = None,
    on_done: Callable[[ImportReport], None] | None = None,
    done_redirect: Callable[[ImportReport], str] | None = None,
    extra_context: dict[str, Any] | None = None,
    template_name: str = "import/import.html",
) -> HttpResponse:
    """The whole upload → preview → confirm page for one resource (or bulk importer).

    `resource_factory` builds a django-import-export resource bound to the current
    user; `importer` is an app's own bulk path. Either way rows are checked against
    the user's scope, on the preview and again on the confirmation. Rows marked as
    the template's example in `example_column` are shown as skipped. After the
    import the user goes to `done_redirect(report)` (the rows just imported) if
    given, else to `done_url`.
    """
    if importer is None:
        if resource_factory is None:
            raise TypeError("import_view needs a resource_factory or an importer")
        factory = resource_factory

        def importer(sheet: Sheet, dry_run: bool) -> ImportReport:
            resource = factory()
            report = run_import(resource, sheet, dry_run=dry_run)
            if not dry_run and not report.has_errors and getattr(resource, "batch", None):
                report.batch = str(resource.batch)  # the rows saved carry it (see PersonResource)
            return report

    context: dict[str, Any] = {"title": title, "template_url": template_url, "done_url": done_url}
    context.update(extra_context or {})
    form = ImportUploadForm()
    if request.method == "POST" and request.POST.get("token"):
        token = request.POST["token"]
        sheet = _open_sheet(request, token)
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
        return redirect(done_redirect(report) if done_redirect is not None else done_url)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                sheet = read_sheet(
                    form.cleaned_data["file"], required_headers=required_headers, example_column=example_column
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                report = importer(sheet, True)
                report.examples = [
                    RowReport(excel_row=number, status="example", values=values) for number, values in sheet.examples
                ]
                token = None if report.has_errors else _store_pending(request, sheet)
                context.update({"form": ImportUploadForm(), "report": report, "token": token})
                return render(request, template_name, context)
    context["form"] = form
    return render(request, template_name, context)
