"""Fixtures of the public site's tests: the home page and the site identity."""

import pytest
from wagtail.models import Site

from civic.cms.models import HomePage, SiteIdentity


@pytest.fixture
def home():
    return HomePage.objects.get()


@pytest.fixture
def identity():
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.organisation_name = "Ville de Saint-Exemple"
    identity.contact_email = "participation@saint-exemple.example"
    identity.contact_phone = "01 23 45 67 89"
    identity.save()
    return identity
