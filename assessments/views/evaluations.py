"""Evaluation pages: self-assessment, review, workflow buttons, evidence, PDF and dossier."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import metric_source, selectors, services
from assessments.forms import EvidenceForm
from assessments.models import CriterionKind, EvaluationStatus, Evidence, Score
from assessments.services import Entry
from assessments.views.common import messages_of, not_found
from guanwei.confirm import Fact, confirm_page
from guanwei.files import open_stored, stored_file_response
from orgs import audit
from orgs.models import AuditEvent
from orgs.scoping import deny

S = EvaluationStatus


def _evaluation(request: HttpRequest, pk: int):
    return selectors.get_evaluation_for_user(request.user, pk, request)


@login_required
@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    may_self = selectors.may_self_assess(request.user, evaluation)
    may_review = selectors.may_review(request.user, evaluation)
    lines = selectors.evaluation_lines(evaluation)
    self_outcome, review_outcome = selectors.evaluation_outcomes(evaluation)
    measured = [line.criterion for _dim, rows in lines for line in rows if line.criterion.kind == CriterionKind.METRIC]
    records = metric_source.counted_records_many(measured, evaluation.committee, evaluation.round)
    for _dim, rows in lines:
        for line in rows:
            line.records = records.get(line.criterion.pk, [])
    editable_self = may_self and evaluation.status in (S.DRAFT, S.RETURNED)
    reviewable = may_review and evaluation.status in (S.SUBMITTED, S.UNDER_REVIEW)
    unscored = selectors.missing_review_scores(evaluation, lines) if reviewable else []
    return render(
        request,
        "assessments/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "round": evaluation.round,
            "rubric": evaluation.round.rubric,
            "lines": lines,
            "self_outcome": self_outcome,
            "review_outcome": review_outcome,
            "may_self": may_self,
            "may_review": may_review,
            "editable_self": editable_self,
            "reviewable": reviewable,
            "unscored_count": len(unscored),
            "events": list(selectors.evaluation_events(evaluation)),
            "changes": list(selectors.evaluation_changes(evaluation, 50)),
            "evidence_form": EvidenceForm() if editable_self else None,
        },
    )


def _grid(request: HttpRequest, pk: int, side: str) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if side == "self":
        allowed, statuses = selectors.may_self_assess(request.user, evaluation), (S.DRAFT, S.RETURNED)
    else:
        allowed, statuses = selectors.may_review(request.user, evaluation), (S.SUBMITTED, S.UNDER_REVIEW)
    if not allowed:
        deny(request.user, request, type(evaluation), evaluation.pk, f"may not score ({side})")
    if evaluation.status not in statuses:
        messages.error(
            request,
            _("This cannot be done while the evaluation is “%(status)s”.")
            % {"status": evaluation.get_status_display()},
        )
        return redirect("assessments:evaluation_detail", pk=evaluation.pk)
    lines = selectors.evaluation_lines(evaluation)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")[:2000]
        entries = {}
        for _dim, rows in lines:
            for line in rows:
                cid = line.criterion.pk
                raw = request.POST.get(f"p_{cid}", "")
                try:
                    points = services.parse_points(raw)
                except ValidationError as exc:
                    errors[str(cid)] = exc.messages
                    continue
                entries[cid] = Entry(points, request.POST.get(f"c_{cid}", "")[:4000])
        if not errors:
            service = services.evaluation_self_score if side == "self" else services.evaluation_review_score
            try:
                service(evaluation=evaluation, entries=entries, by=request.user, reason=reason, request=request)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    errors = exc.message_dict
                else:
                    general = exc.messages
            else:
                messages.success(request, _("Scores saved."))
                return redirect("assessments:evaluation_detail", pk=evaluation.pk)
        # Keep what was typed.
        for _dim, rows in lines:
            for line in rows:
                cid = line.criterion.pk
                line.typed_points = request.POST.get(f"p_{cid}", "")
                line.typed_comment = request.POST.get(f"c_{cid}", "")
                line.errors = errors.get(str(cid), [])
    else:
        for _dim, rows in lines:
            for line in rows:
                points = line.self_points if side == "self" else line.review_points
                line.typed_points = "" if points is None else points
                line.typed_comment = line.score.self_comment if side == "self" else line.score.review_comment
                line.errors = []
    return render(
        request,
        "assessments/evaluation_score.html",
        {
            "evaluation": evaluation,
            "round": evaluation.round,
            "lines": lines,
            "side": side,
            "reason": reason,
            "has_errors": bool(errors or general),
            "general_errors": general,
        },
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_self(request: HttpRequest, pk: int) -> HttpResponse:
    return _grid(request, pk, "self")


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _grid(request, pk, "review")


def _transition(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    try:
        service(evaluation=evaluation, by=request.user, request=request)
    except PermissionDenied:
        deny(request.user, request, type(evaluation), evaluation.pk, f"may not {service.__name__}")
    except ValidationError as exc:
        messages.error(request, " ".join(messages_of(exc)))
    else:
        messages.success(request, done)
    return redirect("assessments:evaluation_detail", pk=evaluation.pk)


@login_required
@require_POST
def evaluation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.evaluation_submit, _("Submitted for review."))


@login_required
@require_POST
def evaluation_start_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.evaluation_start_review, _("Review started."))


@login_required
@require_POST
def evaluation_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.evaluation_finalise, _("Finalised. The scores are now locked."))


def _finalise_refusals(evaluation) -> list[str]:
    """Why 定稿 cannot be done now (the service refuses the same): empty when it can."""
    if evaluation.status == S.FINALISED:
        return [_("This evaluation is finalised; its scores are locked.")]
    if evaluation.status not in (S.SUBMITTED, S.UNDER_REVIEW):
        return [
            _("This cannot be done while the evaluation is “%(status)s”.") % {"status": evaluation.get_status_display()}
        ]
    missing = selectors.missing_review_scores(evaluation)
    if missing:
        return [
            _("Give a review score on every criterion first. Not yet scored (%(n)s): %(list)s")
            % {"n": len(missing), "list": "；".join(str(c) for c in missing)}
        ]
    return []


def _outcome_total(outcome) -> str:
    return str(outcome.total) if outcome.points else "—"


@login_required
@require_GET
def evaluation_finalise_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """What 定稿 will lock, with the totals and the grade it gives, before the one POST that does it."""
    evaluation = _evaluation(request, pk)
    if not selectors.may_review(request.user, evaluation):
        deny(request.user, request, type(evaluation), evaluation.pk, "may not finalise")
    rubric = evaluation.round.rubric
    self_outcome, review_outcome = selectors.evaluation_outcomes(evaluation)
    band = review_outcome.band if review_outcome.points else None
    facts = [
        Fact(_("Self-assessed total"), _outcome_total(self_outcome)),
        Fact(_("Reviewed total"), _outcome_total(review_outcome)),
        Fact(_("Bonus"), review_outcome.bonus if review_outcome.points else "—"),
        Fact(_("Grade"), band.label if band else "—", tone=band.tone if band else ""),
    ]
    if rubric.gate_label and review_outcome.points:
        passed = review_outcome.gate_passed
        facts.append(
            Fact(
                rubric.gate_label,
                _("reached") if passed else _("not reached"),
                tone="ok" if passed else "bad",
            )
        )
    detail_url = reverse("assessments:evaluation_detail", args=[evaluation.pk])
    grade = band.label if band else "—"
    return confirm_page(
        request,
        title=_("Finalise the evaluation"),
        question=_("Finalise the evaluation of %(committee)s in “%(round)s”?")
        % {"committee": evaluation.committee.name, "round": evaluation.round.name},
        action_url=reverse("assessments:evaluation_finalise", args=[evaluation.pk]),
        cancel_url=detail_url,
        button=_("Yes, finalise and lock the scores"),
        facts=facts,
        consequences=[
            _("The reviewed total %(total)s and the grade “%(grade)s” become the committee's result in this round.")
            % {"total": _outcome_total(review_outcome), "grade": grade},
            _("Every self-score and review score, with its comment, is locked: nobody can change them afterwards."),
            _("The evaluation can no longer be returned to the committee."),
            _("Finalising cannot be undone."),
        ],
        refused=_finalise_refusals(evaluation),
        crumbs=[
            (_("Assessments"), reverse("assessments:index")),
            (evaluation.committee.name, detail_url),
        ],
    )


@login_required
@require_POST
def evaluation_prefill(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not selectors.may_self_assess(request.user, evaluation):
        deny(request.user, request, type(evaluation), evaluation.pk, "may not prefill")
    n = services.evaluation_prefill_metrics(evaluation=evaluation, by=request.user, request=request)
    if n:
        messages.success(request, _("%(n)s criteria were scored from the activity log.") % {"n": n})
    else:
        messages.warning(request, _("No criterion of this evaluation can be measured from activity data right now."))
    return redirect("assessments:evaluation_detail", pk=evaluation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_return(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not selectors.may_review(request.user, evaluation):
        deny(request.user, request, type(evaluation), evaluation.pk, "may not return")
    lines = selectors.evaluation_lines(evaluation)
    error = ""
    if request.method == "POST":
        reasons = {}
        for _dim, rows in lines:
            for line in rows:
                reasons[line.criterion.pk] = request.POST.get(f"r_{line.criterion.pk}", "")[:2000]
                line.typed_reason = reasons[line.criterion.pk]
        try:
            services.evaluation_return(evaluation=evaluation, by=request.user, reasons=reasons, request=request)
        except ValidationError as exc:
            error = " ".join(messages_of(exc))
        else:
            messages.success(request, _("Returned to the committee with your reasons."))
            return redirect("assessments:evaluation_detail", pk=evaluation.pk)
    return render(
        request,
        "assessments/evaluation_return.html",
        {"evaluation": evaluation, "round": evaluation.round, "lines": lines, "error": error},
    )


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not selectors.may_self_assess(request.user, evaluation):
        deny(request.user, request, type(evaluation), evaluation.pk, "may not add evidence")
    score = Score.objects.filter(evaluation=evaluation, pk=score_pk).first()
    if score is None:
        raise not_found(request, "assessments.score", score_pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.evidence_add(
                evaluation=evaluation, score=score, upload=form.cleaned_data["file"], by=request.user, request=request
            )
        except PermissionDenied:
            deny(request.user, request, type(evaluation), evaluation.pk, "may not add evidence")
        except ValidationError as exc:
            messages.error(request, " ".join(messages_of(exc)))
        else:
            messages.success(request, _("Evidence added."))
    return redirect(reverse("assessments:evaluation_detail", args=[evaluation.pk]) + f"#c{score.criterion_id}")


def _evidence(request: HttpRequest, pk: int) -> Evidence:
    visible = selectors.evaluations_for(request.user).values("pk")
    evidence = (
        Evidence.objects.select_related("score__evaluation__committee", "score__evaluation__round")
        .filter(pk=pk, score__evaluation__in=visible)
        .first()
    )
    if evidence is None:
        raise not_found(request, "assessments.evidence", pk)
    return evidence


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence(request, pk)
    return stored_file_response(evidence.file, inline_image=evidence.kind == "image", filename=evidence.original_name)


@login_required
@require_GET
def evidence_delete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence(request, pk)
    evaluation = evidence.score.evaluation
    if not selectors.may_self_assess(request.user, evaluation):
        deny(request.user, request, Evidence, pk, "may not delete evidence")
    detail_url = reverse("assessments:evaluation_detail", args=[evaluation.pk]) + f"#c{evidence.score.criterion_id}"
    editable = evaluation.status in (S.DRAFT, S.RETURNED)
    return confirm_page(
        request,
        title=_("Remove an evidence file"),
        question=_("Remove “%(name)s” from the evidence of “%(criterion)s”?")
        % {"name": evidence.original_name, "criterion": str(evidence.score.criterion)},
        action_url=reverse("assessments:evidence_delete", args=[evidence.pk]),
        cancel_url=detail_url,
        button=_("Yes, remove the file"),
        consequences=[_("The file is deleted from the server; to bring it back, upload it again.")],
        refused=[]
        if editable
        else [
            _("This cannot be done while the evaluation is “%(status)s”.") % {"status": evaluation.get_status_display()}
        ],
        crumbs=[(_("Assessments"), reverse("assessments:index")), (evaluation.committee.name, detail_url)],
    )


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence(request, pk)
    evaluation = evidence.score.evaluation
    try:
        services.evidence_delete(evidence=evidence, by=request.user, request=request)
    except PermissionDenied:
        deny(request.user, request, Evidence, pk, "may not delete evidence")
    except ValidationError as exc:
        messages.error(request, " ".join(messages_of(exc)))
    else:
        messages.success(request, _("Evidence removed."))
    return redirect("assessments:evaluation_detail", pk=evaluation.pk)


def _safe_name(text: str, limit: int = 60) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .")
    return cleaned[:limit] or "_"


@login_required
@require_GET
def evaluation_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """Every evidence file of the evaluation in one zip, in a folder per criterion."""
    evaluation = _evaluation(request, pk)
    buffer = io.BytesIO()
    missing: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for dim_index, (_dimension, rows) in enumerate(selectors.evaluation_lines(evaluation), start=1):
            for line in rows:
                c = line.criterion
                folder = _safe_name(f"{dim_index:02d} {c.code} {c.title}".replace("  ", " "))
                for n, e in enumerate(line.evidence, start=1):
                    suffix = PurePath(e.original_name).suffix
                    stem = _safe_name(PurePath(e.original_name).stem, 80)
                    fh = open_stored(e.file)
                    if fh is None:  # lost from storage: the rest still goes out, with a list of what is missing
                        missing.append(f"{folder}/{e.original_name}")
                        continue
                    with fh:
                        archive.writestr(f"{folder}/{n:02d}-{stem}{suffix}", fh.read())
        if missing:
            note = _(
                "These evidence files are no longer on the server and are not in this archive. "
                "Please tell the system administrator, who can restore them from a backup:"
            )
            archive.writestr(_("missing-files.txt"), "\r\n".join([note, "", *missing, ""]))
    buffer.seek(0)
    audit.record(action=AuditEvent.Action.EXPORT, user=request.user, request=request, obj=evaluation, summary="dossier")
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"{_safe_name(evaluation.committee.name)}-{evaluation.round.year}-evidence.zip",
        content_type="application/zip",
    )


@login_required
@require_GET
def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from assessments.pdf import render_evaluation_pdf

    evaluation = _evaluation(request, pk)
    pdf, _fetcher = render_evaluation_pdf(evaluation)
    audit.record(action=AuditEvent.Action.EXPORT, user=request.user, request=request, obj=evaluation, summary="pdf")
    return FileResponse(
        io.BytesIO(pdf),
        as_attachment=True,
        filename=f"{_safe_name(evaluation.committee.name)}-{evaluation.round.year}.pdf",
        content_type="application/pdf",
    )
