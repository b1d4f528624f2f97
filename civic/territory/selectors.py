from django.contrib.gis.geos import Point

from .models import Area


def area_containing(*, longitude: float, latitude: float, kind: str | None = None) -> Area | None:
    """The smallest area that contains the point, or None when the point is outside the territory."""
    areas = Area.objects.containing(Point(longitude, latitude, srid=4326))
    if kind:
        areas = areas.of_kind(kind)
    return areas.first()


def territory_extent() -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of all areas, or None when no area exists."""
    from django.contrib.gis.db.models import Extent

    extent = Area.objects.aggregate(extent=Extent("geometry"))["extent"]
    return tuple(extent) if extent else None
