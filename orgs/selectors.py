"""Reads of the committee tree and registry, always starting from the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from orgs import tree
from orgs.models import Committee, Grant, Grouping, Membership, MemberUnit, Person
from orgs.scoping import Perm, can_anywhere, committees_for, is_system_admin, scope_ranges, scoped


def committee_children(user: Any, committee: Committee) -> QuerySet[Committee]:
    """Direct sub-committees the user can see, with head counts of their registries."""
    return (
        committees_for(user)
        .filter(parent=committee)
        .annotate(
            descendant_count=tree.descendant_count(),
            people_count=Count("people", distinct=True),
            wulao_count=Count("people", filter=~Q(people__wulao_category=""), distinct=True),
        )
        .order_by("code")
    )


def committee_breadcrumbs(user: Any, committee: Committee) -> list[Committee]:
    """Ancestors down to the committee, starting at the highest one the user can see."""
    ancestors = list(Committee.objects.filter(tree.ancestors_q(committee, "")).order_by("depth"))
    if is_system_admin(user):
        return ancestors
    ranges = scope_ranges(user)
    return [a for a in ancestors if any(r.covers(a) for r in ranges)]


def committee_search(user: Any, text: str, limit: int = 50) -> QuerySet[Committee]:
    text = text.strip()
    qs = committees_for(user)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__iexact=text))
    return qs.order_by("path")[:limit]


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
    return Grant.objects.filter(user=user).select_related("committee").order_by("committee__path")


def committee_subtree(user: Any, committee: Committee) -> QuerySet[Committee]:
    """The committee and every committee below it that the user can see, in tree order."""
    return committees_for(user).filter(tree.subtree_q(committee, "")).select_related("parent").order_by("path")


def committee_by_code(code: str) -> Committee | None:
    """A committee anywhere in the tree by its unique code.

    Not scoped on purpose: imports must tell "this code is taken outside your
    scope" apart from "free to use"; callers decide what the user may learn.
    """
    return Committee.objects.filter(code=code).first()


def scoped_memberships(user: Any) -> QuerySet[Membership]:
    """Memberships in committees the user can see, for prefetching onto people."""
    return scoped(user, Membership.objects.select_related("committee")).order_by("committee__path", "role", "id")


def people_list_for(user: Any) -> QuerySet[Person]:
    """People the user can see with the roles they hold in visible committees; constant query count."""
    return (
        people_for(user)
        .prefetch_related(Prefetch("memberships", queryset=scoped_memberships(user), to_attr="visible_memberships"))
        .order_by("committee__path", "name", "id")
    )


def person_memberships(user: Any, person: Person) -> QuerySet[Membership]:
    return scoped_memberships(user).filter(person=person)


def committee_members_for(user: Any, committee: Committee) -> QuerySet[Membership]:
    """Members of one committee, with each person's own committee for linking."""
    return (
        scoped(user, Membership.objects.filter(committee=committee))
        .select_related("person", "person__committee")
        .order_by("role", "person__name", "id")
    )


def wulao_counts(people: QuerySet[Person]) -> dict[str, int]:
    """Head count per 五老 category in one query."""
    rows = people.exclude(wulao_category="").order_by().values_list("wulao_category").annotate(n=Count("pk"))
    return dict(rows)


def grouping_list_for(user: Any) -> QuerySet[Grouping]:
    return groupings_for(user).annotate(member_count=Count("members", distinct=True)).order_by("name", "id")


def grouping_members(grouping: Grouping) -> QuerySet[Committee]:
    """Member committees of a grouping; they may sit anywhere in the tree, so show names only."""
    return grouping.members.all().only("id", "name", "code").order_by("name")


def groupings_led_by(user: Any, committee: Committee) -> QuerySet[Grouping]:
    return groupings_for(user).filter(lead=committee).order_by("name")


def committees_by_codes(codes: list[str]) -> QuerySet[Committee]:
    """Committees anywhere in the tree by code: 片 members are chosen across the tree."""
    return Committee.objects.filter(code__in=codes)


def grouping_member_search(user: Any, text: str, limit: int = 20) -> QuerySet[Committee]:
    """Committees anywhere in the tree by name or code, for building a 片.

    Only users who manage some committee (and so may build groupings) get
    results, and only names and codes.
    """
    text = text.strip()
    if not text or not can_anywhere(user, Perm.MANAGE):
        return Committee.objects.none()
    return (
        Committee.objects.filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__iexact=text))
        .only("id", "name", "code")
        .order_by("path")[:limit]
    )
