"""Read a plan document (.txt or .docx) into a draft plan: the same extraction as the upload page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from orgs.models import Committee
from plans.extraction import docx_text, extract_text
from plans.services import plan_import


class Command(BaseCommand):
    help = "Extract a plan from a .txt or .docx file and create it as a draft for a committee."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the plan document (.txt in UTF-8, or .docx)")
        parser.add_argument("--committee", required=True, help="the committee's code")
        parser.add_argument("--year", required=True, type=int, help="the plan's year")
        parser.add_argument("--dry-run", action="store_true", help="extract and report, create nothing")
        parser.add_argument("--json", action="store_true", help="print the extraction as one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            committee = Committee.objects.get(code=options["committee"])
        except Committee.DoesNotExist:
            raise CommandError(f"No committee with code {options['committee']!r}") from None
        year = options["year"]
        if not 1990 <= year <= 2100:
            raise CommandError(f"Year out of range: {year}")
        try:
            # The same checks, and the same Chinese messages, as the upload page.
            with path.open("rb") as f, translation.override(settings.LANGUAGE_CODE):
                head = f.read(4)
                f.seek(0)
                if head.startswith(b"PK"):
                    text = docx_text(f)
                else:
                    text = f.read().decode("utf-8-sig")
                extracted = extract_text(text)
        except UnicodeDecodeError:
            raise CommandError("The file is neither a .docx nor UTF-8 text.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if options["json"]:
            self.stdout.write(json.dumps(extracted.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(
                f"{extracted.title} | {extracted.doc_number or '-'} | {extracted.issuer or '-'} | "
                f"{extracted.issued_on or '-'}: {len(extracted.sections)} sections, "
                f"{sum(len(s.points) for s in extracted.sections)} points, {extracted.target_count} targets, "
                f"{len(extracted.phases)} phases"
            )
        if options["dry_run"]:
            if not options["json"]:
                self.stdout.write("Dry run: nothing was created.")
            return
        with path.open("rb") as f:
            plan = plan_import(
                committee=committee,
                year=year,
                extracted=extracted,
                source_file=f if path.suffix.lower() == ".docx" else None,
                source_name=path.name,
            )
        if not options["json"]:
            self.stdout.write(self.style.SUCCESS(f"Created draft plan #{plan.pk} for {committee.code}."))
