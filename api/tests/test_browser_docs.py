"""The API docs render in Chromium under the site's Content-Security-Policy, with no network beyond the portal."""

import pytest

from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot

pytestmark = pytest.mark.browser


def _watch(page) -> list[str]:
    """Console errors (a CSP refusal shows up there) and requests that leave the portal."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def request(r) -> None:
        if not r.url.startswith((page.base_url, "data:", "blob:")):
            problems.append(f"outside request: {r.url}")

    page.on("request", request)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return problems


def test_swagger_docs_render_and_try_a_request_with_the_session(desktop_page, personas, tree):
    page = desktop_page
    log_in(page, "sec_college")
    problems = _watch(page)
    page.goto(page.base_url + "/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock-summary-path", has_text="/api/activities/").first.is_visible()
    # Try a read with the logged-in session, as a developer would.
    block = page.locator(".opblock-get", has=page.locator(".opblock-summary-path", has_text="/api/committees/")).first
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    block.get_by_role("button", name="Execute").click()
    # The live answer, not the documented example further down.
    body = block.locator(".live-responses-table .response .highlight-code").first
    body.wait_for()
    assert "UNI-ZJ" in body.inner_text()
    screenshot(page, "api-docs-swagger")
    assert problems == []


def test_browsable_api_renders_under_the_csp(desktop_page, personas, tree):
    page = desktop_page
    log_in(page, "sec_college")
    problems = _watch(page)
    page.goto(page.base_url + "/api/committees/")
    assert page.get_by_text("针灸康复临床医学院关工分委").first.is_visible()
    screenshot(page, "api-browsable")
    assert problems == []


def test_api_page_on_a_phone_makes_a_token(phone_page, personas, tree):
    page = phone_page
    log_in(page, "sec_college")
    page.goto(page.base_url + "/api/")
    page.get_by_role("button", name="生成令牌").click()
    token = page.locator("#api-token").inner_text()
    assert len(token) == 40
    assert_fits_screen(page)
    screenshot(page, "api-token-phone")
