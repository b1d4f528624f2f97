"""The page chrome (site identity, main menu, footer links) is cached and stays true."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, PageViewRestriction

from civic.cms.chrome import GENERATION_KEY
from civic.cms.models import FooterLink, SiteIdentity, StandardPage

pytestmark = pytest.mark.django_db

CHROME_TABLES = (
    "wagtailcore_site",
    "civic_cms_siteidentity",
    "civic_cms_footerlink",
    "wagtailcore_pageviewrestriction",
)


@pytest.fixture
def menu_page(home):
    page = StandardPage(title="Participer", slug="participer", show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def chrome_queries(client):
    """Queries of the chrome's tables on a page that is not a Wagtail page (the search)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("search"))
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries if any(table in q["sql"] for table in CHROME_TABLES)]


def test_the_chrome_is_read_from_the_database_once_then_from_the_cache(client, identity, menu_page):
    FooterLink.objects.create(setting=identity, label="Mentions légales", page=menu_page)
    FooterLink.objects.create(setting=identity, label="Plan du site", url="https://example.org/plan")

    assert chrome_queries(client)
    assert chrome_queries(client) == []
    html = client.get("/").content.decode()
    assert "· Ville de Saint-Exemple</title>" in html
    assert '<li><a href="/participer/">Participer</a></li>' in html
    assert '<a href="tel:0123456789">01 23 45 67 89</a>' in html
    assert '<li><a href="/participer/">Mentions légales</a></li>' in html
    assert '<li><a href="https://example.org/plan">Plan du site</a></li>' in html


def test_saving_the_site_identity_or_its_footer_links_shows_at_once(client, identity):
    client.get("/")
    identity.organisation_name = "Commune de Nouveau-Nom"
    identity.save()
    assert "Commune de Nouveau-Nom" in client.get("/").content.decode()

    link = FooterLink.objects.create(setting=identity, label="Accessibilité", url="https://example.org/a11y")
    assert "Accessibilité" in client.get("/").content.decode()
    link.delete()
    assert "Accessibilité" not in client.get("/").content.decode()


def test_publishing_unpublishing_and_deleting_a_page_updates_the_menu(client, home):
    client.get("/")
    page = StandardPage(title="Budget participatif", slug="budget", show_in_menus=True, live=False)
    home.add_child(instance=page)
    assert "Budget participatif" not in client.get("/").content.decode()  # a draft is not in menus

    page.save_revision().publish()
    assert '<a href="/budget/">Budget participatif</a>' in client.get("/").content.decode()

    page.title = "Budget des habitants"
    page.save_revision().publish()
    html = client.get("/").content.decode()
    assert "Budget des habitants" in html and "Budget participatif" not in html

    page.refresh_from_db()
    page.unpublish()
    assert "Budget des habitants" not in client.get("/").content.decode()

    page.save_revision().publish()
    assert "Budget des habitants" in client.get("/").content.decode()
    Page.objects.get(pk=page.pk).delete()
    assert "Budget des habitants" not in client.get("/").content.decode()


def test_a_private_page_leaves_the_menu_when_restricted(client, menu_page):
    assert "Participer" in client.get("/").content.decode()
    restriction = PageViewRestriction.objects.create(page=menu_page, restriction_type=PageViewRestriction.LOGIN)
    assert ">Participer<" not in client.get("/").content.decode()
    restriction.delete()
    assert ">Participer<" in client.get("/").content.decode()


def test_a_change_committed_by_another_process_is_seen_once_it_replaces_the_generation(
    client, identity, django_capture_on_commit_callbacks
):
    """Another process shares the cache but not our signals: all it leaves is a new generation."""
    client.get("/")
    SiteIdentity.objects.filter(pk=identity.pk).update(organisation_name="Changé ailleurs")  # no signal
    assert "Changé ailleurs" not in client.get("/").content.decode()  # this process's entry is cached

    cache.set(GENERATION_KEY, "set-by-another-process", None)
    assert "Changé ailleurs" in client.get("/").content.decode()

    # A save replaces the generation now and once more after the commit (another process may have
    # rebuilt the chrome from the data as it was before the commit in between).
    with django_capture_on_commit_callbacks(execute=True):
        identity.refresh_from_db()
        identity.organisation_name = "Après le commit"
        identity.save()
        during = cache.get(GENERATION_KEY)
    assert during != "set-by-another-process"
    assert cache.get(GENERATION_KEY) != during


def test_menu_urls_and_language_are_cached_per_language(client, menu_page):
    french = client.get("/").content.decode()
    client.cookies["civic_language"] = "en"
    english = client.get("/").content.decode()
    assert 'lang="fr"' in french and 'lang="en"' in english
    assert "Participer" in french and "Participer" in english


def test_the_logo_is_the_same_img_as_the_image_tag_renders(client, identity):
    from django.template import engines

    image = get_image_model().objects.create(title="Logo", file=get_test_image_file())
    identity.logo = image
    identity.save()
    expected = (
        engines["django"]
        .from_string('{% load wagtailimages_tags %}{% image logo height-48 alt="" class="site-brand__logo" %}')
        .render({"logo": image})
    )

    assert expected.startswith("<img") and expected in client.get("/").content.decode()
    image.delete()  # the logo goes (SET_NULL) and the header follows
    assert "site-brand__logo" not in client.get("/").content.decode()


def test_the_wagtail_user_bar_is_on_wagtail_pages_only(client, home, user_factory):
    editor = user_factory(is_superuser=True, is_staff=True)
    client.force_login(editor)
    assert "wagtail-userbar" in client.get("/").content.decode()

    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("notification-list")).content.decode()
    assert "wagtail-userbar" not in html
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
