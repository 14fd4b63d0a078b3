"""Groupings (片): committees from across the tree under a lead committee."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guanwei.forms import posted
from orgs import selectors, services
from orgs.forms import GroupingForm
from orgs.models import Grouping
from orgs.scoping import Perm, can, can_anywhere, committees_for, deny, get_in_scope


@login_required
@require_GET
def grouping_list(request: HttpRequest) -> HttpResponse:
    context = {
        "groupings": list(selectors.grouping_list_for(request.user)),
        "can_create": can_anywhere(request.user, Perm.MANAGE),
    }
    return render(request, "orgs/grouping_list.html", context)


@login_required
@require_GET
def grouping_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grouping = get_in_scope(request.user, Grouping.objects.select_related("lead"), via="lead", request=request, pk=pk)
    context = {
        "grouping": grouping,
        "members": list(selectors.grouping_members(grouping)),
        "can_manage": can(request.user, Perm.MANAGE, grouping.lead),
    }
    return render(request, "orgs/grouping_detail.html", context)


def _grouping_form_page(request: HttpRequest, grouping: Grouping | None) -> HttpResponse:
    form = GroupingForm(posted(request), leads=committees_for(request.user, Perm.MANAGE), grouping=grouping)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.grouping_save(
                name=data["name"],
                lead=data["lead"],
                members=data["member_codes"],
                notes=data["notes"],
                grouping=grouping,
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Grouping “%(name)s” was saved.") % {"name": saved.name})
            return redirect("orgs:grouping_detail", pk=saved.pk)
    find = request.GET.get("find", "").strip()[:100]
    context = {
        "form": form,
        "grouping": grouping,
        "find": find,
        "found": list(selectors.grouping_member_search(request.user, find)) if find else None,
    }
    return render(request, "orgs/grouping_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grouping_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Perm.MANAGE):
        deny(request.user, request, Grouping, "", "cannot manage any committee")
    return _grouping_form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def grouping_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grouping = get_in_scope(
        request.user, Grouping.objects.select_related("lead"), perm=Perm.MANAGE, via="lead", request=request, pk=pk
    )
    return _grouping_form_page(request, grouping)
