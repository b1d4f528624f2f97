"""Security headers on every response: a strict Content-Security-Policy (no inline script or
style, the map tiles' server taken from the site settings), Permissions-Policy and the rest of
a modern checklist; and no template of ours that the policy would break."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.models import Site

from civic.cms.chrome import tile_source
from civic.cms.models import SiteIdentity
from civic.core.middleware import SecurityHeadersMiddleware

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates"


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    policy = {}
    for part in header.split(";"):
        directive, *sources = part.split()
        assert directive not in policy, f"{directive} twice in {header}"
        policy[directive] = sources
    return policy


def assert_strict(policy: dict[str, list[str]], *, admin: bool = False):
    assert policy["default-src"] == ["'self'"]
    # No inline script or style (but in Wagtail's admin), no eval, no other origin.
    inline = ["'self'", "'unsafe-inline'"] if admin else ["'self'"]
    assert policy["script-src"] == inline
    assert policy["style-src"] == inline
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    for directive, sources in policy.items():
        assert "*" not in sources and "'unsafe-eval'" not in sources, (directive, sources)


@pytest.fixture
def identity():
    return SiteIdentity.for_site(Site.objects.get(is_default_site=True))


def test_the_home_page_has_a_strict_policy_that_allows_the_map_tiles_of_the_site_settings(client, identity):
    response = client.get("/")
    assert response.status_code == 200
    policy = policy_of(response)
    assert_strict(policy)
    assert policy["img-src"] == ["'self'", "data:", "blob:", "https://tile.openstreetmap.org"]
    assert policy["connect-src"] == ["'self'", "ws://testserver"]  # the live notifications' socket

    identity.tile_url = "https://{s}.tuiles.example.fr/{z}/{x}/{y}.png"
    identity.save()
    policy = policy_of(client.get("/"))
    assert policy["img-src"] == ["'self'", "data:", "blob:", "https://*.tuiles.example.fr"]

    identity.tile_url = ""  # maps without a background: nothing from elsewhere
    identity.save()
    assert policy_of(client.get("/"))["img-src"] == ["'self'", "data:", "blob:"]


def test_the_tile_host_is_read_once_then_from_the_cache(rf, identity, django_assert_num_queries):
    from django.http import HttpResponse

    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse("<p>Bonjour</p>"))
    first = middleware(rf.get("/api/docs/"))  # a page that does not read the site settings itself
    assert "https://tile.openstreetmap.org" in first.headers["Content-Security-Policy"]
    with django_assert_num_queries(0):
        again = middleware(rf.get("/api/docs/"))
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("tile_url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.fr"),
        ("https://tiles-{s}.example.org:8443/{z}/{x}/{y}.png", "https://*.example.org:8443"),
        ("http://tuiles.mairie.example/{z}/{x}/{y}.png", "http://tuiles.mairie.example"),
        ("/tuiles/{z}/{x}/{y}.png", ""),  # the site itself: 'self'
        ("https://{s}.org/{z}/{x}/{y}.png", ""),  # a wildcard over a whole top-level domain
        ("https://a.example; script-src 'unsafe-inline'/{z}/{x}/{y}.png", ""),
        ("https://user:secret@tiles.example/{z}/{x}/{y}.png", ""),
        ("javascript:alert(1)", ""),
        ("", ""),
    ],
)
def test_the_tile_source_is_a_plain_host_or_nothing(tile_url, source):
    assert tile_source(tile_url) == source


def test_a_tile_url_that_tries_to_add_a_directive_changes_nothing(client, identity):
    identity.tile_url = "https://a.example; script-src 'unsafe-inline'/{z}/{x}/{y}.png"
    identity.save()
    policy = policy_of(client.get("/"))
    assert_strict(policy)
    assert policy["img-src"] == ["'self'", "data:", "blob:"]


def test_the_other_security_headers_are_on_every_page(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    permissions = dict(feature.strip().split("=", 1) for feature in response.headers["Permissions-Policy"].split(","))
    assert permissions["geolocation"] == "(self)"  # the report form asks for the phone's position
    assert permissions["camera"] == permissions["microphone"] == permissions["payment"] == "()"
    assert all(allowed == "()" for feature, allowed in permissions.items() if feature != "geolocation")


def test_the_api_answers_with_a_policy_that_loads_nothing(client):
    response = client.get(reverse("api-area-list"))
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response.headers["Permissions-Policy"].startswith("geolocation=(self)")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    schema = client.get(reverse("api-schema"))
    assert schema.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_the_api_documentation_runs_under_the_strict_policy(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert_strict(policy_of(response))
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script on /api/docs/"
    assert "<style" not in html and " style=" not in html
    script = client.get(reverse("api-docs") + "?script=")  # Swagger UI's settings, as a script file
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_the_wagtail_admin_has_the_admin_policy(client, administrator, django_assert_max_num_queries):
    client.force_login(administrator)
    with django_assert_max_num_queries(1000) as queries:
        response = client.get("/admin/")
    assert response.status_code == 200
    policy = policy_of(response)
    assert_strict(policy, admin=True)
    assert policy["img-src"] == ["'self'", "data:", "blob:"]  # no map in the admin: no tile server
    assert not [query for query in queries.captured_queries if "civic_cms_siteidentity" in query["sql"]]
    login = client.get("/django-admin/login/")
    assert_strict(policy_of(login), admin=True)


# Inline code the policy blocks: a <script> that is not a JSON data block and has no src, a
# <style> element, a style="" attribute, an on*="" handler, a javascript: URL.
INLINE = re.compile(
    r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>"
    r"|<style\b|\sstyle=|\son[a-z]+=|javascript:",
    re.IGNORECASE,
)


def test_no_template_of_ours_has_inline_script_or_style():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES)
        if "emails" in relative.parts:  # read by mail clients, which need inline styles
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if INLINE.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


def test_a_host_the_site_does_not_serve_gets_its_400_with_the_policy(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/", HTTP_HOST="not-ours.example")
    assert response.status_code == 400
    policy = policy_of(response)
    assert_strict(policy)
    assert policy["connect-src"] == ["'self'"]
