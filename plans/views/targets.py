"""Work point and target pages: edit a point and its owners, add, correct and remove targets, a target's figures."""

from __future__ import annotations

import copy

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
from guanwei.params import id_param
from metrics.catalogue import METRICS
from metrics.engine import records
from orgs.scoping import Perm, can
from plans import selectors, services
from plans.forms import PointForm, TargetForm
from plans.models import Plan
from plans.progress import show_target, target_progress
from plans.views.common import stored_figures

MAX_RECORDS_SHOWN = 200


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    point = selectors.get_point(request.user, pk, perm=Perm.EDIT, request=request)
    plan = point.section.plan
    initial = {
        "number": point.number,
        "title": point.title,
        "text": point.text,
        "owner_kind": point.owner_kind,
        "member_unit": point.member_unit_id,
        "committees": list(point.assigned_committees.values_list("pk", flat=True)),
    }
    form = PointForm(
        posted(request),
        initial=initial,
        member_units=selectors.member_units_of(plan.committee),
        committees=selectors.descendants(plan.committee),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.work_point_update(
                point=point,
                by=request.user,
                request=request,
                number=data["number"],
                title=data["title"],
                text=data["text"],
            )
            services.work_point_assign(
                point=point,
                owner_kind=data["owner_kind"],
                member_unit=data.get("member_unit"),
                committees=list(data.get("committees") or []),
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(f"{plan_url(plan)}#point-{point.pk}")
    return render(request, "plans/point_form.html", {"form": form, "point": point, "plan": plan})


def plan_url(plan: Plan) -> str:
    return reverse("plans:plan_detail", args=[plan.pk])


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.get_target(request.user, pk, perm=Perm.EDIT, request=request)
    form = TargetForm(posted(request), instance=copy.copy(target), kind_choices=selectors.activity_kind_choices())
    if request.method == "POST" and form.is_valid():
        try:
            services.target_update(target=target, by=request.user, request=request, **form.target_fields())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The target was saved."))
            return redirect(f"{plan_url(target.work_point.section.plan)}#point-{target.work_point_id}")
    context = {"form": form, "target": target, "point": target.work_point, "plan": target.work_point.section.plan}
    return render(request, "plans/target_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    point = selectors.get_point(request.user, pk, perm=Perm.EDIT, request=request)
    form = TargetForm(posted(request), kind_choices=selectors.activity_kind_choices())
    if request.method == "POST" and form.is_valid():
        try:
            services.target_create(work_point=point, by=request.user, request=request, **form.target_fields())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The target was saved."))
            return redirect(f"{plan_url(point.section.plan)}#point-{point.pk}")
    context = {"form": form, "target": None, "point": point, "plan": point.section.plan}
    return render(request, "plans/target_form.html", context)


@login_required
@require_GET
def target_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.get_target(request.user, pk, perm=Perm.EDIT, request=request)
    plan = target.work_point.section.plan
    return confirm_page(
        request,
        title=_("Remove a target"),
        question=_("Remove the target “%(text)s”?") % {"text": target.text},
        action_url=reverse("plans:target_delete", args=[target.pk]),
        cancel_url=reverse("plans:target_edit", args=[target.pk]),
        button=_("Yes, remove the target"),
        consequences=[
            _("Its progress disappears from the plan, the dashboards and their downloads."),
            _("The work point and its activities stay."),
            _("This cannot be undone."),
        ],
        crumbs=[(_("Plans"), reverse("plans:index")), (plan.title, plan_url(plan))],
    )


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.get_target(request.user, pk, perm=Perm.EDIT, request=request)
    plan = target.work_point.section.plan
    services.target_delete(target=target, by=request.user, request=request)
    messages.success(request, _("The target was removed."))
    return redirect(plan_url(plan))


@login_required
@require_GET
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    target = selectors.get_target(user, pk, request=request)
    plan = target.work_point.section.plan
    whole = selectors.sees_whole_plan(user, plan)
    counted_by = stored_figures()
    progress = target_progress(
        target,
        committee=plan.committee,
        year=plan.year,
        children=selectors.sub_committees(plan.committee),
        evaluate=counted_by,
    )
    standings = []
    counted, chosen = [], None
    if progress is not None:
        standings = progress.subjects if whole else [s for s in progress.subjects if can(user, Perm.VIEW, s.committee)]
        candidates = ([plan.committee] if whole else []) + [s.committee for s in standings]
        wanted = id_param(request.GET, "committee")
        chosen = next((c for c in candidates if c.pk == wanted), candidates[0] if candidates else None)
        if chosen is not None:
            counted = list(
                records(
                    target.metric,
                    committee=chosen,
                    period=progress.period,
                    params=target.params or {},
                    subtree=target.subtree,
                )[:MAX_RECORDS_SHOWN]
            )
    context = {
        "target": target,
        "plan": plan,
        "point": target.work_point,
        "shown_target": show_target(target),
        "progress": progress,
        "standings": standings,
        "sees_whole_plan": whole,
        "chosen": chosen,
        "counted": counted,
        "metric": METRICS.get(target.metric),
        "max_records": MAX_RECORDS_SHOWN,
        "can_edit": can(user, Perm.EDIT, plan.committee),
        "as_of": counted_by.as_of,
    }
    return render(request, "plans/target_detail.html", context)
