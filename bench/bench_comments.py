"""Benchmark: the first page of a 1,000-comment thread, as a web page and through the API.

Builds a throw-away test database (``test_<name>`` on PostGIS, a temporary file on SpatiaLite),
fills one thread with comments, replies and supports, then times N requests of each kind with
Django's test client (the whole middleware stack, no network) and prints p50/p95, the number
of SQL queries per request and the time spent in them (one request, after the timed ones).
``cpu ms`` is the median processor time of this process per request (``time.process_time``):
it leaves out the waits (database, other processes), so it moves less than wall time on a
busy machine and tells Python work from waiting.

Templates render as on a server: the test environment's template instrumentation (a signal and
a copy of the context for every template and include rendered, used by assertTemplateUsed) is
not installed. The "page without the thread" lines time the same page with no discussion in it:
what the page around the thread (base template, menus, context processors, session) costs.

    .venv/bin/python bench/bench_comments.py                      # SpatiaLite, 1,000 comments
    DATABASE_URL=postgis://civic@localhost/civic .venv/bin/python bench/bench_comments.py --requests 300

The database named by DATABASE_URL is only used to reach the server: the thread is built in a
test database next to it (``test_<name>``), destroyed at the end.

Record the figures in docs/performance.md with the machine and database used.
"""

import argparse
import os
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings.test")

import django  # noqa: E402

django.setup()

import rules  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import clear_url_caches, include, path  # noqa: E402

PAGE_TEMPLATE = """{% extends "base.html" %}{% load discussions_tags %}
{% block title %}{{ area.name }}{% endblock %}
{% block content %}<h1>{{ area.name }}</h1>{% if with_thread %}{% comments_for area %}{% endif %}{% endblock %}"""


def thread_page(request, pk, with_thread=True):
    from civic.territory.models import Area

    area = Area.objects.get(pk=pk)
    template = engines["django"].from_string(PAGE_TEMPLATE)
    return HttpResponse(template.render({"area": area, "with_thread": with_thread}, request))


def install_urls() -> None:
    """The project's URLs plus a page that shows one area's discussion, and the same without it."""
    module = types.ModuleType("bench_comments_urls")
    module.urlpatterns = [
        path("bench/area/<int:pk>/", thread_page),
        path("bench/area/<int:pk>/bare/", thread_page, {"with_thread": False}),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def build_thread(*, comments: int, replies_every: int, supporters: int):
    """One area with ``comments`` comments (a reply after every ``replies_every``), and supports."""
    from django.contrib.gis.geos import MultiPolygon, Polygon
    from django.utils import timezone

    from civic.accounts.models import User
    from civic.discussions.models import Comment, Support
    from civic.territory.models import Area

    polygon = Polygon.from_bbox((4.80, 45.70, 4.85, 45.75))
    polygon.srid = 4326
    area = Area.objects.create(name="Quartier du banc", kind="quartier", geometry=MultiPolygon(polygon, srid=4326))
    people = User.objects.bulk_create(
        [User(email=f"bench{n}@example.org", display_name=f"Habitant {n}") for n in range(max(supporters, 20))]
    )
    content_type = ContentType.objects.get_for_model(Area)
    now = timezone.now()
    top_level, rows = [], []
    for index in range(comments):
        is_reply = replies_every and top_level and index % replies_every == 0
        comment = Comment(
            content_type=content_type,
            object_pk=str(area.pk),
            author=people[index % len(people)],
            body=f"Commentaire {index} : il faudrait réparer le banc près de l'école. https://example.org/{index}",
            parent=top_level[-1] if is_reply else None,
            support_count=index % 7,
        )
        rows.append(comment)
        if not is_reply:
            Comment.objects.bulk_create([comment])
            top_level.append(comment)
    Comment.objects.bulk_create([row for row in rows if row.pk is None])
    Comment.objects.filter(object_pk=str(area.pk)).update(created_at=now)
    supports = [Support(comment=comment, user=people[n]) for n, comment in enumerate(top_level[:supporters])]
    Support.objects.bulk_create(supports)
    return area, people[0]


def measure(client: Client, url: str, requests: int, **params) -> dict:
    client.get(url, params)  # warm caches
    timings, cpu = [], []
    for _index in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    percentiles = statistics.quantiles(timings, n=100)
    return {
        "p50": statistics.median(timings),
        "p95": percentiles[94],
        "max": max(timings),
        "cpu": statistics.median(cpu),
        "queries": len(queries.captured_queries),
        "sql_ms": sum(float(query["time"]) for query in queries.captured_queries) * 1000,
        "bytes": len(response.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1000, help="comments in the thread (default 1,000)")
    parser.add_argument("--replies-every", type=int, default=4, help="every n-th comment is a reply (0: none)")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per measure (default 100)")
    parser.add_argument("--supporters", type=int, default=50)
    args = parser.parse_args()

    # No setup_test_environment(): it would instrument every template render (see above).
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        rules.set_perm("civic_territory.read_area", rules.always_allow)
        rules.set_perm("civic_territory.comment_area", rules.is_authenticated)
        install_urls()
        area, person = build_thread(
            comments=args.comments, replies_every=args.replies_every, supporters=args.supporters
        )
        area_type = ContentType.objects.get_for_model(area).pk
        api_url = f"/api/v1/discussions/{area_type}/{area.pk}/comments/"
        page_url = f"/bench/area/{area.pk}/"
        bare_url = f"/bench/area/{area.pk}/bare/"
        print(
            f"civic comments benchmark: {args.comments} comments, {args.requests} requests each, "
            f"database {connection.vendor} ({connection.settings_dict['ENGINE'].rsplit('.', 1)[-1]})"
        )
        print(
            f"{'measure':44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu ms':>7} "
            f"{'queries':>8} {'sql ms':>7} {'KiB':>7}"
        )
        anonymous, logged_in = Client(), Client()
        logged_in.force_login(person)
        cases = [
            ("page, first page, anonymous", anonymous, page_url, {}),
            ("page, first page, logged in", logged_in, page_url, {}),
            ("page, most supported, logged in", logged_in, page_url, {"comments_sort": "supported"}),
            ("API, first page (20), anonymous", anonymous, api_url, {}),
            ("API, first page (20), logged in", logged_in, api_url, {}),
            ("API, 100 per page, logged in", logged_in, api_url, {"page_size": 100}),
            ("page without the thread, anonymous", anonymous, bare_url, {}),
            ("page without the thread, logged in", logged_in, bare_url, {}),
        ]
        for label, client, url, params in cases:
            reset_queries()
            figures = measure(client, url, args.requests, **params)
            print(
                f"{label:44} {figures['p50']:8.1f} {figures['p95']:8.1f} {figures['max']:8.1f} {figures['cpu']:7.1f} "
                f"{figures['queries']:8d} {figures['sql_ms']:7.1f} {figures['bytes'] / 1024:7.1f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
