"""The generator's activities, participants, photos, donations and news reports, written with COPY.

A part of `bench.seed.ProvinceSeeder`, kept apart for size: it reads the
tree, people and accounts the seeder wrote before it.
"""

from __future__ import annotations

import bisect
import random
from datetime import date, timedelta
from decimal import Decimal

from bench import texts
from bench.dataset import Dataset, SeedOptions
from bench.shape import CATEGORIES, Tree
from bench.writer import Writer, cumulative, person_name, split_exactly, utc_stamp

PHOTO_NAME = "bench/photo.jpg"
THUMB_NAME = "bench/thumb.jpg"


class ActivityRows:
    """Activities (in date order), their participants and photos; donations; news reports with photos."""

    options: SeedOptions
    rng: random.Random
    writer: Writer
    today: date
    dataset: Dataset
    tree: Tree
    committee_ids: list[int]
    people_start: list[int]
    people_count: list[int]
    area: list[int]  # the district or university of each committee, -1 above them
    user_of_area: dict[int, int]
    admin_id: int

    def _creator(self, i: int) -> int:
        """The secretary of the committee's district or university logs its records (the admin above them)."""
        area = self.area[i]
        return self.user_of_area[area] if area >= 0 else self.admin_id

    # -- activities

    def _days(self) -> tuple[list[date], list[float]]:
        first = self.today - timedelta(days=365 * self.options.years - 1)
        days = [first + timedelta(days=k) for k in range((self.today - first).days + 1)]
        return days, cumulative([texts.MONTH_WEIGHT[d.month] for d in days])

    def _activities(self) -> None:
        from activities.models import Activity, ActivityKind, ActivityPhoto

        tree, rng, pg = self.tree, self.rng, self.writer.postgres
        kinds = dict(ActivityKind.objects.values_list("code", "pk"))
        talked = set(ActivityKind.objects.filter(counts_students_talked=True).values_list("code", flat=True))
        weights = [texts.ACTIVITY_WEIGHT[CATEGORIES[c].name] for c in tree.category]
        counts = split_exactly(rng, weights, self.options.activities)
        kind_table = []
        for cat in CATEGORIES:
            spec = texts.KINDS_BY_CATEGORY[cat.name]
            codes = [c for c in spec if c in kinds]
            kind_table.append((codes, cumulative([spec[c] for c in codes])))
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
            entered = utc_stamp(days[min(d + rng.randint(0, 4), last_day)], pg, 8 + rng.randint(0, 12))
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
                stamp = utc_stamp(days[d], pg)
                donations.add(
                    (
                        donation_id,
                        self.committee_ids[i],
                        "person" if by_person else "unit",
                        person_name(rng) if by_person else f"{tree.name[i][:4]}工会",
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
                stamp = utc_stamp(days[d], pg)
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
