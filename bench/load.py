"""Requests per second under load: gunicorn (2 workers) on 127.0.0.1 and a bounded load generator.

The generator is a small thread pool of `http.client` connections on the
loopback interface, bounded in time and in number of requests; it runs on
the same two cores as the server, so the figures are a floor.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess  # noqa: S404 - starts this project's gunicorn
import sys
import threading
import time
from dataclasses import dataclass

from django.conf import settings

from bench.context import BenchContext, BenchError
from bench.figures import Figure, at_least, percentile

WORKERS = 2
CONCURRENCY = 6
SECONDS = 15
MAX_REQUESTS = 20_000
PER_CORE_TARGET = 50


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def hammer(
    port: int, path: str, cookie: str, *, seconds: float, concurrency: int, max_requests: int = MAX_REQUESTS
) -> LoadResult:
    """GET `path` from `concurrency` threads until `seconds` pass or `max_requests` are sent."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors, sent
        while time.perf_counter() < deadline:
            with lock:
                if sent >= max_requests:
                    return
                sent += 1
            started = time.perf_counter()
            ok = False
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                conn.close()
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    return LoadResult(len(latencies), errors, time.perf_counter() - started, latencies)


class Gunicorn:
    """gunicorn with the benchmark's settings on a free loopback port; stopped on exit."""

    def __init__(self, workers: int = WORKERS) -> None:
        self.port = free_port()
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        env = dict(os.environ)
        hosts = [h for h in env.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
        env["DJANGO_ALLOWED_HOSTS"] = ",".join(dict.fromkeys([*hosts, "127.0.0.1"]))
        env.setdefault("DJANGO_SETTINGS_MODULE", "guanwei.settings")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "guanwei.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            # A slow page should be measured as slow, not killed at gunicorn's default 30 s.
            "--timeout",
            "300",
        ]
        self.process = subprocess.Popen(argv, cwd=settings.BASE_DIR, env=env)  # noqa: S603 - fixed argv
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError("gunicorn exited while starting")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise BenchError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def load(ctx: BenchContext, pages: list[tuple[str, str, str, bool, str]]) -> None:
    """pages: (label, persona, path, is the dashboard, a note on what is measured)."""
    cores = os.cpu_count() or 1
    seconds = 3 if ctx.quick else SECONDS
    with Gunicorn() as server:
        for label, persona, path, is_dashboard, about in pages:
            cookie = f"{settings.SESSION_COOKIE_NAME}={ctx.client(persona).cookies[settings.SESSION_COOKIE_NAME].value}"
            hammer(server.port, path, cookie, seconds=1, concurrency=2)  # warm both workers
            result = hammer(server.port, path, cookie, seconds=seconds, concurrency=CONCURRENCY)
            if not result.requests:
                raise BenchError(f"no request to {path} succeeded under load ({result.errors} errors)")
            target = PER_CORE_TARGET * cores
            p50, p95 = percentile(result.latencies_ms, 50), percentile(result.latencies_ms, 95)
            ctx.add(
                Figure(
                    "load",
                    f"{label}: requests/s, gunicorn {WORKERS} workers, {CONCURRENCY} clients, {seconds} s",
                    result.per_second,
                    "req/s",
                    target=f"≥ {target} req/s ({PER_CORE_TARGET}/core × {cores})" if is_dashboard else "",
                    met=at_least(result.per_second, target) if is_dashboard else None,
                    note=f"{result.per_second / cores:.1f} req/s per core;"
                    f" p50 {p50:.0f} ms, p95 {p95:.0f} ms under load; {result.errors} errors"
                    + (f"; {about}" if about else ""),
                )
            )
