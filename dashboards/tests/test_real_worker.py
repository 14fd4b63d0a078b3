"""Through a real Celery worker and Redis: the daily reminder task sent twice delivers a milestone reminder once,
and the snapshot recompute sent twice leaves the same snapshots."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from guanwei.celery import app as celery_app
from metrics.models import DirtyCommittee, MetricSnapshot
from metrics.tasks import recompute_dirty_snapshots
from notifications.models import Notification
from notifications.tasks import send_due_reminders
from notifications.tests.test_real_worker import REDIS_URL, database_url, redis_answers
from plans.models import Milestone, Programme

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_daily_reminders_and_recompute_sent_twice_through_a_real_worker(personas, tree, kinds, tmp_path):
    if not redis_answers():
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a shared database server; run with PostgreSQL (make test does)")
    secretary = personas["sec_college"]
    secretary.email = "wang@example.edu.cn"
    secretary.save()
    today = timezone.localdate()  # the worker runs on the real clock
    programme = Programme.objects.create(committee=tree.college, title="五好创建")
    milestone = Milestone.objects.create(programme=programme, title="中期自查", due_on=today + timedelta(days=7))
    # Marked by hand: mark_dirty would run the recompute at once in this (eager) test process.
    DirtyCommittee.objects.create(committee=tree.college_station, marked_at=timezone.now())
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "guanwei.settings_test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "GUANWEI_REAL_CELERY": "1",
        "CELERY_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    log_path = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "guanwei", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log_path, "wb"),  # noqa: SIM115 - closed with the process
    )
    old_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    key = f"milestone:{milestone.pk}:due-7"
    try:
        with celery_app.connection_for_write(REDIS_URL) as broker:
            for _ in range(2):
                send_due_reminders.apply_async(queue=queue, connection=broker)
                recompute_dirty_snapshots.apply_async(queue=queue, connection=broker)

        def delivered():
            n = Notification.objects.filter(user=secretary, key=key).first()
            return n is not None and n.email_sent_at is not None and not DirtyCommittee.objects.exists()

        done = wait_for(delivered)
        time.sleep(2)  # give a wrongly duplicated delivery time to show up
        log = log_path.read_text(errors="replace")[-3000:]
        assert done, log
        assert Notification.objects.filter(user=secretary, key=key).count() == 1, log
        mails = [p.read_text(errors="replace") for p in mail_dir.iterdir()]
        assert sum("五好创建：请在" in m for m in mails) == 1, log
        station = MetricSnapshot.objects.filter(committee=tree.college_station, metric="activity_count")
        assert station.count() == 12 + 1 + len(vars(kinds)), log  # months, the year, each kind: once each
    finally:
        celery_app.conf.task_always_eager = old_eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
