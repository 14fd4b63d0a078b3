"""A programme's phases, milestones and committees are deleted or removed only after a question."""

import pytest
from django.urls import reverse

from plans.models import Milestone, Phase, ProgrammeParticipant
from plans.services import participants_add
from plans.tests.test_programmes_manage import programme  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_manage_page_asks_before_each_deletion(client_for, programme, tree):  # noqa: F811
    participants_add(programme=programme, committees=[tree.college_station])
    client = client_for("sec_college")
    page = client.get(reverse("plans:programme_manage", args=[programme.pk])).content.decode()
    phase, milestone = programme.phases.get(), programme.milestones.get()
    participant = programme.participations.get(committee=tree.college_station)
    for name, obj in (
        ("phase_delete", phase),
        ("milestone_delete", milestone),
        ("participant_remove", participant),
        ("programme_delete", programme),
    ):
        assert reverse(f"plans:{name}_confirm", args=[obj.pk]) in page, name
        assert f'action="{reverse(f"plans:{name}", args=[obj.pk])}"' not in page, name
    question = client.get(reverse("plans:phase_delete_confirm", args=[phase.pk])).content.decode()
    assert "确定删除阶段“创建阶段”（2023-01-01 至 2024-12-31）吗？" in question
    assert "其下的节点会保留，不再属于任何阶段。" in question
    question = client.get(reverse("plans:participant_remove_confirm", args=[participant.pk])).content.decode()
    assert "确定将针灸学院校外辅导站移出建设规划“优质化建设规划”吗？" in question
    assert Phase.objects.filter(pk=phase.pk).exists() and ProgrammeParticipant.objects.filter(pk=participant.pk)


def test_confirming_deletes_the_milestone(client_for, programme):  # noqa: F811
    milestone = programme.milestones.get()
    client = client_for("sec_college")
    assert (
        "确定删除节点“中期评估”（截止 2024-06-30）吗？"
        in client.get(reverse("plans:milestone_delete_confirm", args=[milestone.pk])).content.decode()
    )
    assert client.post(reverse("plans:milestone_delete", args=[milestone.pk])).status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert (
        client_for("sec_sibling")
        .get(reverse("plans:phase_delete_confirm", args=[programme.phases.get().pk]))
        .status_code
        == 404
    )
