from django.urls import reverse

from activities.models import Activity
from activities.tests.test_activity_views import entry_data
from plans.models import Plan, PlanSection, PlanStatus, WorkPoint


def _point(committee, year, title, status=PlanStatus.PUBLISHED):
    plan = Plan.objects.create(committee=committee, year=year, title=f"{year}年工作要点", status=status)
    section = PlanSection.objects.create(plan=plan, number="一、", title="强化思想引领")
    return WorkPoint.objects.create(section=section, number="1.", title=title)


def test_an_activity_can_serve_a_work_point_of_its_own_or_a_published_higher_plan(client_for, tree, kinds):
    own = _point(tree.college, 2022, "开展党史宣讲")
    higher = _point(tree.university, 2022, "讲师团宣讲不少于25场")
    draft_above = _point(tree.university, 2022, "草稿中的要点", status=PlanStatus.DRAFT)
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
