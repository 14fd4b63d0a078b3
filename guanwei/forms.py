"""Binding forms to a request: a POST binds the form even when every field was left empty."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, else None (an unbound form).

    `request.POST or None` would leave a form whose fields were all emptied unbound:
    the page came back without saying what is missing. Bound, it shows each error.
    """
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> MultiValueDict | None:
    return request.FILES if request.method == "POST" else None
