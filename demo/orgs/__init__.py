"""The demo's committee trees, people and accounts, built from the real documents in shared/seeds/.

What it builds: the 江苏省 and 广东省 education-system trees (无锡职业技术学院 with
its colleges, member units and 第十片; 广州中医药大学 with its 关工分委 and
affiliated hospitals, 针灸康复临床医学院 staffed as seed 002 says), the 淮安市 →
清江浦区 tree (16 towns/streets, 110 villages/communities, 25 schools, 36
tutoring stations), leaders and a 五老 registry for every committee, and the
demo accounts listed in `demo.orgs.data.ACCOUNTS` (password `guanwei-demo`).

Every demo module follows the contract in `demo`.
"""

from __future__ import annotations

from collections import Counter
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from demo.orgs import data
from demo.orgs.plan import CommitteeSpec, Plan, build_plan
from orgs import audit, tree
from orgs.models import AuditEvent, Committee, Grant, Grouping, Membership, MemberUnit, Person
from orgs.services import grant_access, grouping_save, lock_tree, member_unit_save

__all__ = ["build_plan", "seed", "accounts"]

COMMITTEE_DATA_FIELDS = (
    "name",
    "short_name",
    "kind",
    "students",
    "retirees",
    "staff",
    "office",
    "contact_name",
)
PERSON_DATA_FIELDS = (
    "gender",
    "birth_year",
    "title",
    "is_retired",
    "is_party_member",
    "wulao_category",
    "real_name_registered",
    "active_from",
    "active_until",
    "notes",
)


def _say(stdout: IO[str] | Any | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


@transaction.atomic
def seed(*, stdout: IO[str] | Any | None = None) -> Counter:
    """Create whatever part of the demo is missing; return how many rows of each kind were made."""
    lock_tree()
    plan = build_plan()
    created: Counter = Counter()
    committees = _ensure_committees(plan, created)
    _ensure_people(plan, committees, created)
    _ensure_member_units(committees, created)
    _ensure_groupings(committees, created)
    _ensure_accounts(committees, created)
    created = +created  # drop the kinds of which nothing was made
    if created:
        summary = ", ".join(f"{count} {what}" for what, count in created.items())
        audit.record(action=AuditEvent.Action.IMPORT, object_type="orgs.committee", summary=f"demo data: {summary}")
        _say(stdout, f"orgs: created {summary}.")
    else:
        _say(stdout, "orgs: the demo committees, people and accounts are all present; nothing to add.")
    return created


def _depth(spec: CommitteeSpec, by_code: dict[str, CommitteeSpec]) -> int:
    depth = 0
    while spec.parent_code is not None:
        spec = by_code[spec.parent_code]
        depth += 1
    return depth


def _ensure_committees(plan: Plan, created: Counter) -> dict[str, Committee]:
    """Insert missing committees level by level, then write the tree paths once."""
    by_code = {spec.code: spec for spec in plan.committees}
    existing = {c.code: c for c in Committee.objects.filter(code__in=by_code)}
    levels: dict[int, list[CommitteeSpec]] = {}
    for spec in plan.committees:
        if spec.code not in existing:
            levels.setdefault(_depth(spec, by_code), []).append(spec)
    for depth in sorted(levels):
        new = [
            Committee(
                code=spec.code,
                parent=existing[spec.parent_code] if spec.parent_code else None,
                # Placeholders until the rebuild below writes the tree paths.
                path=f"~{spec.code}",
                depth=1,
                **{f: getattr(spec, f) for f in COMMITTEE_DATA_FIELDS},
            )
            for spec in levels[depth]
        ]
        Committee.objects.bulk_create(new)
        existing.update({c.code: c for c in Committee.objects.filter(code__in=[s.code for s in levels[depth]])})
        created["committees"] += len(new)
    if levels:
        tree.rebuild()
        existing = {c.code: c for c in Committee.objects.filter(code__in=by_code)}
    return existing


def _ensure_people(plan: Plan, committees: dict[str, Committee], created: Counter) -> None:
    """People are keyed by (committee, name); memberships by (person, committee, role)."""
    ids = [c.pk for c in committees.values()]
    present = set(Person.objects.filter(committee_id__in=ids).values_list("committee_id", "name"))
    new = [
        Person(
            committee=committees[spec.committee_code],
            name=spec.name,
            **{f: getattr(spec, f) for f in PERSON_DATA_FIELDS},
        )
        for spec in plan.people
        if (committees[spec.committee_code].pk, spec.name) not in present
    ]
    Person.objects.bulk_create(new, batch_size=500)
    created["people"] += len(new)

    person_ids = {
        (committee_id, name): pk
        for pk, committee_id, name in Person.objects.filter(committee_id__in=ids).values_list(
            "pk", "committee_id", "name"
        )
    }
    held = set(Membership.objects.filter(committee_id__in=ids).values_list("person_id", "committee_id", "role"))
    memberships = []
    for spec in plan.people:
        committee = committees[spec.committee_code]
        person_id = person_ids[(committee.pk, spec.name)]
        for role, started_on in spec.roles:
            if (person_id, committee.pk, role) not in held:
                held.add((person_id, committee.pk, role))
                memberships.append(
                    Membership(person_id=person_id, committee=committee, role=role, started_on=started_on)
                )
    Membership.objects.bulk_create(memberships, batch_size=500)
    created["memberships"] += len(memberships)


def _ensure_member_units(committees: dict[str, Committee], created: Counter) -> None:
    wxit = committees[data.WXIT_CODE]
    present = set(MemberUnit.objects.filter(committee=wxit).values_list("name", flat=True))
    for name, duties in data.WXIT_MEMBER_UNITS:
        if name not in present:
            member_unit_save(committee=wxit, name=name, duties=duties)
            created["member units"] += 1


def _ensure_groupings(committees: dict[str, Committee], created: Counter) -> None:
    if Grouping.objects.filter(name=data.GROUP_10_NAME).exists():
        return
    # The lead school belongs to its own 片, so `members` lists every school in it.
    members = [committees[data.WXIT_CODE]] + [committees[code] for code, *_ in data.GROUP_10_UNIVERSITIES]
    grouping_save(name=data.GROUP_10_NAME, lead=committees[data.WXIT_CODE], members=members, notes=data.GROUP_10_NOTES)
    created["groupings"] += 1


def _ensure_accounts(committees: dict[str, Committee], created: Counter) -> None:
    """Create missing demo users (existing ones keep their password) and their grants."""
    user_model = get_user_model()
    existing = {u.username: u for u in user_model.objects.filter(username__in=[a[0] for a in data.ACCOUNTS])}
    password_hash = None
    for username, first_name, role, codes, _purpose in data.ACCOUNTS:
        user = existing.get(username)
        if user is None:
            # One hash serves every demo account: they share a published password anyway.
            password_hash = password_hash or make_password(data.DEMO_PASSWORD)
            superuser = role is None
            user = user_model(
                username=username,
                first_name=first_name,
                is_staff=superuser,
                is_superuser=superuser,
                password=password_hash,
            )
            user.save()
            created["accounts"] += 1
        for code in codes:
            committee = committees[code]
            if not Grant.objects.filter(user=user, committee=committee, role=role).exists():
                grant_access(user=user, committee=committee, role=role)
                created["grants"] += 1


def accounts() -> list[tuple[str, str]]:
    """(username, what the account is for) for every demo account, for printing."""
    return [(username, purpose) for username, _first, _role, _codes, purpose in data.ACCOUNTS]
