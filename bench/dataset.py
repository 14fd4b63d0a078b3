"""Which synthetic province a database holds: the options it was built with, its counts and ids.

The generator (`bench.seed`) records a `Dataset` in a marker table of its own
when it finishes; `bench` and `seed_scale` read it to reuse a dataset of the
requested size, and `wipe` empties every table the generator fills.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection

GENERATOR_VERSION = 1
MARKER_TABLE = "guanwei_bench_dataset"


@dataclass
class SeedOptions:
    committees: int = 100_000
    years: int = 3
    activities: int | None = None  # default: 20 per committee over 3 years (2,000,000 at 100k)
    seed: int = 7
    round_size: int = 25  # evaluations in the finished round (its summary PDF runs to ~50 pages)

    def __post_init__(self) -> None:
        if self.activities is None:
            self.activities = round(self.committees * self.years * 20 / 3)

    def key(self) -> dict[str, int]:
        return {"version": GENERATOR_VERSION, **asdict(self)}


@dataclass
class Dataset:
    """What a seeded database holds: the options, row counts and the ids the benchmark uses."""

    options: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)
    personas: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    seeded_on: str = ""

    def matches(self, options: SeedOptions) -> bool:
        return self.options == options.key()


# ---------------------------------------------------------------------------
# The marker: which dataset the database holds


def _marker_exists() -> bool:
    return MARKER_TABLE in connection.introspection.table_names()


def read_dataset() -> Dataset | None:
    if not _marker_exists():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT info FROM {MARKER_TABLE} WHERE name = %s", ["dataset"])  # noqa: S608
        row = cursor.fetchone()
    return Dataset(**json.loads(row[0])) if row else None


def write_dataset(dataset: Dataset) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (name varchar(40) PRIMARY KEY, info text NOT NULL)")
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (name, info) VALUES (%s, %s)",  # noqa: S608
            ["dataset", json.dumps(asdict(dataset), ensure_ascii=False)],
        )


def holds_data() -> bool:
    from orgs.models import Committee

    return Committee.objects.exists()


def wipe() -> None:
    """Empty every table the generator fills (and users, sessions): TRUNCATE on PostgreSQL.

    Activity kinds stay: they come from a data migration.
    """
    from activities.models import ActivityKind

    tables: list[str] = []
    installed = {c.label for c in apps.get_app_configs()}
    for label in [*settings.GUANWEI_APPS, "auth", "sessions", "admin", "axes"]:
        if label not in installed:
            continue
        config = apps.get_app_config(label)
        for model in config.get_models(include_auto_created=True):
            if model is ActivityKind or model._meta.proxy or not model._meta.managed:
                continue
            if label == "auth" and model._meta.model_name in ("permission", "group", "group_permissions"):
                continue
            tables.append(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    tables = [t for t in dict.fromkeys(tables) if t in existing]
    if MARKER_TABLE in existing:
        tables.append(MARKER_TABLE)
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
    connection.ops.execute_sql_flush(statements)
