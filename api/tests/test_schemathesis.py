"""Generated requests from the OpenAPI schema: the API keeps the contract its schema states.

Schemathesis builds requests for every operation the schema lists and sends them straight to
the WSGI application in this process (no network), as three personas: a college's secretary
(who may write), the university's leader (who reads the whole university) and a provincial
reviewer (who sees only the evaluation assigned to them). Two kinds of request:

- valid ones (values the schema allows, including hostile strings and huge numbers): never a
  500, only status codes and content types the schema lists, bodies that match its schemas;
- invalid ones (a value the schema forbids: `page_size=0`, a word for an id, a string where a
  number goes): refused with a 4xx, never silently taken, and again only documented answers.

A bounded number of examples per operation keeps the file well under two minutes on two cores.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 6}
CONTRACT = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CHECKS = {GenerationMode.POSITIVE: CONTRACT, GenerationMode.NEGATIVE: [*CONTRACT, negative_data_rejection]}


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
def schema(api_for, college_activity, sibling_activity, uni_plan, evaluations):
    return schemathesis.openapi.from_dict(api_for("sec_college").get("/api/schema/", {"format": "json"}).json())


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("persona", ["sec_college", "leader", "reviewer"])
def test_generated_requests_get_only_documented_answers(schema, wsgi_app, personas, persona, mode):
    token = Token.objects.create(user=personas[persona])
    headers = {"Authorization": f"Token {token.key}"}
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if mode.is_negative and not (len(operation.query) or len(operation.path_parameters) or len(operation.body)):
            continue  # nothing the client sends can break the schema (the list of activity kinds)

        @settings(
            max_examples=EXAMPLES_PER_OPERATION[mode],
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case) -> None:
            response = case.call(app=wsgi_app, headers=headers)
            case.validate_response(response, checks=CHECKS[mode])

        check()
        tried.append(f"{operation.method.upper()} {operation.path}")
    assert "POST /api/activities/" in tried
    assert "GET /api/evaluations/{id}/report.pdf" in tried
    assert len(tried) >= (18 if mode.is_positive else 17)  # every operation (negative: all with an input)
