"""Excel import and export of the committee tree and the people registry."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guanwei.imports import ImportReport, export_response, import_view, template_file
from guanwei.workbooks import template_bytes
from orgs import audit, selectors, sheets
from orgs.models import AuditEvent, Committee, CommitteeKind, MemberRole, Person, WulaoCategory
from orgs.resources import NAME_COLUMN, ChoiceLabelWidget, CommitteeResource, PersonResource
from orgs.scoping import Perm, can_anywhere, deny, forget_scope, get_in_scope


def _require_anywhere(request: HttpRequest, perm: Perm, model: type, reason: str) -> None:
    if not can_anywhere(request.user, perm):
        deny(request.user, request, model, "", reason)


def _audit_import(request: HttpRequest, object_type: str):
    def done(report: ImportReport) -> None:
        audit.record(
            action=AuditEvent.Action.IMPORT,
            request=request,
            object_type=object_type,
            summary=f"{report.count('new')} new, {report.count('update')} updated",
        )

    return done


@login_required
@require_GET
def committee_export(request: HttpRequest, pk: int) -> HttpResponse:
    committee = get_in_scope(request.user, Committee.objects.all(), via="", request=request, pk=pk)
    audit.record(action=AuditEvent.Action.EXPORT, request=request, obj=committee, summary=f"subtree of {committee}")
    resource = CommitteeResource(user=request.user, request=request)
    return export_response(
        resource,
        selectors.committee_subtree(request.user, committee),
        f"committees-{committee.code}",
        sheet=_("Committees"),
    )


@login_required
@require_GET
def committee_import_template(request: HttpRequest) -> HttpResponse:
    _require_anywhere(request, Perm.MANAGE, Committee, "cannot manage any committee")
    return template_file(template_bytes(sheets.committee_template(request.user)), "committee-template")


@login_required
@require_http_methods(["GET", "POST"])
def committee_import(request: HttpRequest) -> HttpResponse:
    _require_anywhere(request, Perm.MANAGE, Committee, "cannot manage any committee")

    def done(report: ImportReport) -> None:
        forget_scope(request.user)
        _audit_import(request, "orgs.committee")(report)

    return import_view(
        request,
        resource_factory=lambda: CommitteeResource(user=request.user, request=request),
        title=_("Import committees from Excel"),
        template_url=reverse("orgs:committee_import_template"),
        done_url=reverse("orgs:committee_tree"),
        required_headers=CommitteeResource.REQUIRED_HEADERS,
        example_column=sheets.COMMITTEE_NAME_COLUMN,
        on_done=done,
        extra_context={"kind_labels": ChoiceLabelWidget(CommitteeKind).labels()},
        template_name="orgs/import_committees.html",
    )


@login_required
@require_GET
def people_import_template(request: HttpRequest) -> HttpResponse:
    _require_anywhere(request, Perm.EDIT, Person, "cannot edit any committee's registry")
    return template_file(template_bytes(sheets.person_template(request.user)), "people-template")


@login_required
@require_http_methods(["GET", "POST"])
def people_import(request: HttpRequest) -> HttpResponse:
    _require_anywhere(request, Perm.EDIT, Person, "cannot edit any committee's registry")
    return import_view(
        request,
        resource_factory=lambda: PersonResource(user=request.user, request=request),
        title=_("Import people from Excel"),
        template_url=reverse("orgs:people_import_template"),
        done_url=reverse("orgs:people_list"),
        done_redirect=lambda report: reverse("orgs:people_list") + f"?batch={report.batch}",
        required_headers=PersonResource.REQUIRED_HEADERS,
        example_column=NAME_COLUMN,
        on_done=_audit_import(request, "orgs.person"),
        extra_context={
            "role_labels": ChoiceLabelWidget(MemberRole).labels(),
            "wulao_labels": ChoiceLabelWidget(WulaoCategory).labels(),
        },
        template_name="orgs/import_people.html",
    )
