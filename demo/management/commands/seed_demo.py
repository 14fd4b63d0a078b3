"""`manage.py seed_demo`: load the demo data; safe to run again (it only adds what is missing).

The committee tree, people and accounts come from `demo.orgs`; then
`demo.activities`, `demo.plans` and `demo.assessments` add theirs through
`seed(stdout=...)`. See `demo` for the contract those modules follow.
"""

from __future__ import annotations

import importlib
import time

from django.core.management.base import BaseCommand

from demo import orgs as demo
from demo.orgs.data import DEMO_PASSWORD

# Looked up by name when the command runs, in this order, after `demo.orgs`.
FOLLOWING_MODULES = ("demo.activities", "demo.plans", "demo.assessments")


class Command(BaseCommand):
    help = "Load the Guanwei demo data (committee tree, people, accounts, and each app's demo). Idempotent."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        demo.seed(stdout=self.stdout)
        for module_name in FOLLOWING_MODULES:
            importlib.import_module(module_name).seed(stdout=self.stdout)
        self.stdout.write(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        self.stdout.write("  (an account that existed before this command keeps its own password)")
        width = max(len(username) for username, _ in demo.accounts())
        for username, purpose in demo.accounts():
            self.stdout.write(f"  {username:<{width}}  {purpose}")
