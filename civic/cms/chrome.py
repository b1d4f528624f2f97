"""What every page shows around its content: the site's identity, main menu and footer links.

Every page reads them and editors rarely change them, so they are kept in Django's configured
cache (Redis in production, shared by every process) under a *generation* token. Any change
that can alter them (a page saved, published, unpublished, moved or deleted, a view
restriction, the site, the site identity, a footer link, an image) replaces the token, so every
process stops reading the old entries at once; old entries simply expire.

The cache only speeds pages up: when it fails, the chrome is built from the database (and the
failure logged once per process, ``civic.core.cache.cache_call``).
"""

import re
import uuid
from urllib.parse import urlsplit

from django.db import transaction
from django.template import engines
from django.utils import translation

from civic.core.cache import cache_call

GENERATION_KEY = "civic:cms:chrome:generation"
TIMEOUT = 24 * 60 * 60

_LOGO_TEMPLATE = '{% load wagtailimages_tags %}{% image logo height-48 alt="" class="site-brand__logo" %}'


def _generation() -> str | None:
    """The current token, or None when the cache cannot keep one."""
    generation = cache_call("get", GENERATION_KEY)
    if generation is None:
        # add() is atomic: when two processes start together, both end up with the same token.
        cache_call("add", GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache_call("get", GENERATION_KEY)
    return generation


def generation() -> str | None:
    """The current generation token: changes whenever pages or the site's identity change
    (None when the cache is unreachable: nothing can be cached then anyway)."""
    return _generation()


def site_chrome(request) -> dict:
    """The site identity, menu entries and footer links of the site that serves ``request``.

    Returns ``organisation_name``, ``contact_address``, ``contact_email``, ``contact_phone``,
    ``logo_html`` (the logo ``<img>`` or ""), ``root_url``, ``menu`` (a list of
    ``{"pk", "url", "title"}``), ``footer_links`` (a list of ``{"href", "label"}``) and
    ``tile_source`` (the map tile server as a Content-Security-Policy source, or "").
    """
    language = translation.get_language()
    remembered = getattr(request, "_civic_site_chrome", None)  # read once per request (page, then headers)
    if remembered is not None and remembered[0] == language:
        return remembered[1]
    generation = _generation()
    if generation is None:
        chrome = _build(request)
    else:
        key = f"civic:cms:chrome:{generation}:{request.get_host()}:{language}"
        chrome = cache_call("get", key)
        if chrome is None:
            chrome = _build(request)
            cache_call("set", key, chrome, TIMEOUT)
    request._civic_site_chrome = (language, chrome)
    return chrome


def _build(request) -> dict:
    from wagtail.models import Site

    from .models import SiteIdentity

    site = Site.find_for_request(request)
    if site is None:
        return {
            "organisation_name": "",
            "contact_address": "",
            "contact_email": "",
            "contact_phone": "",
            "logo_html": "",
            "root_url": "/",
            "menu": [],
            "footer_links": [],
            "tile_source": "",
        }
    identity = SiteIdentity.for_site(site)
    logo_html = ""
    if identity.logo_id:
        logo = identity.logo  # a deleted logo leaves logo_id empty (SET_NULL)
        logo_html = str(engines["django"].from_string(_LOGO_TEMPLATE).render({"logo": logo}))
    from civic.spaces.selectors import menu_entries

    # Live spaces are listed without anyone ticking "show in menus", then the editorial pages that are.
    menu = menu_entries(request)
    in_menu = {entry["pk"] for entry in menu}
    menu_pages = site.root_page.get_children().live().in_menu().public().exclude(pk__in=in_menu - {None})
    links = identity.footer_links.select_related("page") if identity.pk else []
    return {
        "organisation_name": identity.organisation_name,
        "contact_address": identity.contact_address,
        "contact_email": identity.contact_email,
        "contact_phone": identity.contact_phone,
        "logo_html": logo_html,
        "root_url": site.root_page.url,
        "menu": menu
        + [{"pk": page.pk, "url": page.get_url(request=request), "title": page.title} for page in menu_pages],
        "footer_links": [{"href": link.href, "label": link.label} for link in links],
        "tile_source": tile_source(identity.tile_url),
    }


_HOST = re.compile(r"(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?")


def tile_source(tile_url: str) -> str:
    """The Content-Security-Policy source that lets browsers load the tiles of ``tile_url``.

    ``https://{s}.tile.example.org/{z}/{x}/{y}.png`` gives ``https://*.tile.example.org``: labels
    with a placeholder become a wildcard. A relative URL is served by the site itself ('self'
    covers it) and anything that is not a plain http(s) host gives "", so that nothing an editor
    types can add another directive to the policy.
    """
    parts = urlsplit(tile_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    labels = parts.netloc.split(".")
    templated = [index for index, label in enumerate(labels) if "{" in label or "}" in label]
    if templated:
        labels = ["*", *labels[templated[-1] + 1 :]]
    host = ".".join(labels)
    if not _HOST.fullmatch(host) or host.startswith("*.") and host.count(".") < 2:
        return ""
    return f"{parts.scheme}://{host}"


def content_security_sources(request) -> dict[str, list[str]]:
    """What the pages of this site load from elsewhere: its map tiles (CONTENT_SECURITY_POLICY_SOURCES)."""
    remembered = getattr(request, "_civic_site_chrome", None)  # the page's own, in the page's language
    chrome = remembered[1] if remembered is not None else site_chrome(request)
    source = chrome.get("tile_source", "")  # entries cached before the key existed have none
    return {"img-src": [source]} if source else {}


def invalidate_site_chrome() -> None:
    """Make every process rebuild the page chrome on its next request.

    Done now and again once the current transaction commits: a process that rebuilt the chrome
    between the two would have read the data as it was before the commit.
    """
    cache_call("set", GENERATION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache_call("set", GENERATION_KEY, uuid.uuid4().hex, None))
