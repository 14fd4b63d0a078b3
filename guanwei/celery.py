import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanwei.settings")

app = Celery("guanwei")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic schedule of the project, in one place (times are Asia/Shanghai).
app.conf.beat_schedule = {
    "send-due-reminders": {
        "task": "notifications.tasks.send_due_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "recompute-metric-snapshots": {
        "task": "metrics.tasks.recompute_all_snapshots",
        "schedule": crontab(hour=2, minute=15),
    },
    "weekly-dashboard-workbooks": {
        "task": "dashboards.tasks.send_weekly_dashboards",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
}
