"""Taking a reviewer's assignment back on the round's assign page."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import ReviewAssignment
from orgs.models import AuditEvent, GrantRole
from orgs.services import grant_access

from .conftest import FULL, score_all

PERSONAS = [None, "sec_sibling", "sec_college", "leader", "reviewer", "admin"]


def remove_url(assignment):
    return reverse("assessments:assignment_remove", args=[assignment.pk])


def assign_url(round_):
    return reverse("assessments:round_assign", args=[round_.pk])


def message_texts(response):
    return [str(m) for m in response.context["messages"]]


def test_admin_sees_each_assignment_with_a_remove_button_and_a_question(client_for, round_, college_eval, assign):
    assignment = assign(college_eval)
    admin = client_for("admin")
    body = admin.get(assign_url(round_)).content.decode()
    assert "当前考评分配" in body
    confirm_url = reverse("assessments:assignment_remove_confirm", args=[assignment.pk])
    assert f'href="{confirm_url}">取消分配……</a>' in body
    assert f'action="{remove_url(assignment)}"' not in body  # one tap never removes it
    question = admin.get(confirm_url).content.decode()
    assert "确定取消reviewer对针灸康复临床医学院关工分委的考评分配吗？" in question
    assert f'action="{remove_url(assignment)}"' in question


def test_admin_removes_an_assignment_and_it_is_audited(client_for, round_, college_eval, assign):
    assignment = assign(college_eval)
    response = client_for("admin").post(remove_url(assignment), follow=True)
    assert response.redirect_chain == [(assign_url(round_), 302)]
    assert "已取消reviewer对针灸康复临床医学院关工分委的考评分配。" in message_texts(response)
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()
    assert "本批次还没有分配任何考核表。" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, object_type="assessments.reviewassignment")
    assert event.username == "admin" and event.object_id == str(assignment.pk)


def test_a_reviewer_who_lost_the_assignment_no_longer_sees_the_evaluation(client_for, submitted, assign):
    assignment = assign(submitted)
    reviewer = client_for("reviewer")
    detail = reverse("assessments:evaluation_detail", args=[submitted.pk])
    assert reviewer.get(detail).status_code == 200
    assert "针灸康复临床医学院关工分委" in reviewer.get(reverse("assessments:index")).content.decode()

    assert client_for("admin").post(remove_url(assignment)).status_code == 302

    assert reviewer.get(detail).status_code == 404
    assert reviewer.get(reverse("assessments:evaluation_review", args=[submitted.pk])).status_code == 404
    assert "针灸康复临床医学院关工分委" not in reviewer.get(reverse("assessments:index")).content.decode()


def test_removal_is_refused_once_the_reviewer_has_entered_review_scores(
    client_for, submitted, rubric_set, personas, assign
):
    assignment = assign(submitted)
    services.evaluation_review_score(
        evaluation=submitted, entries=score_all(rubric_set, leadership=38), by=personas["reviewer"]
    )
    response = client_for("admin").post(remove_url(assignment), follow=True)
    assert response.redirect_chain == [(assign_url(submitted.round), 302)]
    assert message_texts(response) == ["reviewer已为该考核表录入评审分数，不能取消分配。"]
    assert ReviewAssignment.objects.filter(pk=assignment.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).exists()
    assert client_for("reviewer").get(reverse("assessments:evaluation_detail", args=[submitted.pk])).status_code == 200


def test_a_panel_stays_once_one_of_its_members_has_scored(client_for, submitted, rubric_set, personas):
    panel = services.panel_create(round_=submitted.round, name="第一考核小组", members=[personas["reviewer"]])
    assignment = services.assignment_add(evaluation=submitted, panel=panel)
    services.evaluation_review_score(
        evaluation=submitted, entries=score_all(rubric_set, wulao=30), by=personas["reviewer"]
    )
    response = client_for("admin").post(remove_url(assignment), follow=True)
    assert message_texts(response) == ["第一考核小组已为该考核表录入评审分数，不能取消分配。"]
    assert ReviewAssignment.objects.filter(pk=assignment.pk).exists()


def test_scores_given_by_someone_else_do_not_hold_the_assignment(client_for, submitted, rubric_set, personas, assign):
    # The round's admin scored; the assigned reviewer never did, so the assignment can still go.
    assignment = assign(submitted)
    services.evaluation_review_score(evaluation=submitted, entries=score_all(rubric_set, **FULL), by=personas["admin"])
    assert client_for("admin").post(remove_url(assignment)).status_code == 302
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()


def test_removal_is_refused_once_the_evaluation_is_finalised(client_for, submitted, rubric_set, personas, assign):
    assignment = assign(submitted)
    admin = personas["admin"]
    services.evaluation_review_score(evaluation=submitted, entries=score_all(rubric_set, **FULL), by=admin)
    services.evaluation_finalise(evaluation=submitted, by=admin)
    client = client_for("admin")
    page = client.get(assign_url(submitted.round)).content.decode()
    assert "已定稿，不可取消" in page and f'action="{remove_url(assignment)}"' not in page
    response = client.post(remove_url(assignment), follow=True)
    assert message_texts(response) == ["该考核表已定稿，不能再取消考评分配。"]
    assert ReviewAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_service_refuses_in_the_same_words(submitted, rubric_set, personas, assign):
    assignment = assign(submitted)
    services.evaluation_review_score(
        evaluation=submitted, entries=score_all(rubric_set, leadership=38), by=personas["reviewer"]
    )
    with pytest.raises(ValidationError) as refused:
        services.assignment_remove(assignment=assignment, by=personas["admin"])
    assert refused.value.code == "scored"
    assert ReviewAssignment.objects.filter(pk=assignment.pk).exists()


def test_removing_twice_is_harmless(college_eval, personas, assign):
    assignment = assign(college_eval)
    services.assignment_remove(assignment=assignment, by=personas["admin"])
    services.assignment_remove(assignment=assignment, by=personas["admin"])
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).count() == 1


def test_status_codes_per_persona(client_for, college_eval, assign):
    # Everyone who can see the evaluation but may not assign is refused; the outsider never sees it.
    results = []
    for name in PERSONAS:
        assignment = assign(college_eval)
        results.append(client_for(name).post(remove_url(assignment)).status_code)
    assert results == [302, 404, 403, 403, 403, 302]
    assert not ReviewAssignment.objects.exists()  # only the admin's post removed anything


def test_the_button_refuses_get(client_for, college_eval, assign):
    assignment = assign(college_eval)
    assert client_for("admin").get(remove_url(assignment)).status_code == 405
    assert ReviewAssignment.objects.filter(pk=assignment.pk).exists()


def test_whoever_may_assign_may_remove(client, tree, round_, college_eval, assign, django_user_model):
    # An administrator grant on the organising university: may assign, so may remove.
    university_admin = django_user_model.objects.create_user(username="uni_admin")
    grant_access(user=university_admin, committee=tree.university, role=GrantRole.ADMIN)
    # An administrator grant on the college alone sees the evaluation but does not run the round.
    college_admin = django_user_model.objects.create_user(username="college_admin")
    grant_access(user=college_admin, committee=tree.college, role=GrantRole.ADMIN)

    assignment = assign(college_eval)
    client.force_login(college_admin)
    assert client.post(remove_url(assignment)).status_code == 403
    client.force_login(university_admin)
    assert client.get(assign_url(round_)).status_code == 200
    assert client.post(remove_url(assignment)).status_code == 302
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()


def test_unknown_and_foreign_assignment_ids_are_404_and_audited(client_for, sibling_eval, assign):
    foreign = assign(sibling_eval)  # the sibling college's evaluation: outside the secretary's scope
    secretary = client_for("sec_college")
    assert secretary.post(remove_url(foreign)).status_code == 404
    assert secretary.post(reverse("assessments:assignment_remove", args=[999999])).status_code == 404
    assert client_for("admin").post(reverse("assessments:assignment_remove", args=[999999])).status_code == 404
    assert ReviewAssignment.objects.filter(pk=foreign.pk).exists()
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.DENIED, object_type="assessments.reviewassignment")
    assert denied.count() == 3


def test_assign_page_queries_do_not_grow_with_assignments(
    client_for, round_, college_eval, sibling_eval, personas, assign, django_assert_num_queries
):
    client = client_for("admin")
    assign(college_eval)
    with CaptureQueriesContext(connection) as one:
        assert client.get(assign_url(round_)).status_code == 200
    assign(sibling_eval)
    panel = services.panel_create(round_=round_, name="第二考核小组", members=[personas["reviewer"]])
    services.assignment_add(evaluation=college_eval, panel=panel)
    services.assignment_add(evaluation=sibling_eval, panel=panel)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(assign_url(round_)).content.decode().count("/remove/confirm/") == 4
