"""Writes on the territory: importing areas from a GeoJSON file, all or nothing."""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.db import transaction

from .models import Area, AreaKind


class AreaImportError(Exception):
    """The file cannot be imported; nothing was changed. ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class AreaImportResult:
    created: list[Area] = field(default_factory=list)
    updated: list[Area] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)


_CRS_PATTERN = re.compile(r"(?:EPSG:+|EPSG/0/|EPSG::)(\d+)$", re.IGNORECASE)
_CRS84 = {"urn:ogc:def:crs:ogc:1.3:crs84", "crs84", "ogc:crs84"}


def _srid_of(collection: dict) -> int:
    crs = collection.get("crs")
    if not crs:
        return 4326  # RFC 7946: WGS84 longitude/latitude
    name = str((crs.get("properties") or {}).get("name", "")).strip()
    if name.lower() in _CRS84:
        return 4326
    match = _CRS_PATTERN.search(name)
    if not match:
        raise AreaImportError([f"Unknown coordinate reference system {name!r}: give it as EPSG:<code>."])
    srid = int(match.group(1))
    try:
        SpatialReference(srid)
    except (GDALException, ValueError) as exc:
        raise AreaImportError([f"Unknown coordinate reference system EPSG:{srid}."]) from exc
    return srid


def _as_multipolygon(geometry) -> MultiPolygon | None:
    if isinstance(geometry, MultiPolygon):
        return geometry
    if isinstance(geometry, Polygon):
        return MultiPolygon(geometry, srid=geometry.srid)
    # make_valid may return a collection: keep its polygonal parts.
    polygons = []
    for part in getattr(geometry, "__iter__", lambda: iter(()))():
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part)
    return MultiPolygon(*polygons, srid=geometry.srid) if polygons else None


def _load(source) -> dict:
    try:
        if isinstance(source, str | Path):
            with open(source, encoding="utf-8-sig") as handle:
                return json.load(handle)
        return json.load(source)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AreaImportError([f"The file cannot be read as GeoJSON: {exc}"]) from exc


def areas_import(
    *,
    source,
    name_property: str = "name",
    code_property: str | None = "code",
    kind: str = AreaKind.COMMUNE,
    parent: Area | None = None,
    repair: bool = True,
    update_existing: bool = True,
) -> AreaImportResult:
    """Import every feature of a GeoJSON FeatureCollection as an Area.

    Other CRSs (a ``crs`` member naming an EPSG code) are reprojected to WGS84. Invalid rings are
    repaired when ``repair`` is true, otherwise rejected. When any feature is at fault, nothing is
    written and ``AreaImportError`` names every feature at fault.
    """
    if kind not in AreaKind.values:
        raise AreaImportError([f"Unknown area kind {kind!r}: choose one of {', '.join(AreaKind.values)}."])
    collection = _load(source)
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise AreaImportError(["The file is not a GeoJSON FeatureCollection."])
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise AreaImportError(["The FeatureCollection holds no feature."])
    srid = _srid_of(collection)
    transform = CoordTransform(SpatialReference(srid), SpatialReference(4326)) if srid != 4326 else None

    errors: list[str] = []
    result = AreaImportResult()
    rows = []
    seen_codes: dict[str, str] = {}
    for index, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            errors.append(f"feature #{index}: it is not a GeoJSON Feature object.")
            continue
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            properties = {}
        name = str(properties.get(name_property) or "").strip()
        label = f"feature #{index}" + (f" ({name})" if name else "")
        if not name:
            errors.append(f"{label}: the property {name_property!r} is missing or empty.")
        code = ""
        if code_property:
            code = str(properties.get(code_property) or "").strip()
            if not code:
                errors.append(f"{label}: the property {code_property!r} is missing or empty.")
            elif code in seen_codes:
                errors.append(f"{label}: the code {code} is also used by {seen_codes[code]}.")
            else:
                seen_codes[code] = label
        raw_geometry = feature.get("geometry")
        if not raw_geometry:
            errors.append(f"{label}: it has no geometry.")
            continue
        try:
            # GDAL's GeoJSON reader always tags geometries as 4326; the file's crs member decides.
            geometry = GEOSGeometry(json.dumps(raw_geometry))
            geometry.srid = srid
        except (GEOSException, GDALException, ValueError, TypeError) as exc:
            errors.append(f"{label}: the geometry cannot be read ({exc}).")
            continue
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            errors.append(f"{label}: a {geometry.geom_type} is not an area; use a Polygon or MultiPolygon.")
            continue
        if transform is not None:
            try:
                geometry.transform(transform)
            except GDALException as exc:
                errors.append(f"{label}: the geometry cannot be reprojected ({exc}).")
                continue
        if not geometry.valid:
            reason = geometry.valid_reason
            if not repair:
                errors.append(f"{label}: invalid geometry ({reason}).")
                continue
            geometry = geometry.make_valid()
            geometry = _as_multipolygon(geometry)
            if geometry is None or geometry.empty or not geometry.valid:
                errors.append(f"{label}: invalid geometry that cannot be repaired ({reason}).")
                continue
            result.repaired.append(f"{label}: {reason}")
        multipolygon = _as_multipolygon(geometry)
        if multipolygon is None or multipolygon.empty:
            errors.append(f"{label}: the geometry is empty.")
            continue
        multipolygon.srid = 4326
        rows.append((name, code, multipolygon))
    if errors:
        raise AreaImportError(errors)

    with transaction.atomic():
        for name, code, geometry in rows:
            existing = Area.objects.filter(kind=kind, code=code).first() if code and update_existing else None
            if existing is not None:
                existing.name, existing.geometry, existing.parent = name, geometry, parent or existing.parent
                existing.save()
                result.updated.append(existing)
            else:
                if code and Area.objects.filter(kind=kind, code=code).exists():
                    raise AreaImportError([f"An area of kind {kind} with code {code} already exists."])
                result.created.append(
                    Area.objects.create(name=name, code=code, kind=kind, parent=parent, geometry=geometry)
                )
    return result
