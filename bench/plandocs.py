"""Peak memory of parsing the largest plan document the checks allow (issue 20).

The document is built at the limits of `plans.extraction.check_plan_document`:
GUANWEI_PLAN_MAX_PARAGRAPHS paragraphs filling GUANWEI_PLAN_MAX_XML_BYTES of XML
with one-character runs, the costliest shape per byte for python-docx's tree.
`python -m bench.plandocs FILE` parses it in a fresh process and prints
its peak resident memory as JSON.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess  # noqa: S404 - runs this project's own module
import sys
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from bench.figures import Figure, below

if TYPE_CHECKING:  # the module also runs as a script, before Django is set up
    from bench.context import BenchContext

MEMORY_BUDGET_MB = 250  # the whole worker process, Django loaded; README "Security: uploads and limits"
DOCUMENT = "word/document.xml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def largest_plan_docx(path: Path) -> tuple[int, int]:
    """Write the largest .docx a plan may be; returns (paragraphs, bytes of XML)."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as template:
        parts = {info.filename: template.read(info) for info in template.infolist()}
    other_xml = sum(len(v) for k, v in parts.items() if k != DOCUMENT and k.endswith((".xml", ".rels")))
    paragraphs = settings.GUANWEI_PLAN_MAX_PARAGRAPHS
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'.encode()
    tail = b"</w:body></w:document>"
    run_size = len("<w:r><w:t>计</w:t></w:r>".encode())
    room = settings.GUANWEI_PLAN_MAX_XML_BYTES - other_xml - len(head) - len(tail) - 1024
    runs = max(1, (room // paragraphs - len(b"<w:p></w:p>")) // run_size)
    rng = random.Random(20)  # noqa: S311 - varied text, so the file passes the compression-ratio check
    characters = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]

    def paragraph() -> bytes:
        return (
            "<w:p>" + "".join(f"<w:r><w:t>{rng.choice(characters)}</w:t></w:r>" for _ in range(runs)) + "</w:p>"
        ).encode()

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            if name != DOCUMENT:
                out.writestr(name, data)
        with out.open(DOCUMENT, "w") as part:
            part.write(head)
            for _ in range(paragraphs):
                part.write(paragraph())
            part.write(tail)
    size = other_xml + len(head) + len(tail) + paragraphs * (len(b"<w:p></w:p>") + runs * run_size)
    return paragraphs, size


def _rss_mb() -> float | None:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def parse(path: str) -> dict[str, Any]:
    """Parse the document as the upload form does (checks included): seconds and lines read."""
    from plans.extraction import docx_text

    started = time.perf_counter()
    with open(path, "rb") as f:
        lines = docx_text(f).count("\n") + 1
    return {"seconds": time.perf_counter() - started, "lines": lines}


def plan_document(ctx: BenchContext) -> None:
    from bench.context import BenchError

    path = ctx.work_dir / "largest-plan.docx"
    paragraphs, xml_bytes = largest_plan_docx(path)
    if ctx.in_process:
        result: dict[str, Any] = {**parse(str(path)), "peak_rss_mb": None, "ready_rss_mb": None}
    else:
        completed = subprocess.run(  # noqa: S603 - fixed argv: this interpreter and our module
            [sys.executable, "-m", "bench.plandocs", str(path)],
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            timeout=600,
            check=False,
        )
        if completed.returncode != 0:
            raise BenchError(f"plan document parse failed:\n{completed.stderr[-3000:]}")
        result = json.loads(completed.stdout.strip().splitlines()[-1])
    if result["lines"] < paragraphs:
        raise BenchError(f"the largest plan document read as {result['lines']} lines, not {paragraphs}")
    peak = result["peak_rss_mb"]
    ctx.add(
        Figure(
            "plan document",
            f"Peak memory parsing the largest plan document allowed ({paragraphs:,} paragraphs,"
            f" {xml_bytes / 1024 / 1024:.1f} MiB of XML, {path.stat().st_size / 1024:,.0f} KB file)",
            peak,
            "MB",
            result["ready_rss_mb"],
            "the same process before the parse, Django loaded",
            target=f"< {MEMORY_BUDGET_MB} MB",
            met=below(peak, MEMORY_BUDGET_MB),
            note=f"parsed in {result['seconds']:.1f} s"
            + ("" if peak is not None else "; in-process run: no separate memory figure"),
        )
    )


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanwei.settings")
    import django

    django.setup()
    import docx  # noqa: F401 - loaded before the baseline, as in a running server

    import plans.extraction  # noqa: F401

    ready = _rss_mb()
    result = parse(argv[1])
    sys.stdout.write(json.dumps({**result, "peak_rss_mb": _rss_mb(), "ready_rss_mb": ready}) + "\n")


if __name__ == "__main__":
    main(sys.argv)
