"""Excel downloads: one sheet, a workbook of named sheets, an export, a template."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.http import FileResponse
from import_export.resources import Resource

from guanwei.workbooks import XLSX_TYPE, SheetData, workbook_bytes


def xlsx_response(headers: list[str], rows: Iterable[Any], filename: str, *, sheet: str) -> FileResponse:
    """An .xlsx download of one sheet named `sheet` (what it holds): numbers as numbers, formulas escaped."""
    return workbook_response([SheetData(title=sheet, headers=headers, rows=rows)], filename)


def workbook_response(sheets: list[SheetData], filename: str) -> FileResponse:
    stamp = date.today().strftime("%Y%m%d")  # noqa: DTZ011 - only part of a file name
    return FileResponse(
        io.BytesIO(workbook_bytes(sheets)),
        as_attachment=True,
        filename=f"{filename}-{stamp}.xlsx",
        content_type=XLSX_TYPE,
    )


def export_response(resource: Resource, queryset: Any, filename: str, *, sheet: str) -> FileResponse:
    dataset = resource.export(queryset=queryset)
    return xlsx_response(list(dataset.headers or []), dataset, filename, sheet=sheet)


def template_file(content: bytes, filename: str) -> FileResponse:
    """A template built by `guanwei.workbooks.template_bytes`, as a download."""
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)
