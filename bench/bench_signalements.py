"""Benchmark: incident reports with a large city's volume (map viewport API, nearby duplicates, submission).

Runs against whatever ``DATABASE_URL`` points at, which must be a THROW-AWAY database already migrated:
it inserts ``--reports`` reports (default 100,000) over a ~12 x 11 km city in four quartiers, created over
the last three years, counts the map cells (``map_cells_rebuild``), then measures with Django's test client
(the whole middleware stack, no network) or the selector itself:

- first, that the pre-counted clusters equal the live computation on 30 viewports (it stops if not);
- the map viewport API ``/api/v1/reports/?bbox=&zoom=`` at several zooms, the whole city included
  (random 1280 x 900 px viewports; clusters below zoom 16, points above), without filters and with the
  filters a resident picks (category, state, quartier, period, or a mix), p50/p95;
- the nearby-duplicates selector ``nearby_open_reports`` (and its API) at random points, p50/p95;
- a report submitted through the web form by a logged-in resident with a ~4 MB 4000 x 3000 JPEG,
  end to end (POST, photo processing, storage, routing, notifications, then the report page), p50/p95.

It refuses to run on a database that already holds reports unless ``--reuse`` (measure what is there:
build once, measure many times) or ``--append`` (insert more) is given, and refuses to run without an
explicit DATABASE_URL (the default is the developer's own database).

    # PostGIS, 1,000,000 reports: build once (~2-8 min insert + ~2-13 min counting the map cells), then measure
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE civic_sigperf"
    export DATABASE_URL=postgis://postgres@127.0.0.1:5432/civic_sigperf DJANGO_SETTINGS_MODULE=civic.settings.dev
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/bench_signalements.py --reports 1000000 --build-only
    .venv/bin/python bench/bench_signalements.py --reuse --requests 100

    # SpatiaLite, 100,000 reports
    export DATABASE_URL=spatialite:////tmp/civic_sigperf.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/bench_signalements.py --reports 100000 --build-only
    .venv/bin/python bench/bench_signalements.py --reuse

``--viewports-only`` skips the nearby and submission measures. The city and the bulk insert are in
``_signalements_data.py``. Record the figures in docs/signalements.md (Performance) with the machine and
database used.
"""

import argparse
import io
import math
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from _signalements_data import EAST, NORTH, SOUTH, WEST, analyse, ensure_setup, insert_reports, random_point

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings.dev")

TARGETS = {"viewport": 100.0, "nearby": 20.0, "submit": 1000.0}  # p95 (viewport, nearby) or p50 (submit), ms


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000, help="reports to insert (default 100000)")
    parser.add_argument("--requests", type=int, default=200, help="viewport requests per zoom (default 200)")
    parser.add_argument("--nearby", type=int, default=200, help="nearby-duplicates queries (default 200)")
    parser.add_argument("--submissions", type=int, default=10, help="submissions with a 4 MB photo (default 10)")
    parser.add_argument("--batch", type=int, default=10_000, help="bulk_create batch size (default 10000)")
    parser.add_argument("--append", action="store_true", help="insert even if the database already has reports")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the reports already in the database (insert none)"
    )
    parser.add_argument(
        "--build-only", action="store_true", help="insert the reports and count the map cells, then stop"
    )
    parser.add_argument("--viewports-only", action="store_true", help="measure the map viewports only")
    parser.add_argument(
        "--checks", type=int, default=30, help="viewports where counted = live clusters is checked (default 30)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


class Timings(list):
    """Wall-clock durations (ms), with the CPU time of this process for each in ``cpu``."""

    cpu: list


def timed(function, repeat):
    durations = Timings()
    durations.cpu = []
    for index in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function(index)
        durations.append((time.perf_counter() - start) * 1000)
        durations.cpu.append((time.process_time() - start_cpu) * 1000)
    return durations


# --- Measures ---------------------------------------------------------------------------------


def viewport(zoom, rng, *, whole_city=False):
    """A 1280 x 900 px viewport at ``zoom`` centred somewhere in the city (or on the whole city)."""
    if whole_city:
        return WEST, SOUTH, EAST, NORTH
    width = 1280 * 360 / (256 * 2**zoom)
    height = 900 * 360 / (256 * 2**zoom) * math.cos(math.radians((SOUTH + NORTH) / 2))
    lon, lat = random_point(rng)
    return lon - width / 2, lat - height / 2, lon + width / 2, lat + height / 2


def random_filters(rng, *, categories, quartiers):
    """What a resident picks in the map's filter bar: a category, a state, a quartier, a period (or a mix)."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    choice = rng.randrange(6)
    if choice == 0:
        return {"category": categories[rng.randrange(len(categories))].code}
    if choice == 1:
        return {"state": rng.choice(["open", "closed", "fixed", "in_progress"])}
    if choice == 2:
        return {"area": quartiers[rng.randrange(len(quartiers))].pk}
    if choice == 3:
        return {"since": (today - timedelta(days=rng.choice([7, 30, 90, 365]))).isoformat()}
    if choice == 4:
        since = today - timedelta(days=rng.randrange(60, 1000))
        return {"since": since.isoformat(), "until": (since + timedelta(days=rng.randrange(1, 400))).isoformat()}
    return {
        "category": categories[rng.randrange(len(categories))].code,
        "state": "open",
        "since": (today - timedelta(days=rng.randrange(30, 700))).isoformat(),
    }


def measure_viewports(client, *, requests, rng, categories, quartiers):
    from urllib.parse import urlencode

    rows = []
    cases = [("whole city", 12, True), *[(f"zoom {z}", z, False) for z in (13, 14, 15, 16, 17, 18)]]
    for with_filters in (False, True):
        for label, zoom, whole in cases:
            sizes = []

            def call(_index, zoom=zoom, whole=whole, sizes=sizes, with_filters=with_filters):
                params = {"bbox": ",".join(f"{value:.5f}" for value in viewport(zoom, rng, whole_city=whole))}
                params["zoom"] = zoom
                if with_filters:
                    params |= random_filters(rng, categories=categories, quartiers=quartiers)
                response = client.get(f"/api/v1/reports/?{urlencode(params)}", HTTP_ACCEPT="application/geo+json")
                assert response.status_code == 200, (response.status_code, response.content[:300])
                sizes.append(len(response.json()["features"]))

            durations = timed(call, requests)
            name = f"viewport API, {label}" + (", random filters" if with_filters else "")
            rows.append((name, durations, f"{statistics.median(sizes):.0f} features"))
    return rows


def check_counted_equals_live(*, rng, categories, quartiers, samples=30):
    """The pre-counted clusters must be the live computation's, exactly (counts) and to 1e-9 degree (centres)."""
    from signalements.models import Report
    from signalements.selectors import ReportFilters, cell_range, map_clusters, map_clusters_counted

    for index in range(samples):
        zoom = 12 + index % 4
        bbox = viewport(zoom, rng, whole_city=zoom == 12)
        filters = ReportFilters.from_params(
            {key: str(value) for key, value in random_filters(rng, categories=categories, quartiers=quartiers).items()}
            if index % 2
            else {}
        )
        counted = {cell["cell"]: cell for cell in map_clusters_counted(filters=filters, bbox=bbox, zoom=zoom)}
        live = {
            cell["cell"]: cell
            for cell in map_clusters(filters.apply(Report.objects.public()), zoom=zoom, cells=cell_range(bbox, zoom))
        }
        assert counted.keys() == live.keys(), (zoom, filters)
        for key, cell in live.items():
            assert (counted[key]["count"], counted[key]["open"]) == (cell["count"], cell["open"]), (key, filters)
            assert abs(counted[key]["lon"] - cell["lon"]) < 1e-9 and abs(counted[key]["lat"] - cell["lat"]) < 1e-9
    print(f"  pre-counted clusters = live clusters on {samples} viewports (with and without filters)")


def measure_nearby(client, *, categories, count, rng):
    from signalements.selectors import nearby_open_reports

    points = [random_point(rng) for _index in range(count)]
    found = []

    def selector(index):
        lon, lat = points[index]
        found.append(
            len(nearby_open_reports(category=categories[index % len(categories)], longitude=lon, latitude=lat))
        )

    def api(index):
        lon, lat = points[index]
        response = client.get(
            f"/api/v1/reports/nearby/?category={categories[index % len(categories)].code}&lon={lon}&lat={lat}"
        )
        assert response.status_code == 200, (response.status_code, response.content[:300])

    selector_durations = timed(selector, count)
    return [
        ("nearby duplicates (selector)", selector_durations, f"{statistics.mean(found):.1f} found"),
        ("nearby duplicates (API)", timed(api, count), ""),
    ]


def four_mb_jpeg() -> bytes:
    """A 4000 x 3000 noisy photo, encoded at the JPEG quality that makes it closest to 4 MB."""
    from PIL import Image

    small = Image.merge("RGB", [Image.effect_noise((1000, 750), 60 + 10 * band) for band in range(3)])
    image = Image.merge(
        "RGB",
        [
            band.point(lambda v, shift=shift: (v + shift) % 256)
            for shift, band in zip((0, 40, 90), small.split(), strict=True)
        ],
    ).resize((4000, 3000), Image.Resampling.BICUBIC)
    fine = Image.effect_noise((4000, 3000), 25).convert("RGB")
    image = Image.blend(image, fine, 0.35)
    best = b""
    for quality in (70, 80, 85, 90, 95):
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality)
        data = buffer.getvalue()
        if not best or abs(len(data) - 4_000_000) < abs(len(best) - 4_000_000):
            best = data
    return best


def measure_submissions(client, *, resident, categories, count, rng):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from signalements.photos import photo_process

    photo = four_mb_jpeg()
    print(f"  photo: 4000 x 3000 JPEG, {len(photo) / 1_000_000:.1f} MB")
    client.force_login(resident)
    client.get("/signalements/nouveau/")  # warm the form's caches as a first visit would

    def submit(index):
        lon, lat = random_point(rng)
        response = client.post(
            "/signalements/nouveau/",
            {
                "category": categories[index % len(categories)].code,
                "latitude": f"{lat:.6f}",
                "longitude": f"{lon:.6f}",
                "description": "Nid-de-poule profond devant l'école, signalé depuis un téléphone.",
                "photos": [SimpleUploadedFile(f"IMG_{index:04}.jpg", photo, content_type="image/jpeg")],
                "idempotency_key": uuid.uuid4().hex,
            },
            follow=True,
        )
        assert response.status_code == 200 and response.redirect_chain, (response.status_code, response.content[:500])

    def process(index):
        photo_process(SimpleUploadedFile(f"IMG_{index:04}.jpg", photo, content_type="image/jpeg"))

    return [
        (
            "submit a report with a 4 MB photo (web form, end to end)",
            timed(submit, count),
            f"{len(photo) / 1e6:.1f} MB",
        ),
        ("of which: photo processing alone", timed(process, count), "2000 px + thumbnail"),
    ]


def main():
    args = parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a throw-away, migrated database (see the top of this file).")

    import django

    django.setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from rest_framework.views import APIView

    from signalements.models import Report
    from signalements.services.map_cells import map_cells_rebuild

    setup_test_environment()  # emails in memory, the test client's host allowed
    existing = Report.objects.count()
    if existing and not (args.append or args.reuse):
        sys.exit(f"This database already has {existing:,} reports: use a throw-away database, --reuse or --append.")

    media = tempfile.mkdtemp(prefix="civic-bench-media-")
    APIView.throttle_classes = []  # the anonymous rate limit would answer 429 after 120 requests
    with override_settings(MEDIA_ROOT=media):
        rng = random.Random(args.seed)
        area, quartiers, service, categories, resident = ensure_setup()
        print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}), {existing:,} reports before")
        if not (args.reuse and existing):
            elapsed = insert_reports(
                count=args.reports,
                batch=args.batch,
                quartiers=quartiers,
                service=service,
                categories=categories,
                rng=rng,
            )
            print(f"  inserted in {elapsed:.0f} s")
            start = time.perf_counter()
            counts = map_cells_rebuild()
            print(
                f"  map cells rebuilt in {time.perf_counter() - start:.1f} s: "
                f"{counts['entries']:,} public reports, {counts['cells']:,} cells"
            )
            analyse()
        total = Report.objects.count()
        print(f"  {total:,} reports in the database")
        if args.build_only:
            return

        check_counted_equals_live(rng=rng, categories=categories, quartiers=quartiers, samples=args.checks)
        client = Client()
        client.get("/api/v1/reports/?bbox=1.4,47.3,1.5,47.35&zoom=14")  # warm-up
        rows = measure_viewports(client, requests=args.requests, rng=rng, categories=categories, quartiers=quartiers)
        if not args.viewports_only:
            rows += measure_nearby(client, categories=categories, count=args.nearby, rng=rng)
            rows += measure_submissions(
                client, resident=resident, categories=categories, count=args.submissions, rng=rng
            )

    print()
    print(f"{connection.vendor}, {total:,} reports")
    print()
    # CPU: this process only (Django, and SQLite, which runs inside it; not the PostgreSQL server).
    print("| measure | runs | p50 (ms) | p95 (ms) | max (ms) | CPU p50 / p95 (ms) | notes |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, durations, notes in rows:
        cpu = getattr(durations, "cpu", None)
        cpu = f"{statistics.median(cpu):.1f} / {percentile(cpu, 95):.1f}" if cpu else ""
        print(
            f"| {label} | {len(durations)} | {statistics.median(durations):.1f} | {percentile(durations, 95):.1f} "
            f"| {max(durations):.1f} | {cpu} | {notes} |"
        )


if __name__ == "__main__":
    main()
