"""Ballots per second on PostGIS: full ballots (session, CSRF, validation, stored) from loopback.

Usage (PostgreSQL on 127.0.0.1:5432, its own database; about three minutes; figures and their
conditions in docs/budget.md, "Benchmark")::

    DATABASE_POOL_SIZE=10 DATABASE_URL=postgis://postgres@127.0.0.1:5432/civic_ballots \\
        .venv/bin/python bench/bench_ballots.py --voters 6000 --rate 500 --duration 10 --baseline-seconds 5

Without ``DATABASE_POOL_SIZE`` each request opens its own PostgreSQL connection (docs/deployment.md).

What it does, in order:

1. Migrates the database and builds a campaign open for voting (verified accounts only, the default
   "home district and city-wide" rule) with city-wide knapsack budgets of 12 projects, and
   ``--voters`` accounts with a verified email address. Each voter gets a session as
   ``django.contrib.auth.login`` writes it (through ``SESSION_ENGINE``) and a CSRF cookie with its
   masked form token (``django.middleware.csrf.get_token``), outside the measured windows.
2. Starts ``uvicorn`` with ``--workers`` processes on 127.0.0.1 serving ``civic.asgi`` unchanged
   (every middleware), plus one extra URL for the bare baseline, with ``DEBUG=False``.
3. Checks that the server refuses what it must: a wrong CSRF token (403), no session (403), a
   ballot over the budget (400). Then warms the workers up (not measured).
4. Measures, through that server, with an asyncio load generator (keep-alive connections, one
   complete HTTP/1.1 request each time, nothing shared between voters):

   * ``bare``: the same authenticated POST (session, CSRF token checked) to a view that inserts
     one row, as fast as ``--concurrency`` connections go (closed loop);
   * ``ballots, closed loop``: one ballot per voter (4 projects picked per voter) as fast as
     ``--concurrency`` connections go;
   * ``ballots at --rate/s``: an open loop sending ``--rate`` ballots per second for
     ``--duration`` seconds to a second budget; latency counts from the moment a request was due,
     so a slow server cannot hide queueing (no coordinated omission).

   Every ballot must answer 302 to its ballot page; afterwards the stored ballots and choices are
   counted in the database and must match.
5. In-process baseline: ``Ballot.objects.update_or_create`` in a transaction, one connection.
6. PostgreSQL alone: ``pgbench`` running ``INSERT ... ON CONFLICT DO UPDATE`` (if on PATH).

Every request goes to 127.0.0.1 only; every loop is bounded by the voters and ``--duration``.
``DJANGO_SETTINGS_MODULE`` (default ``civic.settings.dev``), ``SESSION_ENGINE`` and the database
options of the settings apply to the server, so a setting can be compared by changing it.
"""

import argparse
import asyncio
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._loadgen import HOST, PORT, Run, closed_loop, drive, exchange, http_post, measured, open_loop  # noqa: E402

PROJECTS_PER_BALLOT = 4
BARE_PATH = "/bench-ballots/bare/"
BARE_TABLE = "bench_ballots_bare_row"


# --- Served by uvicorn: the project's ASGI application plus the bare view --------------------------


def bare_view(request):
    """The floor: the same middleware, session, user and CSRF check, then one INSERT."""
    from django.db import connection
    from django.http import HttpResponse

    if request.method != "POST" or not request.user.is_authenticated:
        return HttpResponse(status=400)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BARE_TABLE} (user_id) VALUES (%s)", [request.user.pk])  # noqa: S608
    return HttpResponse(status=204)


def _bench_application(name: str):
    from importlib import import_module

    from django.urls import clear_url_caches, path

    if name == "application":
        from civic.asgi import application  # sets Django up first
    else:
        from civic.wsgi import application

    import_module("civic.urls").urlpatterns.insert(0, path(BARE_PATH.strip("/") + "/", bare_view))
    clear_url_caches()
    return application


def __getattr__(name):
    # The server's workers import "bench.bench_ballots:application" (ASGI) or ":wsgi_application";
    # built on first access only.
    if name in ("application", "wsgi_application"):
        globals()[name] = app = _bench_application(name)
        return app
    raise AttributeError(name)


SERVERS = {
    "uvicorn": lambda workers: (
        ["-m", "uvicorn", "bench.bench_ballots:application", "--host", HOST, "--port", str(PORT)]
        + ["--workers", str(workers), "--lifespan", "off", "--no-access-log", "--log-level", "warning"]
    ),
    "gunicorn": lambda workers: (
        ["-m", "gunicorn", "bench.bench_ballots:wsgi_application", "-b", f"{HOST}:{PORT}"]
        + ["--workers", str(workers), "--log-level", "warning"]
    ),
    "granian": lambda workers: (
        ["-m", "granian", "--interface", "wsgi", "bench.bench_ballots:wsgi_application"]
        + ["--host", HOST, "--port", str(PORT), "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
        + ["--blocking-threads", os.environ.get("HTTP_THREADS", "4")]
    ),
}


# --- Fixtures (outside the measured windows) ----------------------------------------------------


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings.dev")
    os.environ["DEBUG"] = "False"
    os.environ["ALLOWED_HOSTS"] = HOST
    import django

    django.setup()


def setup_campaign():
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from budget_participatif.models import Ballot, BallotType, Budget, BudgetPage, Project
    from civic.cms.models import HomePage

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} "
            "(id bigserial PRIMARY KEY, user_id bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(f"TRUNCATE {BARE_TABLE}")
    now = timezone.now()
    page = BudgetPage.objects.filter(slug="bench-ballots").first()
    if page is None:
        page = BudgetPage(
            slug="bench-ballots",
            title="Bench ballots",
            **dict.fromkeys(("ideas_opens", "ideas_close", "voting_opens", "voting_closes"), now),
        )
        HomePage.objects.first().add_child(instance=page)
    # Open now, whatever the last run left; the campaign's eligibility rules stay the defaults.
    BudgetPage.objects.filter(pk=page.pk).update(
        ideas_opens=now - timedelta(days=30),
        ideas_close=now - timedelta(days=20),
        voting_opens=now - timedelta(days=1),
        voting_closes=now + timedelta(days=30),
        live=True,
    )
    budgets = {}
    for name in ("warm-up", "closed", "rate", "update_or_create"):
        budget, _ = Budget.objects.get_or_create(
            page=page, name=f"Bench {name}", defaults={"amount": 300_000, "ballot_type": BallotType.KNAPSACK}
        )
        if not budget.projects.exists():
            Project.objects.bulk_create(
                Project(budget=budget, title=f"Project {i}", cost=10_000 + 5_000 * i, on_ballot=True) for i in range(12)
            )
        budgets[name] = budget
    Ballot.objects.filter(budget__page=page).delete()
    return budgets


def setup_voters(count: int):
    from allauth.account.models import EmailAddress

    from civic.accounts.models import User

    emails = [f"voter{i}@bench-ballots.test" for i in range(count)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    new = []
    for email in emails:
        if email not in existing:
            user = User(email=email, display_name=email.split("@")[0])
            user.set_unusable_password()  # sessions are written below as login() writes them
            new.append(user)
    User.objects.bulk_create(new, batch_size=2000)
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    verified = set(EmailAddress.objects.filter(email__in=emails, verified=True).values_list("email", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=users[email], email=email, verified=True, primary=True)
            for email in emails
            if email not in verified
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return [users[email] for email in emails]


def make_credentials(users) -> tuple[list[tuple[str, str, str]], object]:
    """(session key, CSRF cookie, masked CSRF form token) per voter, as a browser would hold them."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import transaction
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    backend = "civic.accounts.backends.AuthenticationBackend"
    factory = RequestFactory()
    credentials = []
    with transaction.atomic():
        for user in users:
            session = store_class()
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = backend
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            request = factory.get("/")
            token = get_token(request)
            credentials.append((session.session_key, request.META["CSRF_COOKIE"], token))
    return credentials, store_class


def delete_sessions(store_class, keys) -> None:
    if hasattr(store_class, "get_model_class"):
        model = store_class.get_model_class()
        for start in range(0, len(keys), 5000):
            model.objects.filter(session_key__in=keys[start : start + 5000]).delete()
    else:
        for key in keys:
            store_class(session_key=key).delete()


def ballot_form(project_ids, voter_index: int) -> str:
    picked = random.Random(voter_index).sample(project_ids, PROJECTS_PER_BALLOT)
    return "&".join(f"project={pk}" for pk in picked)


# --- Server ------------------------------------------------------------------------------------


def start_server(kind: str, workers: int) -> subprocess.Popen:
    env = {**os.environ, "ALLOWED_HOSTS": HOST, "DEBUG": "False"}
    server = subprocess.Popen([sys.executable, *SERVERS[kind](workers)], cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"uvicorn stopped with code {server.returncode}: see its messages above.")
        try:
            status = drive(_get_status("/healthz"))
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    sys.exit("uvicorn did not answer /healthz within 60 s.")


async def _get_status(path: str) -> int:
    reader, writer = await asyncio.open_connection(HOST, PORT)
    try:
        status, _head, _keep = await exchange(reader, writer, f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        return status
    finally:
        writer.close()


def refusals(path: str, project_ids, credential) -> list[str]:
    """What the server must refuse before anything is measured; returns what it did not."""
    session, cookie, token = credential
    too_costly = "&".join(f"project={pk}" for pk in project_ids)  # all 12: 1,050,000 € > 300,000 €
    cases = [
        ("a wrong CSRF token", http_post(path, ballot_form(project_ids, 0), (session, cookie, "x" * 64)), 403),
        ("no session", http_post(path, ballot_form(project_ids, 0), ("", cookie, token)), 403),
        ("a ballot over the budget", http_post(path, too_costly, credential), 400),
    ]
    problems = []
    for label, payload, expect in cases:
        run = drive(closed_loop(label, [payload], concurrency=1, duration=30, expect=expect))
        problems.extend(f"{label}: {failure}" for failure in run.failures)
    return problems


# --- Baselines outside the server ----------------------------------------------------------------


def update_or_create_baseline(budget, users, seconds: float) -> Run:
    from django.db import transaction

    from budget_participatif.models import Ballot

    run = Run("update_or_create in a transaction, in-process, 1 connection")
    started, cpu = time.perf_counter(), time.process_time()
    for user in users:
        sent = time.perf_counter()
        if sent - started > seconds:
            break
        with transaction.atomic():
            Ballot.objects.update_or_create(budget=budget, voter=user, defaults={"channel": "online"})
        run.latencies.append(time.perf_counter() - sent)
    run.elapsed, run.cpu = time.perf_counter() - started, time.process_time() - cpu
    return run


def pgbench_baseline(seconds: int, clients: int) -> str:
    from django.db import connection

    if shutil.which("pgbench") is None:
        return "pgbench: not on PATH, skipped"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_ballots_upsert (id int PRIMARY KEY, votes int NOT NULL)")
        cursor.execute("TRUNCATE bench_ballots_upsert")
    db = connection.settings_dict
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(
            "\\set id random(1, 1000000)\n"
            "INSERT INTO bench_ballots_upsert (id, votes) VALUES (:id, 1) "
            "ON CONFLICT (id) DO UPDATE SET votes = bench_ballots_upsert.votes + 1;\n"
        )
    command = ["pgbench", "-n", "-f", script.name, "-c", str(clients), "-j", "2", "-T", str(seconds)]
    command += ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"], db["NAME"]]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    try:
        output = subprocess.run(command, capture_output=True, text=True, env=env, timeout=seconds + 60).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"tps = ([\d.]+)", output)
    latency = re.search(r"latency average = ([\d.]+) ms", output)
    if not match:
        return "pgbench: no result\n" + output
    return f"pgbench upserts, {clients} clients, {seconds} s: {float(match.group(1)):,.0f}/s" + (
        f"; latency average {latency.group(1)} ms" if latency else ""
    )


def queries_per_ballot(budget, user, project_ids) -> int:
    """SQL statements of one ballot POST through the whole middleware stack (Django's test client)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME=HOST)
    client.force_login(user)
    path = f"/budget-participatif/budgets/{budget.pk}/vote/"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, {"project": random.Random(0).sample(project_ids, PROJECTS_PER_BALLOT)})
    if response.status_code != 302:
        raise RuntimeError(f"the query count ballot was refused: HTTP {response.status_code}")
    return len(queries.captured_queries)


# --- Main --------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=15_000, help="distinct voters (one first ballot each per run)")
    parser.add_argument("--server", choices=sorted(SERVERS), default="uvicorn", help="HTTP server (default uvicorn)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--concurrency", type=int, default=16, help="connections of the closed loops")
    parser.add_argument("--rate", type=float, default=500, help="ballots per second of the open loop")
    parser.add_argument("--duration", type=float, default=20, help="seconds of each measured run")
    parser.add_argument("--baseline-seconds", type=int, default=10, help="seconds of each outside baseline")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("post"):
        sys.exit("Set DATABASE_URL=postgis://... : this benchmark measures PostgreSQL.")
    open_ballots = int(args.rate * args.duration)
    if args.voters < open_ballots + 500:
        sys.exit(
            f"--voters must be at least {open_ballots + 500} for --rate {args.rate} and --duration {args.duration}."
        )

    django_setup()
    from django.conf import settings

    from budget_participatif.models import Ballot, BallotChoice

    t0 = time.perf_counter()
    budgets = setup_campaign()
    users = setup_voters(args.voters)
    credentials, store_class = make_credentials(users)
    print(f"setup: {args.voters} voters with sessions and CSRF tokens in {time.perf_counter() - t0:.0f} s")
    projects = {name: list(budget.projects.values_list("pk", flat=True)) for name, budget in budgets.items()}
    paths = {name: f"/budget-participatif/budgets/{budget.pk}/vote/" for name, budget in budgets.items()}
    query_count = queries_per_ballot(budgets["warm-up"], users[-1], projects["warm-up"])
    Ballot.objects.filter(budget=budgets["warm-up"]).delete()

    def ballots(name, voters):
        return [http_post(paths[name], ballot_form(projects[name], i), credentials[i]) for i in voters]

    closed_voters = range(len(credentials))
    rate_voters = range(open_ballots)
    warm_voters = range(len(credentials) - 500, len(credentials))
    bare_payloads = [http_post(BARE_PATH, "", credential) for credential in credentials]

    print(
        f"server: {args.server} --workers {args.workers}; settings {settings.SETTINGS_MODULE}, DEBUG=False, "
        f"sessions {settings.SESSION_ENGINE}, CONN_MAX_AGE {settings.DATABASES['default'].get('CONN_MAX_AGE')}, "
        f"pool {bool(settings.DATABASES['default'].get('OPTIONS', {}).get('pool'))}"
    )
    print("load average before: {:.2f} {:.2f} {:.2f} (uptime), {} cores".format(*os.getloadavg(), os.cpu_count()))
    server = start_server(args.server, args.workers)
    runs = []
    try:
        problems = refusals(paths["warm-up"], projects["warm-up"], credentials[0])
        if problems:
            sys.exit("The server accepted what it must refuse:\n" + "\n".join(problems))
        warm = drive(closed_loop("warm-up", ballots("warm-up", warm_voters), concurrency=8, duration=30, expect=302))
        drive(closed_loop("warm-up bare", bare_payloads[:500], concurrency=8, duration=30, expect=204))
        if warm.failures:
            sys.exit(f"warm-up ballots failed: {warm.failures[:3]}")
        runs.append(
            measured(
                server.pid,
                closed_loop(
                    f"bare view, {args.concurrency} connections",
                    bare_payloads,
                    concurrency=args.concurrency,
                    duration=args.duration,
                    expect=204,
                ),
            )
        )
        runs.append(
            measured(
                server.pid,
                closed_loop(
                    f"ballots, closed loop, {args.concurrency} connections",
                    ballots("closed", closed_voters),
                    concurrency=args.concurrency,
                    duration=args.duration,
                    expect=302,
                    location=paths["closed"].encode(),
                ),
            )
        )
        runs.append(
            measured(
                server.pid,
                open_loop(
                    f"ballots at {args.rate:g}/s for {args.duration:g} s, open loop",
                    ballots("rate", rate_voters),
                    rate=args.rate,
                    expect=302,
                    location=paths["rate"].encode(),
                ),
            )
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        delete_sessions(store_class, [credential[0] for credential in credentials])

    stored = []
    for name, run in (("closed", runs[1]), ("rate", runs[2])):
        accepted = len(run.latencies) - len(run.failures)
        ballots_stored = Ballot.objects.filter(budget=budgets[name]).count()
        choices_stored = BallotChoice.objects.filter(ballot__budget=budgets[name]).count()
        ok = ballots_stored == accepted and choices_stored == accepted * PROJECTS_PER_BALLOT
        stored.append(
            f"{name}: {ballots_stored} ballots and {choices_stored} choices stored for {accepted} accepted "
            + ("(match)" if ok else "(MISMATCH)")
        )
    uoc = update_or_create_baseline(budgets["update_or_create"], users, args.baseline_seconds)
    pgbench = pgbench_baseline(args.baseline_seconds, clients=8)

    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"queries per ballot POST (whole middleware stack): {query_count}")
    for run in runs:
        print(run.line())
    print(uoc.line().replace("; generator CPU", "; CPU").replace("µs/request", "µs/upsert"))
    print(pgbench)
    print("stored: " + "; ".join(stored))
    failed = [run for run in runs if run.failures]
    for run in failed:
        print(f"{run.name}: {len(run.failures)} failures, first: {run.failures[0]}")
    if failed or any("MISMATCH" in line for line in stored):
        sys.exit(1)


if __name__ == "__main__":
    main()
