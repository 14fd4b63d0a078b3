"""Donations to the 助学基金 and news reports (信息报道): list, create, edit, delete, export."""

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
from activities.filters import DonationFilter, NewsFilter
from activities.forms import DonationForm, NewsReportForm
from activities.models import Donation, NewsPhoto, NewsReport
from activities.views.common import filters_active, paginate, posted_foreign_ids, record_probe, stream_file
from guanwei import imports
from guanwei.confirm import Fact, confirm_page
from guanwei.forms import posted, posted_files
from orgs import audit
from orgs.models import AuditEvent
from orgs.scoping import Perm, can, can_anywhere, deny, get_in_scope


def _filtered(request: HttpRequest, filterset_class: type, queryset, model: type, *, export: bool = False):
    filterset = filterset_class(request.GET or None, queryset=queryset, user=request.user)
    if filterset.is_bound and not filterset.is_valid():
        if filterset.foreign_committee:
            record_probe(request, model, request.GET.get("committee", ""), "filtered by a foreign committee")
            if export:
                raise Http404
        return filterset, queryset.none()
    return filterset, filterset.qs


def _list_page(request: HttpRequest, filterset_class: type, queryset, model: type, template: str) -> HttpResponse:
    """A filtered, paginated list of donations or news reports."""
    filterset, rows = _filtered(request, filterset_class, queryset, model)
    context = {
        "filterset": filterset,
        "filters_active": filters_active(request, filterset),
        "page": paginate(request, rows),
        "can_log": can_anywhere(request.user, Perm.EDIT),
        "export_query": request.GET.urlencode(),
    }
    return render(request, f"activities/{template}.html", context)


def _export_audit(request: HttpRequest, object_type: str) -> None:
    audit.record(
        action=AuditEvent.Action.EXPORT,
        user=request.user,
        request=request,
        object_type=object_type,
        summary=request.GET.urlencode()[:300],
    )


# Donations


@login_required
@require_GET
def donation_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, DonationFilter, selectors.donation_list(request.user), Donation, "donation_list")


def _donation_form_page(request: HttpRequest, donation: Donation | None) -> HttpResponse:
    form = DonationForm(posted(request), user=request.user, instance=donation)
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.donation_save(donation=donation, by=request.user, request=request, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Donation from %(donor)s was saved.") % {"donor": saved.donor_name})
                return redirect("activities:donation_list")
        posted_foreign_ids(form, request, ("committee", "donor_person"))
    return render(request, "activities/donation_form.html", {"form": form, "donation": donation})


@login_required
@require_http_methods(["GET", "POST"])
def donation_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Perm.EDIT):
        deny(request.user, request, Donation, "", "cannot record donations anywhere")
    return _donation_form_page(request, None)


def _donation(request: HttpRequest, pk: int, perm: Perm) -> Donation:
    return get_in_scope(request.user, selectors.donation_list(request.user), perm=perm, request=request, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def donation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _donation_form_page(request, _donation(request, pk, Perm.EDIT))


@login_required
@require_GET
def donation_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    donation = _donation(request, pk, Perm.EDIT)
    edit_url = reverse("activities:donation_edit", args=[donation.pk])
    return confirm_page(
        request,
        title=_("Delete this donation"),
        question=_("Delete the donation of %(amount)s yuan from %(donor)s on %(date)s?")
        % {"amount": donation.amount, "donor": donation.donor_name, "date": donation.donated_on.isoformat()},
        action_url=reverse("activities:donation_delete", args=[donation.pk]),
        cancel_url=edit_url,
        button=_("Yes, delete the donation"),
        facts=[Fact(_("Committee"), donation.committee.name), Fact(_("Purpose"), donation.purpose or "—")],
        consequences=[
            _("It disappears from the donation list and from the sums of the 助学基金."),
            _("Only a system administrator can recover it, from its history."),
        ],
        crumbs=[(_("Donations"), reverse("activities:donation_list")), (donation.donor_name, edit_url)],
    )


@login_required
@require_POST
def donation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    donation = _donation(request, pk, Perm.EDIT)
    services.donation_delete(donation=donation, by=request.user, request=request)
    messages.success(request, _("Donation deleted. An administrator can recover it from its history."))
    return redirect("activities:donation_list")


@login_required
@require_GET
def donation_export(request: HttpRequest) -> HttpResponse:
    _filterset, rows = _filtered(request, DonationFilter, selectors.donation_list(request.user), Donation, export=True)
    _export_audit(request, "activities.donation")
    headers = ["委员会编码", "委员会", "捐款人", "捐款人类型", "金额（元）", "日期", "用途"]
    data = (
        [
            d.committee.code,
            d.committee.name,
            d.donor_name,
            d.get_donor_kind_display(),
            d.amount,
            d.donated_on,
            d.purpose,
        ]
        for d in rows
    )
    return imports.xlsx_response(headers, data, "donations", sheet=_("Donations"))


# News reports


@login_required
@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, NewsFilter, selectors.news_list(request.user), NewsReport, "news_list")


def _news(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW) -> NewsReport:
    return get_in_scope(
        request.user, selectors.news_for(request.user).select_related("committee"), perm=perm, request=request, pk=pk
    )


def _news_form_page(request: HttpRequest, report: NewsReport | None) -> HttpResponse:
    form = NewsReportForm(posted(request), posted_files(request), user=request.user, instance=report)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            photos = data.pop("photos")
            try:
                saved = services.news_save(report=report, photos=photos, by=request.user, request=request, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("News report “%(title)s” was saved.") % {"title": saved.title})
                return redirect("activities:news_detail", pk=saved.pk)
        posted_foreign_ids(form, request, ("committee",))
    photos = list(report.photos.all()) if report else []
    return render(request, "activities/news_form.html", {"form": form, "report": report, "photos": photos})


@login_required
@require_http_methods(["GET", "POST"])
def news_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Perm.EDIT):
        deny(request.user, request, NewsReport, "", "cannot record news reports anywhere")
    return _news_form_page(request, None)


@login_required
@require_GET
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _news(request, pk)
    context = {
        "report": report,
        "photos": list(report.photos.all()),
        "history": list(report.history.select_related("history_user").order_by("-history_date")[:20]),
        "can_edit": can(request.user, Perm.EDIT, report.committee),
    }
    return render(request, "activities/news_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def news_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _news_form_page(request, _news(request, pk, Perm.EDIT))


@login_required
@require_GET
def news_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    report = _news(request, pk, Perm.EDIT)
    detail_url = reverse("activities:news_detail", args=[report.pk])
    return confirm_page(
        request,
        title=_("Delete this news report"),
        question=_("Delete the news report “%(title)s”?") % {"title": report.title},
        action_url=reverse("activities:news_delete", args=[report.pk]),
        cancel_url=detail_url,
        button=_("Yes, delete the news report"),
        facts=[
            Fact(_("Committee"), report.committee.name),
            Fact(_("Published on"), report.published_on.isoformat()),
        ],
        consequences=[
            _("It disappears from the news list and from the counts of news reports."),
            _("Only a system administrator can recover it, from its history."),
        ],
        crumbs=[(_("News reports"), reverse("activities:news_list")), (report.title, detail_url)],
    )


@login_required
@require_POST
def news_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = _news(request, pk, Perm.EDIT)
    services.news_delete(report=report, by=request.user, request=request)
    messages.success(request, _("News report deleted. An administrator can recover it from its history."))
    return redirect("activities:news_list")


@login_required
@require_GET
def news_export(request: HttpRequest) -> HttpResponse:
    _filterset, rows = _filtered(request, NewsFilter, selectors.news_list(request.user), NewsReport, export=True)
    _export_audit(request, "activities.newsreport")
    headers = ["委员会编码", "委员会", "标题", "发布日期", "发布媒体", "媒体级别", "链接", "照片数"]
    data = (
        [
            r.committee.code,
            r.committee.name,
            r.title,
            r.published_on,
            r.outlet,
            r.get_outlet_level_display(),
            r.link,
            r.photo_count,
        ]
        for r in rows
    )
    return imports.xlsx_response(headers, data, "news-reports", sheet=_("News reports"))


def _news_photo(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW) -> NewsPhoto:
    return get_in_scope(
        request.user,
        selectors.news_photos_for(request.user),
        perm=perm,
        via="report__committee",
        request=request,
        pk=pk,
    )


@login_required
@require_GET
def news_photo_file(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _news_photo(request, pk)
    return stream_file(photo.image, download_name=photo.original_name)


@login_required
@require_GET
def news_photo_thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _news_photo(request, pk)
    return stream_file(photo.thumbnail, photo.image, download_name="thumbnail.jpg")


@login_required
@require_GET
def news_photo_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _news_photo(request, pk, Perm.EDIT)
    edit_url = reverse("activities:news_edit", args=[photo.report_id])
    return confirm_page(
        request,
        title=_("Remove a photo"),
        question=_("Remove this photo from “%(title)s”?") % {"title": photo.report.title},
        action_url=reverse("activities:news_photo_delete", args=[photo.pk]),
        cancel_url=edit_url,
        button=_("Yes, remove the photo"),
        image_url=reverse("activities:news_photo_thumbnail", args=[photo.pk]),
        image_alt=photo.original_name,
        consequences=[_("The photo is deleted from the server; to bring it back, upload it again.")],
        crumbs=[(_("News reports"), reverse("activities:news_list")), (photo.report.title, edit_url)],
    )


@login_required
@require_POST
def news_photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _news_photo(request, pk, Perm.EDIT)
    report_id = photo.report_id
    services.news_photo_delete(photo=photo, by=request.user, request=request)
    messages.success(request, _("Photo removed."))
    return redirect("activities:news_edit", pk=report_id)
