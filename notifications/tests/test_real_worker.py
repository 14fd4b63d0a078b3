"""A reminder sent twice through a real Celery worker and Redis is delivered once."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from guanwei.celery import app as celery_app
from notifications.models import Notification
from notifications.tasks import deliver_reminder

REDIS_URL = "redis://127.0.0.1:6379/15"
ROOT = Path(__file__).resolve().parents[2]


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001 - any failure means "no Redis here"
        return False


def database_url() -> str:
    s = connection.settings_dict
    return f"postgresql://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_reminder_sent_twice_through_a_real_worker_is_delivered_once(personas, tmp_path):
    if not redis_answers():
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a shared database server; run with PostgreSQL (make test does)")
    user = personas["sec_college"]
    user.email = "wang@example.edu.cn"
    user.save()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "guanwei.settings_test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "GUANWEI_REAL_CELERY": "1",
        "CELERY_DEFAULT_QUEUE": queue,  # tasks the worker sends itself stay on this test's queue
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "guanwei", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "worker.log", "wb"),  # noqa: SIM115 - closed with the process
    )
    old_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        args = [user.pk, "worker-test:milestone:1:due-1", "中期评估报告明天截止"]
        with celery_app.connection_for_write(REDIS_URL) as broker:
            deliver_reminder.apply_async(args=args, queue=queue, connection=broker)
            deliver_reminder.apply_async(args=args, queue=queue, connection=broker)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            n = Notification.objects.filter(user=user, key=args[1]).first()
            if n is not None and n.email_sent_at is not None and mail_dir.exists() and any(mail_dir.iterdir()):
                time.sleep(2)  # give a wrongly duplicated delivery time to show up
                break
            time.sleep(0.5)
        log = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
        assert Notification.objects.filter(user=user, key=args[1]).count() == 1, log
        assert mail_dir.exists() and len(list(mail_dir.iterdir())) == 1, log
    finally:
        celery_app.conf.task_always_eager = old_eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
