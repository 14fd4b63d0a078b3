"""Evidence files are data: pictures re-encoded, everything else a download of its real type (issue 20)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Evidence
from guanwei.tests.polyglots import assert_inert, hostile_uploads


def _upload(client, evaluation, score, f):
    url = reverse("assessments:evidence_add", args=[evaluation.pk, score.pk])
    assert client.post(url, {"file": f}).status_code == 302


def test_polyglot_evidence_pictures_open_as_plain_pictures_for_reviewers_and_the_admin(
    client_for, college_eval, rubric_set, assign
):
    assign(college_eval)
    score = college_eval.scores.get(criterion=rubric_set.wulao)
    client = client_for("sec_college")
    for f in hostile_uploads():
        _upload(client, college_eval, score, f)
    evidence = list(Evidence.objects.order_by("pk"))
    assert len(evidence) == len(hostile_uploads())
    for item in evidence:
        assert item.kind == "image"
        assert item.file.name.endswith((".png", ".jpg"))
        for viewer in ("reviewer", "admin", "sec_college"):
            response = client_for(viewer).get(reverse("assessments:evidence_download", args=[item.pk]))
            assert_inert(response, inline=True)


def test_a_pdf_named_like_a_page_is_stored_and_downloaded_as_a_pdf(client_for, college_eval, rubric_set):
    score = college_eval.scores.get(criterion=rubric_set.wulao)
    pdf = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    _upload(client_for("sec_college"), college_eval, score, SimpleUploadedFile("report.html", pdf))
    evidence = Evidence.objects.get()
    assert evidence.file.name.endswith(".pdf")
    response = client_for("admin").get(reverse("assessments:evidence_download", args=[evidence.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "report.pdf" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert evidence.original_name == "report.html"  # the list still shows what the secretary chose
