"""The 修正目标 form speaks Chinese: numbers as people write them, metric parameters as fields, never JSON."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import PlanStatus, Target, WorkPoint
from plans.services import target_create
from plans.tests.test_views import login, statuses


@pytest.fixture
def point(uni_plan):
    return WorkPoint.objects.filter(section__plan=uni_plan).order_by("section__position", "position").first()


@pytest.fixture
def count_target(point):
    return target_create(
        work_point=point,
        text="全年开展活动不少于12次",
        metric="activity_count",
        params={"kinds": ["report", "lecture"]},
        comparator=">=",
        value=Decimal("12.0000"),
        unit="次",
    )


@pytest.fixture
def share_target(point):
    return target_create(
        work_point=point,
        text="本年度90%二级学院关工委达到“均衡发展”要求",
        metric="subcommittee_share",
        params={"metric": "gate_reached", "params": {}, "comparator": ">=", "value": "1"},
        comparator=">=",
        value=Decimal("90.0000"),
        unit="%",
    )


def edit_url(target):
    return reverse("plans:target_edit", args=[target.pk])


def post_data(target, **overrides):
    data = {
        "text": target.text,
        "metric": target.metric,
        "comparator": target.comparator,
        "value": "12",
        "unit": target.unit,
        "period_kind": "year",
        "scope": "aggregate",
        "subtree": "on",
    }
    data.update(overrides)
    return data


def test_the_value_reads_12_not_12_0000(sec_uni, count_target, kinds):
    page = login(sec_uni).get(edit_url(count_target)).content.decode()
    assert re.search(r'name="value" value="12"', page)
    assert "12.0000" not in page


def test_the_kinds_are_ticked_as_whole_words(sec_uni, count_target, kinds):
    page = login(sec_uni).get(edit_url(count_target)).content.decode()
    assert 'class="card target-form"' in page
    for code, name in (("report", "报告会"), ("lecture", "宣讲会")):
        assert re.search(rf'<input type="checkbox" name="kinds" value="{code}"[^>]*checked>\s*{name}</label>', page)
    assert re.search(r'<input type="checkbox" name="kinds" value="story"[^>]*>\s*故事会</label>', page)


def test_no_json_is_shown_or_asked_for(sec_uni, share_target, kinds):
    page = login(sec_uni).get(edit_url(share_target)).content.decode()
    assert '{"metric"' not in page and "&quot;metric&quot;" not in page
    assert "params_json" not in page
    assert "每个下级关工委按哪项统计" in page
    assert "每个下级关工委须达到的值" in page
    # The stored parameters fill the fields: measured by the gate, each must reach 1, value 90 not 90.0000.
    assert re.search(r'<option value="gate_reached" selected>', page)
    assert re.search(r'name="share_value" value="1"', page)
    assert re.search(r'name="value" value="90"', page)


def test_the_share_fields_are_saved_as_the_metric_parameters(sec_uni, share_target, kinds):
    data = post_data(
        share_target,
        value="80",
        share_metric="activity_count",
        share_comparator=">=",
        share_value="2.5",
        kinds=["lecture"],
    )
    response = login(sec_uni).post(edit_url(share_target), data)
    assert response.status_code == 302
    share_target.refresh_from_db()
    assert share_target.value == Decimal("80")
    assert share_target.params == {
        "metric": "activity_count",
        "params": {"kinds": ["lecture"]},
        "comparator": ">=",
        "value": "2.5",
        "subtree": False,
    }


def test_a_share_target_without_its_measure_is_a_chinese_form_error(sec_uni, share_target, kinds):
    data = post_data(share_target, value="90", share_metric="", share_value="")
    response = login(sec_uni).post(edit_url(share_target), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "请选择每个下级关工委按哪项统计。" in page
    assert "请填写每个下级关工委须达到的值。" in page
    share_target.refresh_from_db()
    assert share_target.params["metric"] == "gate_reached"


def test_kinds_of_a_count_are_saved_and_dropped_for_a_metric_without_kinds(sec_uni, count_target, kinds):
    client = login(sec_uni)
    assert client.post(edit_url(count_target), post_data(count_target, kinds=["story"])).status_code == 302
    count_target.refresh_from_db()
    assert count_target.params == {"kinds": ["story"]}
    data = post_data(count_target, metric="wulao_registered_ratio", kinds=["story"], value="90", unit="%")
    assert client.post(edit_url(count_target), data).status_code == 302
    count_target.refresh_from_db()
    assert count_target.metric == "wulao_registered_ratio" and count_target.params == {}


def test_removing_a_target_asks_first(client_for, sec_uni, count_target, kinds, personas):
    client = login(sec_uni)
    confirm_url = reverse("plans:target_delete_confirm", args=[count_target.pk])
    delete_url = reverse("plans:target_delete", args=[count_target.pk])
    page = client.get(edit_url(count_target)).content.decode()
    assert f'href="{confirm_url}">删除这个目标……</a>' in page
    assert f'action="{delete_url}"' not in page
    question = client.get(confirm_url).content.decode()
    assert "确定删除目标“全年开展活动不少于12次”吗？" in question
    assert f'action="{delete_url}"' in question
    assert Target.objects.filter(pk=count_target.pk).exists()
    assert client.post(delete_url).status_code == 302
    assert not Target.objects.filter(pk=count_target.pk).exists()


def test_who_may_see_the_target_and_plan_delete_questions(client_for, count_target, kinds):
    # The university's draft: the college (below it) and its sibling find nothing; the leader may not edit.
    url = reverse("plans:target_delete_confirm", args=[count_target.pk])
    assert statuses(client_for, "get", url) == [302, 404, 404, 403, 403, 200]
    plan_url = reverse("plans:plan_delete_confirm", args=[count_target.work_point.section.plan_id])
    assert statuses(client_for, "get", plan_url) == [302, 404, 404, 403, 403, 200]


def test_a_published_plan_is_not_offered_for_deletion(sec_uni, uni_plan):
    uni_plan.status = PlanStatus.PUBLISHED
    uni_plan.save()
    page = login(sec_uni).get(reverse("plans:plan_delete_confirm", args=[uni_plan.pk])).content.decode()
    assert "已发布的工作要点不能删除。" in page
    assert f'action="{reverse("plans:plan_delete", args=[uni_plan.pk])}"' not in page
