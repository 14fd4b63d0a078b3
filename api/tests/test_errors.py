"""Errors under /api/: JSON with one body shape and a Chinese `detail`; bad query values are 400s naming them.

The rest of the site keeps its HTML error pages.
"""

from __future__ import annotations

import pytest
from django.test import Client

LIST = "/api/activities/"


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


# --- addresses and records that are not there -------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/activities/abc/", "/api/activities/1.5/", "/api/nope/", "/api/evaluations/abc/report.pdf"]
)
def test_an_address_the_api_does_not_have_is_a_json_404(api_for, url):
    body = assert_json_error(api_for("sec_college").get(url), 404)
    assert "接口中没有这个地址" in body["detail"]
    assert "/api/docs/" in body["detail"]


def test_an_unknown_address_is_a_json_404_even_before_logging_in(api_for):
    assert_json_error(api_for(None).get("/api/activities/abc/"), 404)


def test_pages_outside_the_api_keep_their_html_404(client, personas):
    client.force_login(personas["sec_college"])
    response = client.get("/activities/abc/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "<html" in response.content.decode()


def test_an_outsider_gets_the_same_json_404_as_for_a_missing_activity(api_for, college_activity):
    client = api_for("sec_sibling")
    foreign = assert_json_error(client.get(f"{LIST}{college_activity.pk}/"), 404)
    missing = assert_json_error(client.get(f"{LIST}987654/"), 404)
    assert foreign == missing == {"detail": "未找到。"}
    assert college_activity.title not in str(foreign)


def test_a_missing_report_is_a_json_404_even_when_a_pdf_was_asked_for(api_for, evaluations):
    response = api_for("sec_sibling").get(
        f"/api/evaluations/{evaluations.college.pk}/report.pdf", HTTP_ACCEPT="application/pdf"
    )
    assert assert_json_error(response, 404) == {"detail": "未找到。"}


def test_an_error_in_a_browser_is_json_too(api_for, college_activity):
    response = api_for("sec_sibling").get(f"{LIST}{college_activity.pk}/", HTTP_ACCEPT="text/html")
    assert_json_error(response, 404)


def test_an_accept_the_api_cannot_meet_gets_json_not_a_406(api_for, college_activity):
    response = api_for("sec_college").get(LIST, HTTP_ACCEPT="application/xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"][0]["title"] == "红色故事进课堂"


# --- who may ask ---------------------------------------------------------------------


def test_no_login_is_a_json_401_asking_for_a_token(api_for):
    response = api_for(None).get(LIST)
    assert assert_json_error(response, 401) == {"detail": "身份认证信息未提供。"}
    assert response["WWW-Authenticate"] == "Token"


def test_the_schema_refuses_a_stranger_in_json_not_yaml(api_for):
    assert_json_error(api_for(None).get("/api/schema/"), 401)


def test_a_leader_deleting_an_activity_gets_a_json_403(api_for, college_activity):
    body = assert_json_error(api_for("leader").delete(f"{LIST}{college_activity.pk}/"), 403)
    assert "权限" in body["detail"]


def test_a_method_an_endpoint_lacks_is_a_json_405(api_for, tree):
    body = assert_json_error(api_for("admin").delete(f"/api/committees/{tree.college.pk}/"), 405)
    assert "DELETE" in body["detail"]


def test_the_token_pages_answer_a_wrong_method_in_json(client, personas):
    client.force_login(personas["sec_college"])
    for url in ("/api/token/", "/api/token/revoke/"):
        response = client.get(url)
        body = assert_json_error(response, 405)
        assert "GET" in body["detail"]
        assert response["Allow"] == "POST"
    assert_json_error(client.post("/api/"), 405)


def test_a_server_error_under_the_api_is_json_and_in_chinese(personas, monkeypatch):
    from activities import selectors

    def broken(user):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(selectors, "activity_list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(personas["sec_college"])
    body = assert_json_error(client.get(LIST), 500)
    assert body == {"detail": "服务器出错了。请稍后再试；如果一直出现，请告诉管理员。"}
    assert "database" not in body["detail"]


# --- bad query values ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "0", "-3", "201", "1e3", "²", "1" * 25])
def test_a_bad_page_size_is_a_400_naming_page_size(api_for, college_activity, value, django_assert_max_num_queries):
    client = api_for("sec_college")
    client.get(LIST)  # the user's grants, read once
    with django_assert_max_num_queries(2):  # refused before the list is counted
        response = client.get(LIST, {"page_size": value})
    body = assert_json_error(response, 400)
    assert body["page_size"] == ["“page_size”应为 1 到 200 之间的整数。"]
    assert body["detail"] == "“page_size”应为 1 到 200 之间的整数。"


def test_the_largest_page_size_is_taken(api_for, college_activity):
    response = api_for("sec_college").get(LIST, {"page_size": "200"})
    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize("value", ["abc", "0", "-1", "last", "99999999999"])
def test_a_bad_page_is_a_400_naming_page(api_for, college_activity, value):
    body = assert_json_error(api_for("sec_college").get(LIST, {"page": value}), 400)
    assert body["page"] == ["“page”应为页码：从 1 开始的整数。"]


def test_a_page_past_the_last_is_a_404_saying_how_many_there_are(api_for, college_activity):
    body = assert_json_error(api_for("sec_college").get(LIST, {"page": "9"}), 404)
    assert body == {"detail": "没有第 9 页：结果共 1 页。"}


def test_an_empty_parameter_counts_as_not_given(api_for, college_activity):
    response = api_for("sec_college").get(LIST, {"page": "", "page_size": "", "kind": "", "date_from": ""})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_a_parameter_given_twice_is_refused_not_guessed(api_for, college_activity):
    body = assert_json_error(api_for("sec_college").get(f"{LIST}?page=1&page=2"), 400)
    assert body["page"] == ["“page”出现了 2 次：请只给一次。"]


def test_a_junk_yes_no_filter_is_a_400_naming_it(api_for, people):
    client = api_for("sec_college")
    body = assert_json_error(client.get("/api/people/", {"wulao": "maybe"}), 400)
    assert body["wulao"] == ["请填写 true（是）或 false（否）。"]
    assert body["detail"] == "“wulao”：请填写 true（是）或 false（否）。"
    names = {row["name"] for row in client.get("/api/people/", {"wulao": "true"}).json()["results"]}
    assert names == {"张老师", "李主任"}
    names = {row["name"] for row in client.get("/api/people/", {"wulao": "false"}).json()["results"]}
    assert names == {"周站长"}


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/activities/?date_from=yesterday", "date_from"),
        ("/api/activities/?kind=no-such-kind", "kind"),
        ("/api/plans/?year=abc", "year"),
        ("/api/evaluations/?status=lost", "status"),
        ("/api/committees/?kind=planet", "kind"),
    ],
)
def test_a_bad_filter_value_is_a_400_whose_detail_names_it(api_for, tree, kinds, url, name):
    body = assert_json_error(api_for("sec_college").get(url), 400)
    assert name in body
    assert body["detail"].startswith(f"“{name}”：")


def test_an_unknown_format_is_a_400_naming_format(api_for, college_activity):
    body = assert_json_error(api_for("sec_college").get(LIST, {"format": "xml"}), 400)
    assert body["format"] == ["“format”只能是以下之一：json, api。"]


def test_a_refused_body_field_is_named_in_the_detail(api_for, tree, kinds):
    body = {"committee": tree.college.pk, "kind": "lecture", "held_on": "2022-03-01", "youth_reached": -1}
    body = assert_json_error(api_for("sec_college").post(LIST, body, format="json"), 400)
    assert "youth_reached" in body and "title" in body
    assert "“youth_reached”：" in body["detail"] and "“title”：该字段是必填项。" in body["detail"]


def test_a_body_that_is_not_json_is_a_400_with_a_detail(api_for):
    body = assert_json_error(api_for("sec_college").post(LIST, "{not json", content_type="application/json"), 400)
    assert "JSON" in body["detail"]


def test_a_body_of_an_unknown_type_is_a_json_415(api_for):
    body = assert_json_error(api_for("sec_college").post(LIST, "title", content_type="text/plain"), 415)
    assert "text/plain" in body["detail"]


# --- the schema states all of it ---------------------------------------------------------


@pytest.fixture
def schema(api_for, db):
    return api_for("sec_college").get("/api/schema/", {"format": "json"}).json()


def test_every_operation_documents_its_errors_with_the_error_body(schema):
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert len(operations) >= 18
    for path, method, operation in operations:
        responses = operation["responses"]
        expected = {"400", "401"}
        if "{id}" in path or "page" in {p["name"] for p in operation.get("parameters", [])}:
            expected.add("404")
        if method != "get":
            expected.add("403")
        if method in ("post", "put", "patch"):
            expected.add("415")
        errors = {code for code in responses if code >= "400"}
        assert errors == expected, f"{method.upper()} {path}: {sorted(errors)}"
        for code in errors:
            ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref == ("#/components/schemas/InvalidRequest" if code == "400" else "#/components/schemas/Error")
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_the_schema_states_the_page_size_limit_and_that_empty_means_not_given(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/activities/"]["get"]["parameters"]}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
    assert "200" in parameters["page_size"]["description"]
    assert parameters["page"]["schema"]["minimum"] == 1
    assert all(p["allowEmptyValue"] for p in parameters.values())
    wulao = next(p for p in schema["paths"]["/api/people/"]["get"]["parameters"] if p["name"] == "wulao")
    assert wulao["schema"] == {"type": "boolean"}


def test_the_schema_describes_the_errors_in_chinese(schema):
    not_found = schema["paths"]["/api/activities/{id}/"]["get"]["responses"]["404"]["description"]
    assert not_found == "没有这条记录，或者它不在你可查看的范围内：两者的回答相同。"
