"""List filters. Committees and people are typed, not picked from lists of thousands.

They resolve within the user's scope: a foreign id is a form error, never a leak.
"""

from __future__ import annotations

import re
import uuid
from abc import ABC, abstractmethod
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from activities import selectors
from activities.forms import DATE_INPUT
from activities.models import Activity, ActivityKind, Donation, NewsReport, OutletLevel
from guanwei.params import parse_int
from orgs.models import Committee, Person

# How many records an ambiguous name offers as links, and the suggestion endpoints as options.
CANDIDATES_SHOWN = 20
MAX_SEARCH_LENGTH = 200

# "针灸学院（UNI-ZJ）", "张老师（针灸学院）": the labels the suggestions offer; full- or half-width brackets.
_LABEL = re.compile(r"^(?P<head>.*?)\s*[（(](?P<tail>[^（()）]+)[)）]\s*$")


def committee_label(committee: Committee) -> str:
    return f"{committee.display_name}（{committee.code}）"


def person_label(person: Person) -> str:
    return f"{person.name}（{person.committee.display_name}）"


class LookupInput(forms.TextInput):
    """A text box with an empty <datalist> that lookup.js fills with suggestions as the user types, and a hint.

    Without JavaScript it is a plain text box: the words typed are matched on the server.
    """

    def __init__(self, *, source: str, placeholder: Any, hint: Any) -> None:
        super().__init__(attrs={"autocomplete": "off", "placeholder": placeholder})
        self.source, self.hint = source, hint

    @staticmethod
    def _box_id(name: str, attrs: dict | None) -> str:
        return (attrs or {}).get("id") or name

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        box = self._box_id(name, attrs)
        context["widget"]["attrs"].update(
            {"list": f"{box}-suggestions", "data-lookup": reverse(self.source), "aria-describedby": f"{box}-hint"}
        )
        return context

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        box = self._box_id(name, attrs)
        return format_html(
            '{}<datalist id="{}-suggestions"></datalist><p class="help" id="{}-hint">{}</p>',
            super().render(name, value, attrs, renderer),
            box,
            box,
            self.hint,
        )


class LookupField(forms.CharField, ABC):
    """Names one record of the user's scope (`queryset`) and cleans to it.

    Accepts the record's id (links, bookmarks, the old dropdowns), the label the suggestions offer, or words
    of its name. An id outside the scope, or unknown, is an `out_of_scope` error; words matching several
    records leave them in `candidates` for the page to offer as links.
    """

    default_error_messages = {"out_of_scope": _("This is not in your scope, or it does not exist.")}
    no_match_message: Any = ""
    several_message: Any = ""

    def __init__(self, *, queryset: QuerySet, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.queryset = queryset
        self.found: Any = None
        self.candidates: list[tuple[int, str]] = []
        self.candidate_links: list[tuple[str, str]] = []

    @abstractmethod
    def label_of(self, obj: Any) -> str:
        """How a record reads in the box and the suggestions."""

    @abstractmethod
    def search(self, text: str) -> list[Any]:
        """Records matching typed words, best first; at most CANDIDATES_SHOWN + 1."""

    def clean(self, value: Any) -> Any:
        self.found, self.candidates = None, []
        text = super().clean(value)
        if not text:
            return None
        if text.isascii() and text.isdigit():
            pk = parse_int(text, min_value=1)  # None past bigint (or past int()'s digit limit)
            found = self.queryset.filter(pk=pk).first() if pk is not None else None
            if found is None:
                raise ValidationError(self.error_messages["out_of_scope"], code="out_of_scope")
        else:
            matches = self.search(text)
            if not matches:
                raise ValidationError(self.no_match_message, code="no_match", params={"text": text})
            if len(matches) > 1:
                self.candidates = [(m.pk, self.label_of(m)) for m in matches[:CANDIDATES_SHOWN]]
                raise ValidationError(self.several_message, code="several", params={"text": text})
            found = matches[0]
        self.found = found
        return found

    def bound_data(self, data: Any, initial: Any) -> Any:
        """Show the chosen record by its label, also when the address gave its id."""
        if self.found is not None:
            return self.label_of(self.found)
        return super().bound_data(data, initial)


def _exact_first(queryset: QuerySet, exact: Q) -> QuerySet:
    return queryset.alias(_inexact=Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField()))


def _one_exact_or_all(matches: list[Any], is_exact: Any) -> list[Any]:
    """A single exact match wins over partial ones ("针灸学院" over "针灸学院辅导站")."""
    exact = [m for m in matches if is_exact(m)]
    return exact if len(exact) == 1 else matches


class CommitteeLookupField(LookupField):
    no_match_message = _("No committee in your scope has “%(text)s” in its name or as its code.")
    several_message = _("Several committees match “%(text)s”: choose one below, or type more of its name.")

    def label_of(self, obj: Committee) -> str:
        return committee_label(obj)

    def search(self, text: str) -> list[Committee]:
        label = _LABEL.match(text)
        codes = {text, label.group("tail").strip()} if label else {text}
        # Exact matches on the unique index, as typed or in capitals ("uni-zj"): no scan of the whole tree.
        found = list(self.queryset.filter(code__in=codes | {c.upper() for c in codes})[:1])
        if found:
            return found
        for name in [text, label.group("head")] if label else [text]:
            exact = Q(name=name) | Q(short_name=name)
            matches = list(
                _exact_first(self.queryset, exact)
                .filter(Q(name__icontains=name) | Q(short_name__icontains=name))
                .order_by("_inexact", "path")[: CANDIDATES_SHOWN + 1]
            )
            if matches:
                return _one_exact_or_all(matches, lambda c, name=name: name in (c.name, c.short_name))
        return []


class PersonLookupField(LookupField):
    no_match_message = _("Nobody in your scope has “%(text)s” in their name.")
    several_message = _("Several people match “%(text)s”: choose one below, or type more of the name.")

    def label_of(self, obj: Person) -> str:
        return person_label(obj)

    def search(self, text: str) -> list[Person]:
        label = _LABEL.match(text)
        if label:
            committee = label.group("tail").strip()
            matches = list(
                self.queryset.filter(name=label.group("head"))
                .filter(Q(committee__short_name=committee) | Q(committee__name=committee))
                .order_by("committee__path", "id")[: CANDIDATES_SHOWN + 1]
            )
            if matches:
                return matches
        matches = list(
            _exact_first(self.queryset, Q(name=text))
            .filter(name__icontains=text)
            .order_by("_inexact", "committee__path", "name", "id")[: CANDIDATES_SHOWN + 1]
        )
        return _one_exact_or_all(matches, lambda p: p.name == text)


class CommitteeFilter(django_filters.Filter):
    """A committee and everything below it."""

    field_class = CommitteeLookupField

    def filter(self, qs: QuerySet, value: Committee | None) -> QuerySet:
        return selectors.in_subtree(qs, value) if value else qs


class PersonFilter(django_filters.Filter):
    """Records a person took part in (one person: no duplicate rows, so no DISTINCT)."""

    field_class = PersonLookupField


class LookupFilterForm(forms.Form):
    """Turns the candidates of an ambiguous name into links that choose one: works without JavaScript."""

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, LookupField):
                field.candidate_links = [(label, self._query_with(name, pk)) for pk, label in field.candidates]
        return cleaned

    def _query_with(self, name: str, pk: int) -> str:
        query = QueryDict(mutable=True)
        if isinstance(self.data, QueryDict):
            query.update(self.data)
        else:
            for key, value in self.data.items():
                query[key] = value
        for key in ("page", "saved"):
            query.pop(key, None)
        query[self.add_prefix(name)] = str(pk)
        return "?" + query.urlencode()


def _search(fields: tuple[str, ...]):
    def method(qs: QuerySet, name: str, value: str) -> QuerySet:
        q = Q()
        for word in value.split()[:5]:
            word_q = Q()
            for f in fields:
                word_q |= Q(**{f"{f}__icontains": word})
            q &= word_q
        return qs.filter(q)

    return method


class BaseScopedFilterSet(django_filters.FilterSet):
    committee = CommitteeFilter(
        label=_("Committee"),
        widget=LookupInput(
            source="activities:lookup_committees",
            placeholder=_("All in my scope"),
            hint=_("Type part of its name or its code."),
        ),
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=MAX_SEARCH_LENGTH,  # SQLite refuses a LIKE pattern past 50,000 bytes
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words in the title, place…")}),
    )
    search_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["committee"].extra["queryset"] = selectors.visible_committees(user)

    def get_form_class(self) -> type[forms.Form]:
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        return type(f"{self.__class__.__name__}Form", (LookupFilterForm,), fields)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _search(self.search_fields)(qs, name, value)

    @property
    def foreign_committee(self) -> bool:
        """Whether the committee id asked for is outside the user's scope, or unknown: a probe to audit.

        Typed words that match nothing are a plain form error.
        """
        return self.is_bound and self.form.has_error("committee", "out_of_scope")


class ActivityFilter(BaseScopedFilterSet):
    # Choices read once (a ModelChoiceFilter reads the kinds twice: to check the value and to list them).
    kind = django_filters.ChoiceFilter(label=_("Kind"), field_name="kind", empty_label=_("All kinds"))
    date_from = django_filters.DateFilter(label=_("From"), field_name="held_on", lookup_expr="gte", widget=DATE_INPUT)
    date_to = django_filters.DateFilter(label=_("To"), field_name="held_on", lookup_expr="lte", widget=DATE_INPUT)
    person = PersonFilter(
        label=_("Person who took part"),
        field_name="participants",
        widget=LookupInput(
            source="activities:lookup_people", placeholder=_("Anyone"), hint=_("Type part of the name.")
        ),
    )
    search_fields = ("title", "place", "summary")

    class Meta:
        model = Activity
        fields = ["kind", "date_from", "date_to", "committee", "person", "q"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.filters["person"].extra["queryset"] = selectors.people_for(user)
        kind = self.filters["kind"]
        if not isinstance(kind, django_filters.ModelChoiceFilter):  # the API's subclass takes kinds by code
            kind.extra["choices"] = list(ActivityKind.objects.values_list("pk", "name"))


def _in_batch(qs: QuerySet, name: str, value: str) -> QuerySet:
    try:
        batch = uuid.UUID(value)
    except ValueError:
        return qs.none()  # not a batch reference: nothing matches (and nothing is refused)
    return qs.filter(import_batch=batch)


class ActivityListFilter(ActivityFilter):
    """The list page's filters, and one more: the rows of one Excel import (where its done page leads)."""

    batch = django_filters.CharFilter(method=_in_batch, max_length=40, widget=forms.HiddenInput)

    class Meta(ActivityFilter.Meta):
        fields = [*ActivityFilter.Meta.fields, "batch"]


class DonationFilter(BaseScopedFilterSet):
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="donated_on", lookup_expr="gte", widget=DATE_INPUT
    )
    date_to = django_filters.DateFilter(label=_("To"), field_name="donated_on", lookup_expr="lte", widget=DATE_INPUT)
    search_fields = ("donor_name", "purpose")

    class Meta:
        model = Donation
        fields = ["date_from", "date_to", "committee", "q"]


class NewsFilter(BaseScopedFilterSet):
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="published_on", lookup_expr="gte", widget=DATE_INPUT
    )
    date_to = django_filters.DateFilter(label=_("To"), field_name="published_on", lookup_expr="lte", widget=DATE_INPUT)
    outlet_level = django_filters.ChoiceFilter(
        label=_("Level of the outlet"), choices=OutletLevel.choices, empty_label=_("All levels")
    )
    search_fields = ("title", "outlet")

    class Meta:
        model = NewsReport
        fields = ["date_from", "date_to", "committee", "outlet_level", "q"]
