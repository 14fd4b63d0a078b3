"""Navigation entries: each shown only to users who may use the page behind it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dashboards.apps import NAV_LABEL as DASHBOARD_LABEL
from orgs.scoping import Perm, can_anywhere, is_system_admin


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    can_view = can_anywhere(user, Perm.VIEW)
    items = [("home", _("Home"), reverse("home"), True)]
    # Each app's landing page, shown when the app provides one (url name "<app>:index").
    for key, label in (
        ("activities", _("Activities")),
        ("plans", _("Plans")),
        ("assessments", _("Assessments")),
        # The label lives in the dashboards app so its catalogue carries the translation.
        ("dashboards", DASHBOARD_LABEL),
    ):
        try:
            items.append((key, label, reverse(f"{key}:index"), can_view))
        except NoReverseMatch:
            pass
    items.append(("orgs", _("Committees"), reverse("orgs:committee_tree"), can_view))
    items.append(("people", _("People"), reverse("orgs:people_list"), can_view))
    items.append(("admin", _("System admin"), reverse("admin:index"), is_system_admin(user) and user.is_staff))
    path = request.path
    return {
        "nav_items": [
            {"key": key, "label": label, "url": url, "active": url != "/" and path.startswith(url) or path == url}
            for key, label, url, allowed in items
            if allowed
        ]
    }
