# The metric snapshots moved to the metrics app (metrics/migrations/0001_initial.py takes them over).
# State only: the tables stay, with their rows, under their old names.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0002_weekly_mailing"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DirtyCommittee"),
                migrations.DeleteModel(name="MetricSnapshot"),
            ],
            database_operations=[],
        ),
    ]
