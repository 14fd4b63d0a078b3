"""The review of a plan's targets after it is read: the metrics guessed from the words come first, each
with what it will count in plain words, to be confirmed or corrected."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metrics.catalogue import METRICS, metric_label
from orgs.scoping import Perm
from plans import selectors, services
from plans.models import Target
from plans.progress import show_target


def counts_what(target: Target, kind_names: dict[str, str]) -> str:
    """What a target's metric counts, in the user's words: "活动次数（宣讲会）", "" when not measured."""
    if not target.metric:
        return ""
    params = target.params or {}
    label = metric_label(target.metric)
    if target.metric == "subcommittee_share":
        return _("Share of sub-committees reaching: %(metric)s") % {"metric": metric_label(params.get("metric", ""))}
    defn = METRICS.get(target.metric)
    if defn is None or "kinds" not in {p.name for p in defn.params}:
        return label
    kinds = params.get("kinds") or []
    if not kinds:
        return _("%(metric)s (every kind of activity)") % {"metric": label}
    names = "、".join(kind_names.get(code, code) for code in kinds)
    return _("%(metric)s (%(kinds)s)") % {"metric": label, "kinds": names}


@login_required
@require_GET
def plan_targets(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, pk, perm=Perm.EDIT, request=request)
    kind_names = dict(selectors.activity_kind_choices())
    targets = selectors.targets_to_review(plan)
    for target in targets:
        target.shown_target = show_target(target)
        target.counts_what = counts_what(target, kind_names)
    context: dict[str, Any] = {
        "plan": plan,
        "targets": targets,
        "guessed": sum(1 for t in targets if t.wiring_guessed),
        "measured": sum(1 for t in targets if t.metric),
    }
    return render(request, "plans/plan_targets.html", context)


@login_required
@require_POST
def target_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.get_target(request.user, pk, perm=Perm.EDIT, request=request)
    services.target_confirm_wiring(target=target, by=request.user, request=request)
    messages.success(request, _("Checked: “%(target)s” keeps its metric.") % {"target": target.text[:40]})
    return redirect(reverse("plans:plan_targets", args=[target.work_point.section.plan_id]) + f"#target-{target.pk}")
