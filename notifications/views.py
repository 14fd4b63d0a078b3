from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from notifications import selectors, services


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/index.html",
        {"page": page, "email_enabled": selectors.preference_of(request.user), "has_email": bool(request.user.email)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() else None  # no id: mark everything read
    services.mark_read(user=request.user, ids=ids)
    return redirect("notifications:index")


@login_required
@require_POST
def preference(request: HttpRequest) -> HttpResponse:
    services.set_email_preference(user=request.user, enabled=request.POST.get("email_enabled") == "on")
    messages.success(request, _("Your choice was saved."))
    return redirect("notifications:index")
