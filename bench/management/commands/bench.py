"""`manage.py bench --json OUT`: the province-scale benchmark (issue 7); `make bench` runs it.

On its own PostgreSQL database (a name containing "bench", e.g. guanwei_bench;
created when missing) it migrates, collects static files, builds the synthetic
province with `seed_scale` unless the database already holds one of the
requested size, then measures pages, target progress, import, export, PDFs,
tree writes and requests/s under load. Each figure is printed beside the
same-run baseline it is compared with and its target; a missed target is
said so plainly. `--no-setup` measures the configured database as it is (the
smoke test uses it on a tiny dataset).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bench import database, report
from bench.dataset import SeedOptions, read_dataset
from bench.run import SECTIONS, run_sections


class Command(BaseCommand):
    help = "Measure Guanwei at province scale on PostgreSQL and print/write each figure with its baseline."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", dest="json_path", help="Write the figures as JSON to this file.")
        parser.add_argument("--committees", type=int, default=100_000, help="Size of the synthetic province.")
        parser.add_argument("--years", type=int, default=3, help="Years of activities.")
        parser.add_argument("--activities", type=int, default=None, help="Activities in total (default 20/committee).")
        parser.add_argument("--quick", action="store_true", help="Few runs and small imports/exports (smoke test).")
        parser.add_argument(
            "--no-setup",
            action="store_true",
            help="Measure the configured database as it is: no creation, migration, static files or seeding.",
        )
        parser.add_argument("--in-process", action="store_true", help="Run imports/exports in this process.")
        parser.add_argument(
            "--import-rows",
            type=int,
            default=50_000,
            help="Rows of the measured import (default 50,000, the size the memory target is set for; "
            "below that the rate is the median of three runs).",
        )
        parser.add_argument(
            "--only", default="", help=f"Comma-separated sections to run (default all: {', '.join(SECTIONS)})."
        )
        parser.add_argument("--skip", default="", help="Comma-separated sections to leave out.")
        parser.add_argument("--readme", help="Replace the table between the bench markers of this README file.")

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        sections = self._sections(options["only"], options["skip"])
        seeded_now = False
        if not options["no_setup"]:
            seeded_now = self._set_up(options)
        dataset = read_dataset()
        if dataset is None:
            raise CommandError("This database holds no synthetic province; run `manage.py seed_scale` first.")
        mode = "quick" if options["quick"] else "full"
        self.stdout.write(
            f"Benchmark ({mode}) on {dataset.options['committees']:,} committees and "
            f"{dataset.options['activities']:,} activities: {', '.join(sections)}"
        )
        work_dir = Path(settings.VAR_DIR) / "bench"
        result, errors = run_sections(
            dataset,
            sections=sections,
            quick=options["quick"],
            in_process=options["in_process"],
            import_rows=options["import_rows"],
            work_dir=work_dir,
            out=self.stdout.write,
        )
        info = {
            "finished": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z"),
            "mode": mode,
            "seconds": round(time.monotonic() - started, 1),
            "seeded_now": seeded_now,
            "machine": report.machine(),
            "dataset": {
                "options": dataset.options,
                "counts": dataset.counts,
                "seconds": dataset.seconds,
                "seeded_on": dataset.seeded_on,
            },
        }
        self.stdout.write("")
        self.stdout.write(report.console_table(result))
        missed = result.missed
        self.stdout.write("")
        if missed:
            self.stdout.write(self.style.WARNING(f"{len(missed)} target(s) MISSED:"))
            for f in missed:
                self.stdout.write(self.style.WARNING(f"  - {f.label}: {f.value:.2f} {f.unit}, target {f.target}"))
        else:
            self.stdout.write(self.style.SUCCESS("Every measured target was met."))
        if options["json_path"]:
            payload = {**info, "figures": [f.as_dict() for f in result.figures], "errors": errors}
            path = Path(options["json_path"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
            self.stdout.write(f"Figures written to {path}.")
        if options["readme"]:
            if report.update_readme(Path(options["readme"]), report.markdown(result, info)):
                self.stdout.write(f"Benchmark table updated in {options['readme']}.")
            else:
                self.stdout.write(self.style.WARNING(f"No bench markers in {options['readme']}; not updated."))
        self.stdout.write(f"Benchmark finished in {info['seconds']:.0f} s.")
        if errors:
            raise CommandError("Some sections could not be measured: " + "; ".join(errors))

    def _sections(self, only: str, skip: str) -> list[str]:
        chosen = [s.strip() for s in only.split(",") if s.strip()] or list(SECTIONS)
        left_out = {s.strip() for s in skip.split(",") if s.strip()}
        unknown = (set(chosen) | left_out) - set(SECTIONS)
        if unknown:
            raise CommandError(f"Unknown section(s): {', '.join(sorted(unknown))}. Known: {', '.join(SECTIONS)}.")
        return [s for s in chosen if s not in left_out]

    def _set_up(self, options: dict) -> bool:
        """Database, schema, static files and dataset; True when the dataset was (re)built now."""
        try:
            created = database.ensure_database()
        except database.NotABenchDatabase as exc:
            raise CommandError(str(exc)) from exc
        if created:
            self.stdout.write("Created the benchmark database.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        wanted = SeedOptions(committees=options["committees"], years=options["years"], activities=options["activities"])
        current = read_dataset()
        if current is not None and current.matches(wanted):
            self.stdout.write(f"Reusing the dataset seeded {current.seeded_on} ({current.seconds} s to build).")
            return False
        call_command(
            "seed_scale",
            committees=wanted.committees,
            years=wanted.years,
            activities=wanted.activities,
            reset=True,
            force=True,
            stdout=self.stdout,
        )
        return True
