"""Geometry helpers every module shares: distances and boxes (WGS84 degrees). Coordinates that enter
the platform are checked by :mod:`civic.core.coordinates`."""

import math

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius
METRES_PER_DEGREE = 111_320.0  # of latitude (and of longitude at the equator)


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def bbox_around(longitude: float, latitude: float, radius_m: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a box holding the circle of ``radius_m`` around the point."""
    dlat = radius_m / METRES_PER_DEGREE
    dlon = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return (longitude - dlon, latitude - dlat, longitude + dlon, latitude + dlat)
