"""People of the registry: list and 五老 registry, detail, create, edit, roles."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanwei.confirm import confirm_page
from guanwei.forms import posted
from guanwei.imports import export_response
from guanwei.params import id_param, page_param
from orgs import audit, selectors, services
from orgs.filters import ANY_WULAO, PersonFilter
from orgs.forms import MembershipForm, PersonForm
from orgs.models import AuditEvent, Committee, Membership, Person, WulaoCategory
from orgs.resources import PersonResource
from orgs.scoping import Perm, can, can_anywhere, committees_for, deny, get_in_scope

PAGE_SIZE = 25


def _committee(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW) -> Committee:
    return get_in_scope(request.user, Committee.objects.all(), perm=perm, via="", request=request, pk=pk)


def _person(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW) -> Person:
    return get_in_scope(request.user, Person.objects.select_related("committee"), perm=perm, request=request, pk=pk)


def _filtered_people(request: HttpRequest, *, wulao_only: bool = False) -> tuple[PersonFilter, Committee | None]:
    """The filter bound to the query string; a committee outside the user's scope is a 404."""
    data = request.GET.copy()
    committee_id = id_param(data, "committee")
    committee = _committee(request, committee_id) if committee_id else None
    if wulao_only and not data.get("wulao_category"):
        data["wulao_category"] = ANY_WULAO
    people = PersonFilter(data, queryset=selectors.people_list_for(request.user), request=request)
    return people, committee


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _export_query(people: PersonFilter) -> str:
    params = people.data.copy()
    params.pop("page", None)
    return params.urlencode()


def _people_page(request: HttpRequest, *, wulao_only: bool) -> HttpResponse:
    people, committee = _filtered_people(request, wulao_only=wulao_only)
    page = Paginator(people.qs, PAGE_SIZE).get_page(page_param(request.GET))
    context: dict[str, Any] = {
        "filter": people,
        "page": page,
        "people": list(page.object_list),
        "committee": committee,
        "query_string": _query_string(request),
        "export_query": _export_query(people),
        "wulao_only": wulao_only,
        "batch": request.GET.get("batch", "") if people.is_valid() else "",
        "today": timezone.localdate(),
        "can_add": can(request.user, Perm.EDIT, committee) if committee else can_anywhere(request.user, Perm.EDIT),
    }
    if wulao_only:
        counts = selectors.wulao_counts(people.qs)
        context["category_counts"] = [(value, label, counts.get(value, 0)) for value, label in WulaoCategory.choices]
        context["wulao_total"] = sum(counts.values())
    return render(request, "orgs/people_list.html", context)


@login_required
@require_GET
def people_list(request: HttpRequest) -> HttpResponse:
    return _people_page(request, wulao_only=False)


@login_required
@require_GET
def wulao_registry(request: HttpRequest) -> HttpResponse:
    return _people_page(request, wulao_only=True)


@login_required
@require_GET
def people_export(request: HttpRequest) -> HttpResponse:
    people, committee = _filtered_people(request)
    audit.record(
        action=AuditEvent.Action.EXPORT,
        request=request,
        object_type="orgs.person",
        object_id=str(committee.pk) if committee else "",
        summary=f"people list: {_query_string(request)}"[:300],
    )
    return export_response(PersonResource(user=request.user, request=request), people.qs, "people", sheet=_("People"))


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    memberships = list(selectors.person_memberships(request.user, person))
    for membership in memberships:
        membership.can_remove = can(request.user, Perm.EDIT, membership.committee)
    context = {
        "person": person,
        "memberships": memberships,
        "breadcrumbs": selectors.committee_breadcrumbs(request.user, person.committee),
        "can_edit": can(request.user, Perm.EDIT, person.committee),
        "today": timezone.localdate(),
    }
    return render(request, "orgs/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    committee = None
    committee_id = id_param(request.GET, "committee")
    if committee_id:
        committee = _committee(request, committee_id, Perm.EDIT)
    elif not can_anywhere(request.user, Perm.EDIT):
        deny(request.user, request, Person, "", "cannot edit any committee's registry")
    form = PersonForm(
        posted(request),
        committees=committees_for(request.user, Perm.EDIT),
        initial={"committee": committee.pk if committee else None},
    )
    if request.method == "POST" and not form.is_valid():
        _audit_refused_committee(request, form)
    elif request.method == "POST":
        data = dict(form.cleaned_data)
        try:
            person = services.person_create(committee=data.pop("committee"), by=request.user, request=request, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return redirect("orgs:person_detail", pk=person.pk)
    return render(request, "orgs/person_form.html", {"form": form, "committee": committee, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, Perm.EDIT)
    form = PersonForm(posted(request), instance=person, committees=committees_for(request.user, Perm.EDIT))
    if request.method == "POST" and not form.is_valid():
        _audit_refused_committee(request, form)
    elif request.method == "POST":
        data = dict(form.cleaned_data)
        try:
            services.person_edit(
                person=person, committee=data.pop("committee"), by=request.user, request=request, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("orgs:person_detail", pk=person.pk)
    return render(request, "orgs/person_form.html", {"form": form, "person": person, "creating": False})


@login_required
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, Perm.EDIT)
    form = MembershipForm(
        posted(request),
        person=person,
        user=request.user,
        committees=committees_for(request.user, Perm.EDIT),
        initial={"committee": person.committee_id},
    )
    if request.method == "POST" and not form.is_valid():
        _audit_refused_committee(request, form)
    elif request.method == "POST":
        try:
            membership = services.membership_add(person=person, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s of %(committee)s.")
                % {"name": person.name, "role": membership.get_role_display(), "committee": membership.committee},
            )
            return redirect("orgs:person_detail", pk=person.pk)
    return render(request, "orgs/membership_form.html", {"form": form, "person": person})


def _audit_refused_committee(request: HttpRequest, form: Any) -> None:
    """A committee outside the user's scope was posted: refuse as a form error, and leave a trace."""
    if "committee" in form.errors:
        audit.record(
            action=AuditEvent.Action.DENIED,
            request=request,
            object_type="orgs.committee",
            object_id=str(request.POST.get("committee", ""))[:40],
            summary="committee outside the user's edit scope posted in a form",
        )


def _membership(request: HttpRequest, pk: int) -> Membership:
    return get_in_scope(
        request.user,
        Membership.objects.select_related("person__committee", "committee"),
        perm=Perm.EDIT,
        request=request,
        pk=pk,
    )


@login_required
@require_GET
def membership_remove_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    person_url = reverse("orgs:person_detail", args=[membership.person_id])
    return confirm_page(
        request,
        title=_("Remove a role"),
        question=_("%(name)s will no longer be %(role)s of %(committee)s.")
        % {
            "name": membership.person.name,
            "role": membership.get_role_display(),
            "committee": membership.committee.name,
        },
        action_url=reverse("orgs:membership_remove", args=[membership.pk]),
        cancel_url=person_url,
        button=_("Yes, remove the role"),
        consequences=[_("The person stays in the registry; the role can be added again later.")],
        crumbs=[(_("People"), reverse("orgs:people_list")), (membership.person.name, person_url)],
    )


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    person = membership.person
    services.membership_remove(membership=membership, by=request.user, request=request)
    messages.success(request, _("The role was removed."))
    if can(request.user, Perm.VIEW, person.committee):
        return redirect("orgs:person_detail", pk=person.pk)
    return redirect("orgs:committee_detail", pk=membership.committee_id)
