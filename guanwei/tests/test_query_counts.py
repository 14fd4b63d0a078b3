"""Every page that lists rows costs the same number of queries with 3 rows as with 15 (issue 7).

One table, one row per page: the URL, the persona who opens it, and how its
data grows. Each test builds a small world, adds 3 rows of what the page lists
(with the related rows its template shows: photos, participants, roles,
scores, sub-committees …), counts the queries of a GET, adds 12 more and
counts again: the count must not change. The last row added must be on the
page, so a page that stopped showing its rows cannot pass.

A page whose count grows has an N+1: fix it at the source (the app's
selectors), never by loosening the comparison here. A new list page needs a
row (test_every_list_page_has_a_row says which).
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal as D
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image
from rest_framework.test import APIClient

from activities import services as activity_services
from activities.models import ActivityKind
from assessments import services as assessment_services
from assessments.models import (
    Criterion,
    Evaluation,
    EvaluationStatus,
    Objection,
    Round,
    Rubric,
    Score,
)
from notifications.models import Notification
from orgs import services as org_services
from orgs.models import AuditEvent, Committee, CommitteeKind, GrantRole, MemberRole, WulaoCategory
from plans.models import (
    Deliverable,
    Milestone,
    OwnerKind,
    Phase,
    Plan,
    PlanSection,
    PlanStatus,
    Programme,
    ProgrammeParticipant,
    Target,
    TargetScope,
    WorkPoint,
)

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2022, 6, 1, 9, 0, tzinfo=SHANGHAI)
YEAR = 2022
FEW, MANY = 3, 15
WULAO = itertools.cycle([c for c, _label in WulaoCategory.choices])


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@dataclass
class World:
    """The root conftest's tree and personas, the activity kinds, and what a page's setup made."""

    tree: Any
    personas: dict
    kinds: Any
    made: dict = field(default_factory=dict)

    @property
    def admin(self) -> Any:
        return self.personas["admin"]

    @property
    def secretary(self) -> Any:
        return self.personas["sec_college"]

    def committee(self, parent: Committee | None, name: str, code: str, kind: str = CommitteeKind.COLLEGE) -> Committee:
        committee = org_services.committee_create(parent=parent, name=name, code=code, kind=kind, students=1000)
        for known in vars(self.tree).values():  # an insert moves the nested-set bounds of the others
            known.refresh_from_db()
        return committee

    def college(self, i: int, prefix: str = "学院") -> Committee:
        """A new college under the university (the leader's scope)."""
        return self.committee(self.tree.university, f"{prefix}{i:02d}", f"UNI-Q{prefix.encode().hex()[:6]}{i}")

    def station(self, i: int, parent: Committee | None = None) -> Committee:
        """A new station under the college (the secretary's scope)."""
        parent = parent or self.tree.college
        return self.committee(parent, f"辅导站{i:02d}", f"{parent.code}-S{i}", CommitteeKind.STATION)

    def person(self, committee: Committee, name: str, **fields: Any) -> Any:
        return org_services.person_create(committee=committee, name=name, **fields)

    def activity(self, i: int, committee: Committee | None = None, *, kind: str = "lecture", **fields: Any) -> Any:
        committee = committee or self.tree.college
        people = [
            self.person(committee, f"参与人{i:02d}甲", wulao_category=next(WULAO)),
            self.person(committee, f"参与人{i:02d}乙"),
        ]
        return activity_services.activity_create(
            committee=committee,
            kind=getattr(self.kinds, kind),
            title=fields.pop("title", f"活动{i:02d}"),
            held_on=fields.pop("held_on", dt.date(YEAR, 5, 1 + i % 28)),
            youth_reached=20,
            participants=people,
            photos=[png()],
            by=self.secretary,
            **fields,
        )


@dataclass(frozen=True)
class Page:
    """A page that lists rows: who opens it, how it grows, and what row i looks like on it."""

    url_name: str
    persona: str
    grows: str  # what is added, for the reader of the table
    url: Callable[[World], str]  # builds what the page needs and gives its address
    grow: Callable[[World, int], str]  # adds row i; gives text that row shows on the page
    api: bool = False

    @property
    def id(self) -> str:
        return f"{self.url_name}-{self.persona}-{self.grows}".replace(" ", "_")


# --- orgs -----------------------------------------------------------------------------


def _root(w: World, i: int) -> str:
    root = w.committee(None, f"区关工委{i:02d}", f"ROOT{i}", CommitteeKind.DISTRICT)
    w.committee(root, f"街道关工委{i:02d}", f"ROOT{i}-T", CommitteeKind.TOWN)
    return root.name


def _found_college(w: World, i: int) -> str:
    college = w.committee(w.tree.university, f"查找学院{i:02d}", f"UNI-F{i}")
    w.station(i, parent=college)
    return college.name


def _college_detail_rows(w: World, i: int) -> str:
    """A station with registered 五老, a member from it in the college, a member unit, a 片 the college leads."""
    station = w.station(i)
    w.person(station, f"站员{i:02d}", wulao_category=next(WULAO))
    member = w.person(station, f"委员{i:02d}", wulao_category=next(WULAO))
    org_services.membership_add(person=member, committee=w.tree.college, role=MemberRole.MEMBER)
    org_services.member_unit_save(committee=w.tree.college, name=f"委员单位{i:02d}", duties="协助")
    org_services.grouping_save(name=f"针灸片{i:02d}", lead=w.tree.college, members=[station])
    return f"针灸片{i:02d}"


def _person_with_roles(w: World, i: int, *, wulao: bool = False) -> str:
    committee = [w.tree.college, w.tree.sibling, w.tree.college_station][i % 3]
    person = w.person(committee, f"人员{i:02d}", wulao_category=next(WULAO) if wulao else "")
    org_services.membership_add(person=person, committee=committee, role=MemberRole.MEMBER)
    org_services.membership_add(person=person, committee=w.tree.university, role=MemberRole.LECTURER)
    return person.name


def _person_detail_url(w: World) -> str:
    w.made["person"] = w.person(w.tree.college, "张老师", wulao_category=WulaoCategory.TEACHER)
    return reverse("orgs:person_detail", args=[w.made["person"].pk])


def _role_of_person(w: World, i: int) -> str:
    station = w.station(i)
    org_services.membership_add(person=w.made["person"], committee=station, role=MemberRole.MENTOR_CAREER)
    return station.name


def _grouping(w: World, i: int) -> str:
    lead = [w.tree.college, w.tree.sibling, w.tree.other_root][i % 3]
    members = [w.committee(w.tree.province, f"片成员{i:02d}{j}", f"JS-G{i}-{j}", CommitteeKind.SCHOOL) for j in (1, 2)]
    org_services.grouping_save(name=f"片{i:02d}", lead=lead, members=members, by=w.admin)
    return f"片{i:02d}"


def _grouping_detail_url(w: World) -> str:
    w.made["grouping"] = org_services.grouping_save(name="针灸片", lead=w.tree.college, members=[])
    return reverse("orgs:grouping_detail", args=[w.made["grouping"].pk])


def _grouping_member(w: World, i: int) -> str:
    member = w.committee(w.tree.other_root, f"清江浦学校{i:02d}", f"QJP-S{i}", CommitteeKind.SCHOOL)
    w.made["grouping"].members.add(member)
    return member.name


# --- activities ---------------------------------------------------------------------------


def _activity(w: World, i: int) -> str:
    return w.activity(i, w.tree.college_station if i % 2 else w.tree.college).title


def _deleted_activity(w: World, i: int) -> str:
    activity = w.activity(i, w.tree.college if i % 2 else w.tree.other_root, title=f"已删除{i:02d}")
    activity_services.activity_delete(activity=activity, by=w.admin)
    return activity.title


def _donation(w: World, i: int) -> str:
    committee = w.tree.college_station if i % 2 else w.tree.college
    donor = w.person(committee, f"捐款人{i:02d}")
    activity_services.donation_save(
        committee=committee,
        donor_name=donor.name,
        donor_person=donor,
        amount=D("100.00") + i,
        donated_on=dt.date(YEAR, 5, 1 + i),
        by=w.secretary,
    )
    return donor.name


def _news(w: World, i: int) -> str:
    report = activity_services.news_save(
        committee=w.tree.college_station if i % 2 else w.tree.college,
        title=f"简讯{i:02d}",
        published_on=dt.date(YEAR, 5, 1 + i),
        outlet="学校关工网站",
        photos=[png(), png()],
        by=w.secretary,
    )
    return report.title


def _activity_detail_url(w: World) -> str:
    w.made["activity"] = w.activity(0, title="红色故事进课堂")
    return reverse("activities:detail", args=[w.made["activity"].pk])


def _participant_photo_change(w: World, i: int) -> str:
    activity = w.made["activity"]
    person = w.person(w.tree.college, f"讲师{i:02d}", wulao_category=next(WULAO))
    activity_services.activity_update(
        activity=activity,
        participants=[*activity.participants.all(), person],
        photos=[png()],
        by=w.secretary,
        place=f"教室{i:02d}",
    )
    return person.name


def _news_detail_url(w: World) -> str:
    w.made["news"] = activity_services.news_save(
        committee=w.tree.college,
        title="针灸学院开展宣讲",
        published_on=dt.date(YEAR, 5, 1),
        outlet="学校网站",
        by=w.secretary,
    )
    return reverse("activities:news_detail", args=[w.made["news"].pk])


def _news_photo(w: World, i: int) -> str:
    activity_services.news_save(report=w.made["news"], photos=[png(f"news{i}.png")], by=w.secretary)
    return reverse("activities:news_photo_thumbnail", args=[w.made["news"].photos.latest("pk").pk])


# --- plans ------------------------------------------------------------------------------


def _plan(w: World, committee: Committee, *, published: bool = True, title: str = "") -> Plan:
    return Plan.objects.create(
        committee=committee,
        year=YEAR,
        title=title or f"{committee.name}{YEAR}年工作要点",
        status=PlanStatus.PUBLISHED if published else PlanStatus.DRAFT,
        created_by=w.admin,
    )


def _measured_point(plan: Plan, i: int, *, assigned: list[Committee] = ()) -> Target:
    section = PlanSection.objects.create(plan=plan, position=i, number=f"{i + 1}", title=f"重点工作{i:02d}")
    point = WorkPoint.objects.create(
        section=section,
        position=0,
        text=f"工作要点{i:02d}",
        owner_kind=OwnerKind.ASSIGNED if assigned else OwnerKind.EACH_SUBCOMMITTEE,
    )
    if assigned:
        point.assigned_committees.set(assigned)
    Target.objects.create(work_point=point, position=0, text=f"宣讲不少于{i + 1}场", metric="", value=i + 1)
    return Target.objects.create(
        work_point=point,
        position=1,
        text=f"全年活动不少于{i + 2}场（第{i:02d}条）",
        metric="activity_count",
        params={"kinds": ["lecture"]},
        value=i + 2,
        scope=TargetScope.EACH_SUBCOMMITTEE if i % 2 else TargetScope.AGGREGATE,
    )


def _plan_and_programme(w: World, i: int) -> str:
    college = w.college(i)
    plan = _plan(w, college, published=bool(i % 2))
    programme = Programme.objects.create(committee=college, title=f"五好创建规划{i:02d}", plan=plan)
    ProgrammeParticipant.objects.create(programme=programme, committee=college)
    return programme.title


def _plan_detail_url(w: World) -> str:
    w.made["plan"] = _plan(w, w.tree.university)
    return reverse("plans:plan_detail", args=[w.made["plan"].pk])


def _plan_row(w: World, i: int) -> str:
    """A section with a measured point, a sub-committee it is shared out to, and that committee's activities."""
    college = w.college(i)
    target = _measured_point(w.made["plan"], i, assigned=[college, w.tree.college] if i % 3 == 0 else [])
    w.activity(i, college)
    return target.text


def _target_detail_url(w: World) -> str:
    plan = _plan(w, w.tree.university)
    w.made["target"] = _measured_point(plan, 0)
    return reverse("plans:target_detail", args=[w.made["target"].pk]) + f"?committee={w.tree.university.pk}"


def _counted_record(w: World, i: int) -> str:
    college = w.college(i)
    return w.activity(i, college, title=f"宣讲会{i:02d}").title


def _programme_url(w: World) -> str:
    programme = Programme.objects.create(committee=w.tree.university, title="优质化建设规划")
    w.made["programme"] = programme
    return reverse("plans:programme_detail", args=[programme.pk])


def _programme_row(w: World, i: int) -> str:
    """A phase, a milestone in it, a participating college and its deliverable."""
    programme = w.made["programme"]
    college = w.college(i)
    phase = Phase.objects.create(
        programme=programme,
        position=i,
        name=f"阶段{i:02d}",
        starts_on=dt.date(YEAR - 1, 1, 1) + dt.timedelta(days=30 * i),
        ends_on=dt.date(YEAR + 1, 1, 1) + dt.timedelta(days=30 * i),
    )
    milestone = Milestone.objects.create(
        programme=programme, phase=phase, title=f"里程碑{i:02d}", due_on=dt.date(YEAR, 7, 1) + dt.timedelta(days=i)
    )
    ProgrammeParticipant.objects.create(programme=programme, committee=college)
    deliverable = Deliverable(
        milestone=milestone, committee=college, title=f"材料{i:02d}", original_name="材料.pdf", uploaded_by=w.secretary
    )
    deliverable.file.save(f"d{i}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    deliverable.save()
    return milestone.title


def _programme_manage_url(w: World) -> str:
    programme = Programme.objects.create(committee=w.tree.college, title="五好关工委创建规划")
    ProgrammeParticipant.objects.create(programme=programme, committee=w.tree.college)
    w.made["programme"] = programme
    return reverse("plans:programme_manage", args=[programme.pk])


def _programme_manage_row(w: World, i: int) -> str:
    """A phase (one a year), a milestone in it, a participating station and its deliverable."""
    programme = w.made["programme"]
    station = w.station(i)
    phase = Phase.objects.create(
        programme=programme,
        position=i,
        name=f"阶段{i:02d}",
        starts_on=dt.date(YEAR + i, 1, 1),
        ends_on=dt.date(YEAR + i, 12, 31),
    )
    milestone = Milestone.objects.create(
        programme=programme, phase=phase, title=f"里程碑{i:02d}", due_on=dt.date(YEAR + i, 6, 30)
    )
    ProgrammeParticipant.objects.create(programme=programme, committee=station)
    deliverable = Deliverable(
        milestone=milestone, committee=station, title=f"材料{i:02d}", original_name="材料.pdf", uploaded_by=w.secretary
    )
    deliverable.file.save(f"m{i}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    deliverable.save()
    return milestone.title


# --- assessments ----------------------------------------------------------------------------


def _rubric(w: World, owner: Committee, name: str, *, criteria: int = 2, metric: bool = False) -> Rubric:
    rubric = assessment_services.rubric_create(owner=owner, name=name, by=w.admin)
    dimension = assessment_services.dimension_save(rubric=rubric, title="五老作用发挥好", by=w.admin)
    for n in range(criteria):
        fields: dict[str, Any] = {"kind": "manual"}
        if metric and n == 0:
            fields = {"kind": "metric", "metric_code": "activity_count", "full_at": D(10)}
        assessment_services.criterion_save(
            dimension=dimension,
            code=f"1.{n + 1}",
            title=f"指标{n + 1}",
            max_points=D(100) / criteria,
            by=w.admin,
            **fields,
        )
    assessment_services.band_save(rubric=rubric, label="优秀", min_total=D(85), tone="ok", by=w.admin)
    return rubric


def _round(w: World, name: str, committees: list[Committee], *, organiser: Committee | None = None, **fields) -> Round:
    organiser = organiser or w.tree.university
    rubric = fields.pop("rubric", None) or _rubric(w, organiser, f"{name}方案")
    return assessment_services.round_create(
        committee=organiser,
        rubric=rubric,
        committees=committees,
        name=name,
        year=YEAR,
        self_deadline=dt.date(YEAR, 9, 1),
        review_deadline=dt.date(YEAR, 10, 1),
        by=w.admin,
        **fields,
    )


def _join_round(round_: Round, committee: Committee, **fields: Any) -> Evaluation:
    """One more evaluation in an open round, as `round_create` makes them: a score per criterion."""
    evaluation = Evaluation.objects.create(round=round_, committee=committee, **fields)
    criteria = Criterion.objects.filter(dimension__rubric=round_.rubric)
    Score.objects.bulk_create([Score(evaluation=evaluation, criterion=c, self_points=c.max_points) for c in criteria])
    return evaluation


def _finalised(round_: Round, committee: Committee, i: int) -> Evaluation:
    return _join_round(
        round_,
        committee,
        status=EvaluationStatus.FINALISED,
        self_total=D(90),
        review_total=D(80 + i % 20),
        grade="优秀" if i % 2 else "",
        gate_passed=bool(i % 2),
    )


def _round_to_fill(w: World, i: int) -> str:
    return _round(w, f"考核{i:02d}", [w.tree.college, w.tree.college_station, w.tree.sibling]).name


def _assigned_for_review(w: World, i: int) -> str:
    college = w.college(i)
    round_ = _round(w, f"考核{i:02d}", [college, w.tree.college])
    evaluation = Evaluation.objects.get(round=round_, committee=college)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SUBMITTED)
    assessment_services.assignment_add(evaluation=evaluation, user=w.personas["reviewer"], by=w.admin)
    return round_.name


def _rubric_row(w: World, i: int) -> str:
    owner = [w.tree.university, w.tree.college, w.tree.other_root][i % 3]
    return _rubric(w, owner, f"考核方案{i:02d}").name


def _rubric_detail_url(w: World) -> str:
    w.made["rubric"] = _rubric(w, w.tree.university, "五好关工委考核", criteria=1)
    w.made["dimension"] = w.made["rubric"].dimensions.get()
    return reverse("assessments:rubric_detail", args=[w.made["rubric"].pk])


def _rubric_criterion(w: World, i: int) -> str:
    """A dimension with a manual and a measured criterion, and a grade band."""
    rubric = w.made["rubric"]
    dimension = assessment_services.dimension_save(rubric=rubric, title=f"维度{i:02d}", by=w.admin)
    assessment_services.criterion_save(
        dimension=dimension, code=f"{i}.1", title=f"指标{i:02d}", kind="manual", max_points=D(2), by=w.admin
    )
    assessment_services.criterion_save(
        dimension=dimension,
        code=f"{i}.2",
        title=f"计量指标{i:02d}",
        kind="metric",
        metric_code="activity_count",
        full_at=D(5),
        max_points=D(2),
        by=w.admin,
    )
    assessment_services.band_save(rubric=rubric, label=f"档{i:02d}", min_total=D(i), tone="ok", by=w.admin)
    return f"计量指标{i:02d}"


def _round_row(w: World, i: int) -> str:
    organiser = [w.tree.university, w.tree.college, w.tree.sibling][i % 3]
    return _round(w, f"年度考核{i:02d}", [organiser], organiser=organiser).name


def _round_url(name: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        w.made["round"] = _round(w, "2022年度五好考核", [w.tree.college])
        if name == "assessments:round_notice":
            Round.objects.filter(pk=w.made["round"].pk).update(
                notice_start=dt.date(YEAR, 5, 30), notice_end=dt.date(YEAR, 6, 10)
            )
        return reverse(name, args=[w.made["round"].pk])

    return url


def _round_evaluation(w: World, i: int) -> str:
    """An evaluation of a new college, reviewed by a panel and a reviewer of its own."""
    round_ = w.made["round"]
    college = w.college(i)
    evaluation = _join_round(round_, college, status=[EvaluationStatus.DRAFT, EvaluationStatus.SUBMITTED][i % 2])
    reviewer = org_services.grant_access(
        user=_user(f"reviewer{i:02d}", first_name=f"评审{i:02d}"), committee=w.tree.province, role=GrantRole.REVIEWER
    ).user
    panel = assessment_services.panel_create(
        round_=round_, name=f"评审组{i:02d}", members=[reviewer, w.personas["reviewer"]]
    )
    assessment_services.assignment_add(evaluation=evaluation, panel=panel)
    assessment_services.assignment_add(evaluation=evaluation, user=reviewer)
    return college.name


def _round_result(w: World, i: int) -> str:
    """A finalised evaluation of a new college, and an objection to it."""
    round_ = w.made["round"]
    college = w.college(i)
    evaluation = _finalised(round_, college, i)
    Objection.objects.create(
        round=round_,
        evaluation=evaluation,
        raised_by=f"群众{i:02d}",
        received_on=dt.date(YEAR, 6, 1),
        content="分数偏高",
    )
    return college.name


def _user(username: str, **fields: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=username, password="x-test-password", **fields)


def _evaluation_url(w: World) -> str:
    round_ = _round(
        w, "2022年度五好考核", [w.tree.college], rubric=_rubric(w, w.tree.university, "方案", criteria=4, metric=True)
    )
    w.made["evaluation"] = Evaluation.objects.get(round=round_)
    w.made["scores"] = list(w.made["evaluation"].scores.order_by("criterion__order", "id"))
    return reverse("assessments:evaluation_detail", args=[w.made["evaluation"].pk])


def _evidence_and_change(w: World, i: int) -> str:
    """Evidence on a criterion, a self-score change, and an activity the measured criterion counts."""
    evaluation, scores = w.made["evaluation"], w.made["scores"]
    score = scores[i % len(scores)]
    assessment_services.evidence_add(evaluation=evaluation, score=score, upload=png(f"证明{i:02d}.png"), by=w.secretary)
    manual = [s for s in scores if s.criterion.kind == "manual"]
    assessment_services.evaluation_self_score(
        evaluation=evaluation,
        entries={s.criterion_id: assessment_services.Entry(D(i % 30), f"说明{i:02d}") for s in manual},
        by=w.secretary,
        reason=f"补充材料{i:02d}",
    )
    w.activity(i, title=f"计入的活动{i:02d}")
    return f"证明{i:02d}"


def _measured_criterion(w: World, i: int) -> str:
    """One more measured criterion in the round's rubric (as a new version would have), scored for the evaluation."""
    evaluation = w.made["evaluation"]
    dimension = evaluation.round.rubric.dimensions.get()
    criterion = Criterion.objects.create(
        dimension=dimension,
        order=10 + i,
        code=f"2.{i}",
        title=f"计量指标{i:02d}",
        kind="metric",
        # The first three bring the other kinds of record (people, news, donations): a query per kind.
        metric_code=["wulao_participants", "news_with_photos", "donation_amount", "activity_count", "youth_reached"][
            i % 5
        ],
        full_at=D(5),
        max_points=D(1),
    )
    Score.objects.create(evaluation=evaluation, criterion=criterion)
    w.activity(i, title=f"计入的活动{i:02d}")
    return criterion.title


# --- notifications, home, dashboards, admin ---------------------------------------------------------


def _notification(w: World, i: int) -> str:
    Notification.objects.create(
        user=w.secretary, key=f"q:{i}", title=f"提醒{i:02d}", url="/plans/", read_at=None if i % 2 else NOW
    )
    return f"提醒{i:02d}"


def _home_row(w: World, i: int) -> str:
    """Activities and news in the college, and an evaluation to fill."""
    w.activity(i, title=f"首页活动{i:02d}")
    activity_services.news_save(
        committee=w.tree.college,
        title=f"首页简讯{i:02d}",
        published_on=dt.date(YEAR, 5, 2),
        outlet="学校网站",
        photos=[png()],
        by=w.secretary,
    )
    _round(w, f"首页考核{i:02d}", [w.tree.college])
    return f"首页活动{i:02d}"


def _secretary_of_more(w: World, i: int) -> str:
    """One more committee the secretary keeps (a grant on the station itself), with a programme milestone due."""
    station = w.station(i)
    org_services.grant_access(user=w.secretary, committee=station, role=GrantRole.SECRETARY)
    programme = Programme.objects.create(committee=station, title=f"辅导站规划{i:02d}")
    Milestone.objects.create(programme=programme, title=f"站点验收{i:02d}", due_on=dt.date(YEAR, 6, 10))
    return f"站点验收{i:02d}"


def _dashboard_url(w: World) -> str:
    return reverse("dashboards:committee", args=[w.tree.university.pk]) + f"?year={YEAR}"


def _dashboard_row(w: World, i: int) -> str:
    college = w.college(i)
    w.activity(i, college)
    return college.name


def _dashboard_plan_url(w: World) -> str:
    w.made["plan"] = _plan(w, w.tree.university)
    return _dashboard_url(w)


def _dashboard_target(w: World, i: int) -> str:
    return _plan_row(w, i).split("（")[0]


def _audit_event(w: World, i: int) -> str:
    AuditEvent.objects.create(
        user=w.secretary,
        username="sec_college",
        action="denied",
        object_type="orgs.committee",
        object_id=str(i),
        summary=f"探查{i:02d}",
    )
    return f"探查{i:02d}"


# --- API --------------------------------------------------------------------------------------


def _api_children_url(w: World) -> str:
    return reverse("api:committee-children", args=[w.tree.university.pk])


def _college_detail_child(w: World, i: int) -> str:
    college = w.college(i)
    w.person(college, f"学院人员{i:02d}", wulao_category=next(WULAO))
    return college.name


def _activity_kind(w: World, i: int) -> str:
    return ActivityKind.objects.create(code=f"kind-{i}", name=f"活动类型{i:02d}", sort_order=100 + i).name


def _api_plan(w: World, i: int) -> str:
    college = w.college(i)
    return _plan(w, college, published=bool(i % 2)).title


def _api_evaluation(w: World, i: int) -> str:
    college = w.college(i)
    round_ = w.made["round"]
    _finalised(round_, college, i)
    return college.name


def _api_round_url(w: World) -> str:
    w.made["round"] = _round(w, "接口考核", [w.tree.college])
    return reverse("api:evaluation-list")


def _api_evaluation_detail_url(w: World) -> str:
    _evaluation_url(w)
    return reverse("api:evaluation-detail", args=[w.made["evaluation"].pk])


def _api_plan_url(name: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        w.made["plan"] = _plan(w, w.tree.university)
        return reverse(name, args=[w.made["plan"].pk])

    return url


def _fixed(name: str, *args: Any, query: str = "") -> Callable[[World], str]:
    def url(w: World) -> str:
        resolved = [getattr(w.tree, a).pk if isinstance(a, str) else a for a in args]
        return reverse(name, args=resolved) + query

    return url


PAGES = [
    # orgs
    Page("orgs:committee_tree", "admin", "root committees", _fixed("orgs:committee_tree"), _root),
    Page(
        "orgs:committee_tree",
        "leader",
        "search results",
        _fixed("orgs:committee_tree", query="?q=查找"),
        _found_college,
    ),
    Page(
        "orgs:committee_detail",
        "sec_college",
        "stations members units groupings",
        _fixed("orgs:committee_detail", "college"),
        _college_detail_rows,
    ),
    Page("orgs:people_list", "leader", "people with roles", _fixed("orgs:people_list"), _person_with_roles),
    Page(
        "orgs:wulao_registry",
        "leader",
        "五老 with roles",
        _fixed("orgs:wulao_registry"),
        lambda w, i: _person_with_roles(w, i, wulao=True),
    ),
    Page("orgs:person_detail", "sec_college", "roles", _person_detail_url, _role_of_person),
    Page("orgs:grouping_list", "admin", "groupings", _fixed("orgs:grouping_list"), _grouping),
    Page("orgs:grouping_detail", "sec_college", "members", _grouping_detail_url, _grouping_member),
    # activities
    Page(
        "activities:index",
        "sec_college",
        "activities with photos and participants",
        _fixed("activities:index"),
        _activity,
    ),
    Page("activities:deleted", "admin", "deleted activities", _fixed("activities:deleted"), _deleted_activity),
    Page(
        "activities:detail",
        "sec_college",
        "participants photos history",
        _activity_detail_url,
        _participant_photo_change,
    ),
    Page("activities:donation_list", "sec_college", "donations", _fixed("activities:donation_list"), _donation),
    Page("activities:news_list", "sec_college", "news with photos", _fixed("activities:news_list"), _news),
    Page("activities:news_detail", "sec_college", "photos", _news_detail_url, _news_photo),
    # plans
    Page(
        "plans:index",
        "leader",
        "plans and programmes",
        _fixed("plans:index", query=f"?year={YEAR}"),
        _plan_and_programme,
    ),
    Page("plans:plan_detail", "leader", "sections targets sub-committees", _plan_detail_url, _plan_row),
    Page("plans:plan_detail", "sec_college", "sections targets sub-committees", _plan_detail_url, _plan_row),
    Page("plans:target_detail", "leader", "counted records sub-committees", _target_detail_url, _counted_record),
    Page(
        "plans:programme_detail",
        "leader",
        "phases milestones participants deliverables",
        _programme_url,
        _programme_row,
    ),
    Page(
        "plans:programme_manage",
        "sec_college",
        "phases milestones participants deliverables",
        _programme_manage_url,
        _programme_manage_row,
    ),
    # assessments
    Page("assessments:index", "sec_college", "evaluations to fill", _fixed("assessments:index"), _round_to_fill),
    Page("assessments:index", "reviewer", "evaluations to review", _fixed("assessments:index"), _assigned_for_review),
    Page("assessments:index", "leader", "rounds", _fixed("assessments:index"), _round_to_fill),
    Page("assessments:rubric_list", "admin", "rubrics", _fixed("assessments:rubric_list"), _rubric_row),
    Page("assessments:rubric_detail", "admin", "dimensions criteria bands", _rubric_detail_url, _rubric_criterion),
    Page("assessments:round_list", "admin", "rounds", _fixed("assessments:round_list"), _round_row),
    Page(
        "assessments:round_detail",
        "admin",
        "evaluations panels reviewers",
        _round_url("assessments:round_detail"),
        _round_evaluation,
    ),
    Page(
        "assessments:round_assign",
        "admin",
        "evaluations panels reviewers",
        _round_url("assessments:round_assign"),
        _round_evaluation,
    ),
    Page(
        "assessments:round_results",
        "leader",
        "finalised evaluations objections",
        _round_url("assessments:round_results"),
        _round_result,
    ),
    Page(
        "assessments:round_notice",
        "sec_college",
        "finalised evaluations",
        _round_url("assessments:round_notice"),
        _round_result,
    ),
    Page(
        "assessments:evaluation_detail",
        "sec_college",
        "evidence changes counted records",
        _evaluation_url,
        _evidence_and_change,
    ),
    Page(
        "assessments:evaluation_detail",
        "sec_college",
        "measured criteria",
        _evaluation_url,
        _measured_criterion,
    ),
    # notifications, home, dashboards, the audit log
    Page("notifications:index", "sec_college", "notifications", _fixed("notifications:index"), _notification),
    Page("home", "sec_college", "activities news evaluations", _fixed("home"), _home_row),
    Page("home", "sec_college", "committees kept with milestones", _fixed("home"), _secretary_of_more),
    Page("dashboards:committee", "leader", "sub-committees with activities", _dashboard_url, _dashboard_row),
    Page("dashboards:committee", "leader", "targets of the plan", _dashboard_plan_url, _dashboard_target),
    Page(
        "admin:orgs_auditevent_changelist",
        "admin",
        "audit events",
        _fixed("admin:orgs_auditevent_changelist"),
        _audit_event,
    ),
    # API lists
    Page(
        "api:committee-list",
        "leader",
        "committees",
        _fixed("api:committee-list"),
        lambda w, i: w.college(i).name,
        api=True,
    ),
    Page(
        "api:committee-children",
        "leader",
        "sub-committees with people",
        _api_children_url,
        _college_detail_child,
        api=True,
    ),
    Page("api:person-list", "leader", "people with roles", _fixed("api:person-list"), _person_with_roles, api=True),
    Page("api:activity-kind-list", "sec_college", "kinds", _fixed("api:activity-kind-list"), _activity_kind, api=True),
    Page(
        "api:activity-list",
        "sec_college",
        "activities with participants",
        _fixed("api:activity-list"),
        _activity,
        api=True,
    ),
    Page("api:plan-list", "leader", "plans", _fixed("api:plan-list"), _api_plan, api=True),
    Page("api:plan-detail", "leader", "sections targets", _api_plan_url("api:plan-detail"), _plan_row, api=True),
    Page(
        "api:plan-progress", "leader", "targets sub-committees", _api_plan_url("api:plan-progress"), _plan_row, api=True
    ),
    Page("api:evaluation-list", "leader", "evaluations", _api_round_url, _api_evaluation, api=True),
    Page(
        "api:evaluation-detail",
        "sec_college",
        "evidence changes",
        _api_evaluation_detail_url,
        _evidence_and_change,
        api=True,
    ),
]


def _fetcher(page: Page, personas: dict) -> Callable[[str], tuple[list[str], str]]:
    """GET as the page's persona: the queries it ran and the page it answered (caches emptied first)."""
    user = personas[page.persona]
    client: Client | APIClient
    if page.api:
        client = APIClient()
    else:
        client = Client()
        client.force_login(user)

    def get(url: str) -> tuple[list[str], str]:
        if page.api:
            # A fresh user each time, as a real request has: the scope cached on the object is per request.
            client.force_authenticate(type(user).objects.get(pk=user.pk))
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return [q["sql"] for q in ctx.captured_queries], response.content.decode()

    return get


def _repeated(queries: list[str]) -> str:
    """The statements run more than once, with their numbers blanked: where an N+1 shows itself."""
    shapes = Counter(re.sub(r"\b\d+\b", "N", sql)[:300] for sql in queries)
    return "\n".join(f"{n} × {shape}" for shape, n in shapes.most_common() if n > 1)


# URL names of pages that list rows: landing pages, lists, registries, and the API's list routes.
LIST_NAME = re.compile(r"^home$|:index$|:committee_tree$|_list$|-list$|_registry$|:deleted$")
NOT_LISTS = {
    "orgs:index": "the same view as orgs:committee_tree",
    "dashboards:index": "redirects to the dashboard of the user's top committee",
    "api:index": "the API's own page: the user's one token",
    "admin:index": "Django's admin lists models, not rows (its audit log is in the table)",
    "admin:app_list": "Django's admin lists models, not rows",
}


def _names(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            names += _names(pattern, f"{namespace}:{inner}" if namespace and inner else inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_list_page_has_a_row():
    lists = {name for name in _names(get_resolver()) if LIST_NAME.search(name)} - set(NOT_LISTS)
    missing = sorted(lists - {page.url_name for page in PAGES})
    assert not missing, "List pages without a row in PAGES:\n" + "\n".join(missing)


def test_every_page_in_the_table_is_a_distinct_row():
    ids = [page.id for page in PAGES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.id)
def test_queries_do_not_grow_with_the_rows_listed(page, tree, personas, time_machine):
    time_machine.move_to(NOW, tick=False)
    importlib.import_module("activities.migrations.0002_activity_kinds").create_kinds(django_apps, None)
    world = World(tree, personas, SimpleNamespace(**{k.code: k for k in ActivityKind.objects.all()}))
    url = page.url(world)
    for i in range(FEW):
        page.grow(world, i)
    get = _fetcher(page, personas)
    get(url)  # the first request also warms the session and per-process caches
    few, _body = get(url)
    for i in range(FEW, MANY):
        last = page.grow(world, i)
    many, body = get(url)
    assert last in body, f"{page.url_name} does not show the row it lists"
    assert len(many) == len(few), (
        f"{page.url_name} as {page.persona}: {len(few)} queries with {FEW} rows, {len(many)} with {MANY}; "
        f"repeated:\n{_repeated(many)}"
    )
