"""Evidence stored before uploads were made inert: pictures re-encoded, other files named by their type."""

from django.db import migrations

from guanwei.files import make_rows_inert


def rewrite(apps, schema_editor):
    make_rows_inert(apps.get_model("assessments", "Evidence").objects.order_by("pk"), "file", size_field="size")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_remove_own_reminders")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop, elidable=True)]
