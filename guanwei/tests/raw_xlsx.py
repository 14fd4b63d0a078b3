"""Hand-written .xlsx files: the sheet XML exactly as a hostile or broken program might write it.

openpyxl's writer always produces a tidy sheet; these tests need what it never
writes (a declared dimension far larger than the cells, cells whose type and
value disagree), so the parts are written with zipfile.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def raw_cell(ref: str, cell_type: str, value: str) -> str:
    """A cell with a type attribute and a raw <v> value, however wrong the two are together."""
    return f'<c r="{ref}" t="{cell_type}"><v>{escape(value)}</v></c>'


def text_row(number: int, values: list[object]) -> str:
    """A row of text cells (numbers as numbers); None leaves the cell out."""
    cells = []
    for i, value in enumerate(values, start=1):
        ref = f"{get_column_letter(i)}{number}"
        if isinstance(value, int | float):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        elif value is not None:
            cells.append(text_cell(ref, str(value)))
    return f'<row r="{number}">{"".join(cells)}</row>'


def raw_xlsx(
    rows: list[str], *, dimension: str | None = None, shared_strings: list[str] | None = None, name: str = "data.xlsx"
) -> SimpleUploadedFile:
    """An upload whose only sheet holds `rows` (each a `<row>` element) and declares `dimension`."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dim}'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHEET_CT}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'
            + "".join(f"<si><t>{escape(s)}</t></si>" for s in shared_strings or [])
            + "</sst>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, xml in parts.items():
            archive.writestr(part, xml)
    return SimpleUploadedFile(name, buffer.getvalue())
