"""Publishing and deleting a plan each ask first, on a page that says what will happen."""

import pytest
from django.urls import reverse

from plans.models import PlanStatus, Target
from plans.tests.test_views import login, statuses


def test_the_plan_page_offers_publish_and_delete_only_as_links_to_their_confirmation(sec_uni, uni_plan):
    page = login(sec_uni).get(reverse("plans:plan_detail", args=[uni_plan.pk])).content.decode()
    assert f'href="{reverse("plans:plan_publish_confirm", args=[uni_plan.pk])}"' in page
    assert f'href="{reverse("plans:plan_delete_confirm", args=[uni_plan.pk])}"' in page
    assert f'action="{reverse("plans:plan_publish", args=[uni_plan.pk])}"' not in page
    assert f'action="{reverse("plans:plan_delete", args=[uni_plan.pk])}"' not in page
    assert 'class="danger-zone' in page


def test_publish_confirmation_names_the_guessed_targets_and_publishes_on_yes(sec_uni, uni_plan):
    Target.objects.filter(work_point__section__plan=uni_plan).update(wiring_guessed=False)
    guessed = Target.objects.filter(work_point__section__plan=uni_plan).first()
    guessed.wiring_guessed = True
    guessed.save(update_fields=["wiring_guessed"])
    client = login(sec_uni)
    page = client.get(reverse("plans:plan_publish_confirm", args=[uni_plan.pk])).content.decode()
    assert "1 个目标的统计方式仍是自动识别的，尚未核对" in page
    assert "下级关工委将看到" in page
    assert f'action="{reverse("plans:plan_publish", args=[uni_plan.pk])}"' in page
    # "not now" goes to the wiring review, where the guessed target waits
    assert f'href="{reverse("plans:plan_targets", args=[uni_plan.pk])}"' in page
    uni_plan.refresh_from_db()
    assert uni_plan.status == PlanStatus.DRAFT  # looking at the page changes nothing
    client.post(reverse("plans:plan_publish", args=[uni_plan.pk]))
    uni_plan.refresh_from_db()
    assert uni_plan.status == PlanStatus.PUBLISHED
    again = client.get(reverse("plans:plan_publish_confirm", args=[uni_plan.pk])).content.decode()
    assert "这份工作要点已经发布" in again
    assert f'action="{reverse("plans:plan_publish", args=[uni_plan.pk])}"' not in again


@pytest.mark.django_db
def test_publish_confirmation_matrix(client_for, sec_uni, uni_plan):
    url = reverse("plans:plan_publish_confirm", args=[uni_plan.pk])
    # anonymous, the sibling college (outsider), the college (cannot see a draft), leader, reviewer, admin
    assert statuses(client_for, "get", url) == [302, 404, 404, 200, 403, 200]
    assert login(sec_uni).post(url).status_code == 405


def test_target_page_and_plan_page_say_a_guessed_wiring_waits_for_a_check(sec_uni, uni_plan):
    target = Target.objects.filter(work_point__section__plan=uni_plan).exclude(metric="").first()
    target.wiring_guessed = True
    target.save(update_fields=["wiring_guessed"])
    client = login(sec_uni)
    review = f"{reverse('plans:plan_targets', args=[uni_plan.pk])}#target-{target.pk}"
    for url in (reverse("plans:target_detail", args=[target.pk]), reverse("plans:plan_detail", args=[uni_plan.pk])):
        page = client.get(url).content.decode()
        assert "自动识别，请核对" in page and review in page, url
    target.wiring_guessed = False
    target.save(update_fields=["wiring_guessed"])
    assert "自动识别，请核对" not in client.get(reverse("plans:target_detail", args=[target.pk])).content.decode()
