"""Pages of the committee tree: browse, detail, create, edit, move. Lookups go through orgs.scoping."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guanwei.forms import posted
from guanwei.params import id_param
from orgs import selectors, services, tree
from orgs.forms import CommitteeForm, CommitteeMoveForm
from orgs.models import Committee
from orgs.scoping import Perm, can, can_anywhere, committees_for, deny, get_in_scope, is_system_admin, scope_roots


def _committee(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW, queryset: QuerySet | None = None) -> Committee:
    queryset = Committee.objects.all() if queryset is None else queryset
    return get_in_scope(request.user, queryset, perm=perm, via="", request=request, pk=pk)


@login_required
@require_GET
def committee_tree(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = list(selectors.committee_search(request.user, query)) if query else None
    roots = list(scope_roots(request.user).annotate(descendant_count=tree.descendant_count()).order_by("path"))
    context = {
        "roots": roots,
        "query": query,
        "results": results,
        "can_import": can_anywhere(request.user, Perm.MANAGE),
    }
    return render(request, "orgs/committee_tree.html", context)


@login_required
@require_GET
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk, queryset=Committee.objects.annotate(descendant_count=tree.descendant_count()))
    members = list(selectors.committee_members_for(request.user, committee))
    for membership in members:
        # A member may come from a committee the viewer cannot open; then no link.
        membership.person_visible = can(request.user, Perm.VIEW, membership.person.committee)
    context = {
        "committee": committee,
        "breadcrumbs": selectors.committee_breadcrumbs(request.user, committee),
        "children": list(selectors.committee_children(request.user, committee)),
        "members": members,
        "member_units": list(selectors.member_units_for(request.user).filter(committee=committee)),
        "groupings": list(selectors.groupings_led_by(request.user, committee)),
        "people_count": committee.people.count(),
        "wulao_count": committee.people.exclude(wulao_category="").count(),
        "descendant_count": committee.descendant_count,
        "can_edit": can(request.user, Perm.EDIT, committee),
        "can_manage": can(request.user, Perm.MANAGE, committee),
    }
    return render(request, "orgs/committee_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def committee_create(request: HttpRequest) -> HttpResponse:
    parent_id = id_param(request.GET, "parent") or id_param(request.POST, "parent")
    parent = None
    if parent_id:
        parent = _committee(request, parent_id, Perm.MANAGE)
    elif not is_system_admin(request.user):
        deny(request.user, request, Committee, "", "only the system administrator creates top-level committees")
    form = CommitteeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_create(parent=parent, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Committee “%(name)s” was created.") % {"name": committee.name})
            return redirect("orgs:committee_detail", pk=committee.pk)
    return render(request, "orgs/committee_form.html", {"form": form, "parent": parent, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk, Perm.EDIT)
    can_rename = can(request.user, Perm.MANAGE, committee)
    form = CommitteeForm(posted(request), instance=committee, can_rename=can_rename)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_update(committee=committee, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("orgs:committee_detail", pk=committee.pk)
    return render(request, "orgs/committee_form.html", {"form": form, "committee": committee, "creating": False})


@login_required
@require_http_methods(["GET", "POST"])
def committee_move(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk, Perm.MANAGE)
    form = CommitteeMoveForm(
        posted(request),
        committee=committee,
        targets=committees_for(request.user, Perm.MANAGE),
        initial={"new_parent": committee.parent_id},
    )
    if request.method == "POST" and form.is_valid():
        services.committee_move(
            committee=committee, new_parent=form.cleaned_data["new_parent"], by=request.user, request=request
        )
        messages.success(request, _("Committee moved."))
        return redirect("orgs:committee_detail", pk=committee.pk)
    return render(request, "orgs/committee_move.html", {"form": form, "committee": committee})
