"""PDF reports with WeasyPrint, fetching nothing but our own files.

The renderer resolves every URL against a fixed, unroutable base and hands it
to `SafeFetcher`, which serves two things only: the project's static files and
the image evidence of the evaluation being rendered. `file://`, `http(s)://`
elsewhere, `data:` and everything else is refused without any I/O.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from assessments import selectors
from assessments.models import Evaluation, Evidence, Round
from guanwei.params import parse_int
from orgs.models import Committee

logger = logging.getLogger(__name__)

BASE_URL = "https://report.guanwei.invalid/"
STATIC_PREFIX = "/static/"
EVIDENCE_PREFIX = "/evidence/"


class RefusedURL(ValueError):
    pass


class SafeFetcher(URLFetcher):
    """Serves static files and the allowed evidence images; refuses everything else."""

    def __init__(self, evidence: dict[int, Evidence] | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols=())
        self.evidence = evidence or {}
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = self._local_path(url)
        if path is None:
            self.refused.append(url)
            logger.info("PDF renderer refused %s", url[:200])
            raise RefusedURL(f"refused: {url[:200]}")
        self.served.append(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    def _local_path(self, url: str) -> Path | None:
        if not url.startswith(BASE_URL):
            return None
        parts = urlsplit(url)
        path = unquote(parts.path)
        if ".." in path.split("/") or "\x00" in path:
            return None
        if path.startswith(STATIC_PREFIX):
            found = finders.find(path[len(STATIC_PREFIX) :])
            if not found:
                candidate = Path(settings.STATIC_ROOT) / path[len(STATIC_PREFIX) :]
                found = str(candidate) if candidate.is_file() else None
            return Path(found) if found else None
        if path.startswith(EVIDENCE_PREFIX):
            key = parse_int(path[len(EVIDENCE_PREFIX) :], min_value=1)
            if key is None or key not in self.evidence:
                return None
            evidence = self.evidence[key]
            media_root = Path(settings.MEDIA_ROOT).resolve()
            target = (media_root / evidence.file.name).resolve()
            if media_root not in target.parents or not target.is_file():
                return None
            return target
        return None


def html_to_pdf(html: str, fetcher: SafeFetcher | None = None) -> bytes:
    fetcher = fetcher or SafeFetcher()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


def _lang():
    return translation.override(settings.LANGUAGE_CODE)


def evaluation_context(evaluation: Evaluation) -> dict:
    self_outcome, review_outcome = selectors.evaluation_outcomes(evaluation)
    lines = selectors.evaluation_lines(evaluation)
    return {
        "evaluation": evaluation,
        "round": evaluation.round,
        "rubric": evaluation.round.rubric,
        "lines": lines,
        "self_outcome": self_outcome,
        "review_outcome": review_outcome,
        "evidence_prefix": EVIDENCE_PREFIX,
        "generated_at": timezone.localtime(),
    }


def render_evaluation_pdf(evaluation: Evaluation) -> tuple[bytes, SafeFetcher]:
    """One evaluation: committee, round, each criterion with both scores, evidence, totals, grade, signatures."""
    with _lang():
        context = evaluation_context(evaluation)
        images = {
            e.pk: e for _dim, lines in context["lines"] for line in lines for e in line.evidence if e.kind == "image"
        }
        html = render_to_string("assessments/pdf/evaluation.html", context)
    fetcher = SafeFetcher(images)
    return html_to_pdf(html, fetcher), fetcher


def render_round_pdf(round_: Round, committee: Committee, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The round summary over a subtree: results, then each evaluation's criteria."""
    with _lang():
        evaluations = list(selectors.round_evaluations(round_, committee))
        results = selectors.round_results(round_, committee)
        sections = []
        for i, evaluation in enumerate(evaluations, start=1):
            sections.append({"evaluation": evaluation, "lines": selectors.evaluation_lines(evaluation)})
            if progress is not None:
                progress(i, len(evaluations) + 1)
        html = render_to_string(
            "assessments/pdf/round.html",
            {
                "round": round_,
                "rubric": round_.rubric,
                "committee": committee,
                "results": results,
                "sections": sections,
                "generated_at": timezone.localtime(),
            },
        )
    return html_to_pdf(html)
