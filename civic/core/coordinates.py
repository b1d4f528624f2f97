"""The one check for every coordinate that enters the platform, made before any geometry is built.

A position must be two finite numbers, a longitude within ±180 and a latitude within ±90, inside
the territory: the site's map bounds when an editor set them, else the extent of the areas (no
limit while there is no area yet). GEOS is never given anything else: some values (``1e308``)
make GEOS 3.11's WKT writer, which SpatiaLite queries go through, overflow its stack and kill the
process.

Errors are ``ValidationError`` keyed by the field that carried the position.
"""

import logging
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .cache import cache_call

logger = logging.getLogger(__name__)

BOUNDS_KEY = "civic:core:territory-bounds"
BOUNDS_TIMEOUT = 10 * 60
#: How far (degrees, about 1 km) outside the territory's rectangle a position is still accepted:
#: a place on the boundary, or a GPS fix a little off.
MARGIN = 0.01
#: GeoJSON geometry types and how deep their "coordinates" nest positions.
_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
#: The most positions a geometry sent by a person may hold.
MAX_POSITIONS = 10_000


def _finite(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _is_number(value) -> bool:
    """Whether ``value`` reads as a number at all (infinite and NaN included)."""
    if isinstance(value, bool):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    except OverflowError:  # an integer too large for a float is still a number
        return True
    return True


def _compute_bounds() -> tuple[float, float, float, float] | None:
    from wagtail.models import Site

    from civic.cms.models import SiteIdentity
    from civic.territory.selectors import territory_extent

    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        identity = SiteIdentity.objects.filter(site=site).first()
        if identity is not None and identity.bounds:
            return tuple(identity.bounds)
    return territory_extent()


def territory_bounds() -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the territory, or None when nothing says where it is."""
    cached = cache_call("get", BOUNDS_KEY)
    if cached is not None:
        return cached or None
    bounds = _compute_bounds()
    cache_call("set", BOUNDS_KEY, bounds or (), BOUNDS_TIMEOUT)
    return bounds


def territory_bounds_forget(**_kwargs) -> None:
    """Forget the cached bounds (an area or the site identity changed)."""
    cache_call("delete", BOUNDS_KEY)


def in_territory(longitude: float, latitude: float) -> bool:
    bounds = territory_bounds()
    if bounds is None:
        return True
    west, south, east, north = bounds
    return west - MARGIN <= longitude <= east + MARGIN and south - MARGIN <= latitude <= north + MARGIN


def coordinates_clean(
    longitude, latitude, *, field: str = "location", territory: bool = True, outside: str | None = None
) -> tuple[float, float]:
    """Two finite numbers in range (and inside the territory), or ``ValidationError({field: ...})``;
    ``outside`` is what to say of a place outside the territory, in the words of the module asking."""
    if longitude in (None, "") or latitude in (None, ""):
        raise ValidationError({field: [_("Choose the place on the map, or give a latitude and a longitude.")]})
    lon, lat = _finite(longitude), _finite(latitude)
    if not (_is_number(longitude) and _is_number(latitude)):
        raise ValidationError({field: [_("Choose the place on the map, or give a latitude and a longitude.")]})
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError(
            {field: [_("The position is not valid: the latitude must be within ±90 and the longitude within ±180.")]}
        )
    if territory and not in_territory(lon, lat):
        raise ValidationError(
            {field: [outside or _("This place is outside the territory: choose a place in the commune.")]}
        )
    return lon, lat


def bbox_clean(value, *, field: str = "bbox") -> tuple[float, float, float, float] | None:
    """``"west,south,east,north"`` as four finite numbers in range, west < east and south < north.

    A map view may reach beyond the territory (a zoomed-out map), so only the range is checked.
    """
    if value in (None, ""):
        return None
    parts = str(value).split(",")
    numbers = [_finite(part) for part in parts]
    if len(parts) != 4 or None in numbers:
        raise ValidationError({field: [_("Give west,south,east,north in degrees.")]})
    west, south, east, north = numbers
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValidationError(
            {field: [_("Give west,south,east,north within ±180 and ±90, west < east, south < north.")]}
        )
    return west, south, east, north


def geojson_geometry_clean(data, *, field: str = "geometry", territory: bool = True) -> dict:
    """A GeoJSON geometry object whose positions all pass ``coordinates_clean``; returned unchanged.

    Only the shapes GeoJSON allows are accepted (a GeometryCollection is not), so that GEOS is
    given nothing it could choke on.
    """
    invalid = ValidationError(
        {field: [_('Give a GeoJSON geometry, e.g. {"type": "Point", "coordinates": [longitude, latitude]}.')]}
    )
    if not isinstance(data, dict) or data.get("type") not in _DEPTH or not isinstance(data.get("coordinates"), list):
        raise invalid
    positions = []

    def walk(node, depth):
        if not isinstance(node, list) or len(positions) > MAX_POSITIONS:
            raise invalid
        if depth == 0:
            if len(node) not in (2, 3):
                raise invalid
            positions.append(node)
            return
        if not node:
            raise invalid
        for child in node:
            walk(child, depth - 1)

    walk(data["coordinates"], _DEPTH[data["type"]])
    if len(positions) > MAX_POSITIONS:
        raise invalid
    for position in positions:
        if not all(isinstance(number, (int, float)) and not isinstance(number, bool) for number in position):
            raise invalid
        if _finite(position[-1]) is None:
            raise invalid
        coordinates_clean(position[0], position[1], field=field, territory=territory)
    return data
