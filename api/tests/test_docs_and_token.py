"""The schema, the self-hosted docs pages, and the page where a user makes their token."""

from __future__ import annotations

import re

import yaml
from django.core.management import call_command
from django.test import Client
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.tests.conftest import PERSONAS
from orgs.models import AuditEvent

ENDPOINTS = [
    "/api/committees/",
    "/api/committees/{id}/",
    "/api/committees/{id}/children/",
    "/api/people/",
    "/api/people/{id}/",
    "/api/activity-kinds/",
    "/api/activities/",
    "/api/activities/{id}/",
    "/api/plans/",
    "/api/plans/{id}/",
    "/api/plans/{id}/progress/",
    "/api/evaluations/",
    "/api/evaluations/{id}/",
    "/api/evaluations/{id}/report.pdf",
]


def page_statuses(client_for, method, url):
    return [getattr(client_for(name), method)(url).status_code for name in PERSONAS]


def test_schema_is_valid_openapi_and_lists_every_endpoint(api_for):
    response = api_for("sec_college").get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert sorted(schema["paths"]) == sorted(ENDPOINTS)
    assert set(schema["paths"]["/api/activities/{id}/"]) == {"get", "put", "patch", "delete"}
    assert set(schema["paths"]["/api/activities/"]) == {"get", "post"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_schema_needs_a_login(api_for):
    assert api_for(None).get("/api/schema/").status_code == 401


def test_docs_pages_need_a_login(client_for, personas):
    for url in ("/api/", "/api/docs/"):
        assert page_statuses(client_for, "get", url) == [302, 200, 200, 200, 200, 200]


def _script_tags(html: str) -> list[str]:
    return re.findall(r"<script[^>]*>", html)


def test_docs_page_uses_only_our_own_files_and_no_inline_script(client_for):
    response = client_for("sec_college").get("/api/docs/")
    html = response.content.decode()
    # Every script has a src on this site: the CSP (script-src 'self') would block anything else.
    tags = _script_tags(html)
    assert tags
    assert all(' src="/' in tag for tag in tags), tags
    assert not re.search(r"<script[^>]*>\s*[^<\s]", html)
    assert "http://" not in html and "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_swagger_init_script_is_served_as_a_file(client_for):
    response = client_for("sec_college").get("/api/docs/", {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()
    assert "/api/schema/" in response.content.decode()


def test_docs_assets_are_served_by_the_portal(client_for):
    html = client_for("sec_college").get("/api/docs/").content.decode()
    for src in re.findall(r'src="(/static/[^"]+)"', html):
        response = client_for("sec_college").get(src)
        assert response.status_code == 200, src


def test_the_api_page_explains_and_shows_no_token_until_one_is_made(client_for):
    body = client_for("sec_college").get("/api/").content.decode()
    assert "供其他系统使用的接口" in body
    assert "你还没有令牌" in body


def test_a_user_makes_a_token_sees_it_once_and_can_use_it(client_for, personas, college_activity):
    client = client_for("sec_college")
    assert client.get("/api/token/").status_code == 405
    response = client.post("/api/token/", follow=True)
    token = Token.objects.get(user=personas["sec_college"])
    assert token.key in response.content.decode()
    again = client.get("/api/").content.decode()
    assert token.key not in again
    assert "你已有一个令牌" in again
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/activities/").json()["count"] == 1
    events = AuditEvent.objects.filter(object_type="authtoken.token")
    assert events.count() == 1
    assert all(token.key not in f"{e.summary}{e.object_id}" for e in events)


def test_a_new_token_replaces_the_old_and_revoking_ends_it(client_for, personas):
    client = client_for("sec_college")
    client.post("/api/token/")
    first = Token.objects.get(user=personas["sec_college"]).key
    client.post("/api/token/")
    second = Token.objects.get(user=personas["sec_college"]).key
    assert first != second
    assert Token.objects.filter(user=personas["sec_college"]).count() == 1
    assert client.get("/api/token/revoke/").status_code == 405
    client.post("/api/token/revoke/")
    assert not Token.objects.filter(user=personas["sec_college"]).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get("/api/committees/").status_code == 401


def test_token_pages_need_a_login(personas):
    client = Client()
    assert client.post("/api/token/").status_code == 302
    assert not Token.objects.exists()


def test_drf_create_token_command_makes_a_token(personas, capsys):
    call_command("drf_create_token", "sec_college")
    token = Token.objects.get(user=personas["sec_college"])
    assert token.key in capsys.readouterr().out
