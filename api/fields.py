"""Related fields whose choices come from the requesting user's scope.

A committee or person id outside the scope is answered exactly like an id
that does not exist (a 400 naming the field), and the attempt is audited,
as the web forms do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from orgs import audit
from orgs.models import AuditEvent


def _user(field: serializers.Field) -> Any:
    request = field.context.get("request")
    return getattr(request, "user", None)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key looked up in `scope(user)` only."""

    default_error_messages = {
        "does_not_exist": _("There is no record with id {pk_value} that you may use here."),
        "incorrect_type": _("Expected a record id (a whole number), got {data_type}."),
    }

    def __init__(self, *, scope: Callable[[Any], QuerySet], **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.scope(_user(self))

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            if isinstance(data, int | str) and str(data).isdigit():
                request = self.context.get("request")
                model = self.get_queryset().model
                audit.record(
                    action=AuditEvent.Action.DENIED,
                    user=_user(self),
                    request=request,
                    object_type=model._meta.label_lower,
                    object_id=str(data)[:40],
                    summary=f"API: posted {self.field_name or self.parent.field_name} outside scope",
                )
            raise


class ScopedSlugRelatedField(serializers.SlugRelatedField):
    """A code looked up in `scope(serializer)`: e.g. active activity kinds plus the one a record has."""

    default_error_messages = {
        "does_not_exist": _("There is no choice with {slug_name} “{value}”."),
        "invalid": _("Invalid value."),
    }

    def __init__(self, *, scope: Callable[[Any], QuerySet], **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.scope(self.parent)

    def to_internal_value(self, data: Any) -> Any:
        # A code is text the database can hold; NUL characters (which PostgreSQL refuses) are never one.
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
