"""Work points: their text, and who owns them (the committee, a member unit, sub-committees)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanwei.changes import set_fields
from orgs import audit, tree
from orgs.models import AuditEvent, Committee, MemberUnit
from plans.models import OwnerKind, WorkPoint

POINT_FIELDS = ("number", "title", "text")


@transaction.atomic
def work_point_update(*, point: WorkPoint, by: Any = None, request: Any = None, **fields: Any) -> WorkPoint:
    changed = set_fields(point, POINT_FIELDS, fields)
    if changed:
        point.full_clean()
        point.save()
        audit.record(action=AuditEvent.Action.UPDATE, user=by, request=request, obj=point)
    return point


@transaction.atomic
def work_point_assign(
    *,
    point: WorkPoint,
    owner_kind: str,
    member_unit: MemberUnit | None = None,
    committees: list[Committee] | tuple[Committee, ...] = (),
    by: Any = None,
    request: Any = None,
) -> WorkPoint:
    """Say who owns a point: the committee, one of its member units, every or some sub-committees."""
    plan_committee = point.section.plan.committee
    if owner_kind == OwnerKind.MEMBER_UNIT:
        if member_unit is None or member_unit.committee_id != plan_committee.pk:
            raise ValidationError({"member_unit": _("Choose a member unit of this committee.")}, code="member_unit")
    else:
        member_unit = None
    if owner_kind == OwnerKind.ASSIGNED:
        if not committees:
            raise ValidationError({"committees": _("Choose at least one sub-committee.")}, code="committees")
        for c in committees:
            if not tree.contains(plan_committee, c, strict=True):
                raise ValidationError(
                    {"committees": _("Only sub-committees of the plan's committee can own its points.")},
                    code="committees",
                )
    else:
        committees = ()
    point.owner_kind = owner_kind
    point.member_unit = member_unit
    point.save(update_fields=["owner_kind", "member_unit"])
    point.assigned_committees.set(committees)
    audit.record(
        action=AuditEvent.Action.UPDATE,
        user=by,
        request=request,
        obj=point,
        summary=f"point {point.pk}: owner {owner_kind} {', '.join(c.code for c in committees)}",
    )
    return point
