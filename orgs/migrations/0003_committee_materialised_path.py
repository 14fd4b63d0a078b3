"""The committee tree moves from django-mptt's nested sets to django-treebeard's materialised paths.

Paths are computed from the parent links with siblings in their nested-set
order (by code), then the nested-set columns are dropped.
"""

from django.db import migrations, models


def fill_paths(apps, schema_editor):
    from orgs.tree import paths_from_parents

    Committee = apps.get_model("orgs", "Committee")
    rows = list(Committee.objects.order_by("tree_id", "lft").values_list("pk", "parent_id"))
    objs = [
        Committee(pk=pk, path=path, depth=depth, numchild=numchild)
        for pk, (path, depth, numchild) in paths_from_parents(rows).items()
    ]
    Committee.objects.bulk_update(objs, ["path", "depth", "numchild"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_committee_tree_lft_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="committee",
            name="path",
            field=models.CharField(max_length=255, null=True),
        ),
        migrations.AddField(
            model_name="committee",
            name="depth",
            field=models.PositiveIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="committee",
            name="numchild",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(fill_paths, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="committee",
            name="path",
            field=models.CharField(max_length=255, unique=True),
        ),
        migrations.RemoveIndex(
            model_name="committee",
            name="orgs_committee_tree_id_lft_idx",
        ),
        migrations.RemoveField(model_name="committee", name="lft"),
        migrations.RemoveField(model_name="committee", name="rght"),
        migrations.RemoveField(model_name="committee", name="tree_id"),
        migrations.RemoveField(model_name="committee", name="level"),
    ]
