"""Word documents: bounded before python-docx parses them, then read into text with their list numbers."""

from __future__ import annotations

import posixpath
import re
import zipfile
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from guanwei.uploads import FileKind, check_upload
from plans.extraction.results import ExtractionError

TABLE_CELL_SEPARATOR = " ｜ "
WORD_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = "[Content_Types].xml"
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


def _too_large(size: int, limit: int) -> ExtractionError:
    return ExtractionError(
        _(
            "This Word file is too large to read as a plan: it expands to %(size)s, and a plan may expand to "
            "at most %(limit)s. Please remove pictures or split the document."
        )
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="too_large",
    )


def _xml_part_names(archive: zipfile.ZipFile) -> set[str]:
    """The parts python-docx would parse as XML: their content type, not their name, decides."""
    info = archive.getinfo(CONTENT_TYPES)
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise _too_large(info.file_size, MAX_CONTENT_TYPES_BYTES)
    root = ElementTree.fromstring(archive.read(info))  # noqa: S314 - 1 MB at most; check_upload refused a DOCTYPE
    defaults, overrides = {}, {}
    for item in root:
        kind = item.get("ContentType", "")
        if item.tag.endswith("}Default"):
            defaults[item.get("Extension", "").lower()] = kind
        elif item.tag.endswith("}Override"):
            overrides[item.get("PartName", "").lstrip("/").lower()] = kind
    names = set()
    for name in archive.namelist():
        kind = overrides.get(name.lower()) or defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")
        if kind.endswith("xml") or name.endswith((".xml", ".rels")):
            names.add(name)
    return names


def _count_paragraphs(part: IO[bytes], limit: int) -> int:
    """Paragraphs (`w:p`, in tables too) of a document part, read as a stream; stops past `limit`."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    paragraph = f"{WORD_MAIN} p"
    count = 0

    def start(name: str, _attributes: Any) -> None:
        nonlocal count
        if name == paragraph:
            count += 1

    def doctype(*_args: Any) -> None:
        raise ExtractionError(_("This Word file is damaged and cannot be read."), code="file_damaged")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    while count <= limit and (chunk := part.read(256 * 1024)):
        parser.Parse(chunk, False)
    return count


def check_plan_document(f: IO[bytes]) -> None:
    """Refuse, before python-docx reads it, a .docx larger than a plan parse may hold in memory.

    python-docx reads every part of the file into memory and builds a tree of
    each XML part at many times its size, so the expanded size of the parts
    (GUANWEI_PLAN_MAX_EXPANDED_BYTES), of the XML ones (GUANWEI_PLAN_MAX_XML_BYTES)
    and the paragraphs (GUANWEI_PLAN_MAX_PARAGRAPHS) are bounded.
    """
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as archive:
            infos = archive.infolist()
            expanded = sum(i.file_size for i in infos)
            if expanded > settings.GUANWEI_PLAN_MAX_EXPANDED_BYTES:
                raise _too_large(expanded, settings.GUANWEI_PLAN_MAX_EXPANDED_BYTES)
            xml_names = _xml_part_names(archive)
            xml = sum(i.file_size for i in infos if i.filename in xml_names)
            if xml > settings.GUANWEI_PLAN_MAX_XML_BYTES:
                raise _too_large(xml, settings.GUANWEI_PLAN_MAX_XML_BYTES)
            limit = settings.GUANWEI_PLAN_MAX_PARAGRAPHS
            with archive.open("word/document.xml") as part:
                if _count_paragraphs(part, limit) > limit:
                    raise ExtractionError(
                        _("This Word file has more than %(limit)s paragraphs, more than a plan may have.")
                        % {"limit": f"{limit:,}"},
                        code="too_large",
                    )
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, expat.ExpatError) as exc:
        raise ExtractionError(_("This Word file is damaged and cannot be read."), code="file_damaged") from exc
    finally:
        f.seek(0)


def docx_text(f: IO[bytes]) -> str:
    """The text of a .docx: paragraphs and table rows in document order.

    Word's automatic list numbering is not part of the paragraph text, so it
    is rebuilt here ("一、", "（一）", "1.") from the numbering definitions.
    The file is checked (`check_upload`, `check_plan_document`) before it is parsed.
    """
    check_upload(f, kinds=(FileKind.DOCX,))
    check_plan_document(f)
    from docx.oxml.ns import qn

    try:
        document = _open_document(f)
    except Exception as exc:  # python-docx raises several unrelated types for broken files
        raise ExtractionError(_("This Word file is damaged and cannot be read."), code="file_damaged") from exc
    numbering = _NumberingFormats(document)
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            prefix = numbering.prefix(child) if text.strip() else ""
            lines.append(prefix + text)
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = []
                for cell in row.iter(qn("w:tc")):
                    cells.append("".join(t.text or "" for t in cell.iter(qn("w:t"))).strip())
                lines.append(TABLE_CELL_SEPARATOR.join(c for c in cells if c))
    return "\n".join(lines)


def _open_document(f: IO[bytes]) -> Any:
    """python-docx's parse of the whole file, the step the checks above bound."""
    from docx import Document

    f.seek(0)
    return Document(f)


class _NumberingFormats:
    """Rebuilds the visible numbers of Word's automatic lists."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, str], int] = {}
        from docx.opc.constants import RELATIONSHIP_TYPE

        # Look the numbering part up by relationship: python-docx's
        # `numbering_part` property tries to create one when it is missing.
        try:
            root = document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
        except KeyError:
            return  # a document without automatic lists
        abstract: dict[str, dict[str, tuple[str, str, int]]] = {}
        for a in root.iter(qn("w:abstractNum")):
            lv = {}
            for lvl in a.iter(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                lv[lvl.get(qn("w:ilvl"))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
            abstract[a.get(qn("w:abstractNumId"))] = lv
        for num in root.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                for ilvl, spec in abstract.get(ref.get(qn("w:val")), {}).items():
                    self.levels[(num.get(qn("w:numId")), ilvl)] = spec

    def prefix(self, paragraph: Any) -> str:
        qn = self.qn
        num_pr = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            return ""
        num_id_el, ilvl_el = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        num_id = num_id_el.get(qn("w:val")) if num_id_el is not None else None
        ilvl = ilvl_el.get(qn("w:val")) if ilvl_el is not None else "0"
        spec = self.levels.get((num_id, ilvl))
        if spec is None:
            return ""
        fmt, text, start = spec
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for k in list(self.counters):  # a higher level restarts the deeper ones
            if k[0] == num_id and int(k[1]) > int(ilvl):
                del self.counters[k]
        value = self.counters[key]
        shown = _format_number(value, fmt)
        return re.sub(r"%\d", shown, text, count=1) if text else ""


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified"):
        return _to_chinese(value)
    return str(value)


def _to_chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)
