"""Activity pages: list with filters, fast entry, detail with history, edit, delete, restore, Excel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import selectors, services
from activities.filters import ActivityListFilter
from activities.forms import ActivityForm
from activities.models import Activity, ActivityPhoto
from activities.resources import COLUMNS, REQUIRED_COLUMNS, export_rows, template_spec
from activities.views.common import filters_active, paginate, posted_foreign_ids, record_probe, stream_file
from guanwei import imports
from guanwei.forms import posted, posted_files
from guanwei.params import parse_int
from guanwei.workbooks import template_bytes
from orgs import audit
from orgs.models import AuditEvent
from orgs.scoping import Perm, can, can_anywhere, deny, get_in_scope

SESSION_LAST_ENTRY = "activities_last_entry"


def _activity(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW) -> Activity:
    return get_in_scope(request.user, selectors.activity_detail(request.user), perm=perm, request=request, pk=pk)


def _require_edit_somewhere(request: HttpRequest) -> None:
    if not can_anywhere(request.user, Perm.EDIT):
        deny(request.user, request, Activity, "", "cannot log activities anywhere")


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filterset = ActivityListFilter(request.GET or None, queryset=selectors.activity_list_order(user), user=user)
    if filterset.is_bound and not filterset.is_valid():
        if filterset.foreign_committee:
            record_probe(request, Activity, request.GET.get("committee", ""), "list filtered by a foreign committee")
        rows = filterset.queryset.none()
    else:
        rows = filterset.qs
    page = paginate(request, rows.values("pk"))
    page.object_list = selectors.activity_list_rows(page.object_list)
    saved = None
    # Only a hint (the row just saved, shown first): anything but an id is ignored, not refused.
    saved_id = parse_int(request.GET.get("saved", ""), min_value=1)
    if saved_id and page.number == 1:
        saved = selectors.activity_list_rows(selectors.activity_list_order(user).filter(pk=saved_id)).first()
    context = {
        "filterset": filterset,
        "filters_active": filters_active(request, filterset),
        "page": page,
        "saved": saved,
        "batch": filterset.form.cleaned_data.get("batch") if filterset.is_bound and filterset.is_valid() else "",
        "can_log": can_anywhere(user, Perm.EDIT),
        "can_restore": can_anywhere(user, Perm.MANAGE),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "activities/activity_list.html", context)


def _initial_for_new(request: HttpRequest) -> dict:
    """Kind, place and committee of the user's last entry: most entries repeat them."""
    initial: dict = {}
    last = selectors.last_entry_of(request.user)
    remembered = request.session.get(SESSION_LAST_ENTRY) or {}
    if last is not None:
        initial.update({"kind": last.kind_id, "place": last.place, "committee": last.committee_id})
    elif remembered:
        initial.update(remembered)
    return initial


def _refresh_initial(request: HttpRequest) -> dict:
    """What was typed, as initial values, so the form redraws for another committee without errors."""
    initial = {key: request.POST.get(key) for key in request.POST if key not in ("csrfmiddlewaretoken", "_refresh")}
    initial["participants"] = request.POST.getlist("participants")
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    _require_edit_somewhere(request)
    user = request.user
    if request.method == "POST" and "_refresh" in request.POST:
        form = ActivityForm(user=user, initial=_refresh_initial(request))
        return render(request, "activities/activity_form.html", {"form": form, "creating": True})
    form = ActivityForm(posted(request), posted_files(request), user=user, initial=_initial_for_new(request))
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = services.activity_create(
                    committee=data["committee"],
                    kind=data["kind"],
                    title=data["title"],
                    held_on=data["held_on"],
                    place=data["place"],
                    youth_reached=data["youth_reached"],
                    students_talked=data["students_talked"],
                    summary=data["summary"],
                    work_point=data.get("work_point"),
                    participants=data["participants"],
                    photos=data["photos"],
                    by=user,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session[SESSION_LAST_ENTRY] = {"kind": activity.kind_id, "place": activity.place}
                messages.success(request, _("Activity “%(title)s” was saved.") % {"title": activity.title})
                return redirect(reverse("activities:index") + f"?saved={activity.pk}")
        posted_foreign_ids(form, request, ("committee", "participants"))
    return render(request, "activities/activity_form.html", {"form": form, "creating": True})


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    context = {
        "activity": activity,
        "work_point": selectors.shown_work_point(request.user, activity),
        "participants": list(activity.participants.all()),
        "photos": list(activity.photos.all()),
        "history": selectors.activity_history(activity),
        "can_edit": can(request.user, Perm.EDIT, activity.committee),
    }
    return render(request, "activities/activity_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, Perm.EDIT)
    user = request.user
    context = {"activity": activity, "creating": False, "photos": list(activity.photos.all())}
    if request.method == "POST" and "_refresh" in request.POST:
        context["form"] = ActivityForm(user=user, instance=activity, initial=_refresh_initial(request))
        return render(request, "activities/activity_form.html", context)
    form = ActivityForm(posted(request), posted_files(request), user=user, instance=activity)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                name: data[name]
                for name in (
                    "committee",
                    "kind",
                    "held_on",
                    "title",
                    "place",
                    "youth_reached",
                    "students_talked",
                    "summary",
                )
            }
            if "work_point" in form.fields:
                fields["work_point"] = data["work_point"]
            try:
                services.activity_update(
                    activity=activity,
                    participants=data["participants"],
                    photos=data["photos"],
                    by=user,
                    request=request,
                    **fields,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("activities:detail", pk=activity.pk)
        posted_foreign_ids(form, request, ("committee", "participants"))
    context["form"] = form
    return render(request, "activities/activity_form.html", context)


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, Perm.EDIT)
    services.activity_delete(activity=activity, by=request.user, request=request)
    messages.success(
        request,
        _("Activity “%(title)s” was deleted. An administrator can restore it if this was a mistake.")
        % {"title": activity.title},
    )
    return redirect("activities:index")


@login_required
@require_GET
def deleted_list(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Perm.MANAGE):
        deny(request.user, request, Activity, "", "only administrators see deleted activities")
    page = paginate(request, selectors.deleted_activities(request.user))
    return render(request, "activities/deleted_list.html", {"page": page})


@login_required
@require_POST
def activity_restore(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_in_scope(
        request.user,
        Activity.all_objects.filter(deleted_at__isnull=False).select_related("committee"),
        perm=Perm.MANAGE,
        request=request,
        pk=pk,
    )
    services.activity_restore(activity=activity, by=request.user, request=request)
    messages.success(request, _("Activity “%(title)s” was restored.") % {"title": activity.title})
    return redirect("activities:detail", pk=activity.pk)


def _photo(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW) -> ActivityPhoto:
    return get_in_scope(
        request.user, selectors.photos_for(request.user), perm=perm, via="activity__committee", request=request, pk=pk
    )


@login_required
@require_GET
def photo_file(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _photo(request, pk)
    return stream_file(photo.image, download_name=photo.original_name)


@login_required
@require_GET
def photo_thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _photo(request, pk)
    return stream_file(photo.thumbnail, photo.image, download_name="thumbnail.jpg")


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _photo(request, pk, Perm.EDIT)
    activity_id = photo.activity_id
    services.activity_photo_delete(photo=photo, by=request.user, request=request)
    messages.success(request, _("Photo removed."))
    return redirect("activities:edit", pk=activity_id)


@login_required
@require_GET
def activity_export(request: HttpRequest) -> HttpResponse:
    user = request.user
    filterset = ActivityListFilter(request.GET or None, queryset=selectors.activity_export(user), user=user)
    if filterset.is_bound and not filterset.is_valid():
        if filterset.foreign_committee:
            record_probe(request, Activity, request.GET.get("committee", ""), "export of a foreign committee")
            raise Http404
        messages.error(request, _("Please correct the filters before exporting."))
        return redirect(reverse("activities:index") + "?" + request.GET.urlencode())
    audit.record(
        action=AuditEvent.Action.EXPORT,
        user=user,
        request=request,
        object_type="activities.activity",
        summary=request.GET.urlencode()[:300],
    )
    return imports.xlsx_response(list(COLUMNS.values()), export_rows(filterset.qs), "activities", sheet=_("Activities"))


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_edit_somewhere(request)
    return imports.template_file(template_bytes(template_spec(request.user)), "activities-template")


@login_required
@require_http_methods(["GET", "POST"])
def activity_import(request: HttpRequest) -> HttpResponse:
    _require_edit_somewhere(request)
    user = request.user

    return imports.import_view(
        request,
        importer=lambda sheet, dry_run: services.activity_import_sheet(
            sheet=sheet, by=user, dry_run=dry_run, request=request
        ),
        title=_("Import activities from Excel"),
        template_url=reverse("activities:import_template"),
        done_url=reverse("activities:index"),
        done_redirect=lambda report: reverse("activities:index") + f"?batch={report.batch}",
        required_headers=REQUIRED_COLUMNS,
        example_column=COLUMNS["title"],
        extra_context={
            "committees": selectors.editable_committees(user),
            "kinds": selectors.activity_kinds(),
            "columns": COLUMNS,
        },
        template_name="activities/activity_import.html",
    )
