"""`manage.py seed_demo`: load the demo data; safe to run again (it only adds what is missing).

The committee tree, people and accounts come from `orgs.demo`; then each of
`activities`, `plans` and `assessments` adds its own demo data through
`<app>.demo.seed(stdout=...)` if it has such a module. See `orgs.demo` for the
contract those modules follow.
"""

from __future__ import annotations

import importlib
import importlib.util
import time

from django.core.management.base import BaseCommand

from orgs import demo
from orgs.demo.data import DEMO_PASSWORD

FOLLOWING_APPS = ("activities", "plans", "assessments")


def app_demo_modules() -> list[str]:
    """The `<app>.demo` modules that exist, in the order they run after orgs."""
    return [f"{app}.demo" for app in FOLLOWING_APPS if importlib.util.find_spec(f"{app}.demo") is not None]


class Command(BaseCommand):
    help = "Load the Guanwei demo data (committee tree, people, accounts, and each app's demo). Idempotent."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        demo.seed(stdout=self.stdout)
        for module_name in app_demo_modules():
            importlib.import_module(module_name).seed(stdout=self.stdout)
        self.stdout.write(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        self.stdout.write("  (an account that existed before this command keeps its own password)")
        width = max(len(username) for username, _ in demo.accounts())
        for username, purpose in demo.accounts():
            self.stdout.write(f"  {username:<{width}}  {purpose}")
