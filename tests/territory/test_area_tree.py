"""Area ancestors and descendants: the QuerySet methods every module uses (routes, filters, votes)."""

import pytest
from django.urls import reverse

from civic.territory.models import Area, AreaKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(area_factory):
    commune = area_factory(name="Villeneuve", kind=AreaKind.COMMUNE)
    north = area_factory(name="Nord", parent=commune)
    south = area_factory(name="Sud", parent=commune)
    street = area_factory(name="Les Tilleuls", kind=AreaKind.QUARTIER, parent=north)
    return commune, north, south, street


def test_ancestors_are_the_area_then_what_contains_it(tree, django_assert_max_num_queries):
    commune, north, _south, street = tree

    with django_assert_max_num_queries(2):
        assert list(Area.objects.ancestors_of(street, include_self=True)) == [street, north, commune]
    assert list(Area.objects.ancestors_of(street.pk)) == [north, commune]
    assert list(Area.objects.ancestors_of(commune)) == []


def test_descendants_go_down_every_level(tree):
    commune, north, south, street = tree

    assert set(Area.objects.descendants_of(commune, include_self=True)) == {commune, north, south, street}
    assert set(Area.objects.descendants_of(north)) == {street}
    assert list(Area.objects.descendants_of(None)) == []


def test_the_report_map_filtered_by_a_commune_counts_reports_of_its_streets(client, tree, report_factory):
    commune, _north, _south, street = tree
    report_factory(area=street)

    response = client.get(reverse("api-report-list"), {"area": commune.pk, "zoom": 18})

    assert len(response.json()["features"]) == 1
