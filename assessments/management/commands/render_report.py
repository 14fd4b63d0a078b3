"""`manage.py render_report EVALUATION_ID -o FILE.pdf`: render one evaluation's PDF report."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Evaluation
from assessments.pdf import render_evaluation_pdf


class Command(BaseCommand):
    help = "Render the PDF report of one evaluation."

    def add_arguments(self, parser) -> None:
        parser.add_argument("evaluation_id", type=int)
        parser.add_argument("-o", "--output", required=True, help="Where to write the PDF.")

    def handle(self, *args, evaluation_id: int, output: str, **options) -> None:
        evaluation = (
            Evaluation.objects.select_related("committee", "round__rubric", "round__committee")
            .filter(pk=evaluation_id)
            .first()
        )
        if evaluation is None:
            raise CommandError(f"No evaluation with id {evaluation_id}.")
        pdf, fetcher = render_evaluation_pdf(evaluation)
        Path(output).write_bytes(pdf)
        self.stdout.write(f"Wrote {output} ({len(pdf)} bytes) for {evaluation}.")
        if fetcher.refused:
            self.stdout.write(f"Refused {len(fetcher.refused)} outside resource(s).")
