"""Deliverables: hand a file in for a milestone, download it, accept or return it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanwei.files import stored_file_response
from guanwei.forms import posted, posted_files
from orgs.scoping import deny
from plans import selectors, services
from plans.forms import DeliverableForm, DeliverableReviewForm
from plans.models import Deliverable, Programme


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_upload(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.get_milestone(request.user, pk, request=request)
    programme = milestone.programme
    committees = selectors.upload_committees(request.user, programme)
    if not committees.exists():
        deny(request.user, request, Programme, programme.pk, "cannot hand in deliverables")
    form = DeliverableForm(posted(request), posted_files(request), committees=committees)
    if request.method == "POST" and form.is_valid():
        try:
            services.deliverable_upload(
                milestone=milestone,
                committee=form.cleaned_data["committee"],
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The file was handed in."))
            return redirect("plans:programme_detail", pk=programme.pk)
    return render(
        request, "plans/deliverable_form.html", {"form": form, "milestone": milestone, "programme": programme}
    )


@login_required
@require_GET
def deliverable_download(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = selectors.get_deliverable(request.user, pk, request=request)
    return stored_file_response(deliverable.file, filename=deliverable.original_name or "deliverable")


@login_required
@require_POST
def deliverable_review(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = selectors.get_deliverable(request.user, pk, request=request)
    programme = deliverable.milestone.programme
    if not selectors.can_review_programme(request.user, programme):
        deny(request.user, request, Deliverable, pk, "may not review deliverables")
    form = DeliverableReviewForm(request.POST)
    if form.is_valid():
        try:
            services.deliverable_review(
                deliverable=deliverable,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["reviewer_note"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The decision was saved."))
    else:
        messages.error(request, _("Choose accept or return."))
    return redirect("plans:programme_detail", pk=programme.pk)
