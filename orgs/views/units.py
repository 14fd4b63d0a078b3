"""Member units (委员单位) of a committee: create, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanwei.confirm import confirm_page
from guanwei.forms import posted
from orgs import services
from orgs.forms import MemberUnitForm
from orgs.models import Committee, MemberUnit
from orgs.scoping import Perm, get_in_scope


def _unit(request: HttpRequest, pk: int) -> MemberUnit:
    return get_in_scope(
        request.user, MemberUnit.objects.select_related("committee"), perm=Perm.EDIT, request=request, pk=pk
    )


def _save(request: HttpRequest, form: MemberUnitForm, committee: Committee, unit: MemberUnit | None) -> bool:
    try:
        services.member_unit_save(committee=committee, unit=unit, by=request.user, request=request, **form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "__all__" in exc.error_dict:
            # The only table-wide rule is one name per committee; say it plainly.
            form.add_error("name", _("This committee already has a member unit with this name."))
        else:
            form.add_error(None, exc)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = get_in_scope(request.user, Committee.objects.all(), perm=Perm.EDIT, via="", request=request, pk=pk)
    form = MemberUnitForm(posted(request))
    if request.method == "POST" and form.is_valid() and _save(request, form, committee, None):
        messages.success(request, _("Member unit added."))
        return redirect("orgs:committee_detail", pk=committee.pk)
    return render(request, "orgs/unit_form.html", {"form": form, "committee": committee, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    form = MemberUnitForm(posted(request), instance=unit)
    if request.method == "POST" and form.is_valid() and _save(request, form, unit.committee, unit):
        messages.success(request, _("Changes saved."))
        return redirect("orgs:committee_detail", pk=unit.committee_id)
    return render(request, "orgs/unit_form.html", {"form": form, "committee": unit.committee, "unit": unit})


@login_required
@require_GET
def unit_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    committee_url = reverse("orgs:committee_detail", args=[unit.committee_id])
    return confirm_page(
        request,
        title=_("Delete member unit"),
        question=_("Delete the member unit “%(name)s” of %(committee)s?")
        % {"name": unit.name, "committee": unit.committee.name},
        action_url=reverse("orgs:unit_delete", args=[unit.pk]),
        cancel_url=committee_url,
        button=_("Yes, delete it"),
        consequences=[
            _("Work points owned by this unit are left without an owner unit."),
            _("This cannot be undone."),
        ],
        crumbs=[(_("Committees"), reverse("orgs:committee_tree")), (unit.committee.display_name, committee_url)],
    )


@login_required
@require_POST
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    committee_id = unit.committee_id
    services.member_unit_delete(unit=unit, by=request.user, request=request)
    messages.success(request, _("Member unit deleted."))
    return redirect("orgs:committee_detail", pk=committee_id)
