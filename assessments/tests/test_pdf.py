"""PDF reports: a CJK font is embedded, the content is there, and nothing outside is ever fetched."""

import io
import shutil
import subprocess
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from assessments import services
from assessments.pdf import SafeFetcher, html_to_pdf, render_evaluation_pdf

from .conftest import score_all

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) is not installed")


def fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a URL through urllib (WeasyPrint's default path) is recorded and refused."""
    attempts = []

    def refuse(self, url, *args, **kwargs):
        attempts.append(getattr(url, "full_url", url))
        raise AssertionError(f"network or file access attempted: {url}")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    return attempts


@pytest.fixture
def finalised(submitted, rubric_set, personas):
    ev = services.evaluation_review_score(
        evaluation=submitted,
        entries=score_all(rubric_set, leadership=40, wulao=32, station=20, award=3),
        by=personas["admin"],
    )
    return services.evaluation_finalise(evaluation=ev, by=personas["admin"])


def test_evaluation_pdf_embeds_a_cjk_font_and_shows_committee_total_and_grade(finalised, tmp_path, no_network):
    pdf, fetcher = render_evaluation_pdf(finalised)
    embedded = [line for line in fonts(pdf, tmp_path).splitlines()[2:] if "CJK" in line]
    assert embedded, "no CJK font in the PDF"
    assert all(line.split()[-5] == "yes" for line in embedded)  # the "emb" column: embedded, not just named
    body = text(pdf, tmp_path)
    assert "针灸康复临床医学院关工分委" in body
    assert "95.0" in body and "优秀" in body
    assert "党政重视" in body and "被考核单位（盖章）" in body
    assert fetcher.refused == []
    assert any(url.endswith("/static/assessments/report.css") for url in fetcher.served)
    assert no_network == []


def test_hostile_html_fetches_nothing(tmp_path, no_network):
    hostile = """<html><body><p>测试</p>
      <img src="file:///etc/passwd"><img src="http://169.254.169.254/latest/meta-data/">
      <link rel="stylesheet" href="https://evil.example/x.css">
      <div style="background: url('file:///etc/shadow')">x</div>
      <img src="../../../../etc/passwd"><img src="/evidence/1"><img src="/static/../../guanwei/settings.py">
    </body></html>"""
    fetcher = SafeFetcher()
    pdf = html_to_pdf(hostile, fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.served == []
    assert len(fetcher.refused) >= 6
    assert no_network == []


def test_hostile_text_in_comments_is_printed_not_fetched(college_eval, rubric_set, personas, tmp_path, no_network):
    services.evaluation_self_score(
        evaluation=college_eval,
        entries={
            rubric_set.wulao.pk: services.Entry(
                None, '<img src="file:///etc/passwd"> <img src="http://evil.example/a.png">'
            )
        },
        by=personas["sec_college"],
    )
    pdf, fetcher = render_evaluation_pdf(college_eval)
    assert not any("passwd" in u or "evil" in u for u in fetcher.served + fetcher.refused)
    assert "file:///etc/passwd" in text(pdf, tmp_path)


def test_only_this_evaluations_evidence_images_are_embedded(
    college_eval, sibling_eval, rubric_set, personas, tmp_path, no_network
):
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 120, 0)).save(buffer, "PNG")
    score = college_eval.scores.get(criterion=rubric_set.wulao)
    own = services.evidence_add(
        evaluation=college_eval,
        score=score,
        upload=SimpleUploadedFile("a.png", buffer.getvalue()),
        by=personas["sec_college"],
    )
    other_score = sibling_eval.scores.get(criterion=rubric_set.wulao)
    other = services.evidence_add(
        evaluation=sibling_eval,
        score=other_score,
        upload=SimpleUploadedFile("b.png", buffer.getvalue()),
        by=personas["sec_sibling"],
    )
    _pdf, fetcher = render_evaluation_pdf(college_eval)
    assert any(u.endswith(f"/evidence/{own.pk}") for u in fetcher.served)
    fetcher2 = SafeFetcher({own.pk: own})
    html_to_pdf(f'<img src="/evidence/{other.pk}">', fetcher2)
    assert fetcher2.served == [] and fetcher2.refused


def test_pdf_download_matrix(client_for, finalised):
    url = reverse("assessments:evaluation_pdf", args=[finalised.pk])
    results = [
        client_for(n).get(url).status_code for n in [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]
    ]
    assert results == [302, 404, 200, 200, 404, 200]
    response = client_for("sec_college").get(url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_render_report_command_writes_the_pdf(finalised, tmp_path):
    out = tmp_path / "report.pdf"
    call_command("render_report", str(finalised.pk), "-o", str(out), stdout=io.StringIO())
    assert out.read_bytes().startswith(b"%PDF")
    assert "CJK" in fonts(out.read_bytes(), tmp_path)


def test_render_report_command_names_a_missing_evaluation(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No evaluation with id 4242"):
        call_command("render_report", "4242", "-o", str(tmp_path / "x.pdf"))


def test_round_summary_pdf_embeds_the_font_and_reports_progress(round_, finalised, tree, tmp_path):
    from assessments.pdf import render_round_pdf

    steps = []
    pdf = render_round_pdf(round_, tree.university, lambda done, total: steps.append((done, total)))
    assert steps == [(1, 3), (2, 3)]
    assert "CJK" in fonts(pdf, tmp_path)
    body = text(pdf, tmp_path)
    assert "针灸康复临床医学院关工分委" in body and "基础医学院关工分委" in body
