"""The one place that decides what a user may see and change.

A grant of (user, committee, role) covers the committee's whole subtree. Every
queryset that reaches a user is narrowed here (`scoped`), and every object a
view opens is fetched here (`get_in_scope`): outside the user's scope it
answers 404 exactly like a missing object; visible but not changeable, 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from orgs import tree
from orgs.models import Committee, Grant, GrantRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest


class Perm(StrEnum):
    VIEW = "view"  # read records of the subtree
    EDIT = "edit"  # log activities, keep the registry of people, fill self-assessments
    APPROVE = "approve"  # approve plans and submissions
    REVIEW = "review"  # score evaluations assigned to the user
    MANAGE = "manage"  # create, rename and move committees; grants; rubrics; rounds


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    GrantRole.SECRETARY: frozenset({Perm.VIEW, Perm.EDIT}),
    GrantRole.LEADER: frozenset({Perm.VIEW, Perm.APPROVE}),
    GrantRole.REVIEWER: frozenset({Perm.VIEW, Perm.REVIEW}),
    GrantRole.ADMIN: frozenset({Perm.VIEW, Perm.EDIT, Perm.APPROVE, Perm.MANAGE}),
}


@dataclass(frozen=True)
class ScopeRange:
    """One granted committee's subtree, by its tree path."""

    committee_id: int
    path: str
    role: str

    def covers(self, committee: Committee) -> bool:
        return tree.contains(self.path, committee)


_CACHE_ATTR = "_guanwei_scope_ranges"


def scope_ranges(user: AbstractBaseUser | AnonymousUser) -> list[ScopeRange]:
    """The user's grants as tree intervals; one query, cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = Grant.objects.filter(user=user).values_list("committee_id", "committee__path", "role")
        cached = [ScopeRange(*row) for row in rows]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_scope(user: Any) -> None:
    """Drop the cached ranges, e.g. after grants or the tree changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_system_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def _ranges_with(user: Any, perm: Perm) -> list[ScopeRange]:
    return [r for r in scope_ranges(user) if perm in ROLE_PERMS.get(r.role, frozenset())]


def scope_q(user: Any, perm: Perm = Perm.VIEW, via: str = "committee") -> Q:
    """A Q object selecting rows whose committee (reached through `via`) is in scope.

    `via=""` means the rows are committees themselves.
    """
    if is_system_admin(user):
        return Q()
    ranges = _ranges_with(user, perm)
    if not ranges:
        return Q(pk__in=[])
    return tree.subtrees_q([r.path for r in ranges], via)


def ancestor_scope_q(user: Any, via: str = "committee") -> Q:
    """Rows whose committee is a strict ancestor of a committee the user is granted.

    For things a higher committee publishes to the committees below it (plans,
    rounds): a college sees the university's published plan without seeing the
    university's own records.
    """
    if is_system_admin(user):
        return Q()
    return tree.ancestors_of_any_q([r.path for r in scope_ranges(user)], via)


def scoped(user: Any, queryset: QuerySet, perm: Perm = Perm.VIEW, via: str = "committee") -> QuerySet:
    """Narrow any queryset to rows the user may see (or act on with `perm`)."""
    return queryset.filter(scope_q(user, perm, via))


def committees_for(user: Any, perm: Perm = Perm.VIEW) -> QuerySet[Committee]:
    return scoped(user, Committee.objects.all(), perm, via="")


def can(user: Any, perm: Perm, committee: Committee) -> bool:
    """Whether the user holds `perm` on this committee (through any grant above it)."""
    if is_system_admin(user):
        return True
    return any(r.covers(committee) for r in _ranges_with(user, perm))


def can_anywhere(user: Any, perm: Perm) -> bool:
    """Whether the user holds `perm` on at least one committee (drives navigation)."""
    return is_system_admin(user) or bool(_ranges_with(user, perm))


def scope_roots(user: Any) -> QuerySet[Committee]:
    """The top committees of the user's scope (tree roots for a system admin)."""
    if is_system_admin(user):
        return Committee.objects.filter(parent__isnull=True)
    outermost = set(tree.outermost(r.path for r in scope_ranges(user)))
    ids = [r.committee_id for r in scope_ranges(user) if r.path in outermost]
    return Committee.objects.filter(pk__in=ids)


def _committee_of(obj: Model, via: str) -> Committee:
    target: Any = obj
    for part in via.split("__") if via else []:
        target = getattr(target, part)
    return target


def get_in_scope(
    user: Any,
    queryset: QuerySet,
    *,
    perm: Perm = Perm.VIEW,
    via: str = "committee",
    request: HttpRequest | None = None,
    **lookup: Any,
) -> Any:
    """Fetch one object the user may see; 404 outside scope, 403 without `perm`.

    Both answers are written to the audit log, so probing leaves a trace.
    """
    obj = scoped(user, queryset, Perm.VIEW, via).filter(**lookup).first()
    if obj is None:
        _record_denial(user, request, queryset.model, lookup, "not found or outside scope")
        raise Http404
    if perm != Perm.VIEW and not can(user, perm, _committee_of(obj, via)):
        _record_denial(user, request, queryset.model, lookup, f"lacks {perm}")
        raise PermissionDenied
    return obj


def require(user: Any, perm: Perm, committee: Committee, request: HttpRequest | None = None) -> None:
    """403 unless the user holds `perm` on a committee they can already see."""
    if not can(user, perm, committee):
        _record_denial(user, request, Committee, {"pk": committee.pk}, f"lacks {perm}")
        raise PermissionDenied


def not_found(user: Any, request: HttpRequest | None, model: type[Model] | str, object_id: Any) -> Http404:
    """The 404 for something missing or outside the user's scope (the two look alike), audited; raise it."""
    _record_denial(user, request, model, {"pk": object_id}, "not found or outside scope")
    return Http404()


def deny(user: Any, request: HttpRequest | None, model: type[Model], object_id: Any, reason: str) -> None:
    """Refuse with 403 and leave a trace in the audit log."""
    _record_denial(user, request, model, {"pk": object_id}, reason)
    raise PermissionDenied


def _record_denial(user: Any, request: HttpRequest | None, model: type[Model] | str, lookup: dict, reason: str) -> None:
    from orgs.audit import record

    object_id = str(lookup.get("pk", lookup.get("id", "")))[:40]
    record(
        action="denied",
        user=user,
        request=request,
        object_type=model if isinstance(model, str) else model._meta.label_lower,
        object_id=object_id,
        summary=reason,
    )
