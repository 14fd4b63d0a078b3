"""Pages of the plans app. Every lookup goes through orgs.scoping (via plans.selectors).

Who may do what:
- see a plan: its committee's subtree (drafts too); committees below see it once
  published, with only the points they own;
- import, edit, correct targets, assign points: EDIT on the plan's committee;
- publish: EDIT (the office secretary) or APPROVE (a leader) on the plan's committee;
- hand in programme deliverables: EDIT on the participating committee;
- accept or return deliverables, set a participant's status: APPROVE or REVIEW
  on the programme's committee.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanwei.files import stored_file_response
from guanwei.forms import posted, posted_files
from guanwei.params import id_param, int_param
from orgs import audit
from orgs.scoping import Perm, can, can_anywhere, deny
from plans import exports, selectors, services
from plans.forms import (
    DeliverableForm,
    DeliverableReviewForm,
    MilestoneForm,
    ParticipantAddForm,
    ParticipantStatusForm,
    PhaseForm,
    PlanForm,
    PlanUploadForm,
    PointForm,
    ProgrammeCreateForm,
    ProgrammeEditForm,
    TargetForm,
)
from plans.metrics import METRICS, records
from plans.models import Deliverable, Plan, PlanStatus, Programme, ProgrammeParticipant
from plans.progress import progress_for_plan, show_target, target_progress
from plans.timeline import build_timeline

MAX_RECORDS_SHOWN = 200


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
        return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_upload.html", {"form": form})


def stored_figures() -> Any:
    """Target progress read through the dashboards' metric snapshots: the engine's own numbers, stored
    (a province's plan does not recount millions of records on every view); see dashboards.selectors."""
    from dashboards.selectors import SnapshotEvaluator

    return SnapshotEvaluator()


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


# ---------------------------------------------------------------------------
# Points and targets


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
    from django.urls import reverse

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


# ---------------------------------------------------------------------------
# Programmes


@login_required
@require_GET
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    programme = selectors.get_programme(user, pk, request=request)
    phases = selectors.programme_phases(programme)
    milestones = selectors.programme_milestones(programme)
    participants = selectors.programme_participants(user, programme)
    deliverables = selectors.programme_deliverables(user, programme)
    by_milestone: dict[int, list[Deliverable]] = {}
    for d in deliverables:
        by_milestone.setdefault(d.milestone_id, []).append(d)
    for m in milestones:
        m.handed_in = by_milestone.get(m.pk, [])
    can_review = selectors.can_review_programme(user, programme)
    context = {
        "programme": programme,
        "phases": phases,
        "milestones": milestones,
        "participants": participants,
        "timeline": build_timeline(phases, milestones, timezone.localdate()),
        "can_upload": selectors.upload_committees(user, programme).exists(),
        "can_review": can_review,
        "can_manage": can(user, Perm.EDIT, programme.committee),
        "review_form": DeliverableReviewForm(),
        "status_form": ParticipantStatusForm(),
    }
    return render(request, "plans/programme_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_upload(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.get_milestone(request.user, pk, request=request)
    programme = milestone.programme
    committees = selectors.upload_committees(request.user, programme)
    if not committees.exists():
        deny(request.user, request, Programme, programme.pk, "cannot hand in deliverables")
    form = DeliverableForm(posted(request), posted_files(request), committees=committees)
    if request.method == "POST" and form.is_valid():
        try:
            services.deliverable_upload(
                milestone=milestone,
                committee=form.cleaned_data["committee"],
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The file was handed in."))
            return redirect("plans:programme_detail", pk=programme.pk)
    return render(
        request, "plans/deliverable_form.html", {"form": form, "milestone": milestone, "programme": programme}
    )


@login_required
@require_GET
def deliverable_download(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = selectors.get_deliverable(request.user, pk, request=request)
    return stored_file_response(deliverable.file, filename=deliverable.original_name or "deliverable")


@login_required
@require_POST
def deliverable_review(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = selectors.get_deliverable(request.user, pk, request=request)
    programme = deliverable.milestone.programme
    if not selectors.can_review_programme(request.user, programme):
        deny(request.user, request, Deliverable, pk, "may not review deliverables")
    form = DeliverableReviewForm(request.POST)
    if form.is_valid():
        try:
            services.deliverable_review(
                deliverable=deliverable,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["reviewer_note"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The decision was saved."))
    else:
        messages.error(request, _("Choose accept or return."))
    return redirect("plans:programme_detail", pk=programme.pk)


@login_required
@require_POST
def participant_status(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.get_participant(request.user, pk, request=request)
    if not selectors.can_review_programme(request.user, participant.programme):
        deny(request.user, request, ProgrammeParticipant, pk, "may not set programme status")
    form = ParticipantStatusForm(request.POST)
    if form.is_valid():
        services.participant_set_status(
            participant=participant,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            by=request.user,
            request=request,
        )
        messages.success(request, _("The status was saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("plans:programme_detail", pk=participant.programme_id)


# ---------------------------------------------------------------------------
# Programmes made and changed by hand: EDIT on the programme's committee


def _manage_url(programme_id: int) -> str:
    from django.urls import reverse

    return reverse("plans:programme_manage", args=[programme_id])


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Perm.EDIT):
        deny(request.user, request, Programme, "", "cannot create programmes anywhere")
    committees = selectors.editable_committees(request.user)
    initial = {}
    wanted = id_param(request.GET, "committee")
    if wanted and committees.filter(pk=wanted).exists():
        initial["committee"] = wanted
    form = ProgrammeCreateForm(
        posted(request), initial=initial, committees=committees, plans=selectors.plans_to_link(request.user)
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                programme = services.programme_create(
                    committee=data["committee"],
                    title=data["title"],
                    description=data["description"],
                    plan=data["plan"],
                    by=request.user,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The programme was created. Now add its phases and milestones."))
                return redirect("plans:programme_manage", pk=programme.pk)
        else:
            audit.posted_outside_scope(request, form, Programme, ("committee", "plan"))
    return render(request, "plans/programme_form.html", {"form": form, "programme": None})


@login_required
@require_GET
def programme_manage(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_to_edit(request.user, pk, request=request)
    milestones = selectors.programme_milestones_with_counts(programme)
    participants = selectors.programme_participants_with_counts(programme)
    context = {
        "programme": programme,
        "phases": selectors.programme_phases(programme),
        "milestones": milestones,
        "participants": participants,
        "has_deliverables": any(m.deliverable_count for m in milestones),
        "can_add_participants": selectors.participant_candidates(request.user, programme).exists(),
    }
    return render(request, "plans/programme_manage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_to_edit(request.user, pk, request=request)
    initial = {"title": programme.title, "description": programme.description}
    form = ProgrammeEditForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                programme=copy.copy(programme), by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("plans:programme_manage", pk=programme.pk)
    return render(request, "plans/programme_form.html", {"form": form, "programme": programme})


@login_required
@require_GET
def programme_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_to_edit(request.user, pk, request=request)
    context = {
        "programme": programme,
        "has_deliverables": any(m.deliverable_count for m in selectors.programme_milestones_with_counts(programme)),
    }
    return render(request, "plans/programme_delete.html", context)


@login_required
@require_POST
def programme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_to_edit(request.user, pk, request=request)
    try:
        services.programme_delete(programme=programme, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:programme_manage", pk=programme.pk)
    messages.success(request, _("The programme was deleted."))
    return redirect("plans:index")


def _phase_form_page(request: HttpRequest, programme: Programme, phase: Any) -> HttpResponse:
    initial = {}
    if phase is not None:
        initial = {f: getattr(phase, f) for f in ("name", "starts_on", "ends_on", "description")}
    form = PhaseForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if phase is None:
                services.phase_create(programme=programme, by=request.user, request=request, **form.cleaned_data)
            else:
                services.phase_update(phase=copy.copy(phase), by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The phase was saved."))
            return redirect(f"{_manage_url(programme.pk)}#phases")
    return render(request, "plans/programme_phase_form.html", {"form": form, "programme": programme, "phase": phase})


@login_required
@require_http_methods(["GET", "POST"])
def phase_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_to_edit(request.user, pk, request=request)
    return _phase_form_page(request, programme, None)


@login_required
@require_http_methods(["GET", "POST"])
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    phase = selectors.get_phase_to_edit(request.user, pk, request=request)
    return _phase_form_page(request, phase.programme, phase)


@login_required
@require_POST
def phase_delete(request: HttpRequest, pk: int) -> HttpResponse:
    phase = selectors.get_phase_to_edit(request.user, pk, request=request)
    services.phase_delete(phase=phase, by=request.user, request=request)
    messages.success(request, _("The phase was deleted; its milestones stay, without a phase."))
    return redirect(f"{_manage_url(phase.programme_id)}#phases")


def _milestone_form_page(request: HttpRequest, programme: Programme, milestone: Any) -> HttpResponse:
    initial: dict[str, Any] = {}
    if milestone is not None:
        initial = {f: getattr(milestone, f) for f in ("kind", "title", "due_on", "description")}
        initial["phase"] = milestone.phase_id
    form = MilestoneForm(posted(request), initial=initial, phases=selectors.phases_to_choose(programme))
    if request.method == "POST" and form.is_valid():
        try:
            if milestone is None:
                services.milestone_create(programme=programme, by=request.user, request=request, **form.cleaned_data)
            else:
                services.milestone_update(
                    milestone=copy.copy(milestone), by=request.user, request=request, **form.cleaned_data
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The milestone was saved."))
            return redirect(f"{_manage_url(programme.pk)}#milestones")
    context = {"form": form, "programme": programme, "milestone": milestone}
    return render(request, "plans/programme_milestone_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_to_edit(request.user, pk, request=request)
    return _milestone_form_page(request, programme, None)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.get_milestone_to_edit(request.user, pk, request=request)
    return _milestone_form_page(request, milestone.programme, milestone)


@login_required
@require_POST
def milestone_delete(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.get_milestone_to_edit(request.user, pk, request=request)
    try:
        services.milestone_delete(milestone=milestone, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The milestone was deleted."))
    return redirect(f"{_manage_url(milestone.programme_id)}#milestones")


@login_required
@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_to_edit(request.user, pk, request=request)
    form = ParticipantAddForm(posted(request), committees=selectors.participant_candidates(request.user, programme))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.participants_add(
                    programme=programme,
                    committees=list(form.cleaned_data["committees"]),
                    by=request.user,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The committees now take part in the programme."))
                return redirect(f"{_manage_url(programme.pk)}#participants")
        else:
            audit.posted_outside_scope(request, form, ProgrammeParticipant, ("committees",))
    return render(request, "plans/programme_participant_form.html", {"form": form, "programme": programme})


@login_required
@require_POST
def participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.get_participant_to_edit(request.user, pk, request=request)
    try:
        services.participant_remove(participant=participant, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(committee)s no longer takes part in the programme.")
            % {"committee": participant.committee.display_name},
        )
    return redirect(f"{_manage_url(participant.programme_id)}#participants")
