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

import bisect
import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from guanwei.bench import texts
from guanwei.bench.shape import CATEGORIES, CATEGORY_INDEX, build_tree
from orgs import tree as tree_paths

GENERATOR_VERSION = 1
MARKER_TABLE = "guanwei_bench_dataset"
BENCH_PASSWORD = "guanwei-bench"  # noqa: S105 - synthetic accounts in a benchmark database
PHOTO_NAME = "bench/photo.jpg"
THUMB_NAME = "bench/thumb.jpg"
BATCH = 20_000
TARGET_SUBJECTS = 1_000  # the province plan's point is assigned to this many towns


@dataclass
class SeedOptions:
    committees: int = 100_000
    years: int = 3
    activities: int | None = None  # default: 20 per committee over 3 years (2,000,000 at 100k)
    seed: int = 7
    round_size: int = 25  # evaluations in the finished round (its summary PDF runs to ~50 pages)

    def __post_init__(self) -> None:
        if self.activities is None:
            self.activities = round(self.committees * self.years * 20 / 3)

    def key(self) -> dict[str, int]:
        return {"version": GENERATOR_VERSION, **asdict(self)}


@dataclass
class Dataset:
    """What a seeded database holds: the options, row counts and the ids the benchmark uses."""

    options: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)
    personas: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    seeded_on: str = ""

    def matches(self, options: SeedOptions) -> bool:
        return self.options == options.key()


# ---------------------------------------------------------------------------
# The marker: which dataset the database holds


def _marker_exists() -> bool:
    return MARKER_TABLE in connection.introspection.table_names()


def read_dataset() -> Dataset | None:
    if not _marker_exists():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT info FROM {MARKER_TABLE} WHERE name = %s", ["dataset"])  # noqa: S608
        row = cursor.fetchone()
    return Dataset(**json.loads(row[0])) if row else None


def _write_dataset(dataset: Dataset) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (name varchar(40) PRIMARY KEY, info text NOT NULL)")
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (name, info) VALUES (%s, %s)",  # noqa: S608
            ["dataset", json.dumps(asdict(dataset), ensure_ascii=False)],
        )


def holds_data() -> bool:
    from orgs.models import Committee

    return Committee.objects.exists()


def wipe() -> None:
    """Empty every table the generator fills (and users, sessions): TRUNCATE on PostgreSQL.

    Activity kinds stay: they come from a data migration.
    """
    from activities.models import ActivityKind

    tables: list[str] = []
    installed = {c.label for c in apps.get_app_configs()}
    for label in [*settings.GUANWEI_APPS, "auth", "sessions", "admin", "axes"]:
        if label not in installed:
            continue
        config = apps.get_app_config(label)
        for model in config.get_models(include_auto_created=True):
            if model is ActivityKind or model._meta.proxy or not model._meta.managed:
                continue
            if label == "auth" and model._meta.model_name in ("permission", "group", "group_permissions"):
                continue
            tables.append(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    tables = [t for t in dict.fromkeys(tables) if t in existing]
    if MARKER_TABLE in existing:
        tables.append(MARKER_TABLE)
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
    connection.ops.execute_sql_flush(statements)


# ---------------------------------------------------------------------------
# Bulk writing


class Writer:
    """Writes rows of a model's table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.rows_written: dict[str, int] = {}

    def sink(self, model: type[models.Model], fields: Sequence[str]) -> Sink:
        return Sink(self, model, fields)

    def write(self, model: type[models.Model], fields: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        table = model._meta.db_table
        columns = [model._meta.get_field(name).column for name in fields]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
        self.rows_written[model._meta.label] = self.rows_written.get(model._meta.label, 0) + len(rows)

    def next_id(self, model: type[models.Model]) -> int:
        found = model._base_manager.aggregate(m=models.Max("pk"))["m"]
        return (found or 0) + 1

    def reset_sequences(self, models_: Iterable[type[models.Model]]) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class Sink:
    """A buffer of rows for one table, flushed as one COPY (or executemany) per batch."""

    def __init__(self, writer: Writer, model: type[models.Model], fields: Sequence[str]) -> None:
        self.writer, self.model, self.fields = writer, model, list(fields)
        self.rows: list[tuple] = []

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self.writer.write(self.model, self.fields, self.rows)
        self.rows = []


class _FastSession:
    """Foreign-key triggers off and asynchronous commits while seeding (PostgreSQL, when permitted)."""

    def __enter__(self) -> _FastSession:
        self.replica = False
        if connection.vendor != "postgresql":
            return self
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET session_replication_role = replica")
                self.replica = True
        return self

    def __exit__(self, *exc: Any) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET session_replication_role")
                cursor.execute("RESET synchronous_commit")


# ---------------------------------------------------------------------------
# Helpers


def _cumulative(weights: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _split_exactly(rng: random.Random, weights: Sequence[float], total: int) -> list[int]:
    """Integers proportional to `weights` (with jitter) that add up to exactly `total`."""
    jittered = [w * rng.lognormvariate(0, 0.5) for w in weights]
    scale = total / sum(jittered)
    raw = [w * scale for w in jittered]
    counts = [int(x) for x in raw]
    short = total - sum(counts)
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in by_remainder[:short]:
        counts[i] += 1
    return counts


def _person_name(rng: random.Random) -> str:
    given = rng.choice(texts.GIVEN) + (rng.choice(texts.GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(texts.SURNAMES) + given


def _stamp(day: date, postgres: bool, hour: int = 10) -> str:
    """A UTC timestamp literal both COPY and SQLite read back as an aware datetime."""
    return f"{day.isoformat()} {hour:02d}:00:00" + ("+00" if postgres else "")


def _say(out: Callable[[str], None] | None, text: str) -> None:
    if out is not None:
        out(text)


# ---------------------------------------------------------------------------
# The generator


class ProvinceSeeder:
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
        with _FastSession() as fast:
            if connection.vendor == "postgresql" and not fast.replica:
                _say(self.out, "  (not a superuser: foreign keys are checked row by row, seeding is slower)")
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
        _write_dataset(self.dataset)
        return self.dataset

    def _step(self, label: str, action: Callable[[], None]) -> None:
        t0 = time.monotonic()
        action()
        _say(self.out, f"  {label}: {time.monotonic() - t0:.1f} s")

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
        now = _stamp(self.today, pg)
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
                    _person_name(self.rng),
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
        now = _stamp(self.today, pg)
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
                        _person_name(rng),
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

    def _creator(self, i: int) -> int:
        area = self.area[i]
        return self.user_of_area[area] if area >= 0 else self.admin_id

    # -- activities

    def _days(self) -> tuple[list[date], list[float]]:
        first = self.today - timedelta(days=365 * self.options.years - 1)
        days = [first + timedelta(days=k) for k in range((self.today - first).days + 1)]
        return days, _cumulative([texts.MONTH_WEIGHT[d.month] for d in days])

    def _activities(self) -> None:
        from activities.models import Activity, ActivityKind, ActivityPhoto

        tree, rng, pg = self.tree, self.rng, self.writer.postgres
        kinds = dict(ActivityKind.objects.values_list("code", "pk"))
        talked = set(ActivityKind.objects.filter(counts_students_talked=True).values_list("code", flat=True))
        weights = [texts.ACTIVITY_WEIGHT[CATEGORIES[c].name] for c in tree.category]
        counts = _split_exactly(rng, weights, self.options.activities)
        kind_table = []
        for cat in CATEGORIES:
            spec = texts.KINDS_BY_CATEGORY[cat.name]
            codes = [c for c in spec if c in kinds]
            kind_table.append((codes, _cumulative([spec[c] for c in codes])))
        days, day_weights = self._days()
        day_text = [d.isoformat() for d in days]
        # One int per activity: (day << shift) | committee, sorted, so rows go in in date order.
        shift = max(20, len(tree).bit_length())
        mask = (1 << shift) - 1
        encoded: list[int] = []
        n_days = len(days)
        for i, count in enumerate(counts):
            if count:
                for d in rng.choices(range(n_days), cum_weights=day_weights, k=count):
                    encoded.append((d << shift) | i)
        encoded.sort()
        activity_id = self.writer.next_id(Activity)
        link_id = self.writer.next_id(Activity.participants.through)
        photo_id = self.writer.next_id(ActivityPhoto)
        rows = self.writer.sink(
            Activity,
            [
                "id",
                "committee",
                "kind",
                "held_on",
                "title",
                "place",
                "youth_reached",
                "students_talked",
                "work_point",
                "summary",
                "created_by",
                "updated_by",
                "created_at",
                "updated_at",
                "deleted_at",
                "deleted_by",
            ],
        )
        links = self.writer.sink(Activity.participants.through, ["id", "activity", "person"])
        photos = self.writer.sink(
            ActivityPhoto,
            ["id", "activity", "image", "thumbnail", "original_name", "size", "uploaded_by", "uploaded_at"],
        )
        titles = {code: texts.TITLES.get(code, texts.TITLES["other"]) for code in kinds}
        last_day = n_days - 1
        for value in encoded:
            d, i = value >> shift, value & mask
            codes, cum = kind_table[tree.category[i]]
            code = codes[bisect.bisect_left(cum, rng.random() * cum[-1])]
            creator = self._creator(i)
            entered = _stamp(days[min(d + rng.randint(0, 4), last_day)], pg, 8 + rng.randint(0, 12))
            deleted = rng.random() < 0.005
            rows.add(
                (
                    activity_id,
                    self.committee_ids[i],
                    kinds[code],
                    day_text[d],
                    rng.choice(titles[code]),
                    rng.choice(texts.PLACES),
                    rng.randint(10, 300),
                    rng.randint(1, 8) if code in talked else 0,
                    None,
                    rng.choice(texts.SUMMARIES) if rng.random() < 0.3 else "",
                    creator,
                    creator,
                    entered,
                    entered,
                    entered if deleted else None,
                    creator if deleted else None,
                )
            )
            n_people = self.people_count[i]
            if rng.random() < 0.4:
                start = self.people_start[i]
                for person in rng.sample(range(start, start + n_people), min(n_people, rng.randint(1, 3))):
                    links.add((link_id, activity_id, person))
                    link_id += 1
            if rng.random() < 0.2:
                photos.add((photo_id, activity_id, PHOTO_NAME, THUMB_NAME, "photo.jpg", 182_000, creator, entered))
                photo_id += 1
            activity_id += 1
        rows.flush()
        links.flush()
        photos.flush()

    # -- donations and news

    def _donations_and_news(self) -> None:
        from activities.models import Donation, NewsPhoto, NewsReport

        tree, rng, pg = self.tree, self.rng, self.writer.postgres
        days, day_weights = self._days()
        years = self.options.years
        donation_id = self.writer.next_id(Donation)
        news_id = self.writer.next_id(NewsReport)
        photo_id = self.writer.next_id(NewsPhoto)
        donations = self.writer.sink(
            Donation,
            [
                "id",
                "committee",
                "donor_kind",
                "donor_name",
                "donor_person",
                "amount",
                "donated_on",
                "purpose",
                "created_by",
                "created_at",
                "updated_at",
            ],
        )
        news = self.writer.sink(
            NewsReport,
            [
                "id",
                "committee",
                "title",
                "published_on",
                "outlet",
                "outlet_level",
                "link",
                "created_by",
                "created_at",
                "updated_at",
            ],
        )
        news_photos = self.writer.sink(
            NewsPhoto, ["id", "report", "image", "thumbnail", "original_name", "size", "uploaded_by", "uploaded_at"]
        )
        for i in range(len(tree)):
            weight = texts.ACTIVITY_WEIGHT[CATEGORIES[tree.category[i]].name]
            creator = self._creator(i)
            n_donations = sum(1 for _ in range(years) if rng.random() < 0.4)
            for d in rng.choices(range(len(days)), cum_weights=day_weights, k=n_donations):
                person = self.people_start[i] + rng.randrange(self.people_count[i])
                by_person = rng.random() < 0.7
                stamp = _stamp(days[d], pg)
                donations.add(
                    (
                        donation_id,
                        self.committee_ids[i],
                        "person" if by_person else "unit",
                        _person_name(rng) if by_person else f"{tree.name[i][:4]}工会",
                        person if by_person and rng.random() < 0.8 else None,
                        Decimal(rng.choice([100, 200, 300, 500, 1000, 2000])),
                        days[d].isoformat(),
                        rng.choice(texts.PURPOSES),
                        creator,
                        stamp,
                        stamp,
                    )
                )
                donation_id += 1
            n_news = round(years * min(weight, 6) * 0.8 * rng.uniform(0.3, 1.7))
            for d in rng.choices(range(len(days)), cum_weights=day_weights, k=n_news):
                outlet, level = rng.choice(texts.OUTLETS)
                stamp = _stamp(days[d], pg)
                news.add(
                    (
                        news_id,
                        self.committee_ids[i],
                        f"{tree.name[i]}开展{rng.choice(texts.TITLES['theme_education'])}",
                        days[d].isoformat(),
                        outlet,
                        level,
                        "",
                        creator,
                        stamp,
                        stamp,
                    )
                )
                if rng.random() < 0.6:
                    news_photos.add((photo_id, news_id, PHOTO_NAME, THUMB_NAME, "news.jpg", 150_000, creator, stamp))
                    photo_id += 1
                news_id += 1
        donations.flush()
        news.flush()
        news_photos.flush()

    def _reset_sequences(self) -> None:
        from activities.models import Activity, ActivityPhoto, Donation, NewsPhoto, NewsReport
        from orgs.models import Committee, Membership, Person

        self.writer.reset_sequences(
            [
                Committee,
                Person,
                Membership,
                Activity,
                Activity.participants.through,
                ActivityPhoto,
                Donation,
                NewsReport,
                NewsPhoto,
            ]
        )

    # -- plan, rubric and round through the apps' services

    def _plan(self) -> None:
        from orgs.models import Committee
        from plans import services
        from plans.models import OwnerKind, Plan, PlanSection, TargetScope, WorkPoint

        admin = get_user_model().objects.get(pk=self.admin_id)
        root = Committee.objects.get(pk=self.committee_ids[0])
        year = self.today.year  # this year's plan: the leader's dashboard shows its targets
        plan = Plan.objects.create(
            committee=root,
            year=year,
            title=f"江苏省关工委{year}年工作要点",
            doc_number=f"苏关工〔{year}〕1号",
            issuer="江苏省关心下一代工作委员会",
            created_by=admin,
        )
        section = PlanSection.objects.create(plan=plan, position=0, number="一", title="加强基层组织建设")
        stations = WorkPoint.objects.create(
            section=section,
            position=0,
            number="1",
            title="校外辅导站常态化开展活动",
            text="各镇（街道）关工委指导辖区校外辅导站全年开展活动不少于24次。",
        )
        towns = self.tree.indices_of("town")
        chosen = sorted(self.rng.sample(towns, min(TARGET_SUBJECTS, len(towns))))
        services.work_point_assign(
            point=stations,
            owner_kind=OwnerKind.ASSIGNED,
            committees=list(Committee.objects.filter(pk__in=[self.committee_ids[t] for t in chosen])),
            by=admin,
        )
        target = services.target_create(
            work_point=stations,
            text="校外辅导站全年活动不少于24次",
            metric="activity_count",
            params={"kinds": ["station_activity"]},
            comparator=">=",
            value=Decimal(24),
            unit="次",
            scope=TargetScope.EACH_SUBCOMMITTEE,
            by=admin,
        )
        lectures = WorkPoint.objects.create(
            section=section,
            position=1,
            number="2",
            title="宣讲活动",
            text="各市、各高校关工委全年组织宣讲会不少于25场。",
            owner_kind=OwnerKind.EACH_SUBCOMMITTEE,
        )
        services.target_create(
            work_point=lectures,
            text="全年宣讲会不少于25场",
            metric="activity_count",
            params={"kinds": ["lecture", "report"]},
            comparator=">=",
            value=Decimal(25),
            unit="场",
            scope=TargetScope.EACH_SUBCOMMITTEE,
            by=admin,
        )
        services.plan_publish(plan=plan, by=admin)
        self.dataset.ids.update(plan=plan.pk, target=target.pk, target_subjects=len(chosen))

    def _round(self) -> None:
        from assessments import services
        from assessments.demo import WUHAO, WUHAO_NAME
        from assessments.models import CriterionKind
        from assessments.services import Entry
        from orgs.models import Committee

        rng = self.rng
        admin = get_user_model().objects.get(pk=self.admin_id)
        district = Committee.objects.get(pk=self.committee_ids[self.district])
        rubric = services.rubric_create(
            owner=district, name=WUHAO_NAME, score_step="0.5", bonus_cap=Decimal(5), by=admin
        )
        for title, criteria in WUHAO:
            dimension = services.dimension_save(rubric=rubric, title=title, by=admin)
            for code, ctitle, points, kind, key, guide, evidence, metric in criteria:
                fields: dict[str, Any] = {
                    "code": code,
                    "title": ctitle,
                    "max_points": Decimal(points),
                    "kind": kind,
                    "is_key": key,
                    "guide": guide,
                    "evidence_required": evidence,
                }
                if metric:
                    mcode, params, full_at, step = metric
                    fields.update(metric_code=mcode, metric_params=params, full_at=Decimal(full_at))
                    fields["step_points"] = Decimal(step) if step else None
                services.criterion_save(dimension=dimension, by=admin, **fields)
        for label, low, tone in (("优秀", 85, "ok"), ("先进", 70, "warn"), ("不达标", 0, "bad")):
            services.band_save(rubric=rubric, label=label, min_total=Decimal(low), tone=tone, by=admin)
        below = (
            Committee.objects.get_descendants(district).filter(kind__in=["town", "village"]).order_by("depth", "code")
        )
        members = list(below[: self.options.round_size])
        year = self.today.year - 1 if self.options.years > 1 else self.today.year
        round_ = services.round_create(
            committee=district,
            rubric=rubric,
            committees=members,
            name=f"{district.name}{year}年度“五好”基层关工委考核",
            year=year,
            self_deadline=self.today + timedelta(days=30),
            review_deadline=self.today + timedelta(days=60),
            by=admin,
        )
        for evaluation in round_.evaluations.select_related("committee").order_by("committee__code"):
            quality = rng.uniform(0.75, 1.02)
            for side in ("self", "review"):
                entries = {}
                for score in evaluation.scores.select_related("criterion"):
                    c = score.criterion
                    if c.kind == CriterionKind.METRIC and score.metric_points is not None:
                        points = score.metric_points
                    elif c.kind == CriterionKind.BONUS:
                        points = c.max_points if rng.random() < quality - 0.6 else None
                    elif c.kind == CriterionKind.DEDUCTION:
                        points = Decimal(1) if rng.random() > quality + 0.1 else None
                    else:
                        share = min(1.0, max(0.0, quality + rng.uniform(-0.1, 0.05)))
                        points = (c.max_points * Decimal(str(round(share, 2))) * 2).quantize(Decimal(1)) / 2
                    entries[c.pk] = Entry(
                        points, "材料齐全，情况属实。" if side == "review" and rng.random() < 0.3 else ""
                    )
                if side == "self":
                    services.evaluation_self_score(evaluation=evaluation, entries=entries, by=admin)
                    services.evaluation_submit(evaluation=evaluation, by=admin)
                else:
                    services.evaluation_review_score(evaluation=evaluation, entries=entries, by=admin)
                    services.evaluation_finalise(evaluation=evaluation, by=admin)
        first = round_.evaluations.order_by("committee__code").first()
        self.dataset.ids.update(round=round_.pk, evaluation=first.pk, round_evaluations=len(members))

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
