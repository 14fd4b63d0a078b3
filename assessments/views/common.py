"""Lookups shared by the assessment views; every one goes through scoping or the assessment selectors."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from assessments import selectors
from assessments.models import Criterion, Dimension, GradeBand, Round, Rubric
from orgs import scoping, tree
from orgs.models import Grant, GrantRole
from orgs.scoping import Perm, deny, get_in_scope


def not_found(request: HttpRequest, label: str, pk: Any) -> Http404:
    return scoping.not_found(request.user, request, label, pk)


def get_rubric(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW) -> Rubric:
    return get_in_scope(
        request.user, Rubric.objects.select_related("owner"), perm=perm, via="owner", request=request, pk=pk
    )


def get_dimension(request: HttpRequest, pk: int) -> Dimension:
    return get_in_scope(
        request.user,
        Dimension.objects.select_related("rubric__owner"),
        perm=Perm.MANAGE,
        via="rubric__owner",
        request=request,
        pk=pk,
    )


def get_criterion(request: HttpRequest, pk: int) -> Criterion:
    return get_in_scope(
        request.user,
        Criterion.objects.select_related("dimension__rubric__owner"),
        perm=Perm.MANAGE,
        via="dimension__rubric__owner",
        request=request,
        pk=pk,
    )


def get_band(request: HttpRequest, pk: int) -> GradeBand:
    return get_in_scope(
        request.user,
        GradeBand.objects.select_related("rubric__owner"),
        perm=Perm.MANAGE,
        via="rubric__owner",
        request=request,
        pk=pk,
    )


def get_round(request: HttpRequest, pk: int, *, manage: bool = False) -> Round:
    """A round the user runs or leads; 404 otherwise; 403 when `manage` is asked of a leader."""
    round_ = selectors.rounds_for(request.user).filter(pk=pk).first()
    if round_ is None:
        raise not_found(request, "assessments.round", pk)
    if manage and not selectors.may_manage_round(request.user, round_):
        deny(request.user, request, Round, pk, "lacks manage")
    return round_


def round_reviewers(round_: Round) -> Any:
    """Users who hold a reviewer grant somewhere in the round's tree (province, 片 lead schools …)."""
    ids = Grant.objects.filter(tree.same_tree_q(round_.committee), role=GrantRole.REVIEWER).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")


def messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)
