"""One of everything a URL can point at, all inside the secretary's college (UNI-ZJ).

Built on the root conftest's tree and personas for the status-code matrix
(test_url_matrix.py): every URL parameter is filled from an object here, so the
outsider (secretary of the sibling college) must never reach any of them.

Assessments use two evaluations of one round organised by the college itself:
`evaluation` (the college's own, a draft with evidence: the self-assessment
side) and `reviewed` (the station's, submitted and assigned to the reviewer:
the review side). The reviewer is assigned only `reviewed`.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal as D
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.authtoken.models import Token, TokenProxy
from simple_history.utils import get_history_model_for_model

from activities import services as activity_services
from activities.models import Activity, ActivityKind, ActivityPhoto, Donation, NewsPhoto, NewsReport
from assessments import services as assessment_services
from assessments.models import (
    Criterion,
    Dimension,
    Evaluation,
    Evidence,
    GradeBand,
    Objection,
    ReportJob,
    ReportJobStatus,
    ReviewAssignment,
    ReviewPanel,
    Round,
    Rubric,
    Score,
)
from notifications.models import Notification
from orgs import services as org_services
from orgs.models import AuditEvent, Committee, Grant, Grouping, MemberRole, Membership, MemberUnit, Person
from orgs.models import WulaoCategory as Wulao
from plans.models import (
    Deliverable,
    Milestone,
    OwnerKind,
    Phase,
    Plan,
    PlanSection,
    Programme,
    ProgrammeParticipant,
    Target,
    WorkPoint,
)


def _png(name: str = "photo.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@dataclass
class World:
    college: Committee
    station: Committee
    # orgs
    person: Person
    membership: Membership
    unit: MemberUnit
    grouping: Grouping
    grant: Grant
    audit_event: AuditEvent
    # activities
    kind: ActivityKind
    activity: Activity
    deleted_activity: Activity
    photo: ActivityPhoto
    donation: Donation
    news: NewsReport
    news_photo: NewsPhoto
    # plans
    plan: Plan
    point: WorkPoint
    target: Target
    programme: Programme
    phase: Phase
    milestone: Milestone
    participant: ProgrammeParticipant
    deliverable: Deliverable
    # assessments
    rubric: Rubric  # free to edit: no round uses it
    dimension: Dimension
    criterion: Criterion
    band: GradeBand
    round_rubric: Rubric
    round: Round
    evaluation: Evaluation  # the college's own: draft, with evidence
    score: Score
    evidence: Evidence
    reviewed: Evaluation  # the station's: submitted, assigned to the reviewer
    panel: ReviewPanel
    assignment: ReviewAssignment
    objection: Objection
    report_job: ReportJob
    # notifications and accounts
    notification: Notification
    group: Group
    user: Any
    token: TokenProxy  # its admin pages are keyed by the user
    access_attempt: AccessAttempt
    access_log: AccessLog
    access_failure: AccessFailureLog
    activity_history_id: int
    donation_history_id: int
    news_history_id: int
    committee_type: ContentType

    def value(self, name: str) -> Any:
        """`college` → its primary key; `=text` → the text itself."""
        if name.startswith("="):
            return name[1:]
        value = getattr(self, name)
        return value if isinstance(value, int) else value.pk


def build_world(tree: Any, personas: dict, kinds: Any) -> World:
    admin, secretary = personas["admin"], personas["sec_college"]
    college, station = tree.college, tree.college_station
    today = timezone.localdate()

    # orgs
    person = org_services.person_create(committee=college, name="张老师", wulao_category=Wulao.TEACHER, by=secretary)
    membership = org_services.membership_add(person=person, committee=college, role=MemberRole.LECTURER, by=secretary)
    unit = org_services.member_unit_save(committee=college, name="学生工作办公室", duties="组织学生参加活动")
    grouping = org_services.grouping_save(name="针灸片", lead=college, members=[station], by=admin)
    grant = Grant.objects.get(user=secretary, committee=college)

    # activities
    activity = activity_services.activity_create(
        committee=college,
        kind=kinds.lecture,
        title="红色故事进课堂",
        held_on=dt.date(today.year, 1, 10),
        youth_reached=80,
        participants=[person],
        photos=[_png()],
        by=secretary,
    )
    deleted_activity = activity_services.activity_create(
        committee=college, kind=kinds.report, title="已删除的报告会", held_on=dt.date(today.year, 1, 11), by=secretary
    )
    activity_services.activity_delete(activity=deleted_activity, by=secretary)
    donation = activity_services.donation_save(
        committee=college, donor_name="某校友", amount=D("500.00"), donated_on=dt.date(today.year, 1, 5), by=secretary
    )
    news = activity_services.news_save(
        committee=college,
        title="针灸学院开展宣讲",
        published_on=dt.date(today.year, 1, 12),
        outlet="学校关工网站",
        photos=[_png("news.png")],
        by=secretary,
    )

    # plans: the college's draft plan with its original file, one measured target, a programme
    plan = Plan.objects.create(
        committee=college, year=today.year, title=f"{today.year}年工作要点", created_by=secretary
    )
    plan.source_file.save("plan.docx", ContentFile(b"PK\x03\x04 not really a docx"), save=False)
    plan.source_name = "工作要点.docx"
    plan.save()
    section = PlanSection.objects.create(plan=plan, position=1, number="一", title="重点工作")
    point = WorkPoint.objects.create(
        section=section, position=1, text="全年宣讲不少于10场", owner_kind=OwnerKind.EACH_SUBCOMMITTEE
    )
    target = Target.objects.create(
        work_point=point, text="全年宣讲不少于10场", metric="activity_count", params={"kinds": ["lecture"]}, value=10
    )
    programme = Programme.objects.create(committee=college, title="五好关工委创建", plan=plan)
    phase = Phase.objects.create(
        programme=programme,
        position=0,
        name="创建阶段",
        starts_on=dt.date(today.year, 1, 1),
        ends_on=dt.date(today.year, 12, 31),
    )
    milestone = Milestone.objects.create(
        programme=programme, phase=phase, title="中期评估报告", due_on=dt.date(today.year, 12, 31)
    )
    participant = ProgrammeParticipant.objects.create(programme=programme, committee=college)
    deliverable = Deliverable(milestone=milestone, committee=college, title="中期报告", original_name="中期报告.pdf")
    deliverable.file.save("report.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    deliverable.save()

    # assessments: a free rubric (for the rubric editor) and the round's rubric
    rubric = assessment_services.rubric_create(owner=college, name="待定考核方案", by=admin)
    dimension = assessment_services.dimension_save(rubric=rubric, title="领导班子建设好", by=admin)
    criterion = assessment_services.criterion_save(
        dimension=dimension, code="1.1", title="党政重视", kind="manual", max_points=D("50"), by=admin
    )
    band = assessment_services.band_save(rubric=rubric, label="优秀", min_total=D("85"), tone="ok", by=admin)
    round_rubric = assessment_services.rubric_create(owner=college, name="五好关工委考核", by=admin)
    round_dimension = assessment_services.dimension_save(rubric=round_rubric, title="五老作用发挥好", by=admin)
    lead = assessment_services.criterion_save(
        dimension=round_dimension, code="1.1", title="五老参与", kind="manual", max_points=D("60"), by=admin
    )
    second = assessment_services.criterion_save(
        dimension=round_dimension, code="1.2", title="活动经常", kind="manual", max_points=D("40"), by=admin
    )
    assessment_services.band_save(rubric=round_rubric, label="优秀", min_total=D("85"), tone="ok", by=admin)
    round_ = assessment_services.round_create(
        committee=college,
        rubric=round_rubric,
        committees=[college, station],
        name=f"{today.year}年度五好考核",
        year=today.year,
        self_deadline=today + dt.timedelta(days=30),
        review_deadline=today + dt.timedelta(days=60),
        by=admin,
    )
    evaluation = Evaluation.objects.get(round=round_, committee=college)
    reviewed = Evaluation.objects.get(round=round_, committee=station)
    assessment_services.evaluation_self_score(
        evaluation=evaluation, entries={lead.pk: assessment_services.Entry(D("50"))}, by=secretary
    )
    score = Score.objects.get(evaluation=evaluation, criterion=lead)
    evidence = assessment_services.evidence_add(
        evaluation=evaluation, score=score, upload=_png("evidence.png"), by=secretary
    )
    assessment_services.evaluation_self_score(
        evaluation=reviewed,
        entries={lead.pk: assessment_services.Entry(D("55")), second.pk: assessment_services.Entry(D("35"))},
        by=secretary,
    )
    assessment_services.evaluation_submit(evaluation=reviewed, by=secretary)
    assignment = assessment_services.assignment_add(evaluation=reviewed, user=personas["reviewer"], by=admin)
    panel = assessment_services.panel_create(round_=round_, name="第一评审组", members=[personas["reviewer"]], by=admin)
    # The 公示 list is up (set directly: the service waits for every evaluation to be final).
    Round.objects.filter(pk=round_.pk).update(notice_start=today - dt.timedelta(days=1), notice_end=today)
    round_.refresh_from_db()
    objection = Objection.objects.create(
        round=round_, evaluation=reviewed, raised_by="匿名", received_on=today, content="分数偏高", recorded_by=admin
    )
    report_job = ReportJob.objects.create(
        round=round_, committee=college, data_stamp="world", status=ReportJobStatus.DONE, requested_by=admin
    )
    report_job.file.save("round-report.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))

    # notifications and accounts
    notification = Notification.objects.create(user=secretary, key="world:1", title="中期评估报告即将截止")
    attempt = AccessAttempt.objects.create(
        username="sec_college", ip_address="10.0.0.9", user_agent="test", failures_since_start=1
    )
    access_log = AccessLog.objects.create(username="sec_college", ip_address="10.0.0.9", user_agent="test")
    failure = AccessFailureLog.objects.create(username="sec_college", ip_address="10.0.0.9", user_agent="test")

    def history_id(instance: Any) -> int:
        return get_history_model_for_model(type(instance)).objects.filter(id=instance.pk).latest("history_id").pk

    return World(
        college=college,
        station=station,
        person=person,
        membership=membership,
        unit=unit,
        grouping=grouping,
        grant=grant,
        audit_event=AuditEvent.objects.order_by("pk").first(),
        kind=kinds.lecture,
        activity=activity,
        deleted_activity=deleted_activity,
        photo=activity.photos.get(),
        donation=donation,
        news=news,
        news_photo=news.photos.get(),
        plan=plan,
        point=point,
        target=target,
        programme=programme,
        phase=phase,
        milestone=milestone,
        participant=participant,
        deliverable=deliverable,
        rubric=rubric,
        dimension=dimension,
        criterion=criterion,
        band=band,
        round_rubric=round_rubric,
        round=round_,
        evaluation=evaluation,
        score=score,
        evidence=evidence,
        reviewed=reviewed,
        panel=panel,
        assignment=assignment,
        objection=objection,
        report_job=report_job,
        notification=notification,
        group=Group.objects.create(name="办公室"),
        user=secretary,
        token=TokenProxy.objects.get(key=Token.objects.create(user=secretary).key),
        access_attempt=attempt,
        access_log=access_log,
        access_failure=failure,
        activity_history_id=history_id(activity),
        donation_history_id=history_id(donation),
        news_history_id=history_id(news),
        committee_type=ContentType.objects.get_for_model(Committee),
    )
