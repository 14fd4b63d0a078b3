"""Small helpers shared by the activity, donation and news pages."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest

from guanwei import files
from guanwei.params import page_param
from orgs import audit
from orgs.models import AuditEvent

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: Any, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(page_param(request.GET))


def filters_active(request: HttpRequest, filterset: Any) -> bool:
    """Whether any filter was filled in, so the filter box opens (on phones it starts closed)."""
    return any(request.GET.get(name) for name, field in filterset.form.fields.items() if not field.widget.is_hidden)


def record_probe(request: HttpRequest, model: Any, object_id: Any, reason: str) -> None:
    """Leave a trace of a request for something outside the user's scope."""
    audit.record(
        action=AuditEvent.Action.DENIED,
        user=request.user,
        request=request,
        object_type=model._meta.label_lower,
        object_id=str(object_id)[:40],
        summary=reason,
    )


def posted_foreign_ids(form: Any, request: HttpRequest, names: tuple[str, ...]) -> None:
    """A POST naming a committee or person outside the form's choices is a probe: audit it."""
    audit.posted_outside_scope(request, form, form._meta.model, names)


def stream_file(*candidates: Any, download_name: str) -> FileResponse:
    """Serve an uploaded file to a user already checked against its owner's scope.

    The first candidate whose file is in storage is served (a thumbnail, then the photo
    itself); when none is, the 404 page says the file is missing and the log names it.
    """
    for stored in candidates:
        if not stored:
            continue
        handle = files.open_stored(stored)
        if handle is None:
            continue
        response = files.inert_response(
            handle, stored_name=stored.name, filename=PurePath(download_name).name or "photo", inline_image=True
        )
        response["Cache-Control"] = "private, max-age=3600"
        return response
    if any(candidates):
        raise files.missing_file(PurePath(download_name).name or "photo")
    raise Http404
