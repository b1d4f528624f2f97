"""Benchmark: the home page with 50 live spaces, the spaces list, and "my space" for a person with
1,000 contributions (reports, comments, ideas, ballots).

Builds a throw-away test database (``test_<name>`` on PostGIS, a temporary file on SpatiaLite),
times N requests of each page with Django's test client (the whole middleware stack, no network)
and prints p50/p95, processor time, and the SQL queries of one request (see bench_comments.py for
what the columns mean; its ``measure`` is reused here).

    .venv/bin/python bench/bench_spaces.py
    DATABASE_URL=postgis://postgres@127.0.0.1/civic .venv/bin/python bench/bench_spaces.py --requests 300

Record the figures in docs/performance.md with the machine and database used.
"""

import argparse
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_comments import measure  # noqa: E402 (sets Django up)
from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402


def build(*, spaces: int, contributions: int):
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.gis.geos import MultiPolygon, Point, Polygon
    from django.utils import timezone

    from budget_participatif.models import Ballot, Budget, BudgetPage, Idea
    from civic.accounts.models import User
    from civic.cms.models import HomePage
    from civic.discussions.models import Comment
    from civic.territory.models import Area
    from signalements.models import Category, Report, ReportsPortalPage, Service

    square = MultiPolygon(Polygon.from_bbox((4.80, 45.70, 4.85, 45.75)), srid=4326)
    city = Area.objects.create(name="Ville", kind="commune", geometry=square)
    districts = [
        Area.objects.create(name=f"Quartier {n}", kind="quartier", parent=city, geometry=square) for n in range(8)
    ]
    home = HomePage.objects.get()
    portal = home.add_child(instance=ReportsPortalPage(title="Signalements", slug="signalements"))
    now = timezone.now()
    pages = []
    for index in range(spaces - 1):
        start = now + timedelta(days=(index % 5) * 40 - 120)
        page = home.add_child(
            instance=BudgetPage(
                title=f"Budget participatif {index}",
                slug=f"bp-{index}",
                teaser="Des projets proposés et choisis par les habitants.",
                ideas_opens=start,
                ideas_close=start + timedelta(days=30),
                voting_opens=start + timedelta(days=40),
                voting_closes=start + timedelta(days=60),
                follow_up_from=start + timedelta(days=200),
            )
        )
        page.areas.set([districts[index % len(districts)]])
        page.save()
        pages.append(page)
    person = User.objects.create_user(email="beaucoup@example.org", display_name="Habitante active", home_area=city)
    service = Service.objects.create(name="Voirie", code="voirie")
    category = Category.objects.create(name="Nid de poule", code="nid", service=service)
    budgets = [Budget.objects.create(page=page, name=f"Budget {page.pk}", amount=100_000) for page in pages]
    share = contributions // 4
    Report.objects.bulk_create(
        [
            Report(
                portal=portal,
                category=category,
                service=service,
                location=Point(4.82, 45.72, srid=4326),
                longitude=4.82,
                latitude=45.72,
                description=f"Signalement {n}",
                reporter=person,
                confirmed_at=now,
            )
            for n in range(share)
        ]
    )
    report_type = ContentType.objects.get_for_model(Report)
    first_report = Report.objects.first()
    Comment.objects.bulk_create(
        [
            Comment(content_type=report_type, object_pk=str(first_report.pk), author=person, body=f"Commentaire {n}")
            for n in range(share)
        ]
    )
    Idea.objects.bulk_create(
        [
            Idea(page=pages[n % len(pages)], author=person, title=f"Idée {n}", description="Un banc.", area=city)
            for n in range(share)
        ]
    )
    Ballot.objects.bulk_create([Ballot(budget=budget, voter=person) for budget in budgets])
    return person, city


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spaces", type=int, default=50, help="live spaces (default 50)")
    parser.add_argument("--contributions", type=int, default=1000, help="the person's contributions (1,000)")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per measure (default 100)")
    args = parser.parse_args()

    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        person, city = build(spaces=args.spaces, contributions=args.contributions)
        print(
            f"civic spaces benchmark: {args.spaces} live spaces, {args.contributions} contributions, "
            f"{args.requests} requests each, database {connection.vendor}"
        )
        print(f"{'measure':40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu ms':>7} {'queries':>8} {'sql ms':>7}")
        anonymous, logged_in = Client(), Client()
        logged_in.force_login(person)
        cases = [
            ("home page, anonymous", anonymous, "/", {}),
            ("home page, logged in", logged_in, "/", {}),
            ("home page, near me", logged_in, "/", {"area": "home"}),
            ("spaces list, anonymous", anonymous, "/espaces/", {}),
            ("my space, 1,000 contributions", logged_in, "/compte/", {}),
        ]
        cases.append(("home page, built each time (no cache)", anonymous, "/", {"uncached": True}))
        from civic.spaces import views as space_views

        cached_get = space_views.cache_get
        for label, client, url, params in cases:
            reset_queries()
            space_views.cache_get = (lambda key: None) if params.pop("uncached", False) else cached_get
            figures = measure(client, url, args.requests, **params)
            print(
                f"{label:40} {figures['p50']:8.1f} {figures['p95']:8.1f} {figures['max']:8.1f} {figures['cpu']:7.1f} "
                f"{figures['queries']:8d} {figures['sql_ms']:7.1f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
