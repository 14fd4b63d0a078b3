"""Content negotiation that never answers 406, and refuses an unknown `?format=` with a 400 naming it.

An Accept header the API cannot satisfy gets the first renderer (JSON), as HTTP allows: a client
asking for XML reads a JSON answer rather than an error the schema would have to list everywhere.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotAcceptable, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


class JSONFallbackNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Any, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            name = self.settings.URL_FORMAT_OVERRIDE
            chosen = request.query_params.get(name)
            offered = self.filter_renderers(renderers, chosen) if chosen else renderers
            return offered[0], offered[0].media_type

    def filter_renderers(self, renderers: list[BaseRenderer], format: str) -> list[BaseRenderer]:
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            name = self.settings.URL_FORMAT_OVERRIDE
            formats = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
            message = _("“%(name)s” must be one of: %(formats)s.") % {"name": name, "formats": formats}
            raise ValidationError({name: [message]})
        return matching
