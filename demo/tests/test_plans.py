from datetime import date

from demo import plans as demo
from demo.orgs import data
from metrics.engine import evaluate
from metrics.periods import Period
from orgs.models import CommitteeKind
from orgs.services import committee_create
from plans.models import OwnerKind, Plan, PlanStatus, Programme, Target


def test_demo_imports_both_seed_documents_once_and_publishes_them(db, make_activity):
    wxit = committee_create(
        parent=None, name="无锡职业技术学院关工委", code=data.WXIT_CODE, kind=CommitteeKind.UNIVERSITY
    )
    college = committee_create(parent=wxit, name="机电技术学院关工委", code="WXIT-JD", kind=CommitteeKind.COLLEGE)
    committee_create(parent=None, name="针灸康复临床医学院关工分委", code=data.ZJ_CODE, kind=CommitteeKind.COLLEGE)
    for day in range(1, 4):
        make_activity(college, "lecture", date(2022, 4, day))

    assert len(demo.seed(stdout=None)) == 2
    assert demo.seed(stdout=None) == []  # a second run adds nothing
    assert Plan.objects.filter(status=PlanStatus.PUBLISHED).count() == 2
    assert Programme.objects.get().phases.count() == 2

    lecture = Target.objects.get(work_point__section__plan__committee=wxit, unit="场")
    assert lecture.metric == "activity_count"
    assert evaluate(lecture.metric, committee=wxit, period=Period.year(2022), params=lecture.params).value == 3
    base_building = Target.objects.get(work_point__section__plan__committee=wxit, unit="%").work_point
    assert base_building.owner_kind == OwnerKind.EACH_SUBCOMMITTEE


def test_demo_gives_the_university_a_plan_for_this_year_measured_on_its_colleges(db, time_machine):
    time_machine.move_to(date(2026, 11, 21))
    gzucm = committee_create(parent=None, name="广中医关工委", code=data.GZUCM_CODE, kind=CommitteeKind.UNIVERSITY)
    committee_create(parent=gzucm, name="针灸康复临床医学院关工分委", code=data.ZJ_CODE, kind=CommitteeKind.COLLEGE)
    demo.seed(stdout=None)
    plan = Plan.objects.get(committee=gzucm)
    assert (plan.year, plan.status, plan.title) == (
        2026,
        PlanStatus.PUBLISHED,
        "广州中医药大学关心下一代工作委员会2026年工作要点",
    )
    targets = {
        t.text[:12]: (t.metric, t.period_kind, t.scope) for t in Target.objects.filter(work_point__section__plan=plan)
    }
    assert targets == {
        "全年开展履职活动不少于2": ("activity_count", "year", "aggregate"),
        "全年开展主题教育活动不少": ("activity_count", "year", "aggregate"),
        "特邀党建组织员全年与学生": ("students_talked", "year", "aggregate"),
        "各二级学院关工委每学期都": ("activity_count", "semester", "each_subcommittee"),
        "各二级学院关工委每学期至": ("news_with_photos", "semester", "each_subcommittee"),
        "本年度90%二级学院关工": ("subcommittee_share", "year", "aggregate"),
    }
    assert demo.seed(stdout=None) == []  # idempotent
