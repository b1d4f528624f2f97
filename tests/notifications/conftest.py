import pytest

from civic.cms.models import HomePage, StandardPage


@pytest.fixture
def space(db):
    """A live Wagtail page standing for a participatory space (a consultation, a budget campaign...)."""
    home = HomePage.objects.get()
    return home.add_child(instance=StandardPage(title="Réaménagement de la place du marché", slug="place-du-marche"))


@pytest.fixture
def draft_space(db):
    home = HomePage.objects.get()
    return home.add_child(instance=StandardPage(title="Projet en préparation", slug="en-preparation", live=False))
