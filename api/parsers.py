"""The API's JSON bodies, bounded before they are parsed (guanwei.params' limits).

DRF's parser reads a body of any size and lets json.load recurse: nested 5,000 deep, that is a
RecursionError and a 500. Here a body past the size limit or nested past the depth limit is a
400 saying which, in the user's language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

from guanwei.params import API_JSON_MAX_BYTES, JSON_MAX_DEPTH, json_too_deep


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        body = stream.read(API_JSON_MAX_BYTES + 1)
        if len(body) > API_JSON_MAX_BYTES:
            limit = API_JSON_MAX_BYTES
            raise ParseError(_("The request body is too large: at most %(limit)s bytes.") % {"limit": limit})
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("The request body is not text in %(encoding)s.") % {"encoding": encoding}) from None
        if json_too_deep(text, JSON_MAX_DEPTH):
            raise ParseError(_("Brackets nest too deeply: at most %(limit)s levels.") % {"limit": JSON_MAX_DEPTH})
        try:
            return json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("The request body is not valid JSON: %(error)s") % {"error": exc}) from None
