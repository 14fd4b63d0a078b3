"""An accessibility pass with axe-core (bundled by axe-playwright-python) on the main pages.

Serious and critical WCAG 2 A/AA violations fail the test; the page and the
rule are named so the fix is easy to find.
"""

import pytest

from guanwei.tests.browser.support import log_in

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed")

OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def serious_violations(page) -> list[str]:
    results = axe_sync.Axe().run(page, options=OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


PAGES = {
    "sec_college": [
        "/",
        "/activities/",
        "/activities/?committee=学院",  # a typed committee with several matches: the choices as links
        "/activities/new/",
        "/activities/donations/",
        "/activities/news/",
        "/orgs/",
        "/orgs/people/",
        "/assessments/",
        "/plans/",
        "/plans/programmes/new/",
    ],
    "leader": ["/dashboards/"],
}


def test_login_page_has_no_serious_accessibility_problems(phone_page, personas):
    phone_page.goto(phone_page.base_url + "/accounts/login/")
    assert serious_violations(phone_page) == []


@pytest.mark.parametrize("user", sorted(PAGES))
def test_main_pages_have_no_serious_accessibility_problems(phone_page, personas, tree, user):
    from orgs.models import Person

    # Some rows, so that status badges and tables are on the pages too.
    Person.objects.create(committee=tree.college, name="张老师", wulao_category="teacher", real_name_registered=True)
    Person.objects.create(committee=tree.college, name="李老师", wulao_category="cadre")
    log_in(phone_page, user)
    problems = {}
    for path in PAGES[user]:
        phone_page.goto(phone_page.base_url + path)
        found = serious_violations(phone_page)
        if found:
            problems[path] = found
    assert problems == {}


def test_the_check_does_catch_a_problem(phone_page):
    # Guards the pass above: an unlabeled input and grey-on-grey text are reported.
    phone_page.set_content(
        '<html lang="zh"><body><main><input type="text">'
        '<p style="color:#ccc;background:#ddd">看不清的字</p></main></body></html>'
    )
    found = " ".join(serious_violations(phone_page))
    assert "label" in found and "color-contrast" in found
