"""Numbers in a request that Python or the database cannot take: a 400 or a form error in Chinese, never a 500.

Issue 20, item 6: digits such as `²` pass str.isdigit() but not int(); twenty digits overflow the
database's integer columns; 5,000 digits pass Python's int() digit limit; JSON nested 5,000 deep
exhausts the parser's recursion. Each request below answered 500 before the numbers were read by
guanwei.params.
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from activities.models import Activity
from guanwei.tests import test_url_matrix
from guanwei.tests.test_url_matrix import Matrix
from notifications.models import Notification
from plans.models import Target

matrix = test_url_matrix.matrix  # the matrix's world, built once for this module too

SUPERSCRIPT = "²"  # str.isdigit() is true, int() refuses it
OVERFLOW = "99999999999999999999"  # 20 digits: past PostgreSQL's bigint
HUGE = "7" * 5000  # past Python's int() digit limit (4,300)
BAD_REQUEST_TEXT = "不是有效的数字"  # the 400 page's message
MALFORMED = [
    pytest.param(SUPERSCRIPT, id="superscript"),
    pytest.param(OVERFLOW, id="20-digits"),
    pytest.param(HUGE, id="5000-digits"),
]


def _client(matrix: Matrix, persona: str) -> Client:
    return matrix.client(persona)


def _send(client: Client, method: str, url: str, data: dict | None = None):
    """One request in a savepoint rolled back after it, so the shared world stays as it was."""
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, data or {})
        else:
            response = client.post(url, data or {})
        transaction.set_rollback(True)
    return response


def _page(response) -> str:
    return response.content.decode()


def _assert_bad_request(response) -> None:
    assert response.status_code == 400, response.status_code
    assert BAD_REQUEST_TEXT in _page(response)


def _activity_data(matrix: Matrix, **overrides) -> dict:
    world = matrix.world
    data = {
        "committee": world.college.pk,
        "kind": world.kind.pk,
        "held_on": "2024-09-02",
        "title": "开学第一课：党史宣讲",
        "place": "针灸楼325",
        "youth_reached": "120",
        "students_talked": "0",
        "summary": "",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------------------------
# Query parameters: a 400 page that says the number is not valid


@pytest.mark.parametrize("value", [*MALFORMED, "-3", "12abc"])
@pytest.mark.parametrize(
    ("url_name", "param"),
    [
        ("orgs:people_list", "committee"),
        ("orgs:wulao_registry", "committee"),
        ("orgs:people_export", "committee"),
        ("orgs:person_create", "committee"),
    ],
)
def test_a_committee_that_is_not_a_number_is_a_bad_request(matrix, db, url_name, param, value):
    _assert_bad_request(_send(_client(matrix, "secretary"), "GET", reverse(url_name), {param: value}))


@pytest.mark.parametrize("value", MALFORMED)
def test_a_parent_that_is_not_a_number_is_a_bad_request(matrix, db, value):
    _assert_bad_request(_send(_client(matrix, "admin"), "GET", reverse("orgs:committee_create"), {"parent": value}))
    _assert_bad_request(_send(_client(matrix, "admin"), "POST", reverse("orgs:committee_create"), {"parent": value}))


@pytest.mark.parametrize("value", [*MALFORMED, "1999x"])
def test_a_dashboard_year_that_is_not_a_number_is_a_bad_request(matrix, db, value):
    url = reverse("dashboards:committee", args=[matrix.world.college.pk])
    _assert_bad_request(_send(_client(matrix, "secretary"), "GET", url, {"year": value}))


@pytest.mark.parametrize("value", MALFORMED)
def test_a_plan_year_that_is_not_a_number_is_a_bad_request(matrix, db, value):
    _assert_bad_request(_send(_client(matrix, "secretary"), "GET", reverse("plans:index"), {"year": value}))


def test_a_well_formed_year_still_chooses_the_plans_shown(matrix, db):
    year = matrix.world.plan.year
    shown = _send(_client(matrix, "secretary"), "GET", reverse("plans:index"), {"year": year})
    assert shown.status_code == 200 and matrix.world.plan.title in _page(shown)
    other = _send(_client(matrix, "secretary"), "GET", reverse("plans:index"), {"year": year - 5})
    assert other.status_code == 200 and matrix.world.plan.title not in _page(other)


@pytest.mark.parametrize("value", MALFORMED)
def test_a_notification_id_that_is_not_a_number_is_a_bad_request_and_marks_nothing(matrix, db, value):
    response = _send(_client(matrix, "secretary"), "POST", reverse("notifications:mark_read"), {"id": value})
    _assert_bad_request(response)
    assert Notification.objects.filter(pk=matrix.world.notification.pk, read_at=None).exists()


@pytest.mark.parametrize("value", MALFORMED)
def test_a_report_committee_that_is_not_a_number_is_a_bad_request(matrix, db, value):
    url = reverse("assessments:report_request", args=[matrix.world.round.pk])
    _assert_bad_request(_send(_client(matrix, "admin"), "POST", url, {"committee": value}))  # who runs the round


def test_the_bad_request_page_is_in_chinese_with_the_site_layout(matrix, db):
    response = _send(_client(matrix, "secretary"), "GET", reverse("orgs:people_list"), {"committee": SUPERSCRIPT})
    page = _page(response)
    assert response.status_code == 400
    assert "请求中的数字不是有效的数字" in page or BAD_REQUEST_TEXT in page
    assert "返回首页" in page or 'href="/"' in page


# ---------------------------------------------------------------------------------------------
# Form fields: the form again, with a Chinese message on the field, and nothing saved


@pytest.mark.parametrize("value", MALFORMED)
def test_an_activity_posted_with_a_malformed_committee_gets_the_form_back(matrix, db, value):
    before = Activity.all_objects.count()
    response = _send(
        _client(matrix, "secretary"), "POST", reverse("activities:create"), _activity_data(matrix, committee=value)
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in _page(response)
    assert Activity.all_objects.count() == before


@pytest.mark.parametrize("value", MALFORMED)
def test_an_activity_edit_posted_with_a_malformed_committee_gets_the_form_back(matrix, db, value):
    url = reverse("activities:edit", args=[matrix.world.activity.pk])
    response = _send(_client(matrix, "secretary"), "POST", url, _activity_data(matrix, committee=value))
    assert response.status_code == 200
    assert "选择一个有效的选项" in _page(response)


@pytest.mark.parametrize("value", MALFORMED)
def test_a_donation_posted_with_a_malformed_committee_gets_the_form_back(matrix, db, value):
    data = {
        "committee": value,
        "donor_kind": "person",
        "donor_name": "某校友",
        "amount": "100",
        "donated_on": "2024-09-02",
        "purpose": "",
    }
    response = _send(_client(matrix, "secretary"), "POST", reverse("activities:donation_create"), data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in _page(response)


@pytest.mark.parametrize("value", MALFORMED)
def test_an_activity_posted_with_a_participant_id_past_the_column_gets_the_form_back(matrix, db, value):
    data = _activity_data(matrix, participants=[value])
    response = _send(_client(matrix, "secretary"), "POST", reverse("activities:create"), data)
    assert response.status_code == 200
    assert "不是一个有效的值" in _page(response)


@pytest.mark.parametrize("field", ["youth_reached", "students_talked"])
def test_a_count_past_the_column_is_refused_with_a_message(matrix, db, field):
    data = _activity_data(matrix, **{field: OVERFLOW})
    response = _send(_client(matrix, "secretary"), "POST", reverse("activities:create"), data)
    assert response.status_code == 200
    assert "2147483647" in _page(response)


def _share_target(**overrides):
    data = {
        "text": "本年度90%二级学院关工委达到均衡发展要求",
        "metric": "subcommittee_share",
        "share_metric": "gate_reached",
        "share_comparator": ">=",
        "share_value": "1",
        "comparator": ">=",
        "value": "90",
        "unit": "%",
        "period_kind": "year",
        "scope": "aggregate",
    }
    data.update(overrides)
    return data


def test_a_share_value_of_5000_digits_is_refused_with_a_message(matrix, db):
    # The target form takes its metric parameters as plain fields (no JSON): a huge number is a form error.
    url = reverse("plans:target_add", args=[matrix.world.point.pk])
    before = Target.objects.count()
    response = _send(_client(matrix, "secretary"), "POST", url, _share_target(share_value="9" * 5000))
    assert response.status_code == 200
    assert "14 个数字" in _page(response)
    assert Target.objects.count() == before


def test_a_share_value_of_a_megabyte_of_text_is_refused_with_a_message(matrix, db):
    url = reverse("plans:target_add", args=[matrix.world.point.pk])
    before = Target.objects.count()
    response = _send(_client(matrix, "secretary"), "POST", url, _share_target(share_value="长" * 1_000_000))
    assert response.status_code == 200
    assert "输入一个数字" in _page(response)
    assert Target.objects.count() == before


def test_rubric_criterion_parameters_nested_5000_deep_are_refused_with_a_message(matrix, db):
    url = reverse("assessments:criterion_edit", args=[matrix.world.criterion.pk])
    data = {"code": "1.1", "title": "党政重视", "kind": "manual", "max_points": "50", "metric_params": "[" * 5000}
    response = _send(_client(matrix, "admin"), "POST", url, data)
    assert response.status_code == 200
    assert "括号嵌套层数太多" in _page(response)


# ---------------------------------------------------------------------------------------------
# The API's JSON bodies


def _api(matrix: Matrix, method: str, url: str, body: str):
    client = _client(matrix, "secretary")
    with transaction.atomic():
        response = client.generic(method, url, data=body, content_type="application/json")
        transaction.set_rollback(True)
    return response


def test_an_api_body_nested_5000_deep_is_a_bad_request(matrix, db):
    url = reverse("api:activity-detail", args=[matrix.world.activity.pk])
    response = _api(matrix, "PATCH", url, '{"title": ' + "[" * 5000 + "]" * 5000 + "}")
    assert response.status_code == 400
    assert "括号嵌套层数太多" in response.json()["detail"]


def test_an_api_body_past_the_size_limit_is_a_bad_request(matrix, db):
    url = reverse("api:activity-detail", args=[matrix.world.activity.pk])
    response = _api(matrix, "PATCH", url, json.dumps({"summary": "x" * (3 * 1024 * 1024)}))
    assert response.status_code == 400
    assert "请求内容太大" in response.json()["detail"]


@pytest.mark.parametrize("value", [SUPERSCRIPT, 2**31, int(OVERFLOW), int("9" * 25), -3])
def test_an_api_work_point_or_count_that_is_not_a_number_in_range_is_a_bad_request(matrix, db, value):
    url = reverse("api:activity-detail", args=[matrix.world.activity.pk])
    for field in ("work_point", "youth_reached", "committee", "participants"):
        sent = [value] if field == "participants" else value
        response = _api(matrix, "PATCH", url, json.dumps({field: sent}))
        assert response.status_code == 400, (field, response.content)
        assert field in response.json()


# ---------------------------------------------------------------------------------------------
# The helper itself


def test_only_ascii_digits_within_the_range_are_numbers():
    from guanwei.params import BIGINT_MAX, INT_MAX, parse_int

    assert parse_int("42") == 42 and parse_int("-5", min_value=-10) == -5
    assert parse_int(str(INT_MAX), max_value=INT_MAX) == INT_MAX
    assert parse_int(str(INT_MAX + 1), max_value=INT_MAX) is None
    assert parse_int(str(BIGINT_MAX + 1)) is None
    for not_a_number in ["²", "４２", "٤٢", " 42", "42\n", "4_2", "+42", "", "-", "1e3", HUGE, True]:
        assert parse_int(not_a_number) is None, not_a_number
    assert parse_int("-5") is None  # below the default minimum of 0
