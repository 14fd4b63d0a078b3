"""Template questions about access, answered by orgs.scoping (for pages whose view does not ask them)."""

from __future__ import annotations

from typing import Any

from django import template

from orgs.scoping import Perm, can

register = template.Library()


@register.simple_tag(takes_context=True)
def can_edit_committee(context: Any, committee: Any) -> bool:
    """Whether the user of the request holds EDIT on the committee (no query: grants are cached per user)."""
    request = context.get("request")
    return bool(request is not None and committee is not None and can(request.user, Perm.EDIT, committee))
