"""Activity pages: list with filters, fast entry, detail with history, edit, delete, restore, Excel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import pending_photos, selectors, services
from activities.filters import ActivityListFilter
from activities.forms import ActivityForm
from activities.models import Activity, ActivityPhoto
from activities.resources import COLUMNS, REQUIRED_COLUMNS, export_rows, template_spec
from activities.views.common import filters_active, paginate, posted_foreign_ids, record_probe, stream_file
from guanwei import files, imports
from guanwei.confirm import Fact, confirm_page
from guanwei.forms import posted, posted_files
from guanwei.params import parse_int
from guanwei.workbooks import template_bytes
from orgs import audit
from orgs.models import AuditEvent
from orgs.scoping import Perm, can, can_anywhere, deny, get_in_scope


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


SAME_AS_LAST = "same_as_last"


def _last_entry_offer(request: HttpRequest) -> tuple[dict, dict]:
    """(initial, context): the user's last activity is offered as "沿用上次的类型和地点", applied only when asked."""
    if request.method != "GET":
        return {}, {}
    last = selectors.last_entry_of(request.user)
    if last is None:
        return {}, {}
    applied = request.GET.get(SAME_AS_LAST) == "1"
    initial = {"kind": last.kind_id, "place": last.place, "committee": last.committee_id} if applied else {}
    return initial, {"last_entry": last, "last_entry_applied": applied}


def _refresh_initial(request: HttpRequest) -> dict:
    """What was typed, as initial values, so the form redraws for another committee without errors."""
    skipped = ("csrfmiddlewaretoken", "_refresh", pending_photos.OFFERED_FIELD, pending_photos.KEPT_FIELD)
    initial = {key: request.POST.get(key) for key in request.POST if key not in skipped}
    initial["participants"] = request.POST.getlist("participants")
    return initial


def _photos_chosen_now(request: HttpRequest) -> list:
    """The photos of this POST that pass the photo checks (for a redraw that does not validate the form)."""
    if request.method != "POST" or not request.FILES.getlist("photos"):
        return []
    try:
        return ActivityForm.base_fields["photos"].clean(request.FILES.getlist("photos"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return []


def _keep_photos(request: HttpRequest, form: ActivityForm | None, kept: list) -> list:
    """After an unsuccessful try: the photos already kept, plus those just chosen (checked, re-encoded)."""
    if form is None:
        chosen = _photos_chosen_now(request)
    else:
        chosen = [] if "photos" in form.errors else list(form.cleaned_data.get("photos") or [])
    if chosen:
        kept = kept + pending_photos.stash(request, chosen)
    return kept


def _save_with_photos(request: HttpRequest, form: ActivityForm, kept: list, save):
    """Run `save(photos)` with the photos chosen now and those kept from before; the kept ones go once saved."""
    opened = pending_photos.open_files(kept)
    try:
        result = save(list(form.cleaned_data["photos"]) + opened)
    finally:
        for f in opened:
            f.close()
    pending_photos.discard(request, [p.token for p in kept])
    return result


def _form_page(request: HttpRequest, context: dict, kept: list) -> HttpResponse:
    context["pending_photos"] = kept
    context["pending_offered_field"] = pending_photos.OFFERED_FIELD
    context["pending_kept_field"] = pending_photos.KEPT_FIELD
    return render(request, "activities/activity_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    _require_edit_somewhere(request)
    user = request.user
    kept = pending_photos.from_post(request)
    if request.method == "POST" and "_refresh" in request.POST:
        form = ActivityForm(user=user, initial=_refresh_initial(request))
        return _form_page(request, {"form": form, "creating": True}, _keep_photos(request, None, kept))
    initial, offer = _last_entry_offer(request)
    form = ActivityForm(posted(request), posted_files(request), user=user, initial=initial, pending_photos=len(kept))
    context = {"form": form, "creating": True, **offer}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = _save_with_photos(
                    request,
                    form,
                    kept,
                    lambda photos: services.activity_create(
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
                        photos=photos,
                        by=user,
                        request=request,
                    ),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Activity “%(title)s” was saved.") % {"title": activity.title})
                return redirect(reverse("activities:index") + f"?saved={activity.pk}")
        posted_foreign_ids(form, request, ("committee", "participants"))
        kept = _keep_photos(request, form, kept)
    return _form_page(request, context, kept)


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
    kept = pending_photos.from_post(request)
    if request.method == "POST" and "_refresh" in request.POST:
        context["form"] = ActivityForm(user=user, instance=activity, initial=_refresh_initial(request))
        return _form_page(request, context, _keep_photos(request, None, kept))
    form = ActivityForm(posted(request), posted_files(request), user=user, instance=activity, pending_photos=len(kept))
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
                _save_with_photos(
                    request,
                    form,
                    kept,
                    lambda photos: services.activity_update(
                        activity=activity,
                        participants=data["participants"],
                        photos=photos,
                        by=user,
                        request=request,
                        **fields,
                    ),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("activities:detail", pk=activity.pk)
        posted_foreign_ids(form, request, ("committee", "participants"))
        kept = _keep_photos(request, form, kept)
    context["form"] = form
    return _form_page(request, context, kept)


@login_required
@require_GET
def activity_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, Perm.EDIT)
    detail_url = reverse("activities:detail", args=[activity.pk])
    return confirm_page(
        request,
        title=_("Delete this activity"),
        question=_("Delete the activity “%(title)s” of %(date)s?")
        % {"title": activity.title, "date": activity.held_on.isoformat()},
        action_url=reverse("activities:delete", args=[activity.pk]),
        cancel_url=detail_url,
        button=_("Yes, delete the activity"),
        facts=[
            Fact(_("Committee"), activity.committee.name),
            Fact(_("Kind of activity"), activity.kind.name),
            Fact(_("Young people reached"), activity.youth_reached),
        ],
        consequences=[
            _("It disappears from the activity list, the dashboards and every count of targets and assessments."),
            _("Only a system administrator can restore it."),
        ],
        crumbs=[(_("Activities"), reverse("activities:index")), (activity.title, detail_url)],
    )


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
@require_GET
def photo_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _photo(request, pk, Perm.EDIT)
    edit_url = reverse("activities:edit", args=[photo.activity_id])
    return confirm_page(
        request,
        title=_("Remove a photo"),
        question=_("Remove this photo from “%(title)s”?") % {"title": photo.activity.title},
        action_url=reverse("activities:photo_delete", args=[photo.pk]),
        cancel_url=edit_url,
        button=_("Yes, remove the photo"),
        image_url=reverse("activities:photo_thumbnail", args=[photo.pk]),
        image_alt=photo.original_name,
        consequences=[_("The photo is deleted from the server; to bring it back, upload it again.")],
        crumbs=[(_("Activities"), reverse("activities:index")), (photo.activity.title, edit_url)],
    )


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
def pending_photo_thumbnail(request: HttpRequest, token: str) -> HttpResponse:
    """The thumbnail of a photo the user chose on a form not saved yet: theirs only, by its token."""
    photo = pending_photos.get(request, token)
    if photo is None:
        record_probe(request, ActivityPhoto, token[:40], "pending photo not of this user")
        raise Http404
    try:
        handle = default_storage.open(photo.thumb, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = files.inert_response(handle, stored_name=photo.thumb, filename="thumbnail.jpg", inline_image=True)
    response["Cache-Control"] = "private, no-store"
    return response


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
