"""One confirmation page for every action that cannot be undone.

A button that deletes, removes or locks something is a link (GET) to a page that says
what will happen and holds the POST form; the action's own URL still takes only POST.
It works without JavaScript, and a second tap is needed on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Fact:
    label: Any
    value: Any
    tone: str = ""  # "ok", "warn", "bad": shown as a badge


@dataclass(frozen=True)
class Confirmation:
    title: Any
    question: Any
    action_url: str
    cancel_url: str
    button: Any
    consequences: Sequence[Any] = field(default_factory=tuple)
    facts: Sequence[Fact] = field(default_factory=tuple)
    image_url: str = ""
    image_alt: str = ""
    # When the action is not possible now: why, shown instead of the form (the server refuses it too).
    refused: Sequence[Any] = field(default_factory=tuple)
    crumbs: Sequence[tuple[Any, str]] = field(default_factory=tuple)


def confirm_page(
    request: HttpRequest,
    *,
    title: Any,
    question: Any,
    action_url: str,
    cancel_url: str,
    button: Any,
    consequences: Iterable[Any] = (),
    facts: Iterable[Fact] = (),
    image_url: str = "",
    image_alt: str = "",
    refused: Iterable[Any] = (),
    crumbs: Iterable[tuple[Any, str]] = (),
) -> HttpResponse:
    confirmation = Confirmation(
        title=title,
        question=question,
        action_url=action_url,
        cancel_url=cancel_url,
        button=button,
        consequences=tuple(consequences),
        facts=tuple(facts),
        image_url=image_url,
        image_alt=image_alt,
        refused=tuple(refused),
        crumbs=tuple(crumbs),
    )
    return render(request, "confirm.html", {"confirm": confirmation})
