"""What every page shows around its content: the site's identity, main menu and footer links.

Every page reads them and editors rarely change them, so they are kept in Django's configured
cache (Redis in production, shared by every process) under a *generation* token. Any change
that can alter them (a page saved, published, unpublished, moved or deleted, a view
restriction, the site, the site identity, a footer link, an image) replaces the token, so every
process stops reading the old entries at once; old entries simply expire.

The cache only speeds pages up: when it fails, the chrome is built from the database (and the
failure logged once per process, ``civic.core.cache.cache_call``).
"""

import uuid

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
    ``{"pk", "url", "title"}``) and ``footer_links`` (a list of ``{"href", "label"}``).
    """
    generation = _generation()
    if generation is None:
        return _build(request)
    key = f"civic:cms:chrome:{generation}:{request.get_host()}:{translation.get_language()}"
    chrome = cache_call("get", key)
    if chrome is None:
        chrome = _build(request)
        cache_call("set", key, chrome, TIMEOUT)
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
    }


def invalidate_site_chrome() -> None:
    """Make every process rebuild the page chrome on its next request.

    Done now and again once the current transaction commits: a process that rebuilt the chrome
    between the two would have read the data as it was before the commit.
    """
    cache_call("set", GENERATION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache_call("set", GENERATION_KEY, uuid.uuid4().hex, None))
