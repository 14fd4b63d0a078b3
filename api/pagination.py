"""Page-numbered lists: `?page=2&page_size=100` (at most 200 rows a page).

A page or page size that is not a whole number in range is a 400 naming the parameter, never
silently replaced by the default; a page past the last is a 404 saying how many pages there are.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from guanwei.params import INT_MAX, parse_int


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()  # a page is a number; "last" is not offered
    page_query_description = gettext_lazy("A page number, from 1.")
    page_size_query_description = gettext_lazy("Rows a page, from 1 to %(max)s (%(default)s when not given).")

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        size = parse_int(raw, min_value=1, max_value=self.max_page_size)
        if size is None:
            message = _("“%(name)s” must be a whole number from 1 to %(max)s.") % {
                "name": self.page_size_query_param,
                "max": self.max_page_size,
            }
            raise ValidationError({self.page_size_query_param: [message]})
        return size

    def get_page_number(self, request: Request, paginator: Paginator) -> int:
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw == "":
            return 1
        number = parse_int(raw, min_value=1, max_value=INT_MAX)
        if number is None:
            message = _("“%(name)s” must be a page number: a whole number from 1.") % {"name": self.page_query_param}
            raise ValidationError({self.page_query_param: [message]})
        if number > paginator.num_pages:
            raise NotFound(
                _("There is no page %(page)s: the results fill %(pages)s page(s).")
                % {"page": number, "pages": paginator.num_pages}
            )
        return number

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        page, size = super().get_schema_operation_parameters(view)
        page["schema"] = {"type": "integer", "minimum": 1, "maximum": INT_MAX}
        size["description"] = str(self.page_size_query_description) % {
            "max": self.max_page_size,
            "default": self.page_size,
        }
        size["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size, "default": self.page_size}
        return [page, size]
