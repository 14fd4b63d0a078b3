"""Deliverables handed in for a milestone are served as what they are, as downloads (issue 20)."""

from __future__ import annotations

from django.urls import reverse

from guanwei.tests.polyglots import assert_inert, hostile_uploads
from plans.models import Deliverable


def test_polyglot_deliverables_are_downloads_of_plain_pictures(tree, college_programme, client_for):
    milestone = college_programme.milestones.get(kind="mid_term")
    client = client_for("sec_college")
    for f in hostile_uploads():
        response = client.post(
            reverse("plans:deliverable_upload", args=[milestone.pk]), {"committee": tree.college.pk, "file": f}
        )
        assert response.status_code == 302
    deliverables = list(Deliverable.objects.order_by("pk"))
    assert len(deliverables) == len(hostile_uploads())
    for deliverable in deliverables:
        assert deliverable.file.name.endswith((".png", ".jpg"))
        response = client_for("leader").get(reverse("plans:deliverable_download", args=[deliverable.pk]))
        assert_inert(response, inline=False)
        assert response["Content-Type"] in ("image/png", "image/jpeg")
