"""The public site: home page, editorial pages, search, language and the demo commune."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page

from civic.cms.models import StandardPage
from civic.territory.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def about_page(home):
    page = StandardPage(
        title="À propos",
        slug="a-propos",
        intro="Comment la ville associe ses habitants.",
        body=[
            ("heading", {"text": "Une plateforme, un compte", "level": "h2"}),
            ("paragraph", "<p>Les services répondent à chaque contribution, même sur les nénuphars.</p>"),
        ],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def html_of(response):
    return response.content.decode()


def test_home_page_shows_the_site_identity_the_map_and_its_list_alternative(client, home, identity):
    response = client.get("/")

    assert response.status_code == 200
    html = html_of(response)
    assert '<h1 id="home-title">Accueil</h1>' in html
    assert "Ville de Saint-Exemple" in html
    assert "participation@saint-exemple.example" in html
    assert 'id="territory-map"' in html
    assert 'data-areas-url="/api/v1/areas/' in html
    assert 'id="map-config"' in html
    # A link lets keyboard users skip the map for the list of areas it stands beside.
    assert 'href="#territory-list"' in html
    assert 'id="territory-list"' in html
    assert 'id="territory-areas"' in html
    assert 'href="#main"' in html  # skip link of the base template


def test_home_page_without_the_map_has_no_map_container(client, home):
    home.show_map = False
    home.save_revision().publish()

    html = html_of(client.get("/"))

    assert 'id="territory-map"' not in html
    assert "leaflet.js" not in html


def test_home_page_menu_lists_pages_marked_for_menus(client, about_page):
    about_page.show_in_menus = True
    about_page.save_revision().publish()

    html = html_of(client.get("/"))

    assert f'href="{about_page.url}"' in html


def test_standard_page_renders_its_streamfield(client, about_page):
    response = client.get(about_page.url)

    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>À propos</h1>" in html
    assert "Comment la ville associe ses habitants." in html
    assert "Une plateforme, un compte" in html
    assert "<h2" in html
    assert "même sur les nénuphars" in html
    assert "cms/blocks/heading_block.html" in [template.name for template in response.templates]


def test_a_draft_page_is_not_served(client, home):
    draft = StandardPage(title="Brouillon", slug="brouillon", live=False)
    home.add_child(instance=draft)

    assert client.get("/brouillon/").status_code == 404


def test_search_finds_a_page_by_a_word_of_its_body(client, about_page):
    response = client.get("/recherche/", {"q": "nénuphars"})

    assert response.status_code == 200
    assert [result.pk for result in response.context["results"]] == [about_page.pk]
    assert f'href="{about_page.url}"' in html_of(response)


def test_search_for_an_absent_word_finds_nothing(client, about_page):
    response = client.get("/recherche/", {"q": "ornithorynque"})

    assert response.status_code == 200
    assert list(response.context["results"]) == []


# --- Language ---------------------------------------------------------------------------------


def test_french_by_default_even_when_the_browser_asks_for_english(client, home):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})

    html = html_of(response)
    assert '<html lang="fr">' in html
    assert "Notre territoire" in html
    assert response["Content-Language"] == "fr"


def test_english_after_choosing_it_in_the_language_switcher(client, home):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["civic_language"].value == "en"

    html = html_of(client.get("/"))
    assert '<html lang="en">' in html
    assert "Our territory" in html

    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in html_of(client.get("/"))


def test_an_unknown_language_cookie_falls_back_to_french(client, home):
    client.cookies["civic_language"] = "de"

    assert '<html lang="fr">' in html_of(client.get("/"))


# --- Errors ---------------------------------------------------------------------------------


def test_the_404_page_is_styled_like_the_rest_of_the_site(client, identity):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assert "base.html" in [template.name for template in response.templates]
    html = html_of(response)
    assert "Page introuvable" in html
    assert "civic/css/civic.css" in html
    assert "Ville de Saint-Exemple" in html
    assert '<html lang="fr">' in html


# --- Demo commune ---------------------------------------------------------------------------


def test_load_demo_twice_changes_nothing_the_second_time(client, settings):
    settings.DEBUG = True  # the demo refuses to load on what looks like a production site
    call_command("load_demo", stdout=StringIO())
    counts = (Area.objects.count(), get_user_model().objects.count(), Page.objects.count())
    assert counts[0] >= 7  # a commune and its six neighbourhoods
    assert get_user_model().objects.filter(email="admin@demo.civic.test", is_superuser=True).exists()

    output = StringIO()
    call_command("load_demo", stdout=output)

    assert (Area.objects.count(), get_user_model().objects.count(), Page.objects.count()) == counts
    assert "Demo commune ready." in output.getvalue()
    html = html_of(client.get("/"))
    assert "Montfleury-sur-Lise participe" in html
    assert "Ville de Montfleury-sur-Lise" in html
    assert client.get("/a-propos/").status_code == 200


def test_load_demo_refuses_a_production_looking_site_and_creates_nothing(settings):
    settings.DEBUG = False
    users = get_user_model().objects.count()

    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo", stdout=StringIO())

    assert get_user_model().objects.count() == users
    assert not Area.objects.exists()
