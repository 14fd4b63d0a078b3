"""Who reviews what: reviewers and panels (考核小组) assigned to evaluations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import (
    Evaluation,
    EvaluationStatus,
    ReviewAssignment,
    ReviewPanel,
    Round,
    ScoreChange,
    ScoreSide,
)
from orgs import audit
from orgs.models import AuditEvent, Grant, GrantRole, Grouping


@transaction.atomic
def assignment_add(
    *, evaluation: Evaluation, user: Any = None, panel: ReviewPanel | None = None, by: Any = None, request: Any = None
) -> ReviewAssignment:
    if (user is None) == (panel is None):
        raise ValidationError(_("Choose either a reviewer or a panel."))
    if panel is not None and panel.round_id != evaluation.round_id:
        raise ValidationError(_("This panel belongs to another round."))
    assignment, created = ReviewAssignment.objects.get_or_create(evaluation=evaluation, user=user, panel=panel)
    if created:
        audit.record(
            action=AuditEvent.Action.CREATE,
            user=by,
            request=request,
            obj=assignment,
            summary=f"{evaluation} ← {panel or user}",
        )
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: ReviewAssignment, by: Any = None, request: Any = None) -> None:
    """Take an assignment back while the evaluation is open and its reviewer has not scored it.

    The evaluation row is locked first, as every review write locks it, so a review score saved
    at the same moment either lands before (and the removal is refused) or after (and is refused
    to the reviewer who lost the assignment).
    """
    evaluation = Evaluation.objects.select_for_update().get(pk=assignment.evaluation_id)
    current = ReviewAssignment.objects.select_related("user", "panel").filter(pk=assignment.pk).first()
    if current is None:
        return  # someone else took it back a moment ago: nothing left to do
    if evaluation.status == EvaluationStatus.FINALISED:
        raise ValidationError(_("This evaluation is finalised; its reviewers can no longer change."), code="locked")
    if current.panel_id:
        reviewer_ids = list(current.panel.members.values_list("pk", flat=True))
        who = current.panel.name
    else:
        reviewer_ids = [current.user_id]
        who = current.user.get_full_name() or current.user.get_username()
    scored = ScoreChange.objects.filter(score__evaluation=evaluation, side=ScoreSide.REVIEW, by__in=reviewer_ids)
    if scored.exists():
        raise ValidationError(
            _("%(who)s has already entered review scores for this evaluation; the assignment stays.") % {"who": who},
            code="scored",
        )
    audit.record(
        action=AuditEvent.Action.DELETE, user=by, request=request, obj=current, summary=f"{evaluation} ← {who}"
    )
    current.delete()


@transaction.atomic
def panel_create(
    *,
    round_: Round,
    name: str,
    members: Iterable[Any],
    grouping: Grouping | None = None,
    by: Any = None,
    request: Any = None,
) -> ReviewPanel:
    if ReviewPanel.objects.filter(round=round_, name=name).exists():
        raise ValidationError({"name": _("This round already has a panel with this name.")})
    panel = ReviewPanel(round=round_, name=name, grouping=grouping)
    panel.full_clean()
    panel.save()
    panel.members.set(list(members))
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=panel)
    return panel


def lead_reviewers(grouping: Grouping) -> list[Any]:
    """Users holding a reviewer grant on the 片's lead committee."""
    ids = Grant.objects.filter(committee=grouping.lead, role=GrantRole.REVIEWER).values("user_id")
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username"))


@transaction.atomic
def assign_grouping(*, round_: Round, grouping: Grouping, by: Any = None, request: Any = None) -> ReviewPanel:
    """The lead committee of a 片 reviews its members: a panel of the lead's reviewers, assigned to them."""
    reviewers = lead_reviewers(grouping)
    if not reviewers:
        raise ValidationError(
            _("Nobody holds a reviewer role at %(lead)s yet. Grant one first.") % {"lead": grouping.lead}
        )
    panel = ReviewPanel.objects.filter(round=round_, grouping=grouping).first()
    if panel is None:
        panel = panel_create(round_=round_, name=f"{grouping.name}", members=reviewers, grouping=grouping, by=by)
    else:
        panel.members.add(*reviewers)
    member_ids = grouping.members.values("pk")
    for evaluation in round_.evaluations.filter(committee__in=member_ids).exclude(committee=grouping.lead):
        assignment_add(evaluation=evaluation, panel=panel, by=by, request=request)
    return panel
