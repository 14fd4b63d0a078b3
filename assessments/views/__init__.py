"""Assessment pages. Every lookup goes through orgs.scoping or assessments.selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import selectors
from assessments.models import EvaluationStatus
from orgs.scoping import Perm, can_anywhere


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """My evaluations to fill, to review, and the rounds I run or lead."""
    user = request.user
    to_fill = list(selectors.evaluations_to_fill(user).order_by("round__self_deadline", "committee__code")[:50])
    to_review = list(
        selectors.evaluations_to_review(user)
        .exclude(status__in=[EvaluationStatus.DRAFT])
        # What the reviewer still has to do comes first; finalised ones last.
        .annotate(
            todo_order=Case(
                When(status=EvaluationStatus.SUBMITTED, then=Value(0)),
                When(status=EvaluationStatus.UNDER_REVIEW, then=Value(1)),
                When(status=EvaluationStatus.RETURNED, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("todo_order", "round__review_deadline", "committee__code")[:100]
    )
    rounds = list(selectors.rounds_for(user).order_by("-year", "name")[:30])
    return render(
        request,
        "assessments/index.html",
        {
            "to_fill": to_fill,
            "to_review": to_review,
            "rounds": rounds,
            "can_manage": can_anywhere(user, Perm.MANAGE),
        },
    )
