"""Query filters for API lists. Choices come from the user's scope, as on the web pages.

A committee or person id outside the scope in a filter is a 400 naming the
filter (exactly as for an id that does not exist), and the probe is audited.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from activities.filters import ActivityFilter
from activities.models import ActivityKind
from assessments.models import EvaluationStatus
from orgs import audit, tree
from orgs.models import AuditEvent, Committee, CommitteeKind, Person, WulaoCategory
from orgs.scoping import committees_for


class ScopedFilterBackend(DjangoFilterBackend):
    """django-filter with the requesting user handed to the filter set, and foreign ids audited."""

    def get_filterset_kwargs(self, request: Any, queryset: QuerySet, view: Any) -> dict[str, Any]:
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None and not filterset.is_valid():
            for name in getattr(filterset, "scoped_filters", ()):
                if name in filterset.form.errors and request.query_params.get(name):
                    audit.record(
                        action=AuditEvent.Action.DENIED,
                        user=request.user,
                        request=request,
                        object_type=queryset.model._meta.label_lower,
                        object_id=request.query_params.get(name, "")[:40],
                        summary=f"API: list filtered by {name} outside scope",
                    )
        return super().filter_queryset(request, queryset, view)


class StrictBooleanField(forms.Field):
    """`true`/`false` (or 1/0) or absent; anything else is refused rather than read as "not given"."""

    widget = forms.TextInput
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value: Any) -> bool | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise ValidationError(_("Give true or false."), code="invalid") from None


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class ApiActivityFilter(ActivityFilter):
    """The activity list's own filters (committee subtree, kind, dates, person, words); kinds by code, as posted."""

    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"), queryset=ActivityKind.objects.all(), to_field_name="code", help_text=_("A kind's code.")
    )

    scoped_filters = ("committee", "person")


class CommitteeFilter(django_filters.FilterSet):
    parent = django_filters.ModelChoiceFilter(
        label=_("Parent committee"), queryset=Committee.objects.none(), help_text=_("Direct sub-committees of this id.")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CommitteeKind.choices)
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", help_text=_("Words in the name or the code."))

    scoped_filters = ("parent",)

    class Meta:
        model = Committee
        fields = ["parent", "kind", "q"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["parent"].queryset = committees_for(user)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:100]
        return qs.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__iexact=value))


class SubtreeFilter(django_filters.ModelChoiceFilter):
    """A committee and everything below it."""

    def filter(self, qs: QuerySet, value: Committee | None) -> QuerySet:
        if not value:
            return qs
        return qs.filter(tree.subtree_q(value, "committee"))


class PersonFilter(django_filters.FilterSet):
    committee = SubtreeFilter(
        label=_("Committee"), queryset=Committee.objects.none(), help_text=_("This committee and those below it.")
    )
    wulao_category = django_filters.ChoiceFilter(label=_("五老 category"), choices=WulaoCategory.choices)
    wulao = StrictBooleanFilter(
        label=_("Only 五老"), method="filter_wulao", help_text=_("true: only 五老; false: the others.")
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", help_text=_("Words in the name or title."))

    scoped_filters = ("committee",)

    class Meta:
        model = Person
        fields = ["committee", "wulao_category", "wulao", "q"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["committee"].queryset = committees_for(user)

    def filter_wulao(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.exclude(wulao_category="") if value else qs.filter(wulao_category="")

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:100]
        return qs.filter(Q(name__icontains=value) | Q(title__icontains=value))


class PlanFilter(django_filters.FilterSet):
    committee = SubtreeFilter(label=_("Committee"), queryset=Committee.objects.none())
    year = django_filters.NumberFilter(label=_("Year"), min_value=1990, max_value=2100)

    scoped_filters = ("committee",)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["committee"].queryset = committees_for(user)


class EvaluationFilter(django_filters.FilterSet):
    committee = SubtreeFilter(label=_("Committee"), queryset=Committee.objects.none())
    year = django_filters.NumberFilter(label=_("Year"), field_name="round__year", min_value=1990, max_value=2100)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EvaluationStatus.choices)

    scoped_filters = ("committee",)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["committee"].queryset = committees_for(user)
