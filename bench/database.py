"""The benchmark's own PostgreSQL database: refuse anything else, create it when missing."""

from __future__ import annotations

from django.db import connection

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/guanwei_bench"


class NotABenchDatabase(Exception):
    pass


def check_bench_database() -> str:
    """The database name, if the configured database is a PostgreSQL one meant for benchmarks."""
    settings_dict = connection.settings_dict
    name = settings_dict.get("NAME") or ""
    if connection.vendor != "postgresql":
        raise NotABenchDatabase(
            f"The benchmark runs on PostgreSQL only; DATABASE_URL points at {connection.vendor}. "
            f"Use e.g. DATABASE_URL={DEFAULT_URL} (or `make bench`)."
        )
    if "bench" not in name or name == "test":
        raise NotABenchDatabase(
            f"The benchmark replaces the data of its database; “{name}” does not look like a benchmark database. "
            "Use a database whose name contains “bench”, e.g. guanwei_bench."
        )
    return name


def ensure_database() -> bool:
    """Create the configured database when it does not exist yet; True if it was created."""
    import psycopg
    from psycopg import sql

    name = check_bench_database()
    params = connection.get_connection_params()
    params = {k: v for k, v in params.items() if k in ("host", "port", "user", "password")}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True
