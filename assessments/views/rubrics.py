"""Rubric pages: admins (MANAGE) build them in the browser or import them from Excel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import selectors, services, xlsx
from assessments.forms import BandForm, CriterionForm, DimensionForm, RubricForm, RubricImportForm
from assessments.views.common import get_band, get_criterion, get_dimension, get_rubric, messages_of
from guanwei.confirm import confirm_page
from guanwei.forms import posted, posted_files
from metrics.catalogue import metric_label
from orgs.models import Committee
from orgs.scoping import Perm, can, committees_for, deny


def _owners(request: HttpRequest):
    return committees_for(request.user, Perm.MANAGE).order_by("path")


@login_required
@require_GET
def rubric_list(request: HttpRequest) -> HttpResponse:
    rubrics = list(selectors.rubrics_for(request.user, Perm.MANAGE).order_by("name", "-version"))
    if not rubrics and not _owners(request).exists():
        deny(request.user, request, Committee, "", "rubrics need manage")
    return render(request, "assessments/rubric_list.html", {"rubrics": rubrics})


@login_required
@require_http_methods(["GET", "POST"])
def rubric_create(request: HttpRequest) -> HttpResponse:
    owners = _owners(request)
    if not owners.exists():
        deny(request.user, request, Committee, "", "rubrics need manage")
    form = RubricForm(posted(request), owners=owners)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        try:
            rubric = services.rubric_create(owner=form.cleaned_data["owner"], by=request.user, request=request, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Rubric created. Now add its dimensions and criteria."))
            return redirect("assessments:rubric_detail", pk=rubric.pk)
    return render(request, "assessments/form.html", {"form": form, "title": _("New rubric")})


@login_required
@require_http_methods(["GET", "POST"])
def rubric_import(request: HttpRequest) -> HttpResponse:
    owners = _owners(request)
    if not owners.exists():
        deny(request.user, request, Committee, "", "rubrics need manage")
    form = RubricImportForm(posted(request), posted_files(request), owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            rubric = xlsx.rubric_import(
                upload=form.cleaned_data["file"],
                owner=form.cleaned_data["owner"],
                name=form.cleaned_data["name"],
                score_step=form.cleaned_data["score_step"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            for message in messages_of(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Rubric imported. Add its grade bands and check the criteria."))
            return redirect("assessments:rubric_detail", pk=rubric.pk)
    return render(
        request,
        "assessments/form.html",
        {"form": form, "title": _("Import a rubric from Excel"), "multipart": True, "columns": xlsx.rubric_headers()},
    )


@login_required
@require_GET
def rubric_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = get_rubric(request, pk)
    dimensions = selectors.rubric_tree(rubric)
    in_use = selectors.rubric_in_use(rubric)
    return render(
        request,
        "assessments/rubric_detail.html",
        {
            "rubric": rubric,
            "dimensions": dimensions,
            "bands": list(rubric.bands.all()),
            "base_total": sum(
                (c.max_points for d in dimensions for c in d.criteria.all() if c.counts_in_base), start=0
            ),
            "in_use": in_use,
            "can_manage": can(request.user, Perm.MANAGE, rubric.owner),
            "versions": list(selectors.rubric_versions(rubric)),
            "metric_labels": {
                c: metric_label(c) for d in dimensions for c in [x.metric_code for x in d.criteria.all()] if c
            },
        },
    )


def _editable(request: HttpRequest, rubric) -> bool:
    if selectors.rubric_in_use(rubric):
        messages.error(
            request,
            _("This rubric version is used by an assessment round and can no longer change. Make a new version."),
        )
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def rubric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = get_rubric(request, pk, Perm.MANAGE)
    if not _editable(request, rubric):
        return redirect("assessments:rubric_detail", pk=rubric.pk)
    form = RubricForm(posted(request), instance=rubric)
    if request.method == "POST" and form.is_valid():
        try:
            services.rubric_update(rubric=rubric, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("assessments:rubric_detail", pk=rubric.pk)
    return render(request, "assessments/form.html", {"form": form, "title": _("Edit rubric"), "back": rubric})


@login_required
@require_POST
def rubric_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = get_rubric(request, pk, Perm.MANAGE)
    copy = services.rubric_new_version(rubric=rubric, by=request.user, request=request)
    messages.success(
        request, _("Version %(v)s created. Rounds already under way keep their own version.") % {"v": copy.version}
    )
    return redirect("assessments:rubric_detail", pk=copy.pk)


@login_required
@require_GET
def rubric_export(request: HttpRequest, pk: int) -> HttpResponse:
    return xlsx.rubric_export(get_rubric(request, pk))


def _save_form(request, form, save, success_pk, title, back):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("assessments:rubric_detail", pk=success_pk)
    return render(request, "assessments/form.html", {"form": form, "title": title, "back": back})


@login_required
@require_http_methods(["GET", "POST"])
def dimension_create(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = get_rubric(request, pk, Perm.MANAGE)
    if not _editable(request, rubric):
        return redirect("assessments:rubric_detail", pk=rubric.pk)
    form = DimensionForm(posted(request))
    form.fields["order"].required = False
    return _save_form(
        request,
        form,
        lambda d: services.dimension_save(rubric=rubric, by=request.user, request=request, **d),
        rubric.pk,
        _("New dimension"),
        rubric,
    )


@login_required
@require_http_methods(["GET", "POST"])
def dimension_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dimension = get_dimension(request, pk)
    rubric = dimension.rubric
    if not _editable(request, rubric):
        return redirect("assessments:rubric_detail", pk=rubric.pk)
    form = DimensionForm(posted(request), instance=dimension)
    return _save_form(
        request,
        form,
        lambda d: services.dimension_save(rubric=rubric, dimension=dimension, by=request.user, request=request, **d),
        rubric.pk,
        _("Edit dimension"),
        rubric,
    )


@login_required
@require_POST
def dimension_delete(request: HttpRequest, pk: int) -> HttpResponse:
    dimension = get_dimension(request, pk)
    rubric_pk = dimension.rubric_id
    try:
        services.dimension_delete(dimension=dimension, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(messages_of(exc)))
    else:
        messages.success(request, _("Dimension deleted."))
    return redirect("assessments:rubric_detail", pk=rubric_pk)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    dimension = get_dimension(request, pk)
    if not _editable(request, dimension.rubric):
        return redirect("assessments:rubric_detail", pk=dimension.rubric_id)
    form = CriterionForm(posted(request))
    return _save_form(
        request,
        form,
        lambda d: services.criterion_save(dimension=dimension, by=request.user, request=request, **d),
        dimension.rubric_id,
        _("New criterion in %(dimension)s") % {"dimension": dimension.title},
        dimension.rubric,
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_criterion(request, pk)
    rubric = criterion.dimension.rubric
    if not _editable(request, rubric):
        return redirect("assessments:rubric_detail", pk=rubric.pk)
    form = CriterionForm(posted(request), instance=criterion)
    return _save_form(
        request,
        form,
        lambda d: services.criterion_save(
            dimension=criterion.dimension, criterion=criterion, by=request.user, request=request, **d
        ),
        rubric.pk,
        _("Edit criterion"),
        rubric,
    )


@login_required
@require_POST
def criterion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_criterion(request, pk)
    rubric_pk = criterion.dimension.rubric_id
    try:
        services.criterion_delete(criterion=criterion, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(messages_of(exc)))
    else:
        messages.success(request, _("Criterion deleted."))
    return redirect("assessments:rubric_detail", pk=rubric_pk)


@login_required
@require_http_methods(["GET", "POST"])
def band_create(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = get_rubric(request, pk, Perm.MANAGE)
    if not _editable(request, rubric):
        return redirect("assessments:rubric_detail", pk=rubric.pk)
    form = BandForm(posted(request))
    return _save_form(
        request,
        form,
        lambda d: services.band_save(rubric=rubric, by=request.user, request=request, **d),
        rubric.pk,
        _("New grade band"),
        rubric,
    )


@login_required
@require_POST
def band_delete(request: HttpRequest, pk: int) -> HttpResponse:
    band = get_band(request, pk)
    rubric_pk = band.rubric_id
    try:
        services.band_delete(band=band, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(messages_of(exc)))
    else:
        messages.success(request, _("Grade band deleted."))
    return redirect("assessments:rubric_detail", pk=rubric_pk)


def _rubric_confirm(request: HttpRequest, rubric, **kwargs) -> HttpResponse:
    """The confirmation page of a deletion in a rubric, back to the rubric when it can no longer change."""
    if not _editable(request, rubric):
        return redirect("assessments:rubric_detail", pk=rubric.pk)
    rubric_url = reverse("assessments:rubric_detail", args=[rubric.pk])
    return confirm_page(
        request,
        cancel_url=rubric_url,
        crumbs=[(_("Assessments"), reverse("assessments:index")), (str(rubric), rubric_url)],
        **kwargs,
    )


@login_required
@require_GET
def dimension_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    dimension = get_dimension(request, pk)
    count = dimension.criteria.count()
    return _rubric_confirm(
        request,
        dimension.rubric,
        title=_("Delete a dimension"),
        question=_("Delete the dimension “%(title)s”?") % {"title": dimension.title},
        action_url=reverse("assessments:dimension_delete", args=[dimension.pk]),
        button=_("Yes, delete the dimension"),
        consequences=[
            _("Its %(count)s criteria are deleted with it.") % {"count": count},
            _("This cannot be undone."),
        ],
    )


@login_required
@require_GET
def criterion_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_criterion(request, pk)
    return _rubric_confirm(
        request,
        criterion.dimension.rubric,
        title=_("Delete a criterion"),
        question=_("Delete the criterion “%(title)s”?") % {"title": str(criterion)},
        action_url=reverse("assessments:criterion_delete", args=[criterion.pk]),
        button=_("Yes, delete the criterion"),
        consequences=[_("This cannot be undone.")],
    )


@login_required
@require_GET
def band_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    band = get_band(request, pk)
    return _rubric_confirm(
        request,
        band.rubric,
        title=_("Delete a grade band"),
        question=_("Delete the grade band “%(label)s” (from %(min)s points)?")
        % {"label": band.label, "min": band.min_total},
        action_url=reverse("assessments:band_delete", args=[band.pk]),
        button=_("Yes, delete the grade band"),
        consequences=[_("This cannot be undone.")],
    )
