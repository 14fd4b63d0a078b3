from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from activities.models import Activity
from activities.tests.test_activity_views import entry_data
from plans.models import OwnerKind, Plan, PlanSection, PlanStatus, WorkPoint


def _point(committee, year, title, status=PlanStatus.PUBLISHED, owner_kind=OwnerKind.SELF):
    plan = Plan.objects.create(committee=committee, year=year, title=f"{year}年工作要点", status=status)
    section = PlanSection.objects.create(plan=plan, number="一、", title="强化思想引领")
    return WorkPoint.objects.create(section=section, number="1.", title=title, owner_kind=owner_kind)


def test_an_activity_can_serve_a_work_point_of_its_own_or_a_published_higher_plan(client_for, tree, kinds):
    own = _point(tree.college, 2022, "开展党史宣讲")
    # A point of the higher plan meant for its sub-committees (its own points are hidden: see below).
    higher = _point(tree.university, 2022, "讲师团宣讲不少于25场", owner_kind=OwnerKind.EACH_SUBCOMMITTEE)
    draft_above = _point(
        tree.university, 2022, "草稿中的要点", status=PlanStatus.DRAFT, owner_kind=OwnerKind.EACH_SUBCOMMITTEE
    )
    sibling = _point(tree.sibling, 2022, "基础医学院的要点")
    client = client_for("sec_college")
    page = client.post(
        reverse("activities:create"), entry_data(tree, kinds, held_on="2022-04-01", _refresh="1")
    ).content.decode()
    assert own.title in page and higher.title in page
    assert draft_above.title not in page and sibling.title not in page

    response = client.post(
        reverse("activities:create"), entry_data(tree, kinds, held_on="2022-04-01", work_point=higher.pk)
    )
    assert response.status_code == 302
    assert Activity.objects.get().work_point == higher


def test_a_work_point_outside_the_offer_is_a_form_error(client_for, tree, kinds):
    sibling = _point(tree.sibling, 2022, "基础医学院的要点")
    _point(tree.college, 2022, "开展党史宣讲")
    response = client_for("sec_college").post(
        reverse("activities:create"), entry_data(tree, kinds, held_on="2022-04-01", work_point=sibling.pk)
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()


# Issue 20, item 7: the plan page's scope everywhere. A college's secretary sees of the university's
# published plan only the points meant for colleges; the university's own points stay hidden.


@pytest.fixture
def uni_points(tree):
    plan = Plan.objects.create(
        committee=tree.university, year=2022, title="2022年工作要点", status=PlanStatus.PUBLISHED
    )
    section = PlanSection.objects.create(plan=plan, number="一、", title="强化思想引领")
    own = WorkPoint.objects.create(section=section, number="1.", title="校关工委本级调研", owner_kind=OwnerKind.SELF)
    shared = WorkPoint.objects.create(
        section=section, number="2.", title="各学院开展党史宣讲", owner_kind=OwnerKind.EACH_SUBCOMMITTEE
    )
    return SimpleNamespace(plan=plan, own=own, shared=shared)


def _college_activity(tree, kinds, personas, work_point=None):
    from activities.services import activity_create

    return activity_create(
        committee=tree.college,
        kind=kinds.lecture,
        title="红色故事进课堂",
        held_on=date(2022, 4, 1),
        work_point=work_point,
        by=personas["admin"],
    )


def test_the_plan_page_and_the_activity_form_offer_the_same_points_of_a_plan_from_above(
    client_for, tree, kinds, uni_points
):
    client = client_for("sec_college")
    plan_page = client.get(reverse("plans:plan_detail", args=[uni_points.plan.pk])).content.decode()
    assert uni_points.shared.title in plan_page and uni_points.own.title not in plan_page
    form = client.post(
        reverse("activities:create"), entry_data(tree, kinds, held_on="2022-04-01", _refresh="1")
    ).content.decode()
    assert uni_points.shared.title in form
    assert uni_points.own.title not in form


def test_a_hidden_point_posted_in_the_activity_form_is_refused(client_for, tree, kinds, uni_points):
    response = client_for("sec_college").post(
        reverse("activities:create"), entry_data(tree, kinds, held_on="2022-04-01", work_point=uni_points.own.pk)
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_visible_point_of_a_plan_from_above_is_still_linked_by_the_form(client_for, tree, kinds, uni_points):
    response = client_for("sec_college").post(
        reverse("activities:create"), entry_data(tree, kinds, held_on="2022-04-01", work_point=uni_points.shared.pk)
    )
    assert response.status_code == 302
    assert Activity.objects.get().work_point == uni_points.shared


def test_the_api_refuses_to_link_a_hidden_point_and_links_a_visible_one(tree, kinds, personas, uni_points):
    from rest_framework.test import APIClient

    activity = _college_activity(tree, kinds, personas)
    client = APIClient()
    client.force_authenticate(personas["sec_college"])
    url = reverse("api:activity-detail", args=[activity.pk])
    refused = client.patch(url, {"work_point": uni_points.own.pk}, format="json")
    assert refused.status_code == 400
    assert "work_point" in refused.json()
    activity.refresh_from_db()
    assert activity.work_point is None
    linked = client.patch(url, {"work_point": uni_points.shared.pk}, format="json")
    assert linked.status_code == 200
    activity.refresh_from_db()
    assert activity.work_point == uni_points.shared


def test_the_activity_page_does_not_show_a_hidden_point(client_for, tree, kinds, personas, uni_points):
    hidden = _college_activity(tree, kinds, personas, work_point=uni_points.own)  # linked by the administrator
    page = client_for("sec_college").get(reverse("activities:detail", args=[hidden.pk])).content.decode()
    assert hidden.title in page and uni_points.own.title not in page
    # The administrator, who sees the whole plan, still sees it.
    admin_page = client_for("admin").get(reverse("activities:detail", args=[hidden.pk])).content.decode()
    assert uni_points.own.title in admin_page


def test_the_activity_page_shows_a_visible_point(client_for, tree, kinds, personas, uni_points):
    shown = _college_activity(tree, kinds, personas, work_point=uni_points.shared)
    page = client_for("sec_college").get(reverse("activities:detail", args=[shown.pk])).content.decode()
    assert uni_points.shared.title in page


def test_editing_an_activity_keeps_a_hidden_point_it_was_linked_to(client_for, tree, kinds, personas, uni_points):
    activity = _college_activity(tree, kinds, personas, work_point=uni_points.own)
    client = client_for("sec_college")
    url = reverse("activities:edit", args=[activity.pk])
    assert uni_points.own.title not in client.get(url).content.decode()
    data = entry_data(tree, kinds, held_on="2022-04-01", title="改过的标题", work_point=uni_points.own.pk)
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "改过的标题" and activity.work_point == uni_points.own
