"""In Chromium, an uploaded polyglot opens as a picture and never runs as a script (issue 20)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from activities import services
from guanwei.tests.browser.support import log_in
from guanwei.tests.polyglots import gif_javascript_polyglot, gif_with_script

pytestmark = pytest.mark.browser


def test_the_leader_opening_uploaded_polyglots_runs_nothing(desktop_page, personas, tree, make_activity):
    activity = make_activity(title="图片测试")
    page_photo = services.activity_photo_add(
        activity=activity, file=SimpleUploadedFile("evil.html", gif_with_script()), by=personas["sec_college"]
    )
    script_photo = services.activity_photo_add(
        activity=activity, file=SimpleUploadedFile("evil.js", gif_javascript_polyglot()), by=personas["sec_college"]
    )
    page = desktop_page
    api_calls = []
    page.on("request", lambda request: "/api/" in request.url and api_calls.append(request.url))
    log_in(page, "leader")

    response = page.goto(f"{page.base_url}/activities/photos/{page_photo.pk}/")
    assert response.headers["content-type"] in ("image/png", "image/jpeg")
    assert page.evaluate("document.title") != "pwned"
    # Chromium shows a lone picture in an <img>; there is no page in it.
    assert page.locator("img").count() == 1
    assert page.locator("script").count() == 0

    # A portal page including the other photo as a script: refused by nosniff, nothing runs.
    page.goto(f"{page.base_url}/")
    page.evaluate(
        """src => new Promise(resolve => {
            const s = document.createElement('script');
            s.src = src; s.onload = () => resolve('loaded'); s.onerror = () => resolve('refused');
            document.head.appendChild(s);
        })""",
        f"/activities/photos/{script_photo.pk}/",
    )
    page.wait_for_timeout(300)
    assert page.evaluate("document.title") != "pwned"
    assert api_calls == []
