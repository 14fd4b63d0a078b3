"""Plan pages: the list, upload (read from a document), detail with progress, edit, publish, delete, exports."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanwei.confirm import Fact, confirm_page
from guanwei.files import stored_file_response
from guanwei.forms import posted, posted_files
from guanwei.params import int_param
from orgs.scoping import Perm, can, can_anywhere, deny
from plans import exports, selectors, services
from plans.forms import PlanForm, PlanUploadForm
from plans.models import Plan, PlanStatus, Target
from plans.progress import progress_for_plan, show_target
from plans.views.common import stored_figures


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    years = selectors.plan_years(request.user)
    year = int_param(request.GET, "year") or (today.year if today.year in years or not years else years[0])
    plans = list(selectors.plans_for(request.user).filter(year=year).order_by("committee__path"))
    programmes = list(selectors.programmes_for(request.user).order_by("committee__path", "id"))
    context = {
        "year": year,
        "years": years,
        "plans": plans,
        "programmes": programmes,
        "can_upload": can_anywhere(request.user, Perm.EDIT),
    }
    return render(request, "plans/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_upload(request: HttpRequest) -> HttpResponse:
    committees = selectors.editable_committees(request.user)
    if not can_anywhere(request.user, Perm.EDIT):
        deny(request.user, request, Plan, "", "cannot create plans anywhere")
    form = PlanUploadForm(posted(request), posted_files(request), committees=committees)
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data.get("document")
        plan = services.plan_import(
            committee=form.cleaned_data["committee"],
            year=form.cleaned_data["year"],
            extracted=form.extracted,
            by=request.user,
            request=request,
            source_file=document,
            source_name=getattr(document, "name", "") or "",
        )
        messages.success(
            request,
            _("The plan was read: %(sections)s sections, %(targets)s targets. Please check it against the original.")
            % {"sections": len(form.extracted.sections), "targets": form.extracted.target_count},
        )
        if any(t.metric for s in form.extracted.sections for p in s.points for t in p.targets):
            # The metrics guessed from the words are checked first, on the targets' review page.
            return redirect("plans:plan_targets", pk=plan.pk)
        return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_upload.html", {"form": form})


def _plan_context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    user = request.user
    whole = selectors.sees_whole_plan(user, plan)
    sections = selectors.plan_sections(user, plan)
    children = selectors.sub_committees(plan.committee)
    targets = [t for s in sections for p in s.visible_points for t in p.targets.all()]
    counted = stored_figures()
    progress = progress_for_plan(plan, targets, children, evaluate_batch=counted.batch)
    for target in targets:
        target.shown_target = show_target(target)
        p = progress.get(target.pk)
        target.progress = p
        target.own_standings = [s for s in p.subjects if can(user, Perm.VIEW, s.committee)] if p else []
    return {"plan": plan, "sections": sections, "progress": progress, "sees_whole_plan": whole, "as_of": counted.as_of}


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, pk, request=request)
    context = _plan_context(request, plan)
    can_edit = can(request.user, Perm.EDIT, plan.committee)
    context.update(
        {
            "can_edit": can_edit,
            "can_publish": plan.status == PlanStatus.DRAFT and selectors.can_publish(request.user, plan),
            "show_original": can_edit and bool(plan.source_text) and request.GET.get("original") != "0",
            "programmes": selectors.plan_programmes(plan) if context["sees_whole_plan"] else [],
        }
    )
    return render(request, "plans/plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, pk, perm=Perm.EDIT, request=request)
    # The form works on a copy, so the service still sees what changed.
    form = PlanForm(posted(request), instance=copy.copy(plan))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PlanForm.Meta.fields}
        try:
            services.plan_update(plan=plan, by=request.user, request=request, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, pk, request=request)
    if not selectors.can_publish(request.user, plan):
        deny(request.user, request, Plan, pk, "may not publish")
    try:
        services.plan_publish(plan=plan, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan is published. Each sub-committee now sees the points it owns."))
    return redirect("plans:plan_detail", pk=plan.pk)


@login_required
@require_GET
def plan_publish_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, pk, request=request)
    if not selectors.can_publish(request.user, plan):
        deny(request.user, request, Plan, pk, "may not publish")
    detail_url = reverse("plans:plan_detail", args=[plan.pk])
    targets = Target.objects.filter(work_point__section__plan=plan)
    guessed = targets.filter(wiring_guessed=True).count()
    refused = []
    if plan.status == PlanStatus.PUBLISHED:
        refused.append(_("This plan is already published."))
    elif not plan.sections.exists():
        refused.append(_("A plan without sections cannot be published."))
    consequences = [
        _("Each sub-committee sees the points it owns and the targets it must reach."),
        _("A published plan cannot be deleted; its sections, points and targets can still be corrected."),
    ]
    if guessed:
        consequences.insert(
            0,
            ngettext(
                "%(count)d target is still measured as recognised automatically, not yet checked.",
                "%(count)d targets are still measured as recognised automatically, not yet checked.",
                guessed,
            )
            % {"count": guessed},
        )
    return confirm_page(
        request,
        title=_("Publish the plan"),
        question=_("Publish “%(title)s” to the committees below?") % {"title": plan.title},
        action_url=reverse("plans:plan_publish", args=[plan.pk]),
        cancel_url=reverse("plans:plan_targets", args=[plan.pk]) if guessed else detail_url,
        button=_("Yes, publish"),
        consequences=consequences,
        facts=[
            Fact(_("Sections"), plan.sections.count()),
            Fact(_("Targets"), targets.count()),
        ],
        refused=refused,
        crumbs=[(_("Plans"), reverse("plans:index")), (plan.title, detail_url)],
    )


@login_required
@require_GET
def plan_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, pk, perm=Perm.EDIT, request=request)
    detail_url = reverse("plans:plan_detail", args=[plan.pk])
    return confirm_page(
        request,
        title=_("Delete the draft plan"),
        question=_("Delete the draft plan “%(title)s”, with its sections, work points and targets?")
        % {"title": plan.title},
        action_url=reverse("plans:plan_delete", args=[plan.pk]),
        cancel_url=detail_url,
        button=_("Yes, delete the draft"),
        consequences=[
            _("Activities linked to its work points stay, without a work point."),
            _("The uploaded original file is deleted too."),
            _("This cannot be undone."),
        ],
        refused=[_("A published plan cannot be deleted.")] if plan.status == PlanStatus.PUBLISHED else [],
        crumbs=[(_("Plans"), reverse("plans:index")), (plan.title, detail_url)],
    )


@login_required
@require_POST
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, pk, perm=Perm.EDIT, request=request)
    try:
        services.plan_delete(plan=plan, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:plan_detail", pk=plan.pk)
    messages.success(request, _("The draft plan was deleted."))
    return redirect("plans:index")


@login_required
@require_GET
def plan_source(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, pk, request=request)
    if not plan.source_file or not selectors.sees_whole_plan(request.user, plan):
        raise Http404
    return stored_file_response(plan.source_file, filename=plan.source_name or "plan.docx")


@login_required
@require_GET
def plan_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = selectors.get_plan(request.user, pk, request=request)
    context = _plan_context(request, plan)
    if fmt == "xlsx":
        return exports.plan_xlsx(plan, context["sections"], context["progress"])
    return exports.plan_docx(plan, context["sections"], context["progress"])
