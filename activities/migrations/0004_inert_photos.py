"""Photos stored before uploads were made inert are re-encoded: no EXIF/GPS, no hidden page or script."""

from django.db import migrations

from guanwei.files import make_rows_inert


def reencode(apps, schema_editor):
    for model in ("ActivityPhoto", "NewsPhoto"):
        rows = apps.get_model("activities", model).objects.order_by("pk")
        make_rows_inert(rows, "image", size_field="size")


class Migration(migrations.Migration):
    dependencies = [("activities", "0003_activity_work_point")]

    operations = [migrations.RunPython(reencode, migrations.RunPython.noop, elidable=True)]
