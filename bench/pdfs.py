"""PDF reports: one evaluation and the round summary, beside WeasyPrint on the same pre-rendered HTML."""

from __future__ import annotations

import statistics
import time
from typing import Any
from unittest import mock

from weasyprint import HTML

from bench.context import BenchContext
from bench.figures import Figure, below, ratio

EVALUATION_TARGET_S = 2
SUMMARY_TARGET_S = 30
SUMMARY_PAGES = 50


class _Capture:
    """Wraps `assessments.pdf.html_to_pdf` to keep the HTML the report code produced."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.html = ""
        self.fetcher: Any = None

    def __call__(self, html: str, fetcher: Any = None) -> bytes:
        self.html, self.fetcher = html, fetcher
        return self.real(html, fetcher)


def _time_report(render: Any, runs: int) -> tuple[float, _Capture]:
    from assessments import pdf

    capture = _Capture(pdf.html_to_pdf)
    samples = []
    with mock.patch.object(pdf, "html_to_pdf", capture):
        for _ in range(runs):
            started = time.perf_counter()
            render()
            samples.append(time.perf_counter() - started)
    return statistics.median(samples), capture


def _time_weasyprint(capture: _Capture, runs: int) -> tuple[float, int]:
    """WeasyPrint alone on the captured HTML (same base URL and fetcher); also the page count."""
    from assessments import pdf

    samples, pages = [], 0
    for _ in range(runs):
        fetcher = pdf.SafeFetcher(getattr(capture.fetcher, "evidence", None))
        started = time.perf_counter()
        document = HTML(string=capture.html, base_url=pdf.BASE_URL, url_fetcher=fetcher).render()
        document.write_pdf()
        samples.append(time.perf_counter() - started)
        pages = len(document.pages)
    return statistics.median(samples), pages


def pdf_reports(ctx: BenchContext) -> None:
    from assessments.models import Evaluation, Round
    from assessments.pdf import render_evaluation_pdf, render_round_pdf

    runs = 1 if ctx.quick else 3
    evaluation = Evaluation.objects.select_related("committee", "round__rubric", "round__committee").get(
        pk=ctx.dataset.ids["evaluation"]
    )
    render_evaluation_pdf(evaluation)  # warm-up: fonts and templates load once per process
    seconds, capture = _time_report(lambda: render_evaluation_pdf(evaluation), runs)
    bare, pages = _time_weasyprint(capture, runs)
    ctx.add(
        Figure(
            "pdf",
            f"Evaluation report PDF ({pages} page(s), median of {runs})",
            seconds,
            "s",
            bare,
            "WeasyPrint alone on the same pre-rendered HTML",
            target=f"< {EVALUATION_TARGET_S} s",
            met=below(seconds, EVALUATION_TARGET_S),
            note=f"{ratio(seconds, bare):.2f}× the bare render",
        )
    )
    round_ = Round.objects.select_related("rubric", "committee").get(pk=ctx.dataset.ids["round"])
    seconds, capture = _time_report(lambda: render_round_pdf(round_, round_.committee), runs)
    bare, pages = _time_weasyprint(capture, runs)
    evaluations = ctx.dataset.ids.get("round_evaluations", 0)
    ctx.add(
        Figure(
            "pdf",
            f"Round summary PDF ({pages} pages, {evaluations} evaluations, median of {runs})",
            seconds,
            "s",
            bare,
            "WeasyPrint alone on the same pre-rendered HTML",
            target=f"< {SUMMARY_TARGET_S} s" if pages >= SUMMARY_PAGES else "",
            met=below(seconds, SUMMARY_TARGET_S) if pages >= SUMMARY_PAGES else None,
            note=f"{ratio(seconds, bare):.2f}× the bare render"
            + ("" if pages >= SUMMARY_PAGES else f"; fewer than {SUMMARY_PAGES} pages at this size"),
        )
    )
