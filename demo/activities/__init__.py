"""Demo activities, donations and news reports for the committees of `demo.orgs` (see the contract in `demo`).

A year of work in 2022 and, up to today, in the current year: the 讲师团 of
无锡职业技术学院 giving 宣讲会, talks by the 特邀党建组织员 of 针灸康复临床医学院
(seed 002), student articles, tutoring-station activities in 清江浦区 (seed 003),
donations to the 助学基金, and news reports with and without photos.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from datetime import date
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from activities import services
from activities.models import Activity, ActivityKind, Donation, DonorKind, NewsReport
from demo.activities.plan import SECRETARY_OF, Plan, build_plan, plan_years
from demo.orgs import data
from orgs.models import Committee, CommitteeKind, MemberRole, Membership, Person


def _say(stdout: IO[str] | Any | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


def _picture(seed: int) -> ContentFile:
    """A small made-up picture: a coloured sky, a stage and an audience."""
    rng = random.Random(seed)  # noqa: S311 - demo pictures
    img = Image.new("RGB", (640, 427), (rng.randint(150, 230), rng.randint(150, 230), rng.randint(180, 250)))
    draw = ImageDraw.Draw(img)
    draw.rectangle((60, 60, 580, 200), fill=(180, 30, 40))
    for row in range(4):
        for col in range(12):
            x, y = 40 + col * 48, 240 + row * 42
            draw.ellipse((x, y, x + 30, y + 30), fill=(rng.randint(20, 90),) * 3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return ContentFile(buf.getvalue(), name=f"demo-{seed}.png")


class _Lookup:
    """Committees, people and accounts of the demo, found by code and name."""

    def __init__(self) -> None:
        self.committees = {c.code: c for c in Committee.objects.all()}
        self.users = {u.username: u for u in get_user_model().objects.filter(username__startswith="sec_")}
        self._wulao: dict[int, list[Person]] = {}
        self._named: dict[int, dict[str, Person]] = {}
        station_codes = sorted(
            code
            for code, c in self.committees.items()
            if c.kind == CommitteeKind.STATION and code.startswith(f"{data.QJP_CODE}-")
        )
        # The tutoring stations of 清江浦区, numbered 1, 2, ... in code order.
        self.stations = {n: self.committees[code] for n, code in enumerate(station_codes, start=1)}

    def committee(self, key: str) -> Committee | None:
        if key.startswith("station:"):
            return self.stations.get(int(key.split(":")[1]))
        return self.committees.get(key)

    def wulao(self, committee: Committee) -> list[Person]:
        if committee.pk not in self._wulao:
            people = Person.objects.filter(committee=committee).exclude(wulao_category="").order_by("name", "id")
            self._wulao[committee.pk] = list(people)
        return self._wulao[committee.pk]

    def person(self, committee: Committee, name: str) -> Person | None:
        if committee.pk not in self._named:
            self._named[committee.pk] = {p.name: p for p in Person.objects.filter(committee=committee)}
        return self._named[committee.pk].get(name)


def _role_names(committee: Committee | None, roles: tuple[str, ...]) -> list[str]:
    if committee is None:
        return []
    rows = Membership.objects.filter(committee=committee, role__in=roles).order_by("person__name", "person_id")
    return list(dict.fromkeys(rows.values_list("person__name", flat=True)))


@transaction.atomic
def seed(*, stdout: IO[str] | Any | None = None) -> Counter:
    """Create whatever part of the demo log is missing; return counts of what was made."""
    today = timezone.localdate()
    lookup = _Lookup()
    zj = lookup.committee(data.ZJ_CODE)
    if zj is None:
        _say(stdout, "activities: the demo committees are missing (run the orgs demo first); nothing added.")
        return Counter()
    mentor_roles = (
        MemberRole.MENTOR_YOUNG_TEACHER,
        MemberRole.MENTOR_COUNSELLOR,
        MemberRole.MENTOR_EXTRACURRICULAR,
        MemberRole.MENTOR_CAREER,
    )
    plan = build_plan(
        organisers=_role_names(zj, (MemberRole.PARTY_ORGANISER,)),
        mentors=_role_names(zj, mentor_roles),
        zj_wulao=[p.name for p in lookup.wulao(zj) if p.is_retired],
        years=plan_years(today),
    )
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    created: Counter = Counter()
    _seed_activities(plan, lookup, kinds, today, created)
    _seed_donations(plan, lookup, today, created)
    _seed_news(plan, lookup, today, created)
    created = +created
    if created:
        _say(stdout, "activities: created " + ", ".join(f"{n} {what}" for what, n in created.items()) + ".")
    else:
        _say(stdout, "activities: the demo activities, donations and news reports are all present; nothing to add.")
    return created


def _seed_activities(plan: Plan, lookup: _Lookup, kinds: dict, today: date, created: Counter) -> None:
    existing = set(Activity.all_objects.values_list("committee_id", "title", "held_on"))
    for number, spec in enumerate(plan.activities):
        committee = lookup.committee(spec.committee)
        if committee is None or spec.held_on > today or spec.kind not in kinds:
            continue
        if (committee.pk, spec.title, spec.held_on) in existing:
            continue
        if spec.people:
            participants = [p for p in (lookup.person(committee, n) for n in spec.people) if p is not None]
        else:
            pool = lookup.wulao(committee)
            chosen = [pool[int(f * len(pool))] for f in spec.picks] if pool else []
            participants = list({p.pk: p for p in chosen}.values())
        services.activity_create(
            committee=committee,
            kind=kinds[spec.kind],
            title=spec.title,
            held_on=spec.held_on,
            place=spec.place,
            youth_reached=spec.youth,
            students_talked=spec.talked,
            summary=spec.summary,
            participants=participants,
            photos=[_picture(number * 10 + i) for i in range(spec.photos)],
            by=lookup.users.get(spec.user),
        )
        existing.add((committee.pk, spec.title, spec.held_on))
        created["activities"] += 1
        created["photos"] += spec.photos


def _seed_donations(plan: Plan, lookup: _Lookup, today: date, created: Counter) -> None:
    existing = set(Donation.objects.values_list("committee_id", "donor_name", "donated_on"))
    for row in plan.donations:
        committee = lookup.committee(row["committee"])
        if committee is None or row["donated_on"] > today:
            continue
        if (committee.pk, row["donor_name"], row["donated_on"]) in existing:
            continue
        person = lookup.person(committee, row["donor_name"]) if row["donor_kind"] == DonorKind.PERSON else None
        by = lookup.users.get(SECRETARY_OF.get(row["committee"], ""))
        services.donation_save(**{**row, "committee": committee, "donor_person": person}, by=by)
        created["donations"] += 1


def _seed_news(plan: Plan, lookup: _Lookup, today: date, created: Counter) -> None:
    existing = set(NewsReport.objects.values_list("committee_id", "title", "published_on"))
    for number, row in enumerate(plan.news):
        committee = lookup.committee(row["committee"])
        if committee is None or row["published_on"] > today:
            continue
        if (committee.pk, row["title"], row["published_on"]) in existing:
            continue
        fields = {k: v for k, v in row.items() if k != "photos"}
        photos = [_picture(100_000 + number * 10 + i) for i in range(row["photos"])]
        by = lookup.users.get(SECRETARY_OF.get(row["committee"], ""))
        services.news_save(**{**fields, "committee": committee}, photos=photos, by=by)
        created["news reports"] += 1
