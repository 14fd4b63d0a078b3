"""Reads for the API's own pages: the user's token."""

from __future__ import annotations

from typing import Any

from rest_framework.authtoken.models import Token


def token_of(user: Any) -> Token | None:
    """The user's API token, if they made one."""
    return Token.objects.filter(user=user).first()
