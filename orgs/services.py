"""Writes to the committee tree and the registry. Views, imports and commands call these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from guanwei.changes import set_fields
from orgs import audit, tree
from orgs.models import AuditEvent, Committee, Grant, Grouping, Membership, MemberUnit, Person

# Any constant works; it names the advisory lock that serialises tree writes.
TREE_LOCK_KEY = 0x6775616E  # "guan"


def lock_tree() -> None:
    """Serialise writes to the tree's paths for the rest of the transaction.

    A new committee takes the path after its parent's last child, and a move
    rewrites the moved subtree's paths; two writers working from the same
    stale paths would collide or corrupt the tree. PostgreSQL takes an
    advisory transaction lock; SQLite runs with BEGIN IMMEDIATE, which already
    admits one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_LOCK_KEY])


COMMITTEE_FIELDS = (
    "name",
    "short_name",
    "code",
    "kind",
    "students",
    "retirees",
    "staff",
    "office",
    "contact_name",
    "contact_phone",
)


@transaction.atomic
def committee_create(*, parent: Committee | None, by: Any = None, request: Any = None, **fields: Any) -> Committee:
    lock_tree()
    if parent is not None:
        # Re-read under the lock: the caller's copy may hold a stale path.
        parent = Committee.objects.get(pk=parent.pk)
    committee = Committee(parent=parent, **{k: v for k, v in fields.items() if k in COMMITTEE_FIELDS})
    committee.full_clean()
    committee.save()
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=committee)
    return committee


@transaction.atomic
def committee_update(*, committee: Committee, by: Any = None, request: Any = None, **fields: Any) -> Committee:
    """Change a committee's details (not its place in the tree)."""
    lock_tree()
    committee = Committee.objects.get(pk=committee.pk)
    changed = set_fields(committee, COMMITTEE_FIELDS, fields)
    if changed:
        committee.full_clean()
        committee.save()
        audit.record_update(committee, changed, user=by, request=request)
    return committee


def check_move(*, committee: Committee, new_parent: Committee | None) -> None:
    """Refuse a move that would put a committee under itself or its own descendant."""
    if new_parent is None:
        return
    if new_parent.pk == committee.pk or tree.contains(committee, new_parent):
        raise ValidationError(
            {"parent": _("A committee cannot be moved under itself or one of its own sub-committees.")},
            code="cycle",
        )


@transaction.atomic
def committee_move(
    *, committee: Committee, new_parent: Committee | None, by: Any = None, request: Any = None
) -> Committee:
    lock_tree()
    committee = Committee.objects.get(pk=committee.pk)
    new_parent = Committee.objects.get(pk=new_parent.pk) if new_parent is not None else None
    check_move(committee=committee, new_parent=new_parent)
    old_parent_name = str(committee.parent) if committee.parent_id else "-"
    # Assigning the parent and saving moves the subtree under it, as its last child.
    committee.parent = new_parent
    committee.save()
    committee.refresh_from_db()
    audit.record(
        action=AuditEvent.Action.UPDATE,
        user=by,
        request=request,
        obj=committee,
        summary=f"{committee}: moved from {old_parent_name} to {new_parent or '-'}",
    )
    return committee


PERSON_FIELDS = (
    "name",
    "gender",
    "birth_year",
    "phone",
    "title",
    "is_retired",
    "is_party_member",
    "wulao_category",
    "real_name_registered",
    "active_from",
    "active_until",
    "notes",
)


@transaction.atomic
def person_create(*, committee: Committee, by: Any = None, request: Any = None, **fields: Any) -> Person:
    person = Person(committee=committee, **{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    person.full_clean()
    person.save()
    audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=person)
    return person


@transaction.atomic
def person_update(*, person: Person, by: Any = None, request: Any = None, **fields: Any) -> Person:
    for key, value in fields.items():
        if key not in PERSON_FIELDS:
            raise ValueError(f"unknown person field {key}")
        setattr(person, key, value)
    person.full_clean()
    person.save()
    audit.record(action=AuditEvent.Action.UPDATE, user=by, request=request, obj=person)
    return person


@transaction.atomic
def membership_add(
    *, person: Person, committee: Committee, role: str, started_on: Any = None, by: Any = None, request: Any = None
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        person=person, committee=committee, role=role, defaults={"started_on": started_on}
    )
    if created:
        audit.record(action=AuditEvent.Action.CREATE, user=by, request=request, obj=membership)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: Any = None, request: Any = None) -> None:
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=membership)
    membership.delete()


@transaction.atomic
def member_unit_save(
    *,
    committee: Committee,
    name: str,
    duties: str = "",
    unit: MemberUnit | None = None,
    by: Any = None,
    request: Any = None,
) -> MemberUnit:
    created = unit is None
    unit = unit or MemberUnit(committee=committee)
    unit.name = name
    unit.duties = duties
    unit.full_clean()
    unit.save()
    audit.record(
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, user=by, request=request, obj=unit
    )
    return unit


@transaction.atomic
def member_unit_delete(*, unit: MemberUnit, by: Any = None, request: Any = None) -> None:
    audit.record(action=AuditEvent.Action.DELETE, user=by, request=request, obj=unit)
    unit.delete()


@transaction.atomic
def grouping_save(
    *,
    name: str,
    lead: Committee,
    members: list[Committee],
    notes: str = "",
    grouping: Grouping | None = None,
    by: Any = None,
    request: Any = None,
) -> Grouping:
    created = grouping is None
    grouping = grouping or Grouping()
    grouping.name = name
    grouping.lead = lead
    grouping.notes = notes
    grouping.full_clean()
    grouping.save()
    grouping.members.set(members)
    audit.record(
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, user=by, request=request, obj=grouping
    )
    return grouping


@transaction.atomic
def grant_access(*, user: Any, committee: Committee, role: str, by: Any = None) -> Grant:
    grant, created = Grant.objects.get_or_create(user=user, committee=committee, role=role)
    if created:
        audit.record(action=AuditEvent.Action.CREATE, user=by, obj=grant)
    return grant


@transaction.atomic
def person_edit(*, person: Person, committee: Committee, by: Any = None, request: Any = None, **fields: Any) -> Person:
    """Change a person's details and, when it differs, the committee whose registry holds them."""
    old_committee_id = Person.objects.values_list("committee_id", flat=True).get(pk=person.pk)
    person.committee = committee
    person = person_update(person=person, by=by, request=request, **fields)
    if old_committee_id != committee.pk:
        audit.record(
            action=AuditEvent.Action.UPDATE,
            user=by,
            request=request,
            obj=person,
            summary=f"{person}: registry moved from committee #{old_committee_id} to {committee}",
        )
    return person


@transaction.atomic
def membership_sync(
    *, person: Person, committee: Committee, roles: list[str], by: Any = None, request: Any = None
) -> list[Membership]:
    """Make the person hold exactly `roles` in `committee` (used by the people import)."""
    wanted = list(dict.fromkeys(roles))
    current = {m.role: m for m in Membership.objects.filter(person=person, committee=committee)}
    for role, membership in current.items():
        if role not in wanted:
            membership_remove(membership=membership, by=by, request=request)
    return [
        current[role]
        if role in current
        else membership_add(person=person, committee=committee, role=role, by=by, request=request)
        for role in wanted
    ]
