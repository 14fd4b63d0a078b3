"""List filters. Choices come from the user's scope: a foreign id is a form error, never a leak."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from activities import selectors
from activities.forms import DATE_INPUT
from activities.models import Activity, ActivityKind, Donation, NewsReport, OutletLevel
from orgs.models import Committee, Person


class CommitteeFilter(django_filters.ModelChoiceFilter):
    """A committee and everything below it."""

    def filter(self, qs: QuerySet, value: Committee | None) -> QuerySet:
        if not value:
            return qs
        return qs.filter(
            committee__tree_id=value.tree_id,
            committee__lft__gte=value.lft,
            committee__lft__lte=value.rght,  # bounds the index range scan; same rows
            committee__rght__lte=value.rght,
        )


class CommitteeChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: Committee) -> str:
        return obj.display_name


class ScopedCommitteeFilter(CommitteeFilter):
    field_class = CommitteeChoiceField


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
    committee = ScopedCommitteeFilter(
        label=_("Committee"), queryset=Committee.objects.none(), empty_label=_("All in my scope")
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words in the title, place…")}),
    )
    search_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["committee"].queryset = selectors.visible_committees(user)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _search(self.search_fields)(qs, name, value)

    @property
    def foreign_committee(self) -> bool:
        """Whether the committee asked for is outside the user's scope (or does not exist)."""
        return self.is_bound and "committee" in self.form.errors


class ActivityFilter(BaseScopedFilterSet):
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"), queryset=ActivityKind.objects.all(), empty_label=_("All kinds")
    )
    date_from = django_filters.DateFilter(label=_("From"), field_name="held_on", lookup_expr="gte", widget=DATE_INPUT)
    date_to = django_filters.DateFilter(label=_("To"), field_name="held_on", lookup_expr="lte", widget=DATE_INPUT)
    person = django_filters.ModelChoiceFilter(
        label=_("Person who took part"),
        field_name="participants",
        queryset=Person.objects.none(),
        empty_label=_("Anyone"),
    )
    search_fields = ("title", "place", "summary")

    class Meta:
        model = Activity
        fields = ["kind", "date_from", "date_to", "committee", "person", "q"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.filters["person"].queryset = selectors.people_for(user)


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
