"""Construction programmes made and kept by hand: the college secretary (EDIT) creates one, gives it
phases, milestones and committees taking part; readers are refused, the sibling college sees nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from orgs.models import AuditEvent
from plans.models import Deliverable, Milestone, Phase, Plan, Programme, ProgrammeParticipant
from plans.services import milestone_create, phase_create, programme_create


def post(client, name, pk=None, data=None, *, follow=False):
    url = reverse(f"plans:{name}", args=[pk] if pk is not None else [])
    return client.post(url, data or {}, follow=follow)


def page(client, name, pk=None) -> str:
    response = client.get(reverse(f"plans:{name}", args=[pk] if pk is not None else []))
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def form_errors(response) -> str:
    """The text of the errors the form shows (the page is answered again, not a redirect)."""
    assert response.status_code == 200, response.status_code
    return " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)


@pytest.fixture
def programme(tree):
    """A hand-made programme of the college: one phase with one milestone, the college taking part."""
    programme = programme_create(committee=tree.college, title="优质化建设规划", description="三年创建")
    phase = phase_create(programme=programme, name="创建阶段", starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31))
    milestone_create(programme=programme, kind="mid_term", title="中期评估", due_on=date(2024, 6, 30), phase=phase)
    return programme


def hand_in(milestone: Milestone, committee) -> Deliverable:
    deliverable = Deliverable(milestone=milestone, committee=committee, title="中期报告", original_name="中期报告.pdf")
    deliverable.file.save("report.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    deliverable.save()
    return deliverable


def every_url(programme: Programme) -> list[tuple[str, str]]:
    """(method, url) of every page and action of a programme and of its phase, milestone and participant."""
    phase = programme.phases.get()
    milestone = programme.milestones.get()
    participant = programme.participations.first()
    by_programme = ["programme_manage", "programme_edit", "programme_delete_confirm", "phase_add", "milestone_add"]
    by_programme += ["participant_add"]
    urls = [("get", reverse(f"plans:{name}", args=[programme.pk])) for name in by_programme]
    urls += [
        ("post", reverse("plans:programme_edit", args=[programme.pk])),
        ("post", reverse("plans:programme_delete", args=[programme.pk])),
        ("post", reverse("plans:phase_add", args=[programme.pk])),
        ("post", reverse("plans:milestone_add", args=[programme.pk])),
        ("post", reverse("plans:participant_add", args=[programme.pk])),
        ("get", reverse("plans:phase_edit", args=[phase.pk])),
        ("post", reverse("plans:phase_edit", args=[phase.pk])),
        ("post", reverse("plans:phase_delete", args=[phase.pk])),
        ("get", reverse("plans:milestone_edit", args=[milestone.pk])),
        ("post", reverse("plans:milestone_edit", args=[milestone.pk])),
        ("post", reverse("plans:milestone_delete", args=[milestone.pk])),
        ("post", reverse("plans:participant_remove", args=[participant.pk])),
    ]
    return urls


def snapshot(programme: Programme) -> tuple:
    return (
        list(Programme.objects.values_list("pk", "title", "description")),
        list(Phase.objects.values_list("pk", "name", "starts_on", "ends_on")),
        list(Milestone.objects.values_list("pk", "title", "due_on", "phase_id")),
        list(ProgrammeParticipant.objects.values_list("pk", "committee_id")),
    )


# --- the happy path ------------------------------------------------------------------------------


def test_secretary_creates_a_programme_and_gives_it_phases_milestones_and_committees(tree, client_for):
    client = client_for("sec_college")
    assert "新建建设规划" in page(client, "index")
    plan = Plan.objects.create(committee=tree.college, year=2023, title="2023年工作要点")
    form_page = page(client, "programme_create")
    assert "2023年工作要点" in form_page

    response = post(
        client,
        "programme_create",
        data={
            "committee": tree.college.pk,
            "title": "  五好关工委创建规划 ",
            "description": "分两个阶段",
            "plan": plan.pk,
        },
    )
    programme = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:programme_manage", args=[programme.pk]
    )
    assert (programme.committee, programme.title, programme.plan) == (tree.college, "五好关工委创建规划", plan)
    assert list(programme.participations.values_list("committee_id", flat=True)) == [tree.college.pk]
    assert AuditEvent.objects.filter(
        action="create", object_type="plans.programme", object_id=str(programme.pk)
    ).exists()

    assert (
        post(
            client,
            "phase_add",
            programme.pk,
            {"name": "创建阶段", "starts_on": "2017-01-01", "ends_on": "2019-12-31"},
        ).status_code
        == 302
    )
    assert (
        post(
            client,
            "phase_add",
            programme.pk,
            {"name": "巩固提高", "starts_on": "2020-01-01", "ends_on": "2021-12-31"},
        ).status_code
        == 302
    )
    first, second = programme.phases.order_by("starts_on")
    assert (
        post(
            client,
            "milestone_add",
            programme.pk,
            {"kind": "mid_term", "title": "2018年中期报告", "due_on": "2018-12-31", "phase": first.pk},
        ).status_code
        == 302
    )
    assert (
        post(
            client, "milestone_add", programme.pk, {"kind": "acceptance", "title": "省合格认定", "due_on": "2022-06-30"}
        ).status_code
        == 302
    )
    assert post(client, "participant_add", programme.pk, {"committees": [tree.college_station.pk]}).status_code == 302
    assert set(programme.participations.values_list("committee_id", flat=True)) == {
        tree.college.pk,
        tree.college_station.pk,
    }

    manage = page(client, "programme_manage", programme.pk)
    for text in ("创建阶段", "巩固提高", "2018年中期报告", "省合格认定", "针灸学院校外辅导站", "2017-01-01"):
        assert text in manage
    detail = page(client, "programme_detail", programme.pk)
    assert "2018年中期报告" in detail and "gantt-bar" in detail
    assert reverse("plans:programme_manage", args=[programme.pk]) in detail

    # Corrections: the title, a phase's dates, a milestone moved to the other phase.
    post(client, "programme_edit", programme.pk, {"title": "五好关工委创建与巩固规划", "description": ""})
    post(client, "phase_edit", second.pk, {"name": "巩固提高阶段", "starts_on": "2020-01-01", "ends_on": "2022-12-31"})
    acceptance = programme.milestones.get(kind="acceptance")
    post(
        client,
        "milestone_edit",
        acceptance.pk,
        {"kind": "acceptance", "title": "省合格认定", "due_on": "2022-06-30", "phase": second.pk},
    )
    programme.refresh_from_db()
    second.refresh_from_db()
    acceptance.refresh_from_db()
    assert programme.title == "五好关工委创建与巩固规划" and programme.description == ""
    assert (second.name, second.ends_on) == ("巩固提高阶段", date(2022, 12, 31))
    assert acceptance.phase == second

    # Removals: the station, a milestone, a phase (its milestone stays, without a phase), the programme.
    station = programme.participations.get(committee=tree.college_station)
    assert post(client, "participant_remove", station.pk).status_code == 302
    assert not programme.participations.filter(committee=tree.college_station).exists()
    mid_term = programme.milestones.get(kind="mid_term")
    post(client, "milestone_delete", mid_term.pk)
    assert not Milestone.objects.filter(pk=mid_term.pk).exists()
    post(client, "phase_delete", second.pk)
    acceptance.refresh_from_db()
    assert acceptance.phase is None and programme.phases.count() == 1

    assert "删除后无法恢复" in page(client, "programme_delete_confirm", programme.pk)
    response = post(client, "programme_delete", programme.pk)
    assert response.status_code == 302 and response["Location"] == reverse("plans:index")
    assert not Programme.objects.exists() and not Milestone.objects.exists()
    assert Plan.objects.filter(pk=plan.pk).exists()
    actions = set(AuditEvent.objects.filter(object_type__startswith="plans.").values_list("object_type", "action"))
    assert {("plans.phase", "create"), ("plans.milestone", "update"), ("plans.programmeparticipant", "delete")} <= (
        actions
    )
    assert ("plans.programme", "delete") in actions


def test_a_phase_change_is_saved_only_when_something_changed(programme, client_for):
    phase = programme.phases.get()
    client = client_for("sec_college")
    before = AuditEvent.objects.filter(action="update").count()
    response = post(
        client, "phase_edit", phase.pk, {"name": "创建阶段", "starts_on": "2023-01-01", "ends_on": "2024-12-31"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="update").count() == before


# --- who may ---------------------------------------------------------------------------------------


def test_the_leader_reads_the_programme_but_may_change_nothing(programme, client_for):
    client = client_for("leader")
    before = snapshot(programme)
    detail = page(client, "programme_detail", programme.pk)
    assert reverse("plans:programme_manage", args=[programme.pk]) not in detail
    assert client.get(reverse("plans:programme_create")).status_code == 403
    assert client.post(reverse("plans:programme_create"), {"title": "领导建的"}).status_code == 403
    for method, url in every_url(programme):
        assert getattr(client, method)(url).status_code == 403, (method, url)
    assert snapshot(programme) == before


def test_the_sibling_college_secretary_finds_nothing_of_the_college(tree, programme, client_for):
    client = client_for("sec_sibling")
    before = snapshot(programme)
    for method, url in every_url(programme):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert snapshot(programme) == before
    probes = AuditEvent.objects.filter(action="denied", user__username="sec_sibling")
    assert probes.count() == len(every_url(programme))


def test_the_sibling_secretary_cannot_create_a_programme_for_the_college(tree, client_for):
    client = client_for("sec_sibling")
    page_text = page(client, "programme_create")
    assert tree.sibling.name in page_text and tree.college.name not in page_text
    response = post(client, "programme_create", data={"committee": tree.college.pk, "title": "越界的规划"})
    assert "committee" in response.context["form"].errors
    assert not Programme.objects.exists()
    assert AuditEvent.objects.filter(
        action="denied", user__username="sec_sibling", object_type="plans.programme", object_id=str(tree.college.pk)
    ).exists()


def test_a_college_secretary_reads_the_university_programme_but_may_not_manage_it(tree, client_for):
    programme = programme_create(committee=tree.university, title="学校优质化建设规划")
    client = client_for("sec_college")
    assert client.get(reverse("plans:programme_detail", args=[programme.pk])).status_code == 200
    assert client.get(reverse("plans:programme_manage", args=[programme.pk])).status_code == 403
    assert client.post(reverse("plans:phase_add", args=[programme.pk]), {}).status_code == 403


def test_actions_are_post_only(programme, client_for):
    client = client_for("sec_college")
    phase, milestone = programme.phases.get(), programme.milestones.get()
    participant = programme.participations.get()
    for url in (
        reverse("plans:programme_delete", args=[programme.pk]),
        reverse("plans:phase_delete", args=[phase.pk]),
        reverse("plans:milestone_delete", args=[milestone.pk]),
        reverse("plans:participant_remove", args=[participant.pk]),
    ):
        assert client.get(url).status_code == 405, url
    assert client.post(reverse("plans:programme_manage", args=[programme.pk])).status_code == 405


# --- bad input: a form error, never a 500, nothing half-saved -----------------------------------------


def test_a_phase_ending_before_it_starts_is_refused(programme, client_for):
    before = snapshot(programme)
    response = post(
        client_for("sec_college"),
        "phase_add",
        programme.pk,
        {"name": "巩固提高", "starts_on": "2026-01-01", "ends_on": "2025-12-31"},
    )
    assert "结束日期早于开始日期" in form_errors(response)
    assert snapshot(programme) == before


def test_overlapping_phases_are_refused_with_the_phase_they_overlap(programme, client_for):
    client = client_for("sec_college")
    before = snapshot(programme)
    response = post(
        client, "phase_add", programme.pk, {"name": "巩固提高", "starts_on": "2024-12-31", "ends_on": "2025-12-31"}
    )
    errors = form_errors(response)
    assert "重叠" in errors and "创建阶段" in errors
    assert snapshot(programme) == before
    # Editing a phase onto another one is refused too; the next day after it is fine.
    assert post(
        client, "phase_add", programme.pk, {"name": "巩固提高", "starts_on": "2025-01-01", "ends_on": "2025-12-31"}
    )["Location"].endswith("#phases")
    later = programme.phases.get(name="巩固提高")
    response = post(
        client, "phase_edit", later.pk, {"name": "巩固提高", "starts_on": "2024-06-01", "ends_on": "2025-12-31"}
    )
    assert "重叠" in form_errors(response)
    later.refresh_from_db()
    assert later.starts_on == date(2025, 1, 1)


def test_a_milestone_outside_its_phase_is_refused(programme, client_for):
    client = client_for("sec_college")
    phase = programme.phases.get()
    before = snapshot(programme)
    response = post(
        client,
        "milestone_add",
        programme.pk,
        {"kind": "acceptance", "title": "验收", "due_on": "2025-03-01", "phase": phase.pk},
    )
    errors = form_errors(response)
    assert "截止日期必须在阶段" in errors and "创建阶段" in errors
    milestone = programme.milestones.get()
    response = post(
        client,
        "milestone_edit",
        milestone.pk,
        {"kind": "mid_term", "title": "中期评估", "due_on": "2022-12-31", "phase": phase.pk},
    )
    assert "截止日期必须在阶段" in form_errors(response)
    assert snapshot(programme) == before


def test_shortening_a_phase_may_not_leave_its_milestone_outside(programme, client_for):
    phase = programme.phases.get()
    before = snapshot(programme)
    response = post(
        client_for("sec_college"),
        "phase_edit",
        phase.pk,
        {"name": "创建阶段", "starts_on": "2023-01-01", "ends_on": "2023-12-31"},
    )
    page_text = response.content.decode()
    assert response.status_code == 200 and "中期评估" in page_text and "超出" in page_text
    assert snapshot(programme) == before


def test_a_milestone_may_not_name_a_phase_of_another_programme(tree, programme, client_for):
    other = programme_create(committee=tree.college, title="另一规划")
    foreign_phase = phase_create(
        programme=other, name="别的阶段", starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31)
    )
    response = post(
        client_for("sec_college"),
        "milestone_add",
        programme.pk,
        {"kind": "other", "title": "自查", "due_on": "2024-01-01", "phase": foreign_phase.pk},
    )
    assert "phase" in response.context["form"].errors
    assert programme.milestones.count() == 1


@pytest.mark.parametrize(
    ("name", "data_for"),
    [
        ("programme_create", lambda tree, p: {"committee": tree.college.pk, "title": "规" * 32_000}),
        ("programme_edit", lambda tree, p: {"title": "规" * 32_000}),
        ("programme_edit", lambda tree, p: {"title": "规划", "description": "说明" * 16_000}),
        ("phase_add", lambda tree, p: {"name": "阶" * 32_000, "starts_on": "2025-01-01", "ends_on": "2025-12-31"}),
        ("milestone_add", lambda tree, p: {"kind": "other", "title": "节" * 32_000, "due_on": "2024-01-01"}),
        ("milestone_add", lambda tree, p: {"kind": "other", "title": "自查\x00", "due_on": "2024-01-01"}),
        ("milestone_add", lambda tree, p: {"kind": "nonsense", "title": "自查", "due_on": "2024-01-01"}),
        ("milestone_add", lambda tree, p: {"kind": "other", "title": "自查", "due_on": "9999-12-31"}),
        ("phase_add", lambda tree, p: {"name": "远古", "starts_on": "0001-01-01", "ends_on": "0001-12-31"}),
        ("phase_add", lambda tree, p: {"name": "阶段", "starts_on": "2025-02-30", "ends_on": "2025-12-31"}),
        ("programme_edit", lambda tree, p: {"title": "   "}),
    ],
)
def test_overlong_empty_or_malformed_input_is_a_form_error(tree, programme, client_for, name, data_for):
    before = snapshot(programme)
    pk = None if name == "programme_create" else programme.pk
    response = post(client_for("sec_college"), name, pk, data_for(tree, programme))
    assert form_errors(response)
    assert snapshot(programme) == before


def test_a_title_with_a_rare_character_is_kept_whole(tree, programme, client_for):
    client = client_for("sec_college")
    title = "𡃁仔帮扶规划"
    response = post(client, "programme_create", data={"committee": tree.college.pk, "title": title})
    assert response.status_code == 302
    made = Programme.objects.get(title=title)
    post(client, "phase_add", made.pk, {"name": "𡃁阶段", "starts_on": "2025-01-01", "ends_on": "2025-12-31"})
    assert title in page(client, "programme_manage", made.pk) and "𡃁阶段" in page(client, "programme_detail", made.pk)


def test_a_plan_of_another_committee_is_refused(tree, client_for):
    station_plan = Plan.objects.create(committee=tree.college_station, year=2023, title="辅导站计划")
    sibling_plan = Plan.objects.create(committee=tree.sibling, year=2023, title="基础医学院计划")
    client = client_for("sec_college")
    response = post(
        client, "programme_create", data={"committee": tree.college.pk, "title": "规划", "plan": station_plan.pk}
    )
    assert "同一关工委" in form_errors(response)
    response = post(
        client, "programme_create", data={"committee": tree.college.pk, "title": "规划", "plan": sibling_plan.pk}
    )
    assert "plan" in response.context["form"].errors
    assert not Programme.objects.exists()


def test_a_committee_outside_the_programme_or_the_scope_is_a_form_error_and_audited(tree, programme, client_for):
    client = client_for("sec_college")
    before = snapshot(programme)
    for foreign in (tree.sibling, tree.university, tree.other_root):
        response = post(client, "participant_add", programme.pk, {"committees": [tree.college_station.pk, foreign.pk]})
        assert "committees" in response.context["form"].errors
        assert AuditEvent.objects.filter(
            action="denied", object_type="plans.programmeparticipant", object_id__contains=str(foreign.pk)
        ).exists()
    response = post(client, "participant_add", programme.pk, {"committees": ["abc"]})
    assert form_errors(response)
    response = post(client, "participant_add", programme.pk, {})
    assert "至少选择一个" in form_errors(response)
    assert snapshot(programme) == before  # the station was not added alone


def test_the_add_page_lists_only_committees_in_the_subtree_not_taking_part(tree, programme, client_for):
    text = page(client_for("sec_college"), "participant_add", programme.pk)
    assert tree.college_station.name in text
    assert f'value="{tree.college.pk}"' not in text  # already takes part
    assert tree.sibling.name not in text and tree.university.name not in text


# --- deliverables keep what they were handed in for ---------------------------------------------------


def test_what_has_deliverables_cannot_be_deleted(tree, programme, client_for):
    client = client_for("sec_college")
    milestone = programme.milestones.get()
    hand_in(milestone, tree.college)
    before = snapshot(programme)

    confirm = page(client, "programme_delete_confirm", programme.pk)
    assert (
        "已有单位提交了材料" in confirm
        and f'action="{reverse("plans:programme_delete", args=[programme.pk])}"' not in confirm
    )
    response = post(client, "programme_delete", programme.pk, follow=True)
    assert "已有单位提交了材料" in response.content.decode()
    response = post(client, "milestone_delete", milestone.pk, follow=True)
    assert "已有单位为这个节点提交了材料" in response.content.decode()
    participant = programme.participations.get(committee=tree.college)
    response = post(client, "participant_remove", participant.pk, follow=True)
    assert "已为这个规划提交了材料" in response.content.decode()
    assert snapshot(programme) == before and Deliverable.objects.count() == 1

    manage = page(client, "programme_manage", programme.pk)
    assert reverse("plans:milestone_delete", args=[milestone.pk]) not in manage
    assert reverse("plans:programme_delete_confirm", args=[programme.pk]) not in manage


def test_a_milestone_added_by_hand_is_reminded_to_the_secretaries_taking_part(tree, personas, client_for):
    from plans.reminders import collect

    client = client_for("sec_college")
    post(client, "programme_create", data={"committee": tree.college.pk, "title": "五好创建规划"})
    programme = Programme.objects.get()
    post(client, "milestone_add", programme.pk, {"kind": "self_check", "title": "年度自查", "due_on": "2024-03-08"})
    milestone = programme.milestones.get()
    reminders = list(collect(date(2024, 3, 1)))
    assert [(r.user.username, r.key) for r in reminders] == [("sec_college", f"milestone:{milestone.pk}:due-7")]


# --- on a phone ------------------------------------------------------------------------------------


def test_on_a_phone_the_secretary_creates_a_programme_and_adds_a_phase(phone_page, tree, personas):
    from guanwei.tests.browser.support import assert_fits_screen, log_in, screenshot

    page = phone_page
    log_in(page, "sec_college")
    page.goto(page.base_url + reverse("plans:index"))
    page.get_by_role("link", name="新建建设规划").click()
    page.get_by_label("委员会").select_option(str(tree.college.pk))
    page.get_by_label("标题").fill("优质化建设规划（2023—2025年）")
    page.get_by_role("button", name="创建建设规划").click()
    assert page.get_by_text("建设规划已创建").is_visible()

    page.get_by_role("link", name="添加阶段").click()
    page.get_by_label("阶段名称").fill("创建阶段")
    page.get_by_label("开始日期").fill("2023-01-01")
    page.get_by_label("结束日期").fill("2022-12-31")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("结束日期早于开始日期").first.is_visible()
    assert_fits_screen(page)
    page.get_by_label("结束日期").fill("2024-12-31")
    page.get_by_role("button", name="保存").click()

    assert page.get_by_text("阶段已保存").is_visible()
    assert page.get_by_text("2023-01-01 – 2024-12-31").is_visible()
    assert_fits_screen(page)
    screenshot(page, "programme-manage-phone")
    programme = Programme.objects.get()
    assert list(programme.phases.values_list("name", flat=True)) == ["创建阶段"]
