"""Filters for the people list and the 五老 registry (django-filter)."""

from __future__ import annotations

import uuid
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs import tree
from orgs.forms import CommitteeChoiceField
from orgs.models import Committee, MemberRole, Membership, WulaoCategory
from orgs.scoping import committees_for, scoped

ANY_WULAO = "any"
YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]


def _committees_in_scope(request: Any) -> QuerySet[Committee]:
    return committees_for(request.user).order_by("path")


class CommitteeFilter(django_filters.ModelChoiceFilter):
    field_class = CommitteeChoiceField


def active_q(today: Any) -> Q:
    """People taking part on `today`: started (or no start date) and not yet ended."""
    return (Q(active_from__isnull=True) | Q(active_from__lte=today)) & (
        Q(active_until__isnull=True) | Q(active_until__gte=today)
    )


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or phone"), method="filter_text", max_length=60)
    committee = CommitteeFilter(
        label=_("Committee (with its sub-committees)"),
        queryset=_committees_in_scope,
        method="filter_subtree",
        empty_label=_("All committees I can see"),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=MemberRole.choices, method="filter_role", empty_label=_("Any role")
    )
    wulao_category = django_filters.ChoiceFilter(
        label=_("五老 category"),
        choices=[(ANY_WULAO, _("Any 五老 category")), *WulaoCategory.choices],
        method="filter_wulao",
        empty_label=_("Everyone"),
    )
    real_name_registered = django_filters.ChoiceFilter(
        label=_("Real-name registered"), choices=YES_NO, method="filter_registered", empty_label=_("Either")
    )
    active = django_filters.ChoiceFilter(
        label=_("Taking part now"), choices=YES_NO, method="filter_active", empty_label=_("Either")
    )
    # The people of one Excel import, where its done page leads.
    batch = django_filters.CharFilter(method="filter_batch", widget=forms.HiddenInput)

    def filter_batch(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        try:
            batch = uuid.UUID(value[:40])
        except ValueError:
            return queryset.none()  # not a batch reference: nothing matches
        return queryset.filter(import_batch=batch)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(phone__contains=value))

    def filter_subtree(self, queryset: QuerySet, name: str, value: Committee | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(tree.subtree_q(value, "committee"))

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        # Only roles the viewer can see count, so the list's role column agrees with the filter.
        held = scoped(self.request.user, Membership.objects.filter(person=OuterRef("pk"), role=value))
        return queryset.filter(Exists(held))

    def filter_wulao(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        if value == ANY_WULAO:
            return queryset.exclude(wulao_category="")
        return queryset.filter(wulao_category=value)

    def filter_registered(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(real_name_registered=(value == YES))

    def filter_active(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        q = active_q(timezone.localdate())
        return queryset.filter(q) if value == YES else queryset.exclude(q)
