from django.test import RequestFactory, override_settings
from django.urls import reverse

from conftest import PASSWORD
from guanwei.net import client_ip
from orgs.models import AuditEvent


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_six_failed_logins_lock_the_account_out_with_a_plain_message(client, personas):
    for _ in range(4):
        assert login(client, "sec_college", "wrong").status_code == 200
    assert login(client, "sec_college", "wrong").status_code == 429  # the fifth failure locks
    locked = login(client, "sec_college", "wrong")
    assert locked.status_code == 429
    assert "密码错误次数过多" in locked.content.decode()
    # Even the right password waits out the pause.
    assert login(client, "sec_college", PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="login_failed", summary="sec_college").count() >= 5


def test_a_correct_login_is_audited_and_lands_on_the_home_page(client, personas):
    response = login(client, "sec_college", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert AuditEvent.objects.filter(action="login", username="sec_college").exists()


def test_forwarded_for_is_ignored_without_a_trusted_proxy():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.9")
    assert client_ip(request) == "10.0.0.9"


@override_settings(GUANWEI_PROXY_COUNT=1)
def test_behind_one_proxy_the_last_forwarded_address_is_the_client():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4", REMOTE_ADDR="10.0.0.9")
    assert client_ip(request) == "1.2.3.4"


def test_forms_are_protected_against_cross_site_posts(personas, tree):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["admin"])
    response = client.post(reverse("orgs:committee_edit", args=[tree.college.pk]), {"name": "x"})
    assert response.status_code == 403


def test_pages_carry_a_content_security_policy_without_inline_scripts(client_for, tree):
    response = client_for("sec_college").get(reverse("orgs:committee_tree"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


def test_no_template_uses_inline_event_handlers_or_inline_scripts():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for template in root.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        if re.search(r"\son[a-z]+=\"", text) or re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", text):
            offenders.append(str(template.relative_to(root)))
    assert offenders == []
