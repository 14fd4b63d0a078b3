"""The activity kinds every installation starts with. Codes are stable: metrics filter by them."""

from django.db import migrations

KINDS = [
    # (code, name, counts_students_talked)
    ("report", "报告会", False),
    ("story", "故事会", False),
    ("lecture", "宣讲会", False),
    ("theme_education", "主题教育", False),
    ("essay", "征文", False),
    ("heart_talk", "谈心", True),
    ("aid", "帮困助学", False),
    ("mentor_duty", "四师履职", False),
    ("party_talk", "党建谈话", True),
    ("meeting", "全委会/例会", False),
    ("training", "培训", False),
    ("research", "调研", False),
    ("station_activity", "校外辅导站活动", False),
    ("article", "学生投稿文章", False),
    ("other", "其他", False),
]


def create_kinds(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    for order, (code, name, talked) in enumerate(KINDS, start=1):
        ActivityKind.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10, "counts_students_talked": talked}
        )


def remove_kinds(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    ActivityKind.objects.filter(code__in=[code for code, _, _ in KINDS], activities__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(create_kinds, remove_kinds)]
