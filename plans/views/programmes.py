"""Programme pages: the timeline, participants' status, and the programme made and changed by hand."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanwei.confirm import confirm_page
from guanwei.forms import posted
from guanwei.params import id_param
from orgs import audit
from orgs.scoping import Perm, can, can_anywhere, deny
from plans import selectors, services
from plans.forms import (
    DeliverableReviewForm,
    MilestoneForm,
    ParticipantAddForm,
    ParticipantStatusForm,
    PhaseForm,
    ProgrammeCreateForm,
    ProgrammeEditForm,
)
from plans.models import Deliverable, Programme, ProgrammeParticipant
from plans.timeline import build_timeline


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


def _programme_crumbs(programme: Programme) -> list[tuple[str, str]]:
    return [
        (_("Plans"), reverse("plans:index")),
        (programme.title, reverse("plans:programme_detail", args=[programme.pk])),
    ]


@login_required
@require_GET
def programme_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_to_edit(request.user, pk, request=request)
    has_deliverables = any(m.deliverable_count for m in selectors.programme_milestones_with_counts(programme))
    return confirm_page(
        request,
        title=_("Delete the programme"),
        question=_("Delete the programme “%(title)s” of %(committee)s, with its phases and milestones?")
        % {"title": programme.title, "committee": programme.committee.display_name},
        action_url=reverse("plans:programme_delete", args=[programme.pk]),
        cancel_url=_manage_url(programme.pk),
        button=_("Yes, delete it"),
        consequences=[_("This cannot be undone.")],
        refused=[_("Files were already handed in for this programme, so it cannot be deleted.")]
        if has_deliverables
        else [],
        crumbs=_programme_crumbs(programme),
    )


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
@require_GET
def phase_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    phase = selectors.get_phase_to_edit(request.user, pk, request=request)
    return confirm_page(
        request,
        title=_("Delete a phase"),
        question=_("Delete the phase “%(name)s” (%(start)s – %(end)s)?")
        % {"name": phase.name, "start": phase.starts_on.isoformat(), "end": phase.ends_on.isoformat()},
        action_url=reverse("plans:phase_delete", args=[phase.pk]),
        cancel_url=f"{_manage_url(phase.programme_id)}#phases",
        button=_("Yes, delete the phase"),
        consequences=[_("Its milestones stay, without a phase."), _("This cannot be undone.")],
        crumbs=_programme_crumbs(phase.programme),
    )


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
@require_GET
def milestone_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.get_milestone_to_edit(request.user, pk, request=request)
    return confirm_page(
        request,
        title=_("Delete a milestone"),
        question=_("Delete the milestone “%(title)s”, due %(due)s?")
        % {"title": milestone.title, "due": milestone.due_on.isoformat()},
        action_url=reverse("plans:milestone_delete", args=[milestone.pk]),
        cancel_url=f"{_manage_url(milestone.programme_id)}#milestones",
        button=_("Yes, delete the milestone"),
        consequences=[_("Its reminders stop."), _("This cannot be undone.")],
        crumbs=_programme_crumbs(milestone.programme),
    )


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
@require_GET
def participant_remove_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.get_participant_to_edit(request.user, pk, request=request)
    return confirm_page(
        request,
        title=_("Remove a committee from the programme"),
        question=_("Take %(committee)s out of the programme “%(title)s”?")
        % {"committee": participant.committee.display_name, "title": participant.programme.title},
        action_url=reverse("plans:participant_remove", args=[participant.pk]),
        cancel_url=f"{_manage_url(participant.programme_id)}#participants",
        button=_("Yes, remove the committee"),
        consequences=[
            _("Its status and note in this programme are deleted; adding it again starts afresh."),
        ],
        crumbs=_programme_crumbs(participant.programme),
    )


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
