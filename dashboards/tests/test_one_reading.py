"""One reading of a target, everywhere: every target line of the demo reads the same on the
committee's dashboard, the target's page, the xlsx, the PDF and the API, and no line contradicts itself.

These tests build the demo itself (`seed_demo`, on a fixed day) and read it as the system
administrator, who sees every committee, so every line of every committee is walked.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.board import Dashboard
from demo.orgs import data
from orgs.models import Committee
from plans.models import Plan, PlanStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 21)
YEAR = TODAY.year
STATUS_LABELS = {"ok": "绿", "warn": "黄", "bad": "红"}


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


@pytest.fixture
def demo(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 21, 2, tzinfo=dt.UTC))
    call_command("seed_demo", stdout=io.StringIO())
    client = Client()
    response = client.post("/accounts/login/", {"username": "admin", "password": data.DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def measured_committees() -> list[Committee]:
    """Every committee with a target line this year: the plan committees and everyone below them."""
    wanted: dict[int, Committee] = {}
    for plan in Plan.objects.filter(status=PlanStatus.PUBLISHED, year=YEAR).select_related("committee"):
        wanted[plan.committee.pk] = plan.committee
        for child in Committee.objects.filter(parent=plan.committee):
            wanted[child.pk] = child
    return sorted(wanted.values(), key=lambda c: c.path)


def dashboard_lines(page: str) -> dict[int, tuple[str, int, str]]:
    """{target id: (status, percent, line)} of the dashboard page's target list."""
    found = re.findall(
        r'<li class="target-row" data-status="(\w+)" data-target="(\d+)">.*?'
        r'<p class="target-reading" data-percent="(\d+)">(.*?)</p>',
        page,
        flags=re.S,
    )
    return {int(pk): (status, int(percent), text_of(line)) for status, pk, percent, line in found}


def target_page_line(page: str, committee: Committee, own: bool) -> tuple[str, int, str]:
    """(status, percent, line) the target's page gives the committee."""
    if own:
        block = re.search(r'<p class="standing big">(.*?)</p>', page, flags=re.S).group(1)
    else:
        block = re.search(rf'<tr class="standing-row" data-committee="{committee.pk}".*?</tr>', page, flags=re.S)
        assert block, f"{committee.name} is missing from the target's page"
        block = block.group(0)
    status = re.search(r'<span class="badge (\w+)">', block).group(1)
    percent, line = re.search(
        r'<span class="reading" data-percent="(\d+)">(.*?)</span>\s*(?:<span|$|</td>)', block + "<span", flags=re.S
    ).groups()
    return status, int(percent), text_of(line)


def test_every_target_line_of_the_demo_reads_the_same_everywhere_and_the_pdf_keeps_them(demo, tmp_path):
    client = demo
    admin = get_user_model().objects.get(username="admin")
    committees = measured_committees()
    assert len(committees) >= 10  # the universities and their colleges
    walked = 0
    api_progress: dict[int, dict] = {}
    for committee in committees:
        board = Dashboard(admin, committee, YEAR, TODAY)
        rows = board.target_rows
        if not rows:
            continue
        url = reverse("dashboards:committee", args=[committee.pk])
        page = dashboard_lines(client.get(url, {"year": YEAR}).content.decode())
        sheet = load_workbook(
            io.BytesIO(
                b"".join(
                    client.get(
                        reverse("dashboards:chart_xlsx", args=[committee.pk, "targets"]), {"year": YEAR}
                    ).streaming_content
                )
            )
        ).worksheets[0]
        xlsx = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
        assert len(xlsx) == len(rows)
        for row, cells in zip(rows, xlsx, strict=True):
            reading = row.reading
            where = f"{committee.name} · {row.target.text}"
            # No line contradicts itself.
            assert (reading.percent == 100) == reading.met, where
            assert reading.status == "ok" or not reading.met, where
            if reading.met:
                assert "已完成" not in reading.line, where
            else:
                assert f"已完成 {reading.percent}%" in reading.line or "未达到" in reading.line, where
            if reading.role == "share" and not reading.met:
                assert "平均" in reading.line and reading.compared_with in reading.line, where
            if reading.role == "count":
                assert "个下级中" in reading.line, where
            # The dashboard page prints that reading.
            assert page[row.target.pk] == (reading.status, reading.percent, reading.line), where
            # The xlsx: the same words, figures as numbers, status.
            assert cells[0] == row.target.text and cells[2] == reading.line, where
            assert cells[5] == reading.percent and cells[6] == reading.expected_percent, where
            assert cells[7] == STATUS_LABELS[reading.status], where
            # The target's own page gives the committee the same line.
            target_page = client.get(reverse("plans:target_detail", args=[row.target.pk])).content.decode()
            assert target_page_line(target_page, committee, row.own) == (
                reading.status,
                reading.percent,
                reading.line,
            ), where
            # The API's progress of the plan.
            plan_pk = row.plan.pk
            if plan_pk not in api_progress:
                answer = client.get(f"/api/plans/{plan_pk}/progress/")
                assert answer.status_code == 200
                api_progress[plan_pk] = {item["target"]["id"]: item for item in answer.json()}
            item = api_progress[plan_pk][row.target.pk]
            given = (
                item["reading"]
                if row.own
                else next(s["reading"] for s in item["standings"] if s["committee"]["id"] == committee.pk)
            )
            assert (given["status"], given["percent"], given["line"]) == (
                reading.status,
                reading.percent,
                reading.line,
            ), where
            walked += 1
    assert walked >= 30, walked
    # The dashboard PDF of the university and of a college names every target with its status and time
    # progress (one seeded demo for both checks: building it is what takes the time).
    for code in (data.GZUCM_CODE, data.ZJ_CODE):
        pdf_names_every_target(client, admin, Committee.objects.get(code=code), tmp_path)


def pdf_names_every_target(client, admin, committee, tmp_path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed; make test installs it")
    board = Dashboard(admin, committee, YEAR, TODAY)
    assert board.target_rows
    response = client.get(reverse("dashboards:pdf", args=[committee.pk]), {"year": YEAR})
    path = tmp_path / "dashboard.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for plan, rows in board.plans:
        assert flat.count(re.sub(r"\s+", "", f"计划：{plan.title}")) == 1  # the plan named once
        for row in rows:
            for words in (row.target.text, row.reading.line, f"{row.expected_percent}%", row.status_label):
                assert re.sub(r"\s+", "", words) in flat, (row.target.text, words)
    assert ("下级关工委（最落后的排在前面）" in text) == bool(board.children)  # no empty sub-committee table
