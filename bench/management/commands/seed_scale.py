"""`manage.py seed_scale --committees N --years Y`: a synthetic province for the benchmark.

Builds N committees six or seven levels deep, their people and 五老, Y years of
activities (20 per committee over 3 years by default: 2,000,000 at 100,000
committees), donations, news reports, accounts, a province plan with targets,
a rubric and a finished round — with bulk COPY and tree paths computed
in one pass (see `bench.seed`).

It refuses to touch a database that already holds committees unless `--reset`
is given, and skips the work when the database already holds a dataset built
with the same options.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.dataset import SeedOptions, holds_data, read_dataset, wipe
from bench.seed import seed_province
from bench.shape import MIN_COMMITTEES


class Command(BaseCommand):
    help = "Build a synthetic province (committees, people, activities, plans, a finished round) with bulk writes."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--committees", type=int, default=100_000, help="Committees in the province.")
        parser.add_argument("--years", type=int, default=3, help="Years of activities, up to today.")
        parser.add_argument(
            "--activities", type=int, default=None, help="Activities in total (default: 20 per committee per 3 years)."
        )
        parser.add_argument("--seed", type=int, default=7, help="Random seed; the same seed gives the same province.")
        parser.add_argument(
            "--round-size", type=int, default=25, help="Evaluations in the finished round (about 2 PDF pages each)."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Empty the database's Guanwei tables first if they hold data."
        )
        parser.add_argument("--force", action="store_true", help="Rebuild even when the same dataset is there.")

    def handle(self, *args, **options) -> None:
        if options["committees"] < MIN_COMMITTEES:
            raise CommandError(f"--committees must be at least {MIN_COMMITTEES}.")
        if options["years"] < 1:
            raise CommandError("--years must be at least 1.")
        wanted = SeedOptions(
            committees=options["committees"],
            years=options["years"],
            activities=options["activities"],
            seed=options["seed"],
            round_size=max(1, options["round_size"]),
        )
        current = read_dataset()
        if current is not None and current.matches(wanted) and not options["force"]:
            self.stdout.write(
                f"The database already holds this dataset (seeded {current.seeded_on} in {current.seconds} s); "
                "nothing to do. Use --force to rebuild it."
            )
            return
        if holds_data():
            if not options["reset"]:
                raise CommandError(
                    "This database already holds committees. seed_scale is meant for an empty benchmark "
                    "database; pass --reset to empty it first (everything in it is lost)."
                )
            self.stdout.write(f"Emptying the Guanwei tables of {connection.settings_dict['NAME']} …")
            wipe()
        self.stdout.write(
            f"Seeding {wanted.committees:,} committees, {wanted.activities:,} activities over {wanted.years} year(s) "
            f"into {connection.vendor} database {connection.settings_dict['NAME']}:"
        )
        dataset = seed_province(wanted, out=self.stdout.write)
        counts = ", ".join(f"{label.split('.')[-1]} {n:,}" for label, n in dataset.counts.items() if "." in label)
        self.stdout.write(self.style.SUCCESS(f"Seeded in {dataset.seconds} s: {counts}."))
