"""Navigation entries: each shown only to users who may use the page behind it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from orgs.scoping import Perm, can_anywhere, is_system_admin


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("home", _("Home"), reverse("home"), True)]
    items.append(("orgs", _("Committees"), reverse("orgs:committee_tree"), can_anywhere(user, Perm.VIEW)))
    items.append(("admin", _("System admin"), reverse("admin:index"), is_system_admin(user) and user.is_staff))
    path = request.path
    return {
        "nav_items": [
            {"key": key, "label": label, "url": url, "active": url != "/" and path.startswith(url) or path == url}
            for key, label, url, allowed in items
            if allowed
        ]
    }
