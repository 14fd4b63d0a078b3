"""Every Excel file the portal hands out, opened as a user opens it, on the demo data.

No figure is stored as text (a sheet can sum it), no sheet is called "Sheet". Codes, phone numbers and
numbering labels stay text on purpose: a leading zero or "1.10" must survive.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from demo.orgs import data

# pytest-django sets up the test database only for a session with tests marked as using it.
pytestmark = pytest.mark.django_db

NUMBER_AS_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)\s*%?$")
# Identifiers and labels: text by nature, even when they are digits.
TEXT_COLUMNS = {"编码", "上级编码", "委员会编码", "电话", "联系电话", "编号"}
DASHBOARD_CHARTS = ("months", "kinds", "subcommittees", "targets")


def _client(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": data.DEMO_PASSWORD})
    assert response.status_code == 302, username
    return client


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return b"".join(response.streaming_content)


def _collect() -> dict[str, list[tuple[str, bytes]]]:
    from assessments.models import Round, Rubric
    from orgs.models import Committee
    from plans.models import Plan

    admin, secretary, leader = _client("admin"), _client("sec_college"), _client("leader")
    roots = Committee.get_root_nodes()
    university = Committee.objects.get(code="GZUCM")
    college = Committee.objects.get(code="GZUCM-ZJ")
    files: dict[str, list[tuple[str, bytes]]] = {}

    def add(kind: str, client: Client, url: str) -> None:
        files.setdefault(kind, []).append((url, _get(client, url)))

    for client in (admin, secretary):
        add("activities", client, reverse("activities:export"))
        add("activity template", client, reverse("activities:import_template"))
        add("donations", client, reverse("activities:donation_export"))
        add("news reports", client, reverse("activities:news_export"))
        add("people", client, reverse("orgs:people_export"))
        add("people template", client, reverse("orgs:people_import_template"))
    add("committee template", admin, reverse("orgs:committee_import_template"))
    for root in roots:
        add("committees", admin, reverse("orgs:committee_export", args=[root.pk]))
    for committee in (university, college):
        for chart in DASHBOARD_CHARTS:
            add(f"dashboard {chart}", leader, reverse("dashboards:chart_xlsx", args=[committee.pk, chart]))
        add("dashboard workbook", leader, reverse("dashboards:workbook", args=[committee.pk]))
    for plan in Plan.objects.all():
        add("plans", admin, reverse("plans:plan_export_xlsx", args=[plan.pk]))
    for rubric in Rubric.objects.all():
        add("rubrics", admin, reverse("assessments:rubric_export", args=[rubric.pk]))
    for round_ in Round.objects.all():
        add("round scores", admin, reverse("assessments:round_scores_export", args=[round_.pk]))
    return files


@pytest.fixture(scope="module")
def demo_files(django_db_setup, django_db_blocker):
    """The demo is built once for these tests, inside a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        files = _collect()
        transaction.set_rollback(True)
    caches["default"].clear()
    return files


def problems_of(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    found = []
    for sheet in book.worksheets:
        if re.fullmatch(r"Sheet\d*", sheet.title):
            found.append(f"a sheet called {sheet.title!r}")
        rows = sheet.iter_rows()
        headers = [c.value for c in next(rows, [])]
        for row in rows:
            for index, cell in enumerate(row):
                header = headers[index] if index < len(headers) else None
                if cell.data_type == "s" and header not in TEXT_COLUMNS and NUMBER_AS_TEXT.match(str(cell.value)):
                    found.append(f"{sheet.title}!{cell.coordinate} ({header}) holds {cell.value!r} as text")
    return found


KINDS = [
    "activities",
    "activity template",
    "donations",
    "news reports",
    "people",
    "people template",
    "committee template",
    "committees",
    "dashboard months",
    "dashboard kinds",
    "dashboard subcommittees",
    "dashboard targets",
    "dashboard workbook",
    "plans",
    "rubrics",
    "round scores",
]


@pytest.mark.parametrize("kind", KINDS)
def test_no_figure_is_text_and_no_sheet_is_called_sheet(demo_files, kind):
    downloads = demo_files[kind]
    assert downloads
    found = [f"{url}: {problem}" for url, content in downloads for problem in problems_of(content)]
    assert found == []


def test_every_kind_of_download_was_opened(demo_files):
    """The demo fills each file with rows: a check of empty sheets would prove nothing."""
    assert set(demo_files) == set(KINDS)
    for kind, downloads in demo_files.items():
        filled = [url for url, content in downloads if load_workbook(io.BytesIO(content)).worksheets[0].max_row > 1]
        assert filled, kind
