"""API errors: always JSON, always the same body, in the user's language.

Every error under /api/ is `application/json` with a `detail` saying what went wrong. A 400
also carries each query parameter or body field that was refused, named as the client sent it,
with its reasons (`{"detail": "“page_size”：…", "page_size": ["…"]}`). A rule a service enforces
(a Django ValidationError) or a malformed number (guanwei.params.BadNumber) is a 400, never a 500.

DRF's views answer through `exception_handler`. What never reaches a DRF view (an address that
matches no route, such as /api/activities/abc/, a server error, a 400 from Django itself) answers
through the handlers below, registered in the root URLconf: JSON under /api/, the site's HTML
pages everywhere else.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from guanwei import errors as site_errors
from guanwei.params import BadNumber


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
    elif isinstance(exc, BadNumber):  # a query parameter read by guanwei.params
        exc = ValidationError({exc.name: [str(exc.message)]})
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's handler500 (server_error below) answers
    response.data = error_body(response.data)
    request = context.get("request")
    if isinstance(request, Request):
        # Errors in JSON whatever renderer was chosen (the browsable API's HTML, the PDF of a report).
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response


def error_body(data: Any) -> dict[str, Any]:
    """DRF's error data in the API's one shape: `detail`, plus the refused fields for a 400."""
    if isinstance(data, list):  # ValidationError("…") raised with a bare message
        return {"detail": " ".join(_first_message(item) for item in data)}
    if not isinstance(data, dict):
        return {"detail": str(data)}
    if "detail" in data:
        return {**data, "detail": _first_message(data["detail"])}
    return {"detail": _summary(data), **data}


def _summary(errors: Mapping[str, Any]) -> str:
    parts = []
    for name, reasons in errors.items():
        message = _first_message(reasons)
        if name == api_settings.NON_FIELD_ERRORS_KEY or f"“{name}”" in message:
            parts.append(message)
        else:
            parts.append(_("“%(name)s”: %(message)s") % {"name": name, "message": message})
    return " ".join(parts) or _("The request is not valid.")


def _first_message(reasons: Any) -> str:
    """The first message in a field's errors (a list, or a dict for nested and listed values)."""
    if isinstance(reasons, dict):
        reasons = list(reasons.values())
    if isinstance(reasons, list):
        for reason in reasons:
            message = _first_message(reason)
            if message:
                return message
        return ""
    return str(reasons)


# ---------------------------------------------------------------------------------------------
# Answers from outside DRF's views


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(reverse("api:index"))


def json_error(status: int, detail: str, **fields: list[str]) -> HttpResponse:
    body = JSONRenderer().render({"detail": detail, **fields})
    return HttpResponse(body, status=status, content_type=JSONRenderer.media_type)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_api_request(request):
        return site_errors.bad_request(request, exception)
    if isinstance(exception, BadNumber):
        message = str(exception.message)
        return json_error(400, _summary({exception.name: [message]}), **{exception.name: [message]})
    return json_error(400, _("The request could not be read."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_api_request(request):
        return site_errors.permission_denied(request, exception)
    return json_error(403, _("You are not allowed to do this."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_api_request(request):
        return site_errors.page_not_found(request, exception)
    return json_error(
        404,
        _("There is no such address in the API. Ids are whole numbers; every operation is listed at %(docs)s.")
        % {"docs": reverse("api:docs")},
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if not is_api_request(request):
        return site_errors.server_error(request)
    message = _(
        "Something went wrong on the server. Please try again later; if it keeps happening, tell the administrator."
    )
    return json_error(500, message)


def require_methods(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Like Django's require_http_methods, with the 405 in JSON (the API's own pages)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = json_error(405, str(MethodNotAllowed(request.method).detail))
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


require_GET = require_methods("GET", "HEAD")
require_POST = require_methods("POST")
