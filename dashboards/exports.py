"""The whole dashboard as one workbook: a sheet per chart or table, the same numbers as the page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dashboards.board import Dashboard
from guanwei import workbooks


def sheet_titles() -> dict[str, str]:
    return {
        "targets": _("Targets"),
        "months": _("Activities by month"),
        "kinds": _("Activities by kind"),
        "subcommittees": _("Sub-committees"),
    }


def workbook_bytes(board: Dashboard) -> bytes:
    """A sheet per table, named after it; numbers as numbers (the writer keeps the type it is given)."""
    sheets = []
    for name, title in sheet_titles().items():
        headers, rows = board.table(name)
        sheets.append(workbooks.SheetData(title=title, headers=headers, rows=rows))
    return workbooks.workbook_bytes(sheets)
