"""The whole dashboard as a workbook: downloaded, and e-mailed to leaders every Monday, once."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from dashboards import services
from dashboards.models import WeeklyMailing
from dashboards.tasks import send_weekly_dashboards, send_weekly_mailing
from notifications.services import set_email_preference

PERSONAS = [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]
MONDAY = dt.datetime(2022, 6, 27, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def logged(tree, make_activity, time_machine):
    time_machine.move_to(MONDAY)
    make_activity(tree.college, dt.date(2022, 3, 5))
    make_activity(tree.sibling, dt.date(2022, 4, 5), "report")


def sheets(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}


def test_workbook_matrix(client_for, tree):
    url = reverse("dashboards:workbook", args=[tree.college.pk])
    assert [client_for(n).get(url).status_code for n in PERSONAS] == [302, 404, 200, 200, 200, 200]


def test_workbook_has_a_sheet_per_table_with_the_page_numbers(client_for, tree, logged):
    response = client_for("leader").get(reverse("dashboards:workbook", args=[tree.university.pk]), {"year": 2022})
    book = sheets(b"".join(response.streaming_content))
    assert list(book) == ["目标", "各月活动", "各类活动", "下级委员会"]
    assert [row[1] for row in book["各月活动"][1:]] == [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert {row[0]: row[1] for row in book["下级委员会"][1:]} == {
        "针灸康复临床医学院关工分委": 1,
        "基础医学院关工分委": 1,
    }


def test_leaders_get_the_monday_workbook_once_a_week(
    tree, personas, logged, time_machine, django_capture_on_commit_callbacks
):
    leader = personas["leader"]
    leader.email = "leader@example.edu.cn"
    leader.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_dashboards.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_dashboards.delay().get() == 0  # the beat fired twice: nothing new
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["leader@example.edu.cn"]
    assert message.subject == "[关委] 示范大学关工委工作看板周报（2022-W26）"
    assert "本年活动数：2" in message.body
    name, content, _mimetype = message.attachments[0]
    assert name == "dashboard-UNI-2022-W26.xlsx"
    assert [row[1] for row in sheets(content)["各月活动"][1:5]] == [0, 0, 1, 1]
    time_machine.move_to(MONDAY + dt.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_dashboards.delay()
    assert len(mail.outbox) == 2  # next week, the next workbook


def test_no_workbook_without_an_address_or_with_email_off(tree, personas, logged, django_capture_on_commit_callbacks):
    set_email_preference(user=personas["leader"], enabled=False)
    personas["leader"].email = "leader@example.edu.cn"
    personas["leader"].save()
    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_dashboards.delay()
    assert mail.outbox == [] and not WeeklyMailing.objects.exists()


def test_one_mailing_sent_twice_sends_one_email(tree, personas, logged):
    personas["leader"].email = "leader@example.edu.cn"
    personas["leader"].save()
    mailing = WeeklyMailing.objects.create(user=personas["leader"], committee=tree.university, week="2022-W26")
    assert send_weekly_mailing.delay(mailing.pk).get() is True
    assert send_weekly_mailing.delay(mailing.pk).get() is False
    assert len(mail.outbox) == 1


def test_a_mail_server_failure_releases_the_mailing_for_a_retry(tree, personas, logged, monkeypatch):
    personas["leader"].email = "leader@example.edu.cn"
    personas["leader"].save()
    mailing = WeeklyMailing.objects.create(user=personas["leader"], committee=tree.university, week="2022-W26")

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(ConnectionRefusedError):
        services.weekly_mailing_send(mailing_id=mailing.pk, today=dt.date(2022, 6, 27))
    mailing.refresh_from_db()
    assert mailing.sent_at is None


def test_iso_week_follows_shanghai_dates():
    assert services.iso_week(dt.date(2022, 6, 27)) == "2022-W26"
    assert services.iso_week(dt.date(2023, 1, 1)) == "2022-W52"


def test_pdf_matrix(client_for, tree):
    url = reverse("dashboards:pdf", args=[tree.college.pk])
    assert [client_for(n).get(url).status_code for n in PERSONAS] == [302, 404, 200, 200, 200, 200]


def test_the_pdf_has_the_same_charts_in_embedded_chinese_type(client_for, tree, logged, tmp_path):
    import shutil
    import subprocess

    response = client_for("leader").get(reverse("dashboards:pdf", args=[tree.university.pk]), {"year": 2022})
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext, pdffonts) is not installed; make test installs it")
    path = tmp_path / "dashboard.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "示范大学关工委 2022年工作看板" in text
    assert "各月活动" in text and "基础医学院关工分委" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts and "yes" in fonts  # the Chinese font is embedded
