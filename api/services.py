"""Writes for the API's own pages: creating and revoking a user's token."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token

from orgs import audit
from orgs.models import AuditEvent


def _record(action: str, user: Any, request: Any, summary: str) -> None:
    # Never the token itself: the audit log is read by administrators.
    audit.record(
        action=action,
        user=user,
        request=request,
        object_type="authtoken.token",
        object_id=str(user.pk),
        summary=summary,
    )


@transaction.atomic
def token_create(*, user: Any, request: Any = None) -> Token:
    """A new token for the user; the old one, if any, stops working."""
    replaced = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    _record(AuditEvent.Action.UPDATE if replaced else AuditEvent.Action.CREATE, user, request, "API token created")
    return token


@transaction.atomic
def token_revoke(*, user: Any, request: Any = None) -> bool:
    deleted = Token.objects.filter(user=user).delete()[0] > 0
    if deleted:
        _record(AuditEvent.Action.DELETE, user, request, "API token revoked")
    return deleted
