"""Round pages: create and run a round, assign reviewers, results, 公示, objections, exports, summary report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import selectors, services, xlsx
from assessments.forms import (
    AssignForm,
    GroupingAssignForm,
    NoticeForm,
    ObjectionForm,
    ObjectionResolveForm,
    PanelForm,
    RoundEditForm,
    RoundForm,
)
from assessments.models import Objection, ReportJob, ReportJobStatus, ReviewAssignment, Round
from assessments.views.common import get_round, messages_of, not_found, round_reviewers
from guanwei.confirm import confirm_page
from guanwei.files import stored_file_response
from guanwei.forms import posted
from guanwei.params import id_param
from orgs import tree
from orgs.models import Committee, Grouping
from orgs.scoping import Perm, committees_for, deny, get_in_scope


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.rounds_for(request.user).order_by("-year", "name"))
    return render(
        request,
        "assessments/round_list.html",
        {"rounds": rounds, "can_create": committees_for(request.user, Perm.MANAGE).exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    organisers = committees_for(request.user, Perm.MANAGE).order_by("path")
    if not organisers.exists():
        deny(request.user, request, Committee, "", "rounds need manage")
    form = RoundForm(
        posted(request),
        organisers=organisers,
        rubrics=selectors.rubrics_for(request.user, Perm.MANAGE),
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organiser = data.pop("organiser")
        who, kind = data.pop("who"), data.pop("kind")
        if who == RoundForm.BY_KIND:
            committees = Committee.objects.filter(tree.subtree_q(organiser, "", include_self=False), kind=kind)
        else:
            committees = Committee.objects.filter(parent=organiser)
        rubric = data.pop("rubric")
        try:
            round_ = services.round_create(
                committee=organiser, rubric=rubric, committees=committees, by=request.user, request=request, **data
            )
        except ValidationError as exc:
            for message in messages_of(exc):
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The round is open: %(n)s committees can start their self-assessment.")
                % {"n": round_.evaluations.count()},
            )
            return redirect("assessments:round_detail", pk=round_.pk)
    return render(request, "assessments/form.html", {"form": form, "title": _("New assessment round")})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk)
    evaluations = list(selectors.round_evaluations(round_))
    assignments = selectors.round_assignments(round_)
    for e in evaluations:
        e.reviewer_names = assignments.get(e.pk, [])
    return render(
        request,
        "assessments/round_detail.html",
        {
            "round": round_,
            "evaluations": evaluations,
            "counts": selectors.round_status_counts(round_),
            "panels": list(selectors.round_panels(round_)),
            "can_manage": selectors.may_manage_round(request.user, round_),
            "finished": selectors.round_is_finished(round_),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk, manage=True)
    form = RoundEditForm(posted(request), instance=round_)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(round_=round_, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("assessments:round_detail", pk=round_.pk)
    return render(request, "assessments/form.html", {"form": form, "title": _("Edit round"), "back_round": round_})


@login_required
@require_http_methods(["GET", "POST"])
def round_assign(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk, manage=True)
    form = AssignForm(posted(request), round_=round_, reviewers=round_reviewers(round_))
    if request.method == "POST" and form.is_valid():
        for evaluation in form.cleaned_data["evaluations"]:
            services.assignment_add(
                evaluation=evaluation,
                user=form.cleaned_data["reviewer"],
                panel=form.cleaned_data["panel"],
                by=request.user,
                request=request,
            )
        messages.success(request, _("Reviewers assigned."))
        return redirect("assessments:round_detail", pk=round_.pk)
    groupings = Grouping.objects.filter(tree.same_tree_q(round_.committee, "lead")).select_related("lead")
    return render(
        request,
        "assessments/round_assign.html",
        {
            "round": round_,
            "form": form,
            "panel_form": PanelForm(reviewers=round_reviewers(round_)),
            "grouping_form": GroupingAssignForm(groupings=groupings),
            "assignments": list(selectors.round_assignment_list(round_)),
        },
    )


def _reviewer_name(assignment) -> str:
    if assignment.panel_id:
        return assignment.panel.name
    return assignment.user.get_full_name() or assignment.user.get_username()


@login_required
@require_GET
def assignment_remove_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.get_assignment_for_user(request.user, pk, request)
    round_ = assignment.evaluation.round
    if not selectors.may_manage_round(request.user, round_):
        deny(request.user, request, ReviewAssignment, pk, "lacks manage on the round")
    assign_url = reverse("assessments:round_assign", args=[round_.pk])
    return confirm_page(
        request,
        title=_("Take an assignment back"),
        question=_("Stop %(who)s reviewing %(committee)s?")
        % {"who": _reviewer_name(assignment), "committee": assignment.evaluation.committee.name},
        action_url=reverse("assessments:assignment_remove", args=[assignment.pk]),
        cancel_url=assign_url,
        button=_("Yes, take it back"),
        consequences=[
            _("The evaluation disappears from this reviewer's list."),
            _("To undo it, assign the reviewer again."),
        ],
        refused=[_("This evaluation is finalised; its reviewers can no longer change.")]
        if assignment.evaluation.is_locked
        else [],
        crumbs=[(_("Assessments"), reverse("assessments:index")), (round_.name, assign_url)],
    )


@login_required
@require_POST
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an assignment back: those who may assign reviewers to the round may remove them."""
    assignment = selectors.get_assignment_for_user(request.user, pk, request)
    round_ = assignment.evaluation.round
    if not selectors.may_manage_round(request.user, round_):
        deny(request.user, request, ReviewAssignment, pk, "lacks manage on the round")
    who = _reviewer_name(assignment)
    try:
        services.assignment_remove(assignment=assignment, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(messages_of(exc)))
    else:
        messages.success(
            request,
            _("%(who)s no longer reviews %(committee)s.")
            % {"who": who, "committee": assignment.evaluation.committee.name},
        )
    return redirect("assessments:round_assign", pk=round_.pk)


@login_required
@require_POST
def panel_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk, manage=True)
    form = PanelForm(request.POST, reviewers=round_reviewers(round_))
    if form.is_valid():
        try:
            services.panel_create(
                round_=round_,
                name=form.cleaned_data["name"],
                members=form.cleaned_data["members"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(messages_of(exc)))
        else:
            messages.success(request, _("Review panel created."))
    else:
        messages.error(request, _("Give the panel a name and at least one member."))
    return redirect("assessments:round_assign", pk=round_.pk)


@login_required
@require_POST
def grouping_assign(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk, manage=True)
    groupings = Grouping.objects.filter(tree.same_tree_q(round_.committee, "lead"))
    form = GroupingAssignForm(request.POST, groupings=groupings)
    if form.is_valid():
        try:
            panel = services.assign_grouping(
                round_=round_, grouping=form.cleaned_data["grouping"], by=request.user, request=request
            )
        except ValidationError as exc:
            messages.error(request, " ".join(messages_of(exc)))
        else:
            messages.success(request, _("%(panel)s now reviews the members of its 片.") % {"panel": panel.name})
    else:
        messages.error(request, _("Choose a 片."))
    return redirect("assessments:round_assign", pk=round_.pk)


@login_required
@require_GET
def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk)
    return render(
        request,
        "assessments/round_results.html",
        {
            "round": round_,
            "results": selectors.round_results(round_),
            "objections": list(selectors.round_objections(round_)),
            "can_manage": selectors.may_manage_round(request.user, round_),
            "finished": selectors.round_is_finished(round_),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def round_scores_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk)
    return xlsx.scores_export(round_, list(selectors.round_evaluations(round_)))


@login_required
@require_GET
def round_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The 公示 list: readable by everyone taking part in the round once the notice is up."""
    round_ = selectors.rounds_with_notice_for(request.user).select_related("rubric", "committee").filter(pk=pk).first()
    if round_ is None:
        raise not_found(request, "assessments.round", pk)
    today = timezone.localdate()
    manager = selectors.may_manage_round(request.user, round_) or selectors.may_view_results(request.user, round_)
    published = round_.notice_start is not None and (today >= round_.notice_start or manager)
    if not published and not manager:
        raise not_found(request, "assessments.round", pk)
    return render(
        request,
        "assessments/round_notice.html",
        {
            "round": round_,
            "results": selectors.round_results(round_) if published else None,
            "objection_count": round_.objections.count(),
            "open": round_.notice_start and round_.notice_start <= today <= round_.notice_end,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk, manage=True)
    form = NoticeForm(
        posted(request),
        initial={"start": round_.notice_start, "end": round_.notice_end, "text": round_.notice_text},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_publish(
                round_=round_,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                text=form.cleaned_data["text"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            for message in messages_of(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("The public notice is set."))
            return redirect("assessments:round_results", pk=round_.pk)
    return render(
        request, "assessments/form.html", {"form": form, "title": _("Public notice (公示)"), "back_round": round_}
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk, manage=True)
    form = ObjectionForm(posted(request), round_=round_, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_record(round_=round_, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Objection recorded."))
            return redirect("assessments:round_results", pk=round_.pk)
    return render(
        request, "assessments/form.html", {"form": form, "title": _("Record an objection"), "back_round": round_}
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_in_scope(
        request.user,
        Objection.objects.select_related("round__committee"),
        perm=Perm.MANAGE,
        via="round__committee",
        request=request,
        pk=pk,
    )
    form = ObjectionResolveForm(posted(request), initial={"response": objection.response})
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_resolve(
                objection=objection, response=form.cleaned_data["response"], by=request.user, request=request
            )
        except ValidationError as exc:
            form.add_error(None, messages_of(exc))
        else:
            messages.success(request, _("Objection answered."))
            return redirect("assessments:round_results", pk=objection.round_id)
    return render(
        request,
        "assessments/form.html",
        {"form": form, "title": _("Answer the objection"), "intro": objection.content, "back_round": objection.round},
    )


def _report_committee(request: HttpRequest, round_: Round) -> Committee:
    committee_id = id_param(request.POST, "committee") or id_param(request.GET, "committee")
    if not committee_id:
        return round_.committee
    c = round_.committee
    committee = committees_for(request.user).filter(tree.subtree_q(c, ""), pk=committee_id).first()
    if committee is None:
        raise not_found(request, "orgs.committee", committee_id)
    return committee


@login_required
@require_POST
def report_request(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk)
    committee = _report_committee(request, round_)
    job = services.report_job_request(round_=round_, committee=committee, by=request.user, request=request)
    return redirect("assessments:report_status", pk=job.pk)


def _job(request: HttpRequest, pk: int) -> ReportJob:
    job = ReportJob.objects.select_related("round__committee", "committee").filter(pk=pk).first()
    if job is None or not selectors.rounds_for(request.user).filter(pk=job.round_id).exists():
        raise not_found(request, "assessments.reportjob", pk)
    return job


@login_required
@require_GET
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    running = job.status in (ReportJobStatus.PENDING, ReportJobStatus.RUNNING)
    return render(request, "assessments/report_status.html", {"job": job, "running": running})


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.status != ReportJobStatus.DONE or not job.file:
        raise not_found(request, "assessments.reportjob", pk)
    return stored_file_response(
        job.file,
        filename=f"round-{job.round_id}-{job.committee.code}.pdf",
        missing_message=_(
            "The report file is no longer on the server. Please make the summary PDF again from the round's page."
        ),
    )
