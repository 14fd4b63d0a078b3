"""Reads of the committee tree and registry, always starting from the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from orgs.models import Committee, Grant, Grouping, Membership, MemberUnit, Person
from orgs.scoping import Perm, committees_for, is_system_admin, scope_ranges, scoped


def committee_children(user: Any, committee: Committee) -> QuerySet[Committee]:
    """Direct sub-committees the user can see, with head counts of their registries."""
    return (
        committees_for(user)
        .filter(parent=committee)
        .annotate(
            people_count=Count("people", distinct=True),
            wulao_count=Count("people", filter=~Q(people__wulao_category=""), distinct=True),
        )
        .order_by("code")
    )


def committee_breadcrumbs(user: Any, committee: Committee) -> list[Committee]:
    """Ancestors down to the committee, starting at the highest one the user can see."""
    ancestors = list(committee.get_ancestors())
    if is_system_admin(user):
        return ancestors
    ranges = scope_ranges(user)
    return [a for a in ancestors if any(r.covers(a) for r in ranges)]


def committee_search(user: Any, text: str, limit: int = 50) -> QuerySet[Committee]:
    text = text.strip()
    qs = committees_for(user)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__iexact=text))
    return qs.order_by("tree_id", "lft")[:limit]


def people_for(user: Any, perm: Perm = Perm.VIEW) -> QuerySet[Person]:
    return scoped(user, Person.objects.select_related("committee"), perm)


def memberships_for(user: Any) -> QuerySet[Membership]:
    return scoped(user, Membership.objects.select_related("person", "committee"))


def member_units_for(user: Any) -> QuerySet[MemberUnit]:
    return scoped(user, MemberUnit.objects.select_related("committee"))


def groupings_for(user: Any) -> QuerySet[Grouping]:
    """Groupings led by a committee in scope."""
    return scoped(user, Grouping.objects.select_related("lead"), via="lead")


def committee_members(committee: Committee) -> QuerySet[Membership]:
    return Membership.objects.filter(committee=committee).select_related("person").order_by("role", "person__name")


def grants_of(user: Any) -> QuerySet[Grant]:
    return Grant.objects.filter(user=user).select_related("committee").order_by("committee__tree_id", "committee__lft")
