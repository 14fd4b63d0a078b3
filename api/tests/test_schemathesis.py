"""Generated requests from the OpenAPI schema: whatever a client sends, the API never answers with a 500.

Schemathesis builds requests (including hostile strings and numbers) for every
operation the schema lists and sends them straight to the WSGI application in
this process: no network, a bounded number of examples per operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, keeping the test's database connection open (as Django's test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def operations(api_for, college_activity, sibling_activity, uni_plan, evaluations):
    schema = schemathesis.openapi.from_dict(api_for("sec_college").get("/api/schema/", {"format": "json"}).json())
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("persona", ["sec_college", "leader"])
def test_generated_requests_never_cause_a_server_error(operations, wsgi_app, personas, persona):
    app = wsgi_app
    token = Token.objects.create(user=personas[persona])
    headers = {"Authorization": f"Token {token.key}"}
    tried = []
    for operation in operations:
        if operation.path.endswith("report.pdf"):
            continue  # rendering PDFs is covered by its own test; here it would only make the run slow

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case) -> None:
            response = case.call(app=app, headers=headers)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        check()
        tried.append(f"{operation.method.upper()} {operation.path}")
    assert "POST /api/activities/" in tried
    assert len(tried) >= 12
