"""Benchmark: finding the email alerts a new report matches (``ReportAlert.objects.matching``).

Runs against whatever ``DATABASE_URL`` points at, which must be a THROW-AWAY database already migrated
(it refuses to run without an explicit DATABASE_URL). On first use it adds four square quartiers over a
~12 x 11 km city (named "bench-alerts …"), ``--alerts`` confirmed alerts (default 20,000: 80 % circles of
100-5,000 m around random points, 20 % on a quartier; 30 % limited to one or two of 8 categories),
then times the matching for ``--reports`` random report positions (p50 / p95 / max, ms, wall clock and
process time) and prints how many alerts matched on average. ``--reuse`` measures what is there.

    export DATABASE_URL=spatialite:////tmp/civic_alertperf.sqlite3 DJANGO_SETTINGS_MODULE=civic.settings.dev
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/bench_alerts.py --alerts 20000

    # PostGIS
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE civic_alertperf"
    export DATABASE_URL=postgis://postgres@127.0.0.1:5432/civic_alertperf DJANGO_SETTINGS_MODULE=civic.settings.dev
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/bench_alerts.py --alerts 20000
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings.dev")

WEST, SOUTH, EAST, NORTH = 1.372, 47.277, 1.532, 47.377
CATEGORIES = 8


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alerts", type=int, default=20_000)
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--reuse", action="store_true", help="measure the alerts already there")
    return parser.parse_args()


def setup(count: int):
    from django.contrib.gis.geos import MultiPolygon, Point, Polygon
    from django.utils import timezone

    from civic.territory.models import Area
    from signalements.models import Category, ReportAlert, Service

    mid_lon, mid_lat = (WEST + EAST) / 2, (SOUTH + NORTH) / 2
    areas = []
    for index, (w, s, e, n) in enumerate(
        [
            (WEST, SOUTH, mid_lon, mid_lat),
            (mid_lon, SOUTH, EAST, mid_lat),
            (WEST, mid_lat, mid_lon, NORTH),
            (mid_lon, mid_lat, EAST, NORTH),
        ]
    ):
        polygon = Polygon(((w, s), (e, s), (e, n), (w, n), (w, s)), srid=4326)
        area, _created = Area.objects.get_or_create(
            name=f"bench-alerts {index}", kind="quartier", defaults={"geometry": MultiPolygon(polygon, srid=4326)}
        )
        areas.append(area)
    service, _created = Service.objects.get_or_create(code="bench-alerts", defaults={"name": "Bench alerts"})
    categories = [
        Category.objects.get_or_create(
            code=f"bench-alerts-{index}", defaults={"name": f"Bench {index}", "group": "Bench", "service": service}
        )[0]
        for index in range(CATEGORIES)
    ]
    rng = random.Random(7)
    now = timezone.now()
    alerts = []
    for index in range(count):
        if rng.random() < 0.2:
            alert = ReportAlert(email=f"a{index}@bench.example.org", area=rng.choice(areas), confirmed_at=now)
        else:
            lon, lat = rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)
            alert = ReportAlert(
                email=f"a{index}@bench.example.org",
                location=Point(lon, lat, srid=4326),
                longitude=lon,
                latitude=lat,
                radius=rng.choice([100, 250, 500, 1000, 2000, 5000]),
                confirmed_at=now,
            )
        alerts.append(alert)
    started = time.perf_counter()
    created = ReportAlert.objects.bulk_create(alerts, batch_size=2000)
    through = ReportAlert.categories.through
    links = [
        through(reportalert_id=alert.pk, category_id=category.pk)
        for alert in created
        if rng.random() < 0.3
        for category in rng.sample(categories, rng.choice([1, 2]))
    ]
    through.objects.bulk_create(links, batch_size=5000)
    print(f"inserted {count} alerts ({len(links)} category links) in {time.perf_counter() - started:.1f} s")
    return categories


def main():
    args = parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a throw-away, migrated database.")
    import django

    django.setup()
    from django.contrib.gis.geos import Point
    from django.db import connection

    from signalements import conf
    from signalements.models import Category, Report, ReportAlert

    existing = ReportAlert.objects.count()
    if existing and not args.reuse:
        sys.exit(f"The database already holds {existing} alerts: use --reuse to measure them, or a fresh database.")
    categories = setup(args.alerts) if not existing else list(Category.objects.filter(code__startswith="bench-alerts-"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = ReportAlert.objects.count()
    rng = random.Random(11)
    max_radius = conf.get("SIGNALEMENTS_ALERT_MAX_RADIUS")
    wall, cpu, matched = [], [], []
    for _index in range(args.reports):
        lon, lat = rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)
        category = rng.choice(categories)
        report = Report(location=Point(lon, lat, srid=4326), longitude=lon, latitude=lat, category=category)
        started_wall, started_cpu = time.perf_counter(), time.process_time()
        found = ReportAlert.objects.confirmed().matching(report, max_radius=max_radius)
        wall.append((time.perf_counter() - started_wall) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        matched.append(len(found))

    def figures(values):
        ordered = sorted(values)
        return (
            f"p50 {statistics.median(ordered):.1f} / p95 {ordered[int(0.95 * (len(ordered) - 1))]:.1f} / "
            f"max {ordered[-1]:.1f}"
        )

    print(f"database: {connection.vendor}; alerts: {total}; reports matched: {args.reports}")
    print(f"alerts matched per report: mean {statistics.mean(matched):.0f}, max {max(matched)}")
    print(f"matching, wall clock (ms): {figures(wall)}")
    print(f"matching, process time of this Python process (ms): {figures(cpu)}")


if __name__ == "__main__":
    main()
