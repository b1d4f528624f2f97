"""Replace Wagtail's placeholder welcome page with our HomePage, so a fresh install has a real home."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("civic_cms.HomePage")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    homepage_content_type, _created = ContentType.objects.get_or_create(model="homepage", app_label="civic_cms")
    locale = Locale.objects.order_by("pk").first()
    homepage = HomePage.objects.create(
        title="Accueil",
        draft_title="Accueil",
        slug="home",
        content_type=homepage_content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        intro="Signalez un problème, proposez un projet, donnez votre avis.",
        live=True,
        show_map=True,
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": homepage, "site_name": "civic"}
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("civic_cms.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("civic_cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
