"""Suggestions for the committee and person boxes of the list filters: small JSON answers from the user's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from activities import selectors
from activities.filters import CANDIDATES_SHOWN, committee_label, person_label

MAX_TEXT = 100


def _text(request: HttpRequest) -> str:
    return request.GET.get("q", "")[:MAX_TEXT]


@login_required
@require_GET
def committee_lookup(request: HttpRequest) -> JsonResponse:
    rows = selectors.committee_suggestions(request.user, _text(request), limit=CANDIDATES_SHOWN)
    return JsonResponse({"results": [{"id": c.pk, "label": committee_label(c)} for c in rows]})


@login_required
@require_GET
def person_lookup(request: HttpRequest) -> JsonResponse:
    rows = selectors.person_suggestions(request.user, _text(request), limit=CANDIDATES_SHOWN)
    return JsonResponse({"results": [{"id": p.pk, "label": person_label(p)} for p in rows]})
