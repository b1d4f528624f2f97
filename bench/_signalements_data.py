"""The benchmark city of ``bench_signalements.py``: its commune, quartiers, categories and people, and the
reports inserted in bulk (imported by the benchmark; not a script of its own)."""

import time

# The city: about 12 x 11 km (Paris intra-muros is 105 km²), around the demo commune's centre.
WEST, SOUTH, EAST, NORTH = 1.372, 47.277, 1.532, 47.377
CATEGORIES = 8


def ensure_setup():
    """A commune covering the city, a service with an agent, categories and a resident (reused if present)."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from civic.accounts.models import User
    from civic.territory.models import Area
    from signalements.models import Category, Service

    polygon = Polygon.from_bbox((WEST, SOUTH, EAST, NORTH))
    polygon.srid = 4326
    area = Area.objects.filter(code="bench-city").first() or Area.objects.create(
        name="Ville du banc", kind="commune", code="bench-city", geometry=MultiPolygon(polygon, srid=4326)
    )
    quartiers = []
    for column in range(2):
        for row in range(2):
            west = WEST + (EAST - WEST) / 2 * column
            south = SOUTH + (NORTH - SOUTH) / 2 * row
            square = Polygon.from_bbox((west, south, west + (EAST - WEST) / 2, south + (NORTH - SOUTH) / 2))
            square.srid = 4326
            code = f"bench-q{column}{row}"
            quartiers.append(
                Area.objects.filter(code=code).first()
                or Area.objects.create(
                    name=f"Quartier {column}{row}",
                    kind="quartier",
                    code=code,
                    parent=area,
                    geometry=MultiPolygon(square, srid=4326),
                )
            )
    service, _created = Service.objects.get_or_create(
        code="bench-voirie", defaults={"name": "Voirie (banc)", "email": "voirie-bench@example.org"}
    )
    agent, _created = User.objects.get_or_create(
        email="agent.bench@example.org", defaults={"display_name": "Agent du banc"}
    )
    service.agents.add(agent)
    categories = []
    for index in range(CATEGORIES):
        category, _created = Category.objects.get_or_create(
            code=f"bench-{index}",
            defaults={"name": f"Catégorie {index}", "group": "Banc", "service": service, "nearby_radius": 40},
        )
        categories.append(category)
    resident, _created = User.objects.get_or_create(
        email="resident.bench@example.org", defaults={"display_name": "Habitante du banc"}
    )
    return area, quartiers, service, categories, resident


def random_point(rng):
    """80% around a dozen busy places (markets, stations...), 20% anywhere in the city."""
    if rng.random() < 0.2:
        return rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)
    centre = HOTSPOTS[rng.randrange(len(HOTSPOTS))]
    lon = min(EAST, max(WEST, rng.gauss(centre[0], 0.01)))
    lat = min(NORTH, max(SOUTH, rng.gauss(centre[1], 0.007)))
    return lon, lat


HOTSPOTS = [
    (WEST + (EAST - WEST) * (0.15 + 0.7 * ((i * 0.37) % 1)), SOUTH + (NORTH - SOUTH) * (0.1 + 0.08 * i))
    for i in range(10)
]


def insert_reports(*, count, batch, quartiers, service, categories, rng):
    """Rows sent as one JSON document per batch and unpacked by the database (bulk_create builds a model and a
    GEOS point per row: 860 rows/s). Created over the last three years, in the quartier of their quadrant.
    """
    import json
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from signalements.models import Report, ReportState
    from signalements.models.reports import CLOSED_STATES, OPEN_STATES

    states = [*OPEN_STATES] * 2 + [*CLOSED_STATES] + [ReportState.FIXED] * 6
    template = Report(
        category=categories[0],
        service=service,
        area=quartiers[0],
        longitude=0.0,
        latitude=0.0,
        description="Signalement de charge pour le banc d'essai.",
        reporter_name="Banc",
        confirmed_at=timezone.now(),
    )
    varying = ["location", "longitude", "latitude", "category", "area", "state", "created_at", "updated_at"]
    fields = [field for field in Report._meta.concrete_fields if not field.primary_key and field.name not in varying]
    constant = [field.get_db_prep_save(field.pre_save(template, add=True), connection) for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    columns += ", location, longitude, latitude, category_id, area_id, state, created_at, updated_at"
    if connection.vendor == "postgresql":
        rows_sql = (
            "ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), r.lon, r.lat, r.cat, r.area, r.state, r.created, r.created "
            "FROM json_to_recordset(%s::json) AS r(lon float8, lat float8, cat bigint, area bigint, state text, "
            "created timestamptz)"
        )
    else:
        rows_sql = (
            "MakePoint(r.value ->> 'lon', r.value ->> 'lat', 4326), r.value ->> 'lon', r.value ->> 'lat', "
            "r.value ->> 'cat', r.value ->> 'area', r.value ->> 'state', r.value ->> 'created', r.value ->> 'created' "
            "FROM json_each(%s) AS r"
        )
    created_field = Report._meta.get_field("created_at")
    now, span = timezone.now(), 3 * 365 * 86400
    table = connection.ops.quote_name(Report._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) SELECT {', '.join(['%s'] * len(fields))}, {rows_sql}"  # noqa: S608
    inserted, start = 0, time.perf_counter()
    while inserted < count:
        size = min(batch, count - inserted)
        rows = []
        for _index in range(size):
            lon, lat = random_point(rng)
            created = created_field.get_db_prep_save(now - timedelta(seconds=rng.randrange(span)), connection)
            quartier = quartiers[(2 if lon >= (WEST + EAST) / 2 else 0) + (1 if lat >= (SOUTH + NORTH) / 2 else 0)]
            rows.append(
                {
                    "lon": lon,
                    "lat": lat,
                    "cat": categories[rng.randrange(len(categories))].pk,
                    "area": quartier.pk,
                    "state": states[rng.randrange(len(states))],
                    "created": str(created),
                }
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [*constant, json.dumps(rows)])
        inserted += size
        elapsed = time.perf_counter() - start
        print(f"\r  {inserted:>9,} reports inserted ({inserted / elapsed:,.0f}/s)", end="", flush=True)
    print()
    return time.perf_counter() - start


def analyse():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
