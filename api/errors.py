"""API errors: a rule a service enforces (a Django ValidationError) or a malformed number is a 400, never a 500."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from guanwei.params import BadNumber


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
    elif isinstance(exc, BadNumber):  # a query parameter read by guanwei.params
        exc = ValidationError({exc.name: [str(exc.message)]})
    return drf_exception_handler(exc, context)
