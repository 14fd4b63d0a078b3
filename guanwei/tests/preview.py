"""Reading an import preview page as a user reads it: the table's headers and cells, and what is marked."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Cell:
    text: str
    classes: set[str]


@dataclass
class PreviewTable:
    headers: list[Cell] = field(default_factory=list)  # the sheet's columns (not "Excel row" and "Result")
    rows: dict[int, list[Cell]] = field(default_factory=dict)  # Excel row → its sheet cells
    row_classes: dict[int, set[str]] = field(default_factory=dict)
    badges: dict[int, str] = field(default_factory=dict)  # Excel row → its result badge

    def cell(self, excel_row: int, header: str) -> Cell:
        return self.rows[excel_row][[h.text for h in self.headers].index(header)]

    def header(self, name: str) -> Cell:
        return next(h for h in self.headers if h.text == name)

    def marked_cells(self) -> list[tuple[int, str]]:
        """(Excel row, column) of every cell marked as wrong."""
        names = [h.text for h in self.headers]
        return [
            (number, names[i])
            for number, cells in self.rows.items()
            for i, c in enumerate(cells)
            if "cell-error" in c.classes
        ]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.table = PreviewTable()
        self.inside = False
        self.row: int | None = None
        self.cells: list[Cell] = []
        self.cell: Cell | None = None
        self.header_row: list[Cell] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if tag == "table" and "import-table" in classes:
            self.inside = True
        if not self.inside:
            return
        if tag == "tr":
            row_id = attributes.get("id") or ""
            self.row = int(row_id.rsplit("-", 1)[1]) if row_id.startswith("import-row-") else None
            self.cells = []
            if self.row is not None:
                self.table.row_classes[self.row] = classes
            else:
                self.header_row = []
        elif tag in ("td", "th"):
            self.cell = Cell(text="", classes=classes)
        elif tag in ("span", "small") and self.cell is not None:
            self.cell.text += " "

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag in ("td", "th") and self.cell is not None:
            self.cell.text = " ".join(self.cell.text.split())
            self.cells.append(self.cell)
            self.cell = None
        elif tag == "tr":
            if self.row is not None:
                self.table.badges[self.row] = self.cells[1].text
                self.table.rows[self.row] = self.cells[2:]
            elif self.header_row is not None and not self.table.headers:
                self.table.headers = self.cells[2:]
        elif tag == "table":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.text += data


def preview_table(html: str) -> PreviewTable:
    reader = _Reader()
    reader.feed(html)
    return reader.table
