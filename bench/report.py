"""The benchmark's outputs: the machine, a console table, JSON, and the README's Benchmarks section."""

from __future__ import annotations

import os
import platform
import re
import subprocess  # noqa: S404 - reads `free -h`
from pathlib import Path
from typing import Any

import django
from django.db import connection

from bench.figures import Figure, Report, fmt

README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        out = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False, timeout=5)  # noqa: S607
        for line in out.stdout.splitlines():
            if line.startswith("Mem:"):
                return f"{line.split()[1]} total"
    except OSError:
        pass
    return "unknown"


def _database() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}".strip()


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "memory": _memory(),
        "cpu": _cpu_model(),
        "database": _database(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "os": platform.platform(terse=True),
    }


def _baseline(f: Figure) -> str:
    return f"{fmt(f.baseline, f.unit)} ({f.baseline_label})" if f.baseline is not None else "—"


def console_table(report: Report) -> str:
    lines = []
    for f in report.figures:
        target = f"target {f.target}: {f.verdict}" if f.target else ""
        lines.append(f"[{f.section}] {f.label}")
        lines.append(f"    {fmt(f.value, f.unit):>14}   baseline {_baseline(f)}")
        if target or f.note:
            lines.append("    " + "  ".join(x for x in (target, f.note) if x))
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: Report, info: dict[str, Any]) -> str:
    m, d = info["machine"], info["dataset"]
    counts = d.get("counts", {})
    size = ", ".join(
        f"{n:,} {label.split('.')[-1].lower().replace('_', ' ')}" for label, n in counts.items() if "." in label
    )
    out = [
        f"Last run: {info['finished']} ({info['mode']}), {info['seconds']:.0f} s in total"
        f" (dataset {'generated in ' + str(d.get('seconds')) + ' s' if info.get('seeded_now') else 'reused'}).",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory']} memory, {m['database']},"
        f" Python {m['python']}, Django {m['django']}, {m['os']}.",
        "",
        f"Dataset: {size}; tree depth {counts.get('depth', '?')}.",
        "",
        "| Section | Figure | Value | Same-run baseline | Target | Verdict | Notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in report.figures:
        verdict = {"met": "met", "MISSED": "**missed**"}.get(f.verdict, f.verdict)
        out.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (f.section, f.label, fmt(f.value, f.unit), _baseline(f), f.target or "—", verdict, f.note)
            )
            + " |"
        )
    if report.notes:
        out.append("")
        out.extend(f"- {note}" for note in report.notes)
    return "\n".join(out)


def update_readme(path: Path, table: str) -> bool:
    """Replace the text between the bench markers of the README; False when the markers are missing."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.DOTALL)
    if not pattern.search(text):
        return False
    path.write_text(pattern.sub(lambda _m: f"{README_START}\n{table}\n{README_END}", text), encoding="utf-8")
    return True
