"""The share of plan targets wired to a metric on reading (issue 21), over the plan corpus and the demo plans.

Pure extraction, no database: it runs in a second at any dataset size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench.figures import Figure

if TYPE_CHECKING:
    from bench.context import BenchContext


def target_wiring(ctx: BenchContext) -> None:
    from plans.extraction.wiring_check import BAR_SHARE, BAR_WRONG, check_corpus

    result = check_corpus()
    ctx.add(
        Figure(
            "wiring",
            f"Targets wired to a metric on reading (demo plans + corpus, {result.documents} documents,"
            f" {result.countable} targets the engine counts)",
            float(result.share * 100),
            "%",
            target=f"≥ {BAR_SHARE * 100:.0f}% of the countable ones, {BAR_WRONG} wired wrong",
            met=result.meets_bar,
            note=f"{result.right} of {result.countable} wired right, {result.wrong} wired wrong; "
            f"{result.unmeasured} that nothing counts left unmeasured; `manage.py target_wiring_check` lists each",
        )
    )
