from datetime import date

from orgs.demo import data
from orgs.models import CommitteeKind
from orgs.services import committee_create
from plans import demo
from plans.metrics import Period, evaluate
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
