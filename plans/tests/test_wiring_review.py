"""A metric guessed on reading is marked for review until a person saves or confirms the target; the review
page lists the guessed ones first."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from orgs.models import AuditEvent
from plans.extraction import extract_text
from plans.models import Target
from plans.services import plan_import, target_update
from plans.tests.test_wiring import ISSUE_PLAN

pytestmark = pytest.mark.django_db

UNMEASURED_LINE = "（五）全年走访慰问困难学生家庭满意度达到95%。\n"


@pytest.fixture
def college_plan(tree):
    text = ISSUE_PLAN.replace("二、自身建设", UNMEASURED_LINE + "二、自身建设")
    return plan_import(committee=tree.college, year=2026, extracted=extract_text(text))


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reading_a_plan_marks_every_metric_it_chose_as_guessed(college_plan):
    targets = Target.objects.filter(work_point__section__plan=college_plan)
    assert targets.count() == 9
    assert {t.text: t.wiring_guessed for t in targets if not t.metric} == {
        "全年走访慰问困难学生家庭满意度达到95%": False
    }
    assert all(t.wiring_guessed for t in targets if t.metric)


def test_a_person_saving_the_target_confirms_its_metric_even_unchanged(college_plan, personas):
    target = Target.objects.get(work_point__section__plan=college_plan, unit="人次", value=600)
    target_update(target=target, by=personas["sec_college"], value=600)
    target.refresh_from_db()
    assert target.wiring_guessed is False
    assert AuditEvent.objects.filter(summary__contains="wiring_guessed").exists()


def test_the_review_page_lists_the_guessed_targets_first_and_says_so(
    college_plan, personas, django_assert_max_num_queries
):
    unmeasured = Target.objects.get(work_point__section__plan=college_plan, metric="")
    checked = Target.objects.get(work_point__section__plan=college_plan, unit="人次", value=600)
    target_update(target=checked, by=personas["sec_college"], value=600)
    client = login(personas["sec_college"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("plans:plan_targets", args=[college_plan.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("自动识别，请核对") == 7
    # Guessed first, in plan order; then the checked and the unmeasured ones in plan order.
    order = [
        page.index(f'id="target-{t.pk}"')
        for t in [
            Target.objects.get(work_point__section__plan=college_plan, value=12),
            Target.objects.get(work_point__section__plan=college_plan, value=50),
            checked,
            unmeasured,
        ]
    ]
    assert order == sorted(order)
    assert "活动次数（各类活动）" in page  # "全年开展活动不少于12次" counts every kind
    assert "受教育青少年人数（各类活动）" in page
    assert "（全委会/例会）" in page  # the meeting target counts the kind by its Chinese name
    assert "系统中没有可以统计这个目标的数据。" in page
    assert "无误" in page


def test_confirming_a_guessed_target_keeps_its_metric_and_clears_the_mark(college_plan, personas):
    target = Target.objects.get(work_point__section__plan=college_plan, value=12)
    client = login(personas["sec_college"])
    response = client.post(reverse("plans:target_confirm", args=[target.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("plans:plan_targets", args=[college_plan.pk]) + f"#target-{target.pk}")
    target.refresh_from_db()
    assert (target.wiring_guessed, target.metric) == (False, "activity_count")
    page = client.get(response["Location"]).content.decode()
    assert "已核对" in page and page.count("自动识别，请核对") == 7


def test_confirming_answers_only_a_post(college_plan, personas):
    target = Target.objects.get(work_point__section__plan=college_plan, value=12)
    assert login(personas["sec_college"]).get(reverse("plans:target_confirm", args=[target.pk])).status_code == 405


def test_an_outsider_sees_no_review_and_confirms_nothing(college_plan, personas):
    target = Target.objects.get(work_point__section__plan=college_plan, value=12)
    outsider = login(personas["sec_sibling"])
    assert outsider.get(reverse("plans:plan_targets", args=[college_plan.pk])).status_code == 404
    assert outsider.post(reverse("plans:target_confirm", args=[target.pk])).status_code == 404
    target.refresh_from_db()
    assert target.wiring_guessed is True


def test_a_reader_may_not_review(college_plan, personas):
    assert login(personas["leader"]).get(reverse("plans:plan_targets", args=[college_plan.pk])).status_code == 403


def test_uploading_a_plan_with_guessed_metrics_opens_the_review(tree, personas):
    client = login(personas["sec_college"])
    response = client.post(reverse("plans:upload"), {"committee": tree.college.pk, "year": 2026, "text": ISSUE_PLAN})
    plan = tree.college.plans.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan_targets", args=[plan.pk])
    page = client.get(response["Location"]).content.decode()
    assert "核对目标" in page and "全年开展活动不少于12次" in page
