"""`manage.py target_wiring_check`: how many targets of the plan corpus are wired right on reading."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from plans.extraction.wiring_check import BAR_SHARE, BAR_WRONG, check_corpus


class Command(BaseCommand):
    help = (
        "Read every document of plans/corpus/ (and the demo plans) and print, for each expected target, "
        "whether it was wired to the right metric; the last line is `wired: K/N (P%)`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--fail-below-bar",
            action="store_true",
            help=f"Exit with an error below {BAR_SHARE * 100:.0f}% or with more than {BAR_WRONG} wired wrong.",
        )

    def handle(self, *args, **options) -> None:
        result = check_corpus()
        for line in result.lines:
            self.stdout.write(str(line))
        self.stdout.write(
            f"{result.documents} documents; {result.countable} targets the engine counts, "
            f"{result.unmeasured} left unmeasured as expected; wired wrong: {result.wrong}"
        )
        self.stdout.write(result.summary())
        if options["fail_below_bar"] and not result.meets_bar:
            raise CommandError(
                f"Below the bar: {result.summary()}, {result.wrong} wired wrong "
                f"(the bar is {BAR_SHARE * 100:.0f}% and at most {BAR_WRONG} wrong)."
            )
