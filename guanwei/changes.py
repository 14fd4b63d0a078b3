"""Applying a service's keyword arguments to a model instance, for the update services of every app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist


def set_fields(instance: Any, allowed: Iterable[str], fields: dict[str, Any]) -> list[str]:
    """Set each given field that differs from the instance's value; the names of those changed.

    A field outside `allowed` is a programming error (ValueError), never silently dropped.
    """
    allowed = set(allowed)
    changed = []
    for key, value in fields.items():
        if key not in allowed:
            raise ValueError(f"unknown {instance._meta.model_name} field {key}")
        try:
            same = getattr(instance, key) == value
        except ObjectDoesNotExist:  # a foreign key not set yet
            same = False
        if not same:
            setattr(instance, key, value)
            changed.append(key)
    return changed
