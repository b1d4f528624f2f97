"""Wagtail creates its default page workflow and task as "Moderators approval", in English, as data
(not a translatable string): the admin showed that name on French screens ("Soumettre à Moderators
approval"). Give them their French name, only if nobody has renamed them yet."""

from django.db import migrations

ENGLISH = "Moderators approval"
FRENCH = "Validation par les modérateurs"


def to_french(apps, schema_editor):
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=ENGLISH).update(name=FRENCH)


def to_english(apps, schema_editor):
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=FRENCH).update(name=ENGLISH)


class Migration(migrations.Migration):
    dependencies = [
        ("civic_cms", "0003_body_block_labels"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(to_french, to_english)]
