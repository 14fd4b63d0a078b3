"""Binding forms to a request (a POST binds the form even when every field was left empty), and the
form fields that read numbers and JSON as guanwei.params does."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Model
from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict

from guanwei.params import (
    BIGINT_MAX,
    BIGINT_MIN,
    COLUMN_RANGES,
    ID_MAX,
    INT_MAX,
    JSON_MAX_CHARS,
    json_too_deep,
    parse_int,
    parse_json,
)


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, else None (an unbound form).

    `request.POST or None` would leave a form whose fields were all emptied unbound:
    the page came back without saying what is missing. Bound, it shows each error.
    """
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> MultiValueDict | None:
    return request.FILES if request.method == "POST" else None


# ---------------------------------------------------------------------------------------------
# Fields that read numbers and JSON the way guanwei.params does


_LONG_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)


class IntegerField(forms.IntegerField):
    """A whole number in ASCII digits within the PostgreSQL `integer` range unless told otherwise.

    Django's own accepts any Unicode decimal digits and has no maximum unless given one, so a
    PositiveIntegerField's form field took twenty digits the column cannot hold.
    """

    def __init__(self, *, min_value: int | None = None, max_value: int | None = INT_MAX, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = value.strip()
        number = parse_int(value, min_value=BIGINT_MIN, max_value=BIGINT_MAX)
        if number is None and isinstance(value, str) and _LONG_INTEGER.fullmatch(value):
            # More digits than any column holds: the range's own message, without int() of them all.
            if value.startswith("-") and self.min_value is not None:
                MinValueValidator(self.min_value)(BIGINT_MIN - 1)
            elif self.max_value is not None:
                MaxValueValidator(self.max_value)(BIGINT_MAX + 1)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Ids checked as numbers before the `pk__in` query: twenty digits overflowed it (SQLite raises)."""

    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None and not isinstance(value, str | bytes):
            for pk in value:
                if not isinstance(pk, Model) and parse_int(str(pk), min_value=1, max_value=ID_MAX) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(pk)[:40]}
                    )
        return super()._check_values(value)


class JSONField(forms.JSONField):
    """JSON within guanwei.params' size and depth limits (nested 5,000 deep, json.loads recursed out)."""

    def to_python(self, value: Any) -> Any:
        if self.disabled or value in self.empty_values or not isinstance(value, str):
            return super().to_python(value)
        parse_json(value)  # the limits first, each with its own message
        return super().to_python(value)

    def bound_data(self, data: Any, initial: Any) -> Any:
        if isinstance(data, str) and (len(data) > JSON_MAX_CHARS or json_too_deep(data)):
            return forms.fields.InvalidJSONInput(data)
        return super().bound_data(data, initial)


def bounded_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """ModelForm's formfield_callback: integers bounded by their PostgreSQL column, ids and JSON as above.

    The model's own range check follows the database that runs (SQLite's is bigint), and a
    PositiveIntegerField's form field gets a minimum only: the form says the same on both.
    """
    bounds = COLUMN_RANGES.get(db_field.get_internal_type())
    if bounds is not None and not db_field.choices:
        low, high = bounds
        kwargs.setdefault("form_class", IntegerField)
        kwargs.setdefault("min_value", low)
        kwargs.setdefault("max_value", high)
    elif isinstance(db_field, models.JSONField):
        kwargs.setdefault("form_class", JSONField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


class ModelForm(forms.ModelForm):
    """The project's ModelForm: fields made by bounded_formfield."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Django reads formfield_callback from the form's own Meta only (a subclass's Meta does not
        # inherit it); this runs before ModelFormMetaclass makes the fields from that Meta.
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(bounded_formfield)
