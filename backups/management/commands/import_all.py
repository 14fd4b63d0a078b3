"""`manage.py import_all DIR`: load a subtree backup made by export_all, all or nothing (see `backups`)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups.parts import BackupError
from backups.restore import import_subtree, read_manifest


class Command(BaseCommand):
    help = (
        "Load a committee subtree backup made by export_all into this database, in one transaction. "
        "Refuses if any of its committee codes already exists here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="The directory export_all wrote.")

    def handle(self, *args, **options) -> None:
        directory = Path(options["directory"])
        try:
            manifest = read_manifest(directory)
            counts = import_subtree(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Loaded {sum(counts.values())} rows of {manifest['committee']} {manifest.get('committee_name', '')}."
        )
        for label, count in counts.items():
            if count:
                self.stdout.write(f"  {label:<35} {count}")
