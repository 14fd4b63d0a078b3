"""Write a synthetic province into the database, fast.

Committees, people, memberships, activities (with participants and photos),
donations and news reports go in with PostgreSQL COPY (psycopg 3
`cursor.copy`) in batches, ids and the tree's path columns computed in Python, with
foreign-key triggers off for the session (`session_replication_role =
replica`, when the role may set it; the rows are consistent by construction).
On other databases (the SQLite test run) the same rows go in with
`executemany`. The few rows with rules of their own — users and grants, the
province plan with its targets, the rubric and a finished assessment round —
go through the apps' own services, so they are exactly what the app would
have written.

Activities are written in date order, so ids and the physical order of the
table follow time as they would in a real installation. History records
(django-simple-history) are not generated for seeded rows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.utils import timezone

from bench import texts
from bench.dataset import Dataset, SeedOptions, write_dataset
from bench.seed_activities import PHOTO_NAME, THUMB_NAME, ActivityRows
from bench.seed_plans import ServiceRows
from bench.shape import CATEGORIES, CATEGORY_INDEX, build_tree
from bench.writer import FastSession, Writer, person_name, say, utc_stamp
from orgs import tree as tree_paths

BENCH_PASSWORD = "guanwei-bench"  # noqa: S105 - synthetic accounts in a benchmark database


class ProvinceSeeder(ActivityRows, ServiceRows):
    """Every step of the generator, in order; the activities and the service-made rows are in the mixins."""

    def __init__(self, options: SeedOptions, out: Callable[[str], None] | None = None) -> None:
        self.options = options
        self.out = out
        self.rng = random.Random(options.seed)  # noqa: S311 - synthetic data
        self.writer = Writer()
        self.today = timezone.localdate()
        self.dataset = Dataset(options=options.key(), seeded_on=self.today.isoformat())

    # -- entry point

    def run(self) -> Dataset:
        started = time.monotonic()
        with FastSession() as fast:
            if connection.vendor == "postgresql" and not fast.replica:
                say(self.out, "  (not a superuser: foreign keys are checked row by row, seeding is slower)")
            self._step("committees", self._committees)
            self._step("people and memberships", self._people)
            self._step("accounts and grants", self._accounts)
            self._step("activities, participants, photos", self._activities)
            self._step("donations, news reports", self._donations_and_news)
            self._reset_sequences()
        self._step("statistics (VACUUM ANALYZE)", self._analyze)
        self._step("province plan with targets", self._plan)
        self._step("rubric and a finished round", self._round)
        self._step("dashboard snapshots of the province and its children", self._snapshots)
        self._photo_files()
        self.dataset.counts.update(sorted(self.writer.rows_written.items()))
        self.dataset.seconds = round(time.monotonic() - started, 1)
        write_dataset(self.dataset)
        return self.dataset

    def _step(self, label: str, action: Callable[[], None]) -> None:
        t0 = time.monotonic()
        action()
        say(self.out, f"  {label}: {time.monotonic() - t0:.1f} s")

    # -- committees

    def _committees(self) -> None:
        from orgs.models import Committee

        # The province becomes a new root after any roots already there, as treebeard's add_root places one.
        last_root = Committee.objects.filter(depth=1).aggregate(m=models.Max("path"))["m"]
        root_path = tree_paths.step(int(last_root, len(tree_paths.ALPHABET)) + 1 if last_root else 1)
        tree = build_tree(self.options.committees, self.options.seed, root_path)
        self.tree = tree
        base = self.writer.next_id(Committee)
        self.committee_ids = [base + i for i in range(len(tree))]
        pg = self.writer.postgres
        now = utc_stamp(self.today, pg)
        sink = self.writer.sink(
            Committee,
            [
                "id",
                "parent",
                "name",
                "short_name",
                "code",
                "kind",
                "students",
                "retirees",
                "staff",
                "office",
                "contact_name",
                "contact_phone",
                "created_at",
                "updated_at",
                "path",
                "depth",
                "numchild",
            ],
        )
        for i in range(len(tree)):
            parent = tree.parent[i]
            sink.add(
                (
                    base + i,
                    base + parent if parent >= 0 else None,
                    tree.name[i],
                    "",
                    tree.code[i],
                    tree.kind(i),
                    tree.students[i],
                    tree.retirees[i],
                    tree.staff[i],
                    "",
                    person_name(self.rng),
                    f"1{self.rng.randint(3000000000, 9999999999)}",
                    now,
                    now,
                    tree.path[i],
                    tree.level[i] + 1,
                    tree.numchild[i],
                )
            )
        sink.flush()
        self.dataset.ids["root"] = base
        self.dataset.counts["depth"] = tree.depth
        # The district or university each committee belongs to: its secretary logs its records.
        areas = {CATEGORY_INDEX["district"], CATEGORY_INDEX["university"]}
        self.area = [-1] * len(tree)
        for i in range(len(tree)):
            if tree.category[i] in areas:
                self.area[i] = i
            elif tree.parent[i] >= 0:
                self.area[i] = self.area[tree.parent[i]]

    # -- people

    def _people(self) -> None:
        from orgs.models import MemberRole, Membership, Person, WulaoCategory

        tree, rng, pg = self.tree, self.rng, self.writer.postgres
        per_category = [texts.PEOPLE_PER_COMMITTEE[c.name] for c in CATEGORIES]
        person_id = self.writer.next_id(Person)
        membership_id = self.writer.next_id(Membership)
        self.people_start = [0] * len(tree)
        self.people_count = [0] * len(tree)
        wulao = list(WulaoCategory.values)
        extra_roles = [MemberRole.MEMBER, MemberRole.MEMBER, MemberRole.LECTURER, MemberRole.LIAISON]
        college_roles = [MemberRole.PARTY_ORGANISER, MemberRole.MENTOR_CAREER, MemberRole.MENTOR_YOUNG_TEACHER]
        people = self.writer.sink(
            Person,
            [
                "id",
                "committee",
                "name",
                "gender",
                "birth_year",
                "phone",
                "title",
                "is_retired",
                "is_party_member",
                "wulao_category",
                "real_name_registered",
                "active_from",
                "active_until",
                "notes",
                "created_at",
                "updated_at",
            ],
        )
        memberships = self.writer.sink(Membership, ["id", "person", "committee", "role", "started_on", "ended_on"])
        now = utc_stamp(self.today, pg)
        joined = date(self.today.year - self.options.years, 1, 1).isoformat()
        for i in range(len(tree)):
            n = max(1, round(per_category[tree.category[i]] * rng.uniform(0.5, 1.5)))
            self.people_start[i], self.people_count[i] = person_id, n
            is_college = tree.kind(i) == "college"
            for k in range(n):
                is_wulao = k > 0 and rng.random() < 0.6
                people.add(
                    (
                        person_id,
                        self.committee_ids[i],
                        person_name(rng),
                        "M" if rng.random() < 0.6 else "F",
                        rng.randint(1940, 1962) if is_wulao else rng.randint(1965, 1995),
                        "",
                        "",
                        is_wulao,
                        rng.random() < 0.7,
                        rng.choice(wulao) if is_wulao else "",
                        is_wulao and rng.random() < 0.8,
                        joined if is_wulao else None,
                        None,
                        "",
                        now,
                        now,
                    )
                )
                if k == 0:
                    role = MemberRole.DIRECTOR
                elif k == 1:
                    role = MemberRole.SECRETARY
                else:
                    role = rng.choice(college_roles if is_college and rng.random() < 0.5 else extra_roles)
                memberships.add((membership_id, person_id, self.committee_ids[i], role, joined, None))
                membership_id += 1
                person_id += 1
        people.flush()
        memberships.flush()

    # -- accounts

    def _accounts(self) -> None:
        from orgs.models import Grant, GrantRole

        User = get_user_model()
        tree = self.tree
        password = make_password(BENCH_PASSWORD)
        root_id = self.committee_ids[0]
        area_indices = sorted({a for a in self.area if a >= 0})
        users = [
            User(username="bench_admin", password=password, is_superuser=True, is_staff=True, first_name="管理员"),
            User(username="bench_leader", password=password, first_name="省关工委主任"),
            User(username="bench_reviewer", password=password, first_name="省考评员"),
        ]
        users += [User(username=f"bench_sec_{tree.code[a]}", password=password) for a in area_indices]
        users += [User(username="bench_sec_town", password=password, first_name="镇秘书")]
        User.objects.bulk_create(users, batch_size=1000)
        by_name = dict(User.objects.filter(username__startswith="bench_").values_list("username", "pk"))
        grants = [
            Grant(user_id=by_name["bench_leader"], committee_id=root_id, role=GrantRole.LEADER),
            Grant(user_id=by_name["bench_reviewer"], committee_id=root_id, role=GrantRole.REVIEWER),
        ]
        for a in area_indices:
            grants.append(
                Grant(
                    user_id=by_name[f"bench_sec_{tree.code[a]}"], committee_id=self.committee_ids[a], role="secretary"
                )
            )
        # The measured secretary: the district with the median number of committees below it.
        districts = tree.indices_of("district")
        below = tree.descendants()
        size = {d: below[d] for d in districts}
        district = sorted(districts, key=lambda d: (size[d], d))[len(districts) // 2]
        town = next(i for i in tree.indices_of("town") if tree.parent[i] == district)
        grants.append(Grant(user_id=by_name["bench_sec_town"], committee_id=self.committee_ids[town], role="secretary"))
        Grant.objects.bulk_create(grants, batch_size=1000)
        self.district, self.town = district, town
        self.user_of_area = {a: by_name[f"bench_sec_{tree.code[a]}"] for a in area_indices}
        self.admin_id = by_name["bench_admin"]
        self.dataset.personas = {
            "admin": "bench_admin",
            "leader": "bench_leader",
            "reviewer": "bench_reviewer",
            "secretary": f"bench_sec_{tree.code[district]}",
            "town_secretary": "bench_sec_town",
        }
        self.dataset.ids.update(
            district=self.committee_ids[district],
            district_size=size[district],
            town=self.committee_ids[town],
        )

    def _snapshots(self) -> None:
        """What the nightly run stores, for the committees the province leader's dashboard reads.

        The nightly run (`metrics.recompute.snapshots_recompute_all`) covers every committee
        and two years; at this size that takes far longer than the benchmark may (the benchmark
        measures its rate), so only the province and its direct sub-committees get theirs here.
        """
        if not apps.is_installed("metrics"):
            return
        from metrics.recompute import snapshots_recompute
        from orgs.models import Committee

        root = self.committee_ids[0]
        ids = [root, *Committee.objects.filter(parent_id=root).values_list("pk", flat=True)]
        snapshots_recompute(committee_ids=ids, years=[self.today.year])
        self.dataset.ids["snapshot_committees"] = len(ids)

    # -- finishing

    def _analyze(self) -> None:
        """Fresh planner statistics; VACUUM too (visibility map for index-only scans) outside a transaction."""
        if connection.vendor != "postgresql":
            return
        from activities.models import Activity, ActivityPhoto, Donation, NewsPhoto, NewsReport
        from orgs.models import Committee, Membership, Person

        tables = [
            m._meta.db_table
            for m in (Committee, Person, Membership, Activity, ActivityPhoto, Donation, NewsReport, NewsPhoto)
        ]
        tables.append(Activity.participants.through._meta.db_table)
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{command} {connection.ops.quote_name(table)}")

    def _photo_files(self) -> None:
        """One small picture every seeded photo row points at, so photo pages can stream it."""
        from io import BytesIO

        from PIL import Image

        root = Path(settings.MEDIA_ROOT)
        for name, size in ((PHOTO_NAME, (640, 480)), (THUMB_NAME, (160, 120))):
            path = root / name
            if path.exists():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            buffer = BytesIO()
            Image.new("RGB", size, (200, 60, 50)).save(buffer, "JPEG")
            path.write_bytes(buffer.getvalue())


def seed_province(options: SeedOptions, out: Callable[[str], None] | None = None) -> Dataset:
    return ProvinceSeeder(options, out).run()
