"""Discussions are tested on areas (civic_territory.Area) with test-only rules."""

import pytest
import rules
from django.conf import settings
from django.core.cache import cache
from django.template import RequestContext, Template
from django.utils import translation

AREA_RULES = ("civic_territory.read_area", "civic_territory.comment_area")


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def english(request):
    """Assertions read the English msgids: the site speaks French by default, these tests in English."""
    translation.activate("en")
    for name in ("client", "api"):
        if name in request.fixturenames:
            request.getfixturevalue(name).cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def area_rules():
    """Everyone may see areas, logged-in people may comment on them; ``set`` changes a rule."""

    class AreaRules:
        def set(self, verb, predicate):
            rules.set_perm(f"civic_territory.{verb}_area", predicate)

        def remove(self, verb):
            if rules.perm_exists(f"civic_territory.{verb}_area"):
                rules.remove_perm(f"civic_territory.{verb}_area")

    helper = AreaRules()
    helper.set("read", rules.always_allow)
    helper.set("comment", rules.is_authenticated)
    yield helper
    for name in AREA_RULES:
        if rules.perm_exists(name):
            rules.remove_perm(name)


@pytest.fixture
def thread(area_factory, area_rules):
    """An area people may discuss."""
    return area_factory()


@pytest.fixture
def render_thread(rf):
    """Render ``{% comments_for target %}`` as ``user`` would see it, with optional query parameters."""

    def render(target, user, **params):
        from django.contrib.auth.models import AnonymousUser

        request = rf.get("/quartier/", params)
        request.user = user or AnonymousUser()
        template = Template("{% load discussions_tags %}{% comments_for target %}")
        return template.render(RequestContext(request, {"target": target}))

    return render
