"""Deliverables stored before uploads were made inert: pictures re-encoded, other files named by their type."""

from django.db import migrations

from guanwei.files import make_rows_inert


def rewrite(apps, schema_editor):
    make_rows_inert(apps.get_model("plans", "Deliverable").objects.order_by("pk"), "file")


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_programmeparticipant_tree_order")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop, elidable=True)]
