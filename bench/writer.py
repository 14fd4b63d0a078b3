"""Bulk writing for the generator: COPY on PostgreSQL, executemany elsewhere, and small helpers."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from bench import texts

BATCH = 20_000


class Writer:
    """Writes rows of a model's table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.rows_written: dict[str, int] = {}

    def sink(self, model: type[models.Model], fields: Sequence[str]) -> Sink:
        return Sink(self, model, fields)

    def write(self, model: type[models.Model], fields: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        table = model._meta.db_table
        columns = [model._meta.get_field(name).column for name in fields]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
        self.rows_written[model._meta.label] = self.rows_written.get(model._meta.label, 0) + len(rows)

    def next_id(self, model: type[models.Model]) -> int:
        found = model._base_manager.aggregate(m=models.Max("pk"))["m"]
        return (found or 0) + 1

    def reset_sequences(self, models_: Iterable[type[models.Model]]) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class Sink:
    """A buffer of rows for one table, flushed as one COPY (or executemany) per batch."""

    def __init__(self, writer: Writer, model: type[models.Model], fields: Sequence[str]) -> None:
        self.writer, self.model, self.fields = writer, model, list(fields)
        self.rows: list[tuple] = []

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self.writer.write(self.model, self.fields, self.rows)
        self.rows = []


class FastSession:
    """Foreign-key triggers off and asynchronous commits while seeding (PostgreSQL, when permitted)."""

    def __enter__(self) -> FastSession:
        self.replica = False
        if connection.vendor != "postgresql":
            return self
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET session_replication_role = replica")
                self.replica = True
        return self

    def __exit__(self, *exc: Any) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET session_replication_role")
                cursor.execute("RESET synchronous_commit")


# ---------------------------------------------------------------------------
# Helpers


def cumulative(weights: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def split_exactly(rng: random.Random, weights: Sequence[float], total: int) -> list[int]:
    """Integers proportional to `weights` (with jitter) that add up to exactly `total`."""
    jittered = [w * rng.lognormvariate(0, 0.5) for w in weights]
    scale = total / sum(jittered)
    raw = [w * scale for w in jittered]
    counts = [int(x) for x in raw]
    short = total - sum(counts)
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in by_remainder[:short]:
        counts[i] += 1
    return counts


def person_name(rng: random.Random) -> str:
    given = rng.choice(texts.GIVEN) + (rng.choice(texts.GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(texts.SURNAMES) + given


def utc_stamp(day: date, postgres: bool, hour: int = 10) -> str:
    """A UTC timestamp literal both COPY and SQLite read back as an aware datetime."""
    return f"{day.isoformat()} {hour:02d}:00:00" + ("+00" if postgres else "")


def say(out: Callable[[str], None] | None, text: str) -> None:
    if out is not None:
        out(text)
