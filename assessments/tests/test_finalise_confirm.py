"""定稿 asks first: offered only when every counted criterion has a review score, and shown before it locks."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import EvaluationStatus

from .conftest import score_all

pytestmark = pytest.mark.django_db


def detail_url(evaluation):
    return reverse("assessments:evaluation_detail", args=[evaluation.pk])


def confirm_url(evaluation):
    return reverse("assessments:evaluation_finalise_confirm", args=[evaluation.pk])


def finalise_url(evaluation):
    return reverse("assessments:evaluation_finalise", args=[evaluation.pk])


@pytest.fixture
def reviewing(submitted, assign):
    assign(submitted)
    return submitted


def review(evaluation, rubric_set, personas, **points):
    return services.evaluation_review_score(
        evaluation=evaluation, entries=score_all(rubric_set, **points), by=personas["reviewer"], reason="复核"
    )


def test_finalise_is_not_offered_while_a_counted_criterion_has_no_review_score(
    client_for, reviewing, rubric_set, personas
):
    review(reviewing, rubric_set, personas, leadership=40)
    page = client_for("reviewer").get(detail_url(reviewing)).content.decode()
    assert "填写考评分" in page
    assert "每项指标都打了考评分后才能定稿：还有 2 项指标没有考评分。" in page
    assert confirm_url(reviewing) not in page
    assert finalise_url(reviewing) not in page


def test_a_finalise_posted_without_every_review_score_is_refused_in_chinese(
    client_for, reviewing, rubric_set, personas
):
    review(reviewing, rubric_set, personas, leadership=40)
    response = client_for("reviewer").post(finalise_url(reviewing), follow=True)
    assert response.redirect_chain == [(detail_url(reviewing), 302)]
    text = " ".join(str(m) for m in response.context["messages"])
    assert "请先为每项指标给出考评分。尚未打分：1.2 五老参与；2.1 校外辅导站活动不少于24次" in text
    reviewing.refresh_from_db()
    assert reviewing.status == EvaluationStatus.UNDER_REVIEW and reviewing.finalised_at is None


def test_the_confirmation_page_refuses_too_while_scores_are_missing(client_for, reviewing, rubric_set, personas):
    review(reviewing, rubric_set, personas, leadership=40)
    page = client_for("reviewer").get(confirm_url(reviewing)).content.decode()
    assert "现在还不能这样做" in page
    assert "尚未打分的 2 项" in page
    assert f'action="{finalise_url(reviewing)}"' not in page


def test_finalise_sits_apart_from_the_scoring_buttons_as_a_danger_action(client_for, reviewing, rubric_set, personas):
    review(reviewing, rubric_set, personas, leadership=40, wulao=30, station=20)
    page = client_for("reviewer").get(detail_url(reviewing)).content.decode()
    actions = page.split('<div class="actions">', 1)[1].split("</div>", 1)[0]
    assert "填写考评分" in actions
    assert "定稿" not in actions  # not beside 填写考评分
    zone = page.split('class="danger-zone', 1)[1].split("</section>", 1)[0]
    assert f'<a class="button destructive" href="{confirm_url(reviewing)}">定稿……</a>' in zone
    assert f'action="{finalise_url(reviewing)}"' not in page  # one tap on the page never locks


def test_the_confirmation_shows_the_totals_the_grade_and_what_locks(client_for, reviewing, rubric_set, personas):
    ev = review(reviewing, rubric_set, personas, leadership=40, wulao=30, station=20)
    status = ev.status
    response = client_for("reviewer").get(confirm_url(reviewing))
    assert response.status_code == 200
    page = response.content.decode()
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(?:<span[^>]*>)?(.*?)(?:</span>)?</dd>", page))
    assert facts["自评总分"] == "95.0"
    assert facts["考评总分"] == "90.0"
    assert facts["等次"] == "优秀"
    assert facts["均衡发展"] == "达到"
    assert "考评总分 90.0 和等次“优秀”将作为该关工委本轮考核的结果。" in page
    assert "所有自评分、考评分及其说明都将锁定，此后任何人都不能再修改。" in page
    assert "定稿后不能撤销。" in page
    assert f'action="{finalise_url(reviewing)}"' in page
    assert "确定定稿并锁定分数" in page
    reviewing.refresh_from_db()
    assert reviewing.status == status != EvaluationStatus.FINALISED  # looking at it locks nothing


def test_confirming_finalises_and_locks(client_for, reviewing, rubric_set, personas):
    review(reviewing, rubric_set, personas, leadership=40, wulao=30, station=20)
    response = client_for("reviewer").post(finalise_url(reviewing), follow=True)
    assert response.redirect_chain == [(detail_url(reviewing), 302)]
    reviewing.refresh_from_db()
    assert reviewing.status == EvaluationStatus.FINALISED
    assert reviewing.review_total == 90 and reviewing.grade == "优秀"
    page = response.content.decode()
    assert confirm_url(reviewing) not in page  # nothing left to finalise
    again = client_for("reviewer").get(confirm_url(reviewing)).content.decode()
    assert "该考核表已定稿，分数已锁定，不能再修改。" in again
    assert f'action="{finalise_url(reviewing)}"' not in again


def test_who_sees_the_finalise_confirmation(client_for, reviewing, rubric_set, personas):
    review(reviewing, rubric_set, personas, leadership=40, wulao=30, station=20)
    codes = [
        client_for(name).get(confirm_url(reviewing)).status_code
        for name in (None, "sec_sibling", "sec_college", "leader", "reviewer", "admin")
    ]
    # The outsider gets "not found"; the committee itself and the leader may read but not finalise.
    assert codes == [302, 404, 403, 403, 200, 200]
    assert client_for("reviewer").post(confirm_url(reviewing)).status_code == 405


def test_every_column_of_the_score_history_says_what_it_is(client_for, reviewing, rubric_set, personas):
    review(reviewing, rubric_set, personas, leadership=38)
    review(reviewing, rubric_set, personas, leadership=40)
    page = client_for("reviewer").get(detail_url(reviewing)).content.decode()
    table = page.split("<h2>分数修改记录</h2>", 1)[1].split("</table>", 1)[0]
    headers = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", table.split("</thead>")[0])
    assert headers == ["时间", "操作人", "考核指标", "自评 / 考评", "修改前", "修改后", "原因"]
    assert "新增" not in table
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in table.split("<tbody>")[1].split("</tr>")]
    assert ["1.1 党政重视", "考评", "38.0", "40.0", "复核"] in [row[2:] for row in rows if row]
