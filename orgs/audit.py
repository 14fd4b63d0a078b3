"""The audit log: who logged in, who was refused, who changed what."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from guanwei.net import client_ip
from orgs.models import AuditEvent


def record_update(
    obj: Any, changed: list[str], *, user: Any = None, request: HttpRequest | None = None, label: str = ""
) -> AuditEvent:
    """An update of `obj`, naming the fields that changed."""
    return record(
        action=AuditEvent.Action.UPDATE,
        user=user,
        request=request,
        obj=obj,
        summary=f"{label or obj}: {', '.join(changed)}",
    )


def posted_outside_scope(request: HttpRequest, form: Any, model: Any, names: tuple[str, ...]) -> None:
    """A POST naming ids outside a form's choices (another committee's, a plan not offered) is a probe:
    leave a trace of each field the form refused."""
    for name in names:
        values = [v for v in request.POST.getlist(form.add_prefix(name)) if v]
        if name in form.errors and values:
            record(
                action=AuditEvent.Action.DENIED,
                user=request.user,
                request=request,
                object_type=model._meta.label_lower,
                object_id=",".join(values)[:40],
                summary=f"posted {name} outside scope",
            )


def record(
    *,
    action: str,
    user: Any = None,
    request: HttpRequest | None = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
) -> AuditEvent:
    if user is None and request is not None:
        user = getattr(request, "user", None)
    authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
        summary = summary or str(obj)
    return AuditEvent.objects.create(
        user=user if authenticated else None,
        username=(user.get_username() if authenticated else "")[:150],
        action=action,
        object_type=object_type[:60],
        object_id=object_id[:40],
        summary=summary[:300],
        path=(request.path if request is not None else "")[:300],
        ip=client_ip(request),
    )


@receiver(user_logged_in)
def _on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(action=AuditEvent.Action.LOGIN, user=user, request=request)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(action=AuditEvent.Action.LOGOUT, user=user, request=request)


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any) -> None:
    record(
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        summary=str(credentials.get("username", ""))[:150],
    )
