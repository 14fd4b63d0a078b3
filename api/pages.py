"""The API's human pages: what the API offers, the user's token, and the interactive docs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularSwaggerSplitView

from api import selectors, services
from api.errors import require_GET, require_POST

SESSION_NEW_TOKEN = "api_new_token"  # noqa: S105 - a session key name, not a secret


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "token": selectors.token_of(request.user),
        # Shown once, right after it was made.
        "new_key": request.session.pop(SESSION_NEW_TOKEN, None),
    }
    return render(request, "api/index.html", context)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    token = services.token_create(user=request.user, request=request)
    request.session[SESSION_NEW_TOKEN] = token.key
    messages.success(request, _("A new API token was made. Any older token no longer works."))
    return redirect("api:index")


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    if services.token_revoke(user=request.user, request=request):
        messages.success(request, _("Your API token was revoked."))
    return redirect("api:index")


# Swagger UI with its init script served as a file (the CSP allows no inline script). Redoc is not
# offered: its bundle always loads a logo from the internet and starts a blob: worker.
swagger_ui = login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema"))
