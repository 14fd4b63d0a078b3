"""`manage.py export_all DIR --committee CODE`: back up a committee subtree with its files (see `backups`)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups.export import export_subtree
from backups.parts import BackupError


class Command(BaseCommand):
    help = (
        "Write the committee CODE, every committee below it and everything they own (people, activities, plans, "
        "assessments, uploaded files) to DIR, for import_all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="A new or empty directory to write the backup to.")
        parser.add_argument("--committee", required=True, help="Code of the top committee of the subtree.")

    def handle(self, *args, **options) -> None:
        try:
            report = export_subtree(Path(options["directory"]), options["committee"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(report.counts.values())
        self.stdout.write(f"Exported {rows} rows and {report.files} files to {options['directory']}.")
        for label, count in report.counts.items():
            if count:
                self.stdout.write(f"  {label:<35} {count}")
        if report.missing_files:
            self.stdout.write(self.style.WARNING(f"{len(report.missing_files)} files were already missing on disk."))
        for key, count in {**report.dropped_links, **report.skipped_rows}.items():
            self.stdout.write(self.style.WARNING(f"Left out (points outside the subtree): {key} × {count}"))
