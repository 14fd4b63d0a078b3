"""Demo plans: the two real seed documents, imported, wired to metrics and published.

- 无锡职业技术学院关工委: its 2022 工作要点 (seed 001). The lecture-team target
  (不少于25场) counts the demo 宣讲会; the point on grass-roots building is owned
  by every college.
- 广中医关工委: this year's 工作要点, written in the style of seed 001, so the
  demo leader's dashboard opens on this year's targets (四师 duties, theme
  education, party-building talks, every college's meetings and news reports
  each term, and 90% of colleges reaching 均衡发展) measured on the demo's
  activities of this year: some green, some amber, some red.
- 针灸康复临床医学院关工分委: the 创建“五好”关工分委 实施方案 (seed 002), with
  its phases 2017–2021 as a construction programme. Its standing requirements
  are applied to 2022, the year the demo activities are logged for, so its
  targets (meetings every term, two news reports with photos, organisers 1比200,
  articles ≥ 1% of students …) show progress.

Follows the contract in `demo`: idempotent, one transaction, committees by code.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from demo.orgs import data
from orgs.models import Committee
from plans import services
from plans.extraction import extract_text
from plans.models import OwnerKind, Plan, PlanStatus

DOCUMENTS = Path(__file__).resolve().parent / "documents"
THIS_YEAR = None
DEMO_PLANS = (
    # (committee code, committee name to fall back on, document, year; THIS_YEAR fills {year} with today's)
    (data.WXIT_CODE, "无锡职业技术学院关工委", "001_bc1637571a05c243.txt", 2022),
    (data.ZJ_CODE, "针灸康复临床医学院关工分委", "002_3dd27eabe960211c.txt", 2022),
    (data.GZUCM_CODE, "广中医关工委", "gzucm_year_plan.txt", THIS_YEAR),
)


def _say(stdout: IO[str] | Any | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


def _committee(code: str, name: str) -> Committee | None:
    return Committee.objects.filter(code=code).first() or Committee.objects.filter(name=name).first()


def _wire(plan: Plan) -> None:
    """Owners the university office would set on review (seed 001: 二级学院 points go to every college)."""
    for section in plan.sections.all():
        for point in section.points.all():
            if "二级学院关工委" in point.text and point.owner_kind == OwnerKind.SELF and plan.committee.numchild:
                services.work_point_assign(point=point, owner_kind=OwnerKind.EACH_SUBCOMMITTEE)


@transaction.atomic
def seed(*, stdout: IO[str] | Any | None = None) -> list[Plan]:
    made = []
    for code, name, document, year in DEMO_PLANS:
        committee = _committee(code, name)
        if committee is None:
            _say(stdout, f"plans: committee {code} is missing (run the orgs demo first); skipped {document}.")
            continue
        text = (DOCUMENTS / document).read_text(encoding="utf-8")
        if year is THIS_YEAR:
            year = timezone.localdate().year
            text = text.replace("{year}", str(year))
        extracted = extract_text(text)
        if Plan.objects.filter(committee=committee, year=year, title=extracted.title).exists():
            continue
        plan = services.plan_import(
            committee=committee, year=year, extracted=extracted, source_name=document.replace(".txt", ".docx")
        )
        _wire(plan)
        if plan.status == PlanStatus.DRAFT:
            services.plan_publish(plan=plan)
        made.append(plan)
    if made:
        _say(stdout, "plans: imported and published " + "; ".join(f"{p.committee.code} {p.title}" for p in made) + ".")
    else:
        _say(stdout, "plans: the demo plans are all present; nothing to add.")
    return made
