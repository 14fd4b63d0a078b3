"""What every measurement needs: the dataset, the personas' users and clients, run counts, the report."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.dataset import Dataset
from bench.figures import Figure, Report, percentile, timed_ms


class BenchError(RuntimeError):
    pass


NOISY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools", "axes", "django.request")


def quiet_logs() -> None:
    """PDF layout steps, login bookkeeping and expected 4xx lines would drown the figures."""
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


@dataclass
class BenchContext:
    dataset: Dataset
    report: Report
    work_dir: Path
    quick: bool = False
    in_process: bool = False
    import_rows: int = 50_000
    out: Callable[[str], None] = print
    _clients: dict[str, Client] = field(default_factory=dict)

    def runs(self, full: int) -> int:
        return 3 if self.quick else full

    def user(self, persona: str) -> Any:
        username = self.dataset.personas[persona]
        return get_user_model().objects.get(username=username)

    def client(self, persona: str) -> Client:
        if persona not in self._clients:
            client = Client()
            client.force_login(self.user(persona))
            self._clients[persona] = client
        return self._clients[persona]

    def say(self, text: str) -> None:
        self.out(text)

    def add(self, figure: Figure) -> Figure:
        self.report.add(figure)
        self.say(f"  {figure.label}: {figure.value if figure.value is None else round(figure.value, 2)} {figure.unit}")
        return figure


def get_ok(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise BenchError(f"GET {url} answered {response.status_code}")
    return response


def count_queries(action: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


@dataclass
class Latency:
    p50: float
    p95: float
    queries: int
    samples: list[float]


def page_latency(ctx: BenchContext, persona: str, url: str, runs: int, *, cached: bool = True) -> Latency:
    """p50/p95 of GET `url` for a persona through Django's test client (the whole middleware stack).

    cached=False empties the cache before every request, so a cached page is rendered each time.
    """
    client = ctx.client(persona)

    def get() -> Any:
        if not cached:
            cache.clear()
        return get_ok(client, url)

    get()
    queries = count_queries(get)
    samples = timed_ms(get, ctx.runs(runs), warmup=1)
    return Latency(percentile(samples, 50), percentile(samples, 95), queries, samples)


def sql_latency(ctx: BenchContext, statements: list[tuple[str, list[Any]]], runs: int) -> tuple[float, float, list]:
    """p50/p95 of running hand-written SQL statements in a row; returns the last statement's rows too."""
    result: list = []

    def run() -> None:
        nonlocal result
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                result = cursor.fetchall()

    samples = timed_ms(run, ctx.runs(runs), warmup=1)
    return percentile(samples, 50), percentile(samples, 95), result
