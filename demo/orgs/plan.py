"""The demo as plain data: which committees, people and roles to create.

`build_plan()` never reads the database and draws every generated detail from
one `random.Random(2022)` in a fixed order, so each run yields the same plan;
applying it (see `demo.orgs`) only adds what is missing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from demo.orgs import data
from demo.orgs.names import person_name
from orgs.models import CommitteeKind, Gender, MemberRole, WulaoCategory

SEED = 2022


@dataclass
class CommitteeSpec:
    code: str
    name: str
    kind: str
    parent_code: str | None
    region: str
    short_name: str = ""
    students: int = 0
    retirees: int = 0
    staff: int = 0
    office: str = ""
    contact_name: str = ""


@dataclass
class PersonSpec:
    committee_code: str
    name: str
    gender: str
    birth_year: int | None
    title: str = ""
    is_retired: bool = False
    is_party_member: bool = False
    wulao_category: str = ""
    real_name_registered: bool = False
    active_from: date | None = None
    active_until: date | None = None
    notes: str = ""
    roles: list[tuple[str, date | None]] = field(default_factory=list)


@dataclass
class Plan:
    committees: list[CommitteeSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)

    def committee(self, code: str) -> CommitteeSpec:
        return next(c for c in self.committees if c.code == code)


class Builder:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 - demo data, not security
        self.plan = Plan()
        self.names: dict[str, set[str]] = {}

    # --- committees ------------------------------------------------------------------

    def committee(self, code: str, name: str, kind: str, parent: str | None, region: str, **extra) -> CommitteeSpec:
        spec = CommitteeSpec(code=code, name=name, kind=kind, parent_code=parent, region=region, **extra)
        self.plan.committees.append(spec)
        self.names[code] = set()
        return spec

    def build_committees(self) -> None:
        self.jiangsu()
        self.guangdong()
        self.huaian()

    def jiangsu(self) -> None:
        js = self.committee(data.JS_CODE, "江苏省教育系统关工委", CommitteeKind.PROVINCE, None, "jiangsu")
        js.short_name = "江苏省教育关工委"
        self.committee(
            data.WXIT_CODE,
            "无锡职业技术学院关工委",
            CommitteeKind.UNIVERSITY,
            js.code,
            "jiangsu",
            short_name="无锡职院关工委",
            students=12000,
            retirees=600,
            staff=1150,
            office="行政楼214",
        )
        for suffix, name, students, retirees, staff in data.WXIT_COLLEGES:
            self.committee(
                f"{data.WXIT_CODE}-{suffix}",
                f"{name}关工委",
                CommitteeKind.COLLEGE,
                data.WXIT_CODE,
                "jiangsu",
                short_name=name,
                students=students,
                retirees=retirees,
                staff=staff,
            )
        for code, name, students, retirees, staff in data.GROUP_10_UNIVERSITIES:
            self.committee(
                code,
                name,
                CommitteeKind.UNIVERSITY,
                js.code,
                "jiangsu",
                students=students,
                retirees=retirees,
                staff=staff,
            )

    def guangdong(self) -> None:
        gd = self.committee(data.GD_CODE, "广东省教育系统关工委", CommitteeKind.PROVINCE, None, "guangdong")
        gd.short_name = "广东省教育关工委"
        self.committee(
            data.GZUCM_CODE,
            "广州中医药大学关工委",
            CommitteeKind.UNIVERSITY,
            gd.code,
            "guangdong",
            short_name="广中医关工委",
            students=22000,
            retirees=1300,
            staff=2100,
        )
        for suffix, name, students, retirees, staff in data.GZUCM_COLLEGES:
            self.committee(
                f"{data.GZUCM_CODE}-{suffix}",
                f"{name}关工分委",
                CommitteeKind.COLLEGE,
                data.GZUCM_CODE,
                "guangdong",
                short_name=name,
                students=students,
                retirees=retirees,
                staff=staff,
                office=data.ZJ_OFFICE if suffix == "ZJ" else "",
            )
        for suffix, name, retirees, staff in data.GZUCM_HOSPITALS:
            self.committee(
                f"{data.GZUCM_CODE}-{suffix}",
                f"{name}关工委",
                CommitteeKind.HOSPITAL,
                data.GZUCM_CODE,
                "guangdong",
                short_name=name,
                retirees=retirees,
                staff=staff,
            )

    def huaian(self) -> None:
        rng = self.rng
        self.committee(data.HA_CODE, "淮安市关工委", CommitteeKind.CITY, None, "jiangsu")
        self.committee(
            data.QJP_CODE, "清江浦区关工委", CommitteeKind.DISTRICT, data.HA_CODE, "jiangsu", office="区政府大院3号楼"
        )
        communities = rng.sample(data.COMMUNITY_NAMES, sum(n for _, street, n in data.QJP_TOWNS if street))
        villages = rng.sample(data.VILLAGE_NAMES, sum(n for _, street, n in data.QJP_TOWNS if not street))
        for number, (town, street, count) in enumerate(data.QJP_TOWNS, start=1):
            town_code = f"{data.QJP_CODE}-T{number:02d}"
            self.committee(town_code, f"{town}关工委", CommitteeKind.TOWN, data.QJP_CODE, "jiangsu", short_name=town)
            village_codes = []
            for v in range(1, count + 1):
                place = f"{communities.pop()}社区" if street else f"{villages.pop()}村"
                code = f"{town_code}-V{v:03d}"
                self.committee(code, f"{place}关工委", CommitteeKind.VILLAGE, town_code, "jiangsu", short_name=place)
                village_codes.append((code, place))
            if number in data.QJP_TOWNS_WITH_STATIONS:
                for code, place in rng.sample(village_codes, data.QJP_STATIONS_PER_TOWN):
                    self.committee(
                        f"{code}-ST",
                        f"{place}校外辅导站",
                        CommitteeKind.STATION,
                        code,
                        "jiangsu",
                        short_name=f"{place}辅导站",
                        office=f"{place}党群服务中心",
                    )
        for number, (town_number, name, students, retirees, staff) in enumerate(data.QJP_SCHOOLS, start=1):
            self.committee(
                f"{data.QJP_CODE}-S{number:02d}",
                f"{name}关工委",
                CommitteeKind.SCHOOL,
                f"{data.QJP_CODE}-T{town_number:02d}",
                "jiangsu",
                short_name=name,
                students=students,
                retirees=retirees,
                staff=staff,
            )

    # --- people ----------------------------------------------------------------------

    def person(
        self,
        committee: CommitteeSpec,
        *,
        birth: tuple[int, int],
        gender: str | None = None,
        surname: str = "",
        **fields,
    ) -> PersonSpec:
        rng = self.rng
        gender = gender or rng.choice((Gender.MALE, Gender.MALE, Gender.FEMALE))
        birth_year = rng.randint(*birth)
        name = person_name(
            rng,
            region=committee.region,
            gender=gender,
            birth_year=birth_year,
            taken=self.names[committee.code],
            surname=surname,
        )
        spec = PersonSpec(committee_code=committee.code, name=name, gender=gender, birth_year=birth_year, **fields)
        self.plan.people.append(spec)
        return spec

    def since(self) -> date:
        return date(self.rng.randint(2014, 2021), self.rng.choice((1, 9)), 1)

    def wulao(self, committee: CommitteeSpec, category: str | None = None, **fields) -> PersonSpec:
        """One of the 五老: retired, mostly real-name registered, born 1940–1962."""
        rng = self.rng
        if category is None:
            mix = data.WULAO_MIX["local" if committee.kind in data.LOCAL_KINDS else "education"]
            category = rng.choices([c for c, _ in mix], weights=[w for _, w in mix])[0]
        active_from = self.since()
        defaults = {
            "is_retired": True,
            "is_party_member": rng.random() < 0.75,
            "wulao_category": category,
            "real_name_registered": rng.random() < 0.88,
            "active_from": active_from,
            "notes": rng.choice(data.WULAO_NOTES[category]) if rng.random() < 0.4 else "",
        }
        defaults.update(fields)
        return self.person(committee, birth=(1940, 1962), **defaults)

    def leadership(self, committee: CommitteeSpec) -> None:
        """主任, 常务副主任 and, for most, a 秘书 or 联络员 (seed 003 for towns and villages)."""
        rng = self.rng
        since = self.since()
        if committee.kind == CommitteeKind.TOWN:
            street = committee.short_name.endswith("街道")
            self.person(
                committee,
                birth=(1968, 1982),
                title="街道党工委副书记" if street else "镇党委副书记",
                is_party_member=True,
                roles=[(MemberRole.DIRECTOR, since)],
            )
            if committee.short_name in data.QJP_STREETS_WITH_COMMUNITY_SECRETARY:
                deputy_title = "原社区党委书记（退休）"
            else:
                deputy_title = rng.choice(
                    ["原街道办事处副主任（退休）", "原区民政局副局长（退休）", "原镇人大主席（退休）"]
                )
            self.wulao(
                committee,
                WulaoCategory.CADRE,
                title=deputy_title,
                is_party_member=True,
                real_name_registered=True,
                roles=[(MemberRole.EXECUTIVE_DEPUTY, since)],
            )
            if rng.random() < 0.75:
                self.person(
                    committee,
                    birth=(1985, 1996),
                    title="党政办科员",
                    roles=[(MemberRole.SECRETARY, since)],
                )
            return
        if committee.kind == CommitteeKind.VILLAGE:
            community = committee.short_name.endswith("社区")
            self.person(
                committee,
                birth=(1966, 1985),
                title="社区党委书记" if community else "村党总支书记",
                is_party_member=True,
                roles=[(MemberRole.DIRECTOR, since)],
            )
            self.wulao(
                committee,
                WulaoCategory.CADRE,
                title="原社区主任（退休）" if community else "原村党支部书记（退休）",
                is_party_member=True,
                real_name_registered=True,
                roles=[(MemberRole.EXECUTIVE_DEPUTY, since)],
            )
            # Seed 003: every village has a young worker helping the executive deputy.
            self.person(
                committee,
                birth=(1992, 2000),
                title="社区工作者" if community else "村委会委员",
                roles=[(MemberRole.LIAISON, since)],
            )
            return
        director_titles, director_retired, deputy_titles, secretary_role, secretary_titles = data.LEADERSHIP[
            committee.kind
        ]
        if director_retired:
            self.wulao(
                committee,
                WulaoCategory.CADRE,
                title=rng.choice(director_titles),
                is_party_member=True,
                real_name_registered=True,
                roles=[(MemberRole.DIRECTOR, since)],
            )
        else:
            self.person(
                committee,
                birth=(1964, 1978),
                title=rng.choice(director_titles),
                is_party_member=True,
                roles=[(MemberRole.DIRECTOR, since)],
            )
        education = committee.kind in (CommitteeKind.SCHOOL, CommitteeKind.STATION, CommitteeKind.COLLEGE)
        self.wulao(
            committee,
            WulaoCategory.TEACHER if education else WulaoCategory.CADRE,
            title=rng.choice(deputy_titles),
            real_name_registered=True,
            roles=[(MemberRole.EXECUTIVE_DEPUTY, since)],
        )
        always = committee.kind in (CommitteeKind.PROVINCE, CommitteeKind.CITY, CommitteeKind.DISTRICT)
        if always or committee.kind == CommitteeKind.UNIVERSITY or rng.random() < 0.8:
            self.person(
                committee,
                birth=(1978, 1995),
                title=rng.choice(secretary_titles),
                roles=[(secretary_role, since)],
            )

    def zhenjiu(self, committee: CommitteeSpec) -> None:
        """针灸康复临床医学院关工分委 as seed 002 describes it."""
        founded = data.ZJ_FOUNDED
        for name, title, role, gender in (
            ("肖鑫和", "教授", MemberRole.DIRECTOR, Gender.MALE),
            ("李渊", "学院党委副书记", MemberRole.EXECUTIVE_DEPUTY, Gender.MALE),
        ):
            self.names[committee.code].add(name)
            self.plan.people.append(
                PersonSpec(
                    committee_code=committee.code,
                    name=name,
                    gender=gender,
                    birth_year=None,
                    title=title,
                    is_party_member=True,
                    roles=[(role, founded)],
                )
            )
        secretary = self.person(
            committee,
            birth=(1983, 1988),
            gender=Gender.FEMALE,
            surname="王",  # the demo account sec_college is 王老师
            title="学工办主任",
            is_party_member=True,
            roles=[(MemberRole.SECRETARY, founded)],
        )
        committee.contact_name = secretary.name
        # 特邀党建组织员 at 1:200 students (seed 002), then the 四师 and a few 委员.
        for _ in range(committee.students // 200):
            self.wulao(
                committee,
                self.rng.choice([WulaoCategory.CADRE, WulaoCategory.TEACHER, WulaoCategory.EXPERT]),
                is_party_member=True,
                real_name_registered=True,
                roles=[(MemberRole.PARTY_ORGANISER, founded)],
            )
        for role, count in (
            (MemberRole.MENTOR_YOUNG_TEACHER, 2),
            (MemberRole.MENTOR_COUNSELLOR, 2),
            (MemberRole.MENTOR_EXTRACURRICULAR, 3),
            (MemberRole.MENTOR_CAREER, 2),
        ):
            for _ in range(count):
                self.wulao(committee, WulaoCategory.EXPERT, real_name_registered=True, roles=[(role, founded)])
        for _ in range(3):
            self.wulao(committee, WulaoCategory.TEACHER, roles=[(MemberRole.MEMBER, founded)])
        for _ in range(4):
            self.wulao(committee)

    def registry(self, committee: CommitteeSpec) -> None:
        """The 五老 registry, with the roles each kind of committee gives them."""
        rng = self.rng
        low, high = data.REGISTRY_SIZE[committee.kind]
        people = [self.wulao(committee) for _ in range(rng.randint(low, high))]
        # Some have stopped taking part: their registry entry ends, and they hold no role.
        for person in people:
            if rng.random() < 0.08 and person.active_from:
                person.active_until = date(rng.randint(max(2021, person.active_from.year + 1), 2023), 12, 31)
        active = [p for p in people if p.active_until is None]
        rng.shuffle(active)

        def give(role: str, count: int, *, party: bool = False) -> None:
            pool = [p for p in active if not p.roles and (p.is_party_member or not party)]
            for person in pool[:count]:
                person.roles.append((role, self.since()))

        if committee.kind in (CommitteeKind.UNIVERSITY, CommitteeKind.DISTRICT, CommitteeKind.PROVINCE):
            give(MemberRole.DEPUTY, rng.randint(1, 2))
        if committee.kind == CommitteeKind.UNIVERSITY:
            give(MemberRole.LECTURER, rng.randint(4, 7))  # 社会主义核心价值观讲师团 (seed 001)
        if committee.kind == CommitteeKind.COLLEGE and committee.students:
            # Some colleges reach 1:200 organisers per student, others miss 1:500.
            ratio = rng.choice([180, 250, 400, 650])
            give(MemberRole.PARTY_ORGANISER, max(1, committee.students // ratio), party=True)
            for role in (
                MemberRole.MENTOR_YOUNG_TEACHER,
                MemberRole.MENTOR_COUNSELLOR,
                MemberRole.MENTOR_EXTRACURRICULAR,
                MemberRole.MENTOR_CAREER,
            ):
                give(role, rng.randint(0, 2))
        if committee.kind in (CommitteeKind.UNIVERSITY, CommitteeKind.COLLEGE, CommitteeKind.DISTRICT):
            give(MemberRole.MEMBER, rng.randint(2, 4))
        if committee.kind == CommitteeKind.STATION:
            give(MemberRole.LECTURER, 1)

    def build_people(self) -> None:
        for committee in self.plan.committees:
            if committee.code == data.ZJ_CODE:
                self.zhenjiu(committee)
                continue
            start = len(self.plan.people)
            self.leadership(committee)
            self.registry(committee)
            contact = next(
                (
                    p
                    for p in self.plan.people[start:]
                    if any(role in (MemberRole.SECRETARY, MemberRole.LIAISON) for role, _ in p.roles)
                ),
                None,
            )
            if contact is not None:
                committee.contact_name = contact.name


def build_plan() -> Plan:
    builder = Builder()
    builder.build_committees()
    builder.build_people()
    return builder.plan
