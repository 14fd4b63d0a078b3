"""Every URL of the project with malformed numbers in every integer-like parameter: never a 500.

The URLs are the status-code matrix's rows (test_url_matrix.py, which fails on a URL without a
row), filled from its world, so a new URL is swept as soon as it has its row. For each URL,
method and persona (the college's secretary and the administrator) the sweep first sends the
request empty and records what the view reads: the keys it looks up in the query string or the
POST, and the fields of the forms and filters it binds. The integer-like ones (ids, counts,
years, page numbers: integer, decimal and model-choice fields, and every key read by hand) are
then sent `²`, a 25-digit number, a negative number and a 1 MB string; the form fields all in
one request (a form cleans every field), the keys read by hand all in another, and when that
answers 400 (the first bad key read refuses the request) each of them in a request of its own.
The API's write methods get the same values in a JSON body, for the
integer-like fields of the view's serializer.

Whatever the answer (200 with a form error, 302, 400, 403, 404), it is not a 500. Issue 20,
item 6; the requests it found are in test_bad_numbers.py.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django import forms
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import resolve
from rest_framework import serializers

from guanwei.tests import test_url_matrix
from guanwei.tests.test_url_matrix import MATRIX, PERSONAS, Matrix, Row, _codes, _url

matrix = test_url_matrix.matrix  # the matrix's world, built once for this module too

SWEPT_PERSONAS = ("secretary", "admin")
VALUES = {
    "superscript": "²",  # str.isdigit() is true, int() refuses it
    "25 digits": "1" * 25,  # past bigint
    "negative": "-7",
    "1 MB": "x" * (1024 * 1024),
}
JSON_VALUES = {"superscript": "²", "25 digits": int("1" * 25), "negative": -7, "1 MB": "x" * (1024 * 1024)}
NOT_SENT = {"csrfmiddlewaretoken"}
SKIPPED_CODES = {"405", "L", "A"}  # refused before the view reads anything
MANAGEMENT_FORM = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")


@dataclass
class Reads:
    keys: set[str] = field(default_factory=set)  # looked up in a QueryDict (query string, POST)
    form_fields: dict[str, forms.Field] = field(default_factory=dict)  # of the bound forms and filters


@contextmanager
def recording():
    """Record the QueryDict keys read and the bound forms' fields while the block runs."""
    reads = Reads()
    get, getitem, getlist, contains = QueryDict.get, QueryDict.__getitem__, QueryDict.getlist, QueryDict.__contains__
    full_clean = forms.BaseForm.full_clean

    def record_get(self, key, default=None):
        reads.keys.add(key)
        return get(self, key, default)

    def record_getitem(self, key):
        reads.keys.add(key)
        return getitem(self, key)

    def record_getlist(self, key, default=None):
        reads.keys.add(key)
        return getlist(self, key, default)

    def record_contains(self, key):
        reads.keys.add(key)
        return contains(self, key)

    def record_full_clean(self):
        if self.is_bound:
            for name, form_field in self.fields.items():
                reads.form_fields[self.add_prefix(name)] = form_field
        return full_clean(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QueryDict, "get", record_get)
        patch.setattr(QueryDict, "__getitem__", record_getitem)
        patch.setattr(QueryDict, "getlist", record_getlist)
        patch.setattr(QueryDict, "__contains__", record_contains)
        patch.setattr(forms.BaseForm, "full_clean", record_full_clean)
        yield reads


def _integer_like(form_field: forms.Field) -> bool:
    if isinstance(form_field, forms.IntegerField | forms.DecimalField | forms.FloatField | forms.ModelChoiceField):
        return True
    return isinstance(form_field, forms.TypedChoiceField) and form_field.coerce is int


def _serializer_fields(path: str) -> dict[str, bool]:
    """The API view's writable integer-like serializer fields, as {name: takes a list}."""
    view = getattr(resolve(path).func, "cls", None)
    serializer_class = getattr(view, "serializer_class", None)
    if serializer_class is None:
        return {}
    found = {}
    for name, serializer_field in serializer_class().fields.items():
        if serializer_field.read_only:
            continue
        many = isinstance(serializer_field, serializers.ManyRelatedField)
        inner = serializer_field.child_relation if many else serializer_field
        if isinstance(inner, serializers.IntegerField | serializers.DecimalField | serializers.RelatedField):
            found[name] = many
    return found


def _with_query(url: str, params: dict) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(params)
    return parts.path + ("?" + urlencode(query, doseq=True) if query else "")


def _send(client: Client, method: str, url: str, data: dict | None, *, api: bool, body: dict | None = None) -> str:
    """One request in a rolled-back savepoint; its status code, or "500 (…)" for an exception."""
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(_with_query(url, data or {}))
            elif api:
                response = client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")
            else:
                response = client.post(url, data or {})
            transaction.set_rollback(True)
    except Exception as exc:  # noqa: BLE001 - a crash is a 500 to report, with its cause
        return f"500 ({type(exc).__name__}: {str(exc)[:200]})"
    return str(response.status_code)


def _view_code(path: str) -> object:
    """The code that answers a path: a Django admin page's ModelAdmin method (one for most models), else the view."""
    func = resolve(path).func
    model_admin = getattr(func, "model_admin", None)
    if model_admin is not None:
        return getattr(type(model_admin), func.__name__, func)
    return func


def sweep_row(name: str, row: Row, matrix: Matrix, swept: set | None = None) -> tuple[list[str], int]:
    """Sweep one URL; `swept` remembers (code, method, persona, key) so that a key the same code reads
    (the Django admin's `_to_field`, `p`… on every model) is swept once."""
    url = _url(name, row, matrix.world)
    code = _view_code(url.split("?")[0])
    swept = set() if swept is None else swept
    problems: list[str] = []
    sent = 0
    for persona in SWEPT_PERSONAS:
        position = PERSONAS.index(persona)
        for method, codes in row.expect.items():
            if _codes(codes)[position] in SKIPPED_CODES:
                continue
            client = matrix.client(persona)
            if row.api and method != "GET":
                many = _serializer_fields(url.split("?")[0])
                for label, value in JSON_VALUES.items():
                    body = {key: [value] if is_list else value for key, is_list in many.items()}
                    got = _send(client, method, url, None, api=True, body=body)
                    sent += 1
                    if got.startswith("500"):
                        problems.append(f"{method} {url} as {persona}, {label} in {sorted(body)}: {got}")
                continue
            with recording() as reads:
                _send(client, method, url, None, api=row.api)
            sent += 1
            fields = {key: f for key, f in reads.form_fields.items() if _integer_like(f) and key not in NOT_SENT}
            # Not a formset's management form: Django's formset code bounds it (absolute_max), and a
            # 25-digit TOTAL_FORMS makes it build all absolute_max forms, seconds each time.
            fields = {key: f for key, f in fields.items() if not MANAGEMENT_FORM.search(key)}
            by_hand = [
                key
                for key in sorted(reads.keys - set(reads.form_fields) - NOT_SENT)
                if (code, method, persona, key) not in swept
            ]
            swept.update((code, method, persona, key) for key in by_hand)
            for label, value in VALUES.items():
                attempts = [dict.fromkeys(fields, value)] if fields else []
                if by_hand:
                    attempts.append(dict.fromkeys(by_hand, value))
                for data in attempts:
                    got = _send(client, method, url, data, api=row.api)
                    sent += 1
                    if got == "400" and len(data) > 1 and set(data) <= set(by_hand):
                        # One key refused: the others may not have been read. Each on its own.
                        for key in data:
                            got = _send(client, method, url, {key: value}, api=row.api)
                            sent += 1
                            if got.startswith("500"):
                                problems.append(f"{method} {url} as {persona}, {label} in ['{key}']: {got}")
                    elif got.startswith("500"):
                        problems.append(f"{method} {url} as {persona}, {label} in {sorted(data)}: {got}")
    return problems, sent


def test_no_url_answers_500_to_a_malformed_number(matrix, db):
    problems, sent = [], 0
    swept: set = set()
    for name in sorted(MATRIX):
        found, count = sweep_row(name, MATRIX[name], matrix, swept)
        problems += found
        sent += count
    assert sent > 1000, f"only {sent} requests: the sweep found too few parameters to send"
    assert not problems, f"{len(problems)} of {sent} requests answered 500:\n" + "\n".join(problems)


def test_the_sweep_finds_the_parameters_a_view_reads(matrix, db):
    """The recorder sees both kinds of parameter: a key read by hand and a form's fields."""
    client = matrix.client("secretary")
    with recording() as reads:
        _send(client, "GET", "/plans/", None, api=False)
    assert "year" in reads.keys
    with recording() as reads:
        _send(client, "POST", "/activities/new/", None, api=False)
    integer_like = {key for key, form_field in reads.form_fields.items() if _integer_like(form_field)}
    assert {"committee", "participants", "youth_reached"} <= integer_like


def test_the_sweep_reports_a_500(matrix, db, monkeypatch):
    """A view that reads a number with a bare int() again is reported, with the parameter named."""
    import notifications.views

    monkeypatch.setattr(notifications.views, "id_param", lambda data, name: int(data.get(name) or 0) or None)
    problems, _sent = sweep_row("notifications:mark_read", MATRIX["notifications:mark_read"], matrix)
    assert any("['id']" in problem and "ValueError" in problem for problem in problems)
