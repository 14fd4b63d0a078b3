from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanwei.params import id_param, page_param
from notifications import selectors, services


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(page_param(request.GET))
    return render(
        request,
        "notifications/index.html",
        {"page": page, "email_enabled": selectors.preference_of(request.user), "has_email": bool(request.user.email)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    notification_id = id_param(request.POST, "id")
    ids = [notification_id] if notification_id else None  # no id: mark everything read
    services.mark_read(user=request.user, ids=ids)
    return redirect("notifications:index")


@login_required
@require_POST
def preference(request: HttpRequest) -> HttpResponse:
    services.set_email_preference(user=request.user, enabled=request.POST.get("email_enabled") == "on")
    messages.success(request, _("Your choice was saved."))
    return redirect("notifications:index")
