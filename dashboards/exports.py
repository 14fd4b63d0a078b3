"""The whole dashboard as one workbook: a sheet per chart or table, the same numbers as the page."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from dashboards.board import Dashboard
from guanwei.imports import escape_formula


def sheet_titles() -> dict[str, str]:
    return {
        "targets": _("Targets"),
        "months": _("Activities by month"),
        "kinds": _("Activities by kind"),
        "subcommittees": _("Sub-committees"),
    }


def workbook_bytes(board: Dashboard) -> bytes:
    workbook = Workbook(write_only=True)
    for name, title in sheet_titles().items():
        sheet = workbook.create_sheet(title=title[:31])
        headers, rows = board.table(name)
        sheet.append(headers)
        for row in rows:
            sheet.append([escape_formula(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
