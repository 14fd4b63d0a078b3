"""Numbers and JSON from a request, read one way.

Ids, years, counts and page numbers in a query string or a POST are ASCII digits (with a leading
minus only where a value may be negative), at most 19 of them, and within the range of the
database column they are compared with: PostgreSQL's `integer` for counts and years, `bigint` for
primary keys (BigAutoField). Anything else is refused before `int()` or the database sees it:
`²` passes str.isdigit() but not int(), 5,000 digits pass Python's int() digit limit, twenty
digits overflow the column. A malformed parameter is a 400 whose page says so in Chinese
(`BadNumber`, shown by guanwei.errors.bad_request); form fields refuse the same values with a
form error (`guanwei.forms`).

JSON typed by users (target parameters, rubric criteria, the API's bodies) is bounded in size
and nesting depth before it is parsed: nested 5,000 deep, json.loads exhausts the recursion.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext_lazy as _

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL integer: IntegerField, PositiveIntegerField
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1  # PostgreSQL bigint: every primary key
ID_MAX = BIGINT_MAX
MAX_DIGITS = 19  # len(str(BIGINT_MAX)): anything longer is out of range before int() runs

# Ranges of Django's integer model fields on PostgreSQL, whatever database runs the tests.
COLUMN_RANGES: dict[str, tuple[int, int]] = {
    "SmallIntegerField": (-32768, 32767),
    "IntegerField": (INT_MIN, INT_MAX),
    "BigIntegerField": (BIGINT_MIN, BIGINT_MAX),
    "PositiveSmallIntegerField": (0, 32767),
    "PositiveIntegerField": (0, INT_MAX),
    "PositiveBigIntegerField": (0, BIGINT_MAX),
}

JSON_MAX_DEPTH = 20  # metric parameters are a flat object of lists; 20 levels is far beyond any real one
JSON_MAX_CHARS = 64 * 1024  # a form field's JSON (target parameters, criteria)
API_JSON_MAX_BYTES = 2 * 1024 * 1024  # an API request body (DATA_UPLOAD_MAX_MEMORY_SIZE's figure for forms)

_INTEGER = re.compile(rf"-?[0-9]{{1,{MAX_DIGITS}}}", re.ASCII)
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def parse_int(raw: Any, *, min_value: int = 0, max_value: int = ID_MAX) -> int | None:
    """The integer `raw` spells (ASCII digits, optional leading minus) if within the range, else None.

    Ints are taken as they are (a JSON number, a form's cleaned value); booleans are not numbers.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and len(raw) <= MAX_DIGITS + 1 and _INTEGER.fullmatch(raw):
        value = int(raw)
    else:
        return None
    return value if min_value <= value <= max_value else None


class BadNumber(BadRequest):
    """A parameter that should be a number and is not one: the 400 page shows `message`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.message = _("The value given for “%(name)s” is not a valid number.") % {"name": name[:40]}
        super().__init__(f"{name[:40]} is not a valid number")


def int_param(
    data: Mapping[str, Any], name: str, *, default: int | None = None, min_value: int = 0, max_value: int = INT_MAX
) -> int | None:
    """The number `data[name]` holds (a QueryDict's last value); `default` when absent or empty.

    A value that is present and not a number within the range raises BadNumber (a 400).
    """
    raw = data.get(name)
    if raw is None or raw == "":
        return default
    value = parse_int(raw, min_value=min_value, max_value=max_value)
    if value is None:
        raise BadNumber(name)
    return value


def id_param(data: Mapping[str, Any], name: str) -> int | None:
    """A primary key (1 … bigint's maximum), or None when absent; anything else is a 400."""
    return int_param(data, name, min_value=1, max_value=ID_MAX)


def page_param(data: Mapping[str, Any], name: str = "page") -> int:
    """A page number for Paginator.get_page (which takes one past the end as the last page)."""
    return int_param(data, name, default=1, min_value=1, max_value=INT_MAX) or 1


# ---------------------------------------------------------------------------------------------
# JSON


def json_too_deep(text: str, max_depth: int = JSON_MAX_DEPTH) -> bool:
    """Whether brackets outside strings nest deeper than `max_depth` (found without recursing)."""
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > max_depth:
                return True
        else:
            depth -= 1
    return False


def parse_json(text: str, *, max_chars: int = JSON_MAX_CHARS, max_depth: int = JSON_MAX_DEPTH) -> Any:
    """json.loads with a size and nesting limit; a ValidationError (in Chinese) for anything refused."""
    if len(text) > max_chars:
        raise ValidationError(
            _("This text is too long: at most %(limit)s characters.") % {"limit": max_chars}, code="json_too_long"
        )
    if json_too_deep(text, max_depth):
        raise ValidationError(
            _("Brackets nest too deeply: at most %(limit)s levels.") % {"limit": max_depth}, code="json_too_deep"
        )
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise ValidationError(
            _("This is not valid parameter text; check the brackets and quotes."), code="json_invalid"
        ) from None
