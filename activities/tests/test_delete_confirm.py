"""Deleting an activity, a donation, a news report or a photo asks first, on one shared confirmation page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from activities.models import Activity, ActivityPhoto, Donation, NewsPhoto, NewsReport
from activities.tests.test_activity_views import statuses


def _cases(college_activity, donation, report):
    photo, news_photo = college_activity.photos.get(), report.photos.get()
    return [
        # (page with the button, confirm URL name, action URL name, object, what the question names)
        ("activities:detail", "activities:delete_confirm", "activities:delete", college_activity, "红色故事进课堂"),
        (
            "activities:donation_edit",
            "activities:donation_delete_confirm",
            "activities:donation_delete",
            donation,
            "张老师",
        ),
        (
            "activities:news_detail",
            "activities:news_delete_confirm",
            "activities:news_delete",
            report,
            "关工分委召开全委会",
        ),
        ("activities:edit", "activities:photo_delete_confirm", "activities:photo_delete", photo, "红色故事进课堂"),
        (
            "activities:news_edit",
            "activities:news_photo_delete_confirm",
            "activities:news_photo_delete",
            news_photo,
            "关工分委召开全委会",
        ),
    ]


def _page_pk(page_name, obj):
    if isinstance(obj, ActivityPhoto):
        return obj.activity_id
    if isinstance(obj, NewsPhoto):
        return obj.report_id
    return obj.pk


def test_each_delete_button_leads_to_a_question_and_never_deletes_in_one_tap(
    client_for,
    college_activity,
    donation,
    report,
):
    client = client_for("sec_college")
    for page_name, confirm_name, action_name, obj, named in _cases(college_activity, donation, report):
        confirm_url = reverse(confirm_name, args=[obj.pk])
        action_url = reverse(action_name, args=[obj.pk])
        page = client.get(reverse(page_name, args=[_page_pk(page_name, obj)])).content.decode()
        assert f'class="button small destructive" href="{confirm_url}"' in page or (
            f'class="button destructive" href="{confirm_url}"' in page
        ), page_name
        assert f'action="{action_url}"' not in page, page_name
        question = client.get(confirm_url)
        assert question.status_code == 200
        body = question.content.decode()
        assert named in body
        assert f'<form method="post" action="{action_url}">' in body
        assert "不了，返回" in body


def test_delete_sits_apart_from_edit_on_the_activity_page(client_for, college_activity):
    page = client_for("sec_college").get(reverse("activities:detail", args=[college_activity.pk])).content.decode()
    actions = page.split('<div class="actions">', 1)[1].split("</div>", 1)[0]
    assert "修改" in actions and "删除" not in actions
    zone = page.split('class="danger-zone', 1)[1].split("</section>", 1)[0]
    assert "删除这次活动……" in zone


def test_the_activity_question_says_what_deleting_does(client_for, college_activity):
    body = client_for("sec_college").get(reverse("activities:delete_confirm", args=[college_activity.pk]))
    text = body.content.decode()
    assert "确定删除" in text and "红色故事进课堂" in text
    assert "它将从活动列表、工作概览以及各项目标和考核的统计中去掉。" in text
    assert "只有系统管理员能恢复。" in text
    assert "确定删除这次活动" in text
    assert Activity.objects.filter(pk=college_activity.pk).exists()  # asking deletes nothing


def test_confirming_deletes(client_for, college_activity, donation, report):
    client = client_for("sec_college")
    assert client.post(reverse("activities:delete", args=[college_activity.pk])).status_code == 302
    assert not Activity.objects.filter(pk=college_activity.pk).exists()
    assert client.post(reverse("activities:donation_delete", args=[donation.pk])).status_code == 302
    assert not Donation.objects.exists()
    assert client.post(reverse("activities:news_delete", args=[report.pk])).status_code == 302
    assert not NewsReport.objects.exists()


@pytest.mark.parametrize("index", range(5))
def test_who_may_see_each_delete_question(client_for, college_activity, donation, report, index):
    _page, confirm_name, _action, obj, _named = _cases(college_activity, donation, report)[index]
    url = reverse(confirm_name, args=[obj.pk])
    # The outsider finds nothing; readers are refused; the secretary and the admin are asked.
    assert statuses(client_for, "get", url) == [302, 404, 200, 403, 403, 200]
    assert client_for("sec_college").post(url).status_code == 405
