# The metric snapshots, taken over from the dashboards app (dashboards/migrations/0003 lets go of them).
# State only: the tables dashboards/migrations/0001 created keep their names and rows (Meta.db_table).
# The content types follow, so permissions granted on them are kept.

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("metricsnapshot", "dirtycommittee")


def content_types_to(app_label, from_label):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in MOVED:
            if not ContentType.objects.using(db).filter(app_label=app_label, model=model).exists():
                ContentType.objects.using(db).filter(app_label=from_label, model=model).update(app_label=app_label)

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("dashboards", "0003_snapshots_move_to_metrics"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DirtyCommittee",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("marked_at", models.DateTimeField(verbose_name="marked at")),
                        (
                            "committee",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="orgs.committee",
                                verbose_name="committee",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "committee to recompute",
                        "verbose_name_plural": "committees to recompute",
                        "db_table": "dashboards_dirtycommittee",
                    },
                ),
                migrations.CreateModel(
                    name="MetricSnapshot",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("metric", models.CharField(max_length=50, verbose_name="metric")),
                        ("params_key", models.CharField(max_length=200, verbose_name="parameters")),
                        ("subtree", models.BooleanField(default=True, verbose_name="whole subtree")),
                        ("period_start", models.DateField(verbose_name="period start")),
                        ("period_end", models.DateField(verbose_name="period end")),
                        ("value", models.DecimalField(decimal_places=6, max_digits=20, verbose_name="value")),
                        (
                            "numerator",
                            models.DecimalField(
                                blank=True, decimal_places=6, max_digits=20, null=True, verbose_name="numerator"
                            ),
                        ),
                        (
                            "denominator",
                            models.DecimalField(
                                blank=True, decimal_places=6, max_digits=20, null=True, verbose_name="denominator"
                            ),
                        ),
                        ("computed_at", models.DateTimeField(verbose_name="computed at")),
                        (
                            "committee",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="metric_snapshots",
                                to="orgs.committee",
                                verbose_name="committee",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "metric snapshot",
                        "verbose_name_plural": "metric snapshots",
                        "db_table": "dashboards_metricsnapshot",
                        "indexes": [
                            models.Index(fields=["period_start", "committee"], name="snapshot_period_committee")
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("committee", "metric", "params_key", "subtree", "period_start", "period_end"),
                                name="metric_snapshot_natural_key",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("period_end__gte", models.F("period_start"))),
                                name="snapshot_period",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to("metrics", "dashboards"), content_types_to("dashboards", "metrics")),
    ]
