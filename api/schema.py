"""The OpenAPI schema lists every error an operation can answer, with the one error body (api.errors).

Every operation can answer 400 (a query parameter or field refused, or a request Django cannot
read), 401 (no valid token or session) and 404 (no such record, or one outside the user's scope;
for a list, a page past the last). Writes can also answer 403 (visible but not yours to change, or
a session without its CSRF token), and those with a body 415 (a body that is not JSON or a form).
406 never happens: an Accept the API cannot satisfy gets JSON (api.negotiation).

An optional query parameter sent empty (`?status=`) counts as not sent, as on the web pages'
filter forms: the schema says so with `allowEmptyValue`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import SAFE_METHODS

ERROR = "Error"
INVALID_REQUEST = "InvalidRequest"
JSON = "application/json"


def _error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": _("What went wrong, in the user's language."),
        "properties": {"detail": {"type": "string", "description": _("What went wrong, in the user's language.")}},
        "required": ["detail"],
    }


def _invalid_request_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": _(
            "What was refused: `detail` sums it up; each query parameter or field that was refused is a key "
            "holding its reasons (`non_field_errors` for the request as a whole)."
        ),
        "properties": {"detail": {"type": "string", "description": _("Every refused value, named, with a reason.")}},
        "required": ["detail"],
        "additionalProperties": {
            "anyOf": [
                {"type": "array", "items": {}},
                {"type": "object", "description": _("Reasons by position or by key, for a list or an object.")},
            ]
        },
    }


class ApiAutoSchema(AutoSchema):
    def _component(self, name: str, schema: dict[str, Any]) -> dict[str, str]:
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=f"api.{name}")
        self.registry.register_on_missing(component)
        return component.ref

    def _error(self, description: str, name: str = ERROR, **extra: Any) -> dict[str, Any]:
        schema = _invalid_request_schema() if name == INVALID_REQUEST else _error_schema()
        return {"description": description, "content": {JSON: {"schema": self._component(name, schema)}}, **extra}

    def _error_responses(self) -> dict[str, dict[str, Any]]:
        responses = {
            "400": self._error(_("A query parameter or a field was refused; the body names it."), INVALID_REQUEST),
            "401": self._error(
                _("No valid token or session: send `Authorization: Token <key>`."),
                headers={
                    "WWW-Authenticate": {
                        "schema": {"type": "string"},
                        "description": _("The scheme to authenticate with: Token."),
                    }
                },
            ),
        }
        if self.method not in SAFE_METHODS:
            responses["403"] = self._error(
                _("You may see this but not change it (or a session request came without its CSRF token).")
            )
        not_found = []
        if "{" in self.path:
            not_found.append(_("No such record, or one outside what you may see: the two look alike."))
        if self._is_list_view() and self._get_paginator():
            not_found.append(_("No such page of the list: past the last one."))
        if not_found:
            responses["404"] = self._error(" ".join(not_found))
        if self.method in ("POST", "PUT", "PATCH"):
            responses["415"] = self._error(_("The body is neither JSON nor a form."))
        return responses

    def _get_parameters(self) -> list[dict[str, Any]]:
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, response in self._error_responses().items():
            responses.setdefault(code, response)
        return responses
