"""The import_areas command: real commune boundaries in, all or nothing, named errors out."""

import json
from io import StringIO

import pytest
from django.contrib.gis.geos import Polygon
from django.core.management import CommandError, call_command

from civic.territory.models import Area, AreaKind
from civic.territory.selectors import area_containing

pytestmark = pytest.mark.django_db

LYON = (4.8357, 45.7640)
NANTERRE = (2.2069, 48.8924)
ATLANTIC = (-20.0, 45.0)

SQUARE = {"type": "Polygon", "coordinates": [[[4.0, 45.0], [4.1, 45.0], [4.1, 45.1], [4.0, 45.1], [4.0, 45.0]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[4.0, 45.0], [4.1, 45.1], [4.1, 45.0], [4.0, 45.1], [4.0, 45.0]]]}
# A ring whose every point is the same: no area is left to repair.
COLLAPSED = {"type": "Polygon", "coordinates": [[[4.0, 45.0], [4.0, 45.0], [4.0, 45.0], [4.0, 45.0]]]}
# A ring folded on a line: repairing it gives lines, not an area.
FLAT = {"type": "Polygon", "coordinates": [[[4.0, 45.0], [4.5, 45.5], [5.0, 46.0], [4.0, 45.0]]]}


@pytest.fixture
def hauts_de_seine(shared_data):
    return shared_data / "territory" / "communes-92-hauts-de-seine.geojson"


@pytest.fixture
def rhone(shared_data):
    return shared_data / "territory" / "communes-69-rhone.geojson"


def run(path, *args):
    out = StringIO()
    call_command("import_areas", str(path), *args, stdout=out)
    return out.getvalue()


def feature(name, code, geometry=SQUARE):
    return {"type": "Feature", "properties": {"name": name, "code": code}, "geometry": geometry}


def write(tmp_path, features, **members):
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", **members, "features": features}), encoding="utf-8")
    return path


def snapshot():
    return sorted((area.kind, area.code, area.name, area.geometry.wkt, area.updated_at) for area in Area.objects.all())


# --- Real files -------------------------------------------------------------------------------


def test_imports_the_36_communes_of_hauts_de_seine(hauts_de_seine):
    output = run(hauts_de_seine, "--name-property", "nom")

    assert "36 areas created, 0 updated." in output
    assert Area.objects.count() == 36
    nanterre = Area.objects.get(code="92050")
    assert nanterre.name == "Nanterre"
    assert nanterre.kind == AreaKind.COMMUNE
    assert nanterre.geometry.geom_type == "MultiPolygon"
    assert nanterre.geometry.srid == 4326
    assert nanterre.geometry.valid


def test_imports_the_278_communes_of_the_rhone_and_finds_lyon(rhone):
    output = run(rhone, "--name-property", "nom")

    assert "278 areas created" in output
    assert Area.objects.filter(kind=AreaKind.COMMUNE).count() == 278
    lyon = area_containing(longitude=LYON[0], latitude=LYON[1])
    assert lyon is not None
    assert (lyon.code, lyon.name) == ("69123", "Lyon")


def test_area_containing_finds_nanterre_and_nothing_outside_the_territory(hauts_de_seine):
    run(hauts_de_seine, "--name-property", "nom")

    assert area_containing(longitude=NANTERRE[0], latitude=NANTERRE[1]).name == "Nanterre"
    assert area_containing(longitude=ATLANTIC[0], latitude=ATLANTIC[1]) is None
    assert area_containing(longitude=NANTERRE[0], latitude=NANTERRE[1], kind=AreaKind.QUARTIER) is None


def test_area_containing_prefers_the_smallest_area(rhone, tmp_path):
    run(rhone, "--name-property", "nom")
    lon, lat = LYON
    presquile = Polygon.from_bbox((lon - 0.005, lat - 0.005, lon + 0.005, lat + 0.005))
    path = write(tmp_path, [feature("Presqu'île", "69123-Q1", json.loads(presquile.json))])

    run(path, "--kind", "quartier", "--parent", "69123")

    found = area_containing(longitude=lon, latitude=lat)
    assert found.name == "Presqu'île"
    assert found.parent.name == "Lyon"
    assert found.depth == 1
    assert area_containing(longitude=lon, latitude=lat, kind=AreaKind.COMMUNE).name == "Lyon"


def test_reimport_updates_rather_than_duplicates(hauts_de_seine, tmp_path):
    run(hauts_de_seine, "--name-property", "nom")
    collection = json.loads(hauts_de_seine.read_text(encoding="utf-8"))
    for item in collection["features"]:
        if item["properties"]["code"] == "92050":
            item["properties"]["nom"] = "Nanterre (préfecture)"
    path = tmp_path / "renamed.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")

    output = run(path, "--name-property", "nom")

    assert "0 areas created, 36 updated." in output
    assert Area.objects.count() == 36
    assert Area.objects.get(code="92050").name == "Nanterre (préfecture)"


def test_a_valid_file_with_one_bad_feature_at_the_end_imports_nothing(hauts_de_seine, tmp_path):
    collection = json.loads(hauts_de_seine.read_text(encoding="utf-8"))
    collection["features"].append(
        {
            "type": "Feature",
            "properties": {"code": "92999", "nom": "Commune fantôme"},
            "geometry": {"type": "Point", "coordinates": [2.2, 48.9]},
        }
    )
    path = tmp_path / "with-a-point.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        run(path, "--name-property", "nom")

    assert "feature #37 (Commune fantôme)" in str(raised.value)
    assert "Nothing was imported" in str(raised.value)
    assert Area.objects.count() == 0


# --- Repair ------------------------------------------------------------------------------------


def test_a_bowtie_ring_is_repaired_by_default(tmp_path):
    path = write(tmp_path, [feature("Nœud papillon", "B1", BOWTIE)])

    output = run(path)

    assert "repaired feature #1 (Nœud papillon)" in output
    assert "Self-intersection" in output
    area = Area.objects.get(code="B1")
    assert area.geometry.valid
    assert len(area.geometry) == 2  # the two triangles of the bowtie
    assert area.geometry.area == pytest.approx(0.005, rel=1e-6)


def test_a_bowtie_ring_is_rejected_with_no_repair(tmp_path, area_factory):
    area_factory(name="Déjà là", code="X1")
    before = snapshot()
    path = write(tmp_path, [feature("Carré", "S1"), feature("Nœud papillon", "B1", BOWTIE)])

    with pytest.raises(CommandError) as raised:
        run(path, "--no-repair")

    message = str(raised.value)
    assert "feature #2 (Nœud papillon): invalid geometry" in message
    assert "Self-intersection" in message
    assert "Carré" not in message
    assert snapshot() == before


# --- Bad input: a named error and an unchanged table -------------------------------------------


@pytest.fixture
def existing_areas(area_factory):
    """Areas already in the table, which a failed import must leave as they are."""
    area_factory(name="Centre", code="C1", kind=AreaKind.COMMUNE)
    area_factory(name="Gare", code="G1")
    return snapshot()


@pytest.mark.parametrize(
    ("features", "expected"),
    [
        pytest.param(
            [feature("Carré", "S1"), feature("Effondré", "E1", COLLAPSED)],
            "feature #2 (Effondré): invalid geometry that cannot be repaired",
            id="collapsed-ring",
        ),
        pytest.param(
            [feature("Plat", "F1", FLAT), feature("Carré", "S1")],
            "feature #1 (Plat): invalid geometry that cannot be repaired",
            id="flat-ring",
        ),
        pytest.param(
            [feature("Carré", "S1"), feature("Illisible", "I1", {"type": "Polygon", "coordinates": "nowhere"})],
            "feature #2 (Illisible): the geometry cannot be read",
            id="unreadable-geometry",
        ),
        pytest.param(
            [feature("Carré", "S1"), feature("", "N1")],
            "feature #2: the property 'name' is missing or empty",
            id="missing-name",
        ),
        pytest.param(
            [feature("Carré", "S1"), {"type": "Feature", "properties": {"name": "Sans code"}, "geometry": SQUARE}],
            "feature #2 (Sans code): the property 'code' is missing or empty",
            id="missing-code",
        ),
        pytest.param(
            [feature("Carré", "S1"), feature("Point", "P1", {"type": "Point", "coordinates": [4.05, 45.05]})],
            "feature #2 (Point): a Point is not an area",
            id="point",
        ),
        pytest.param(
            [feature("Carré", "S1"), feature("Sans forme", "V1", None)],
            "feature #2 (Sans forme): it has no geometry",
            id="no-geometry",
        ),
        pytest.param(
            [feature("Premier", "D1"), feature("Second", "D1")],
            "feature #2 (Second): the code D1 is also used by feature #1 (Premier)",
            id="duplicate-codes",
        ),
        pytest.param(
            [feature("Centre bis", "C2"), feature("Gare bis", "G2"), "not a feature"],
            "feature #3: it is not a GeoJSON Feature object",
            id="feature-not-an-object",
        ),
    ],
)
def test_a_bad_feature_names_itself_and_changes_nothing(tmp_path, existing_areas, features, expected):
    path = write(tmp_path, features)

    with pytest.raises(CommandError) as raised:
        run(path)

    assert expected in str(raised.value)
    assert snapshot() == existing_areas


def test_every_feature_at_fault_is_named_at_once(tmp_path, existing_areas):
    path = write(
        tmp_path,
        [feature("", "N1"), feature("Carré", "S1"), feature("Point", "P1", {"type": "Point", "coordinates": [4, 45]})],
    )

    with pytest.raises(CommandError) as raised:
        run(path)

    message = str(raised.value)
    assert "feature #1:" in message
    assert "feature #3 (Point)" in message
    assert "feature #2" not in message
    assert snapshot() == existing_areas


@pytest.mark.parametrize(
    ("crs_name", "expected"),
    [
        ("EPSG:999999", "Unknown coordinate reference system EPSG:999999"),
        ("urn:nowhere:lambert-ish", "Unknown coordinate reference system 'urn:nowhere:lambert-ish'"),
        ("", "Unknown coordinate reference system ''"),
    ],
)
def test_an_unknown_crs_is_refused_and_changes_nothing(tmp_path, existing_areas, crs_name, expected):
    path = write(tmp_path, [feature("Carré", "S1")], crs={"type": "name", "properties": {"name": crs_name}})

    with pytest.raises(CommandError) as raised:
        run(path)

    assert expected in str(raised.value)
    assert snapshot() == existing_areas


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"code;nom\n92050;Nanterre\n", "cannot be read as GeoJSON"),
        (b"\xff\xfe\x00garbage", "cannot be read as GeoJSON"),
        (b'{"type": "Feature", "geometry": null, "properties": {}}', "not a GeoJSON FeatureCollection"),
        (b"[1, 2, 3]", "not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "holds no feature"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(tmp_path, existing_areas, content, expected):
    path = tmp_path / "areas.geojson"
    path.write_bytes(content)

    with pytest.raises(CommandError) as raised:
        run(path)

    assert expected in str(raised.value)
    assert snapshot() == existing_areas


def test_a_missing_file_is_refused(tmp_path, existing_areas):
    with pytest.raises(CommandError, match="cannot be read as GeoJSON"):
        run(tmp_path / "nowhere.geojson")
    assert snapshot() == existing_areas


def test_an_unknown_parent_is_refused(tmp_path, existing_areas):
    path = write(tmp_path, [feature("Carré", "S1")])

    with pytest.raises(CommandError, match="No area has the code '99999'"):
        run(path, "--kind", "quartier", "--parent", "99999")
    assert snapshot() == existing_areas


def test_features_without_codes_import_with_an_empty_code_property(tmp_path):
    path = write(tmp_path, [feature("Nord", ""), feature("Sud", "")])

    run(path, "--code-property", "", "--kind", "quartier")

    assert sorted(Area.objects.values_list("name", flat=True)) == ["Nord", "Sud"]


# --- Reprojection ------------------------------------------------------------------------------


@pytest.mark.parametrize("crs_name", ["EPSG:2154", "urn:ogc:def:crs:EPSG::2154"])
def test_a_lambert_93_file_is_stored_back_in_wgs84(tmp_path, crs_name):
    lon, lat = LYON
    wgs84 = Polygon(
        [(lon - 0.01, lat - 0.01), (lon + 0.01, lat - 0.01), (lon + 0.015, lat + 0.01), (lon - 0.01, lat + 0.01)]
        + [(lon - 0.01, lat - 0.01)],
        srid=4326,
    )
    lambert = wgs84.transform(2154, clone=True)
    # Lambert-93 coordinates are metres, far from any degree value.
    assert lambert.coords[0][0][0] > 100_000
    path = write(
        tmp_path,
        [feature("Lyon centre", "L93", json.loads(lambert.json))],
        crs={"type": "name", "properties": {"name": crs_name}},
    )

    run(path, "--kind", "quartier")

    stored = Area.objects.get(code="L93").geometry
    assert stored.srid == 4326
    stored_ring = stored[0].exterior_ring.coords
    assert len(stored_ring) == len(wgs84.exterior_ring.coords)
    for (stored_lon, stored_lat), (lon_in, lat_in) in zip(stored_ring, wgs84.exterior_ring.coords, strict=True):
        assert stored_lon == pytest.approx(lon_in, abs=1e-6)
        assert stored_lat == pytest.approx(lat_in, abs=1e-6)
    assert area_containing(longitude=lon, latitude=lat).code == "L93"


def test_crs84_is_read_as_wgs84(tmp_path):
    path = write(
        tmp_path,
        [feature("Carré", "S1")],
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    )

    run(path)

    assert Area.objects.get(code="S1").geometry.extent == pytest.approx((4.0, 45.0, 4.1, 45.1))
