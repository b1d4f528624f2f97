"""Benchmark: how fast a new comment reaches the people viewing its thread over WebSockets.

Starts a real server (``uvicorn``, one or more worker processes) on a migrated database, opens
``--viewers`` WebSockets to ``ws/discussions/<content_type>/<pk>/`` (anonymous viewers, as most
readers are), posts comments over HTTP through the API as a logged-in resident, and measures for
every viewer the time from the start of the POST to the receipt of the comment. Prints
p50/p95/max and how many viewers received it within one second.

    # in-memory channel layer: one worker process
    DATABASE_URL=postgis://postgres@127.0.0.1:5432/civic_bench DJANGO_SETTINGS_MODULE=civic.settings.dev \\
        .venv/bin/python bench/bench_live_comments.py --viewers 200

    # Redis channel layer: viewers spread over two worker processes
    ... .venv/bin/python bench/bench_live_comments.py --viewers 200 --workers 2 --redis redis://127.0.0.1:6379/14

The database must be migrated (``manage.py migrate``); the script adds one area, one resident and
its comments, and deletes them at the end. No module of the project declares a commentable model
yet, so, like bench_comments.py, the server processes declare ``read_area`` (everyone) and
``comment_area`` (logged-in people) for the benchmark: they serve ``server_application`` below,
which is the project's ASGI application plus these two rules.

Traffic goes to 127.0.0.1 only. Record the figures in docs/performance.md with the machine used.
"""

import argparse
import asyncio
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_FLAG = "CIVIC_BENCH_LIVE_SERVER"


def _declare_bench_rules() -> None:
    import rules

    rules.set_perm("civic_territory.read_area", rules.always_allow)
    rules.set_perm("civic_territory.comment_area", rules.is_authenticated)


def __getattr__(name):
    """``server_application``: what the uvicorn workers started by this script serve."""
    if name != "server_application" or os.environ.get(SERVER_FLAG) != "1":
        raise AttributeError(name)
    sys.path.insert(0, str(ROOT))
    from civic.asgi import application

    _declare_bench_rules()
    return application


# --- The benchmark process ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], percent: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def setup_django(redis_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings.dev")
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    import django

    django.setup()


def create_thread(run: str):
    """One area anyone may view and residents may comment on, and a resident with a session."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.gis.geos import MultiPolygon, Polygon
    from django.test import Client

    from civic.accounts.models import User
    from civic.territory.models import Area

    polygon = Polygon.from_bbox((4.80, 45.70, 4.85, 45.75))
    polygon.srid = 4326
    area = Area.objects.create(
        name=f"Quartier du banc {run}", kind="quartier", geometry=MultiPolygon(polygon, srid=4326)
    )
    resident = User.objects.create_user(email=f"bench-live-{run}@example.org", password=secrets.token_urlsafe(16))
    client = Client()
    client.force_login(resident)  # a database session the server processes read
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return area, resident, ContentType.objects.get_for_model(Area).pk, session


def delete_thread(area, resident) -> None:
    from django.contrib.contenttypes.models import ContentType

    from civic.discussions.models import Comment

    Comment.objects.filter(content_type=ContentType.objects.get_for_model(area), object_pk=str(area.pk)).delete()
    area.delete()
    resident.delete()


def forget_redis_keys(url: str, pattern: str) -> None:
    """Delete this run's cache keys (rate limits, throttles): they would expire, but sooner is tidier."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=pattern, count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _without_warnings(text: str) -> str:
    """The server's log without Python warnings (each a "...Warning: ..." line and its source line)."""
    kept, skip_next = [], False
    for line in text.splitlines():
        if skip_next:
            skip_next = False
        elif "Warning: " in line:
            skip_next = True
        else:
            kept.append(line)
    return "\n".join(kept).strip()


def start_server(port: int, workers: int, env: dict, log) -> subprocess.Popen:
    command = [sys.executable, "-m", "uvicorn", "bench_live_comments:server_application", "--app-dir", "bench"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--ws", "websockets", "--lifespan", "off"]
    command += ["--log-level", "warning", "--workers", str(workers)]
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # the process group this script created: uvicorn and its workers
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def wait_until_serving(port: int, process: subprocess.Popen, log_path: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server stopped:\n{Path(log_path).read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    sys.exit(f"the server did not answer /healthz in {timeout} s:\n{Path(log_path).read_text()}")


def post_comment(port: int, content_type: int, pk: int, session: str, body: str) -> tuple[int, dict]:
    """POST /api/v1/discussions/<ct>/<pk>/comments/ with the resident's session and a CSRF token."""
    csrf = secrets.token_hex(16)  # a 32-character secret: the cookie and the header match
    request = urllib.request.Request(  # noqa: S310
        f"http://127.0.0.1:{port}/api/v1/discussions/{content_type}/{pk}/comments/",
        data=json.dumps({"body": body}).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Origin": f"http://127.0.0.1:{port}",
            "Referer": f"http://127.0.0.1:{port}/",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read().decode(errors="replace")[:500]}


async def run_viewers(args, port: int, content_type: int, pk: int, session: str) -> dict:
    from websockets.asyncio.client import connect

    url = f"ws://127.0.0.1:{port}/ws/discussions/{content_type}/{pk}/"
    origin = f"http://127.0.0.1:{port}"
    opening = asyncio.Semaphore(args.connect_concurrency)
    sockets, failures = [], []

    async def open_one():
        async with opening:
            try:
                sockets.append(await connect(url, origin=origin, open_timeout=30, max_queue=None))
            except Exception as error:  # counted and reported
                failures.append(repr(error))

    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(open_one() for _ in range(args.viewers))), args.timeout * 4)
    connect_seconds = time.perf_counter() - started
    results = {"connected": len(sockets), "connect_failures": failures[:3], "connect_seconds": connect_seconds}
    if not sockets:
        return results
    await asyncio.sleep(args.settle)  # the last viewers' group membership is in place (Redis subscription)

    latencies, http_ms, missed = [], [], 0
    try:
        for number in range(args.posts):
            body = f"Banc cassé, message {number} {secrets.token_hex(4)}"
            received = {}

            async def listen(index, websocket, body=body, received=received):
                while True:
                    message = json.loads(await websocket.recv())
                    comment = message.get("comment") or {}
                    if message.get("action") == "created" and body.rsplit(" ", 1)[-1] in json.dumps(comment):
                        received[index] = time.perf_counter()
                        return

            listeners = [asyncio.ensure_future(listen(i, ws)) for i, ws in enumerate(sockets)]
            sent = time.perf_counter()
            status, payload = await asyncio.to_thread(post_comment, port, content_type, pk, session, body)
            http_ms.append((time.perf_counter() - sent) * 1000)
            if status != 201:
                for listener in listeners:
                    listener.cancel()
                results["post_error"] = (status, payload)
                break
            done, pending = await asyncio.wait(listeners, timeout=args.timeout)
            for listener in pending:
                listener.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            these = [(at - sent) * 1000 for at in received.values()]
            spread = (max(received.values()) - min(received.values())) * 1000 if received else float("nan")
            missed += len(sockets) - len(these)
            latencies += these
            print(
                f"  comment {number + 1}: HTTP {http_ms[-1]:7.1f} ms, received by {len(these)}/{len(sockets)}, "
                f"p50 {_percentile(these, 50):7.1f} ms, max {max(these, default=float('nan')):7.1f} ms, "
                f"first to last viewer {spread:6.1f} ms"
            )
            await asyncio.sleep(args.pause)
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    results.update(latencies=latencies, http_ms=http_ms, missed=missed)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=200, help="WebSockets open on the thread (default 200)")
    parser.add_argument("--posts", type=int, default=5, help="comments posted, one after the other (max 10)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (more than 1 needs --redis)")
    parser.add_argument("--redis", default="", help="Redis URL for the channel layer, e.g. redis://127.0.0.1:6379/14")
    parser.add_argument("--timeout", type=float, default=10, help="seconds to wait for a comment to arrive")
    parser.add_argument("--pause", type=float, default=1, help="seconds between two comments")
    parser.add_argument("--settle", type=float, default=1, help="seconds between the last connection and a post")
    parser.add_argument("--connect-concurrency", type=int, default=50, help="WebSocket handshakes at once")
    parser.add_argument("--debug", action="store_true", help="run the server with DEBUG on (off by default)")
    args = parser.parse_args()
    if args.workers > 1 and not args.redis:
        parser.error("with the in-memory channel layer, viewers on another worker never hear a comment: use --redis")
    if not 1 <= args.posts <= 10:
        parser.error("--posts: 1 to 10 (the comment rate limit of one person is 10 in 5 minutes)")

    setup_django(args.redis)
    from django.conf import settings
    from django.db import connection

    run = secrets.token_hex(4)
    area, resident, content_type, session = create_thread(run)
    port = _free_port()
    env = {
        **os.environ,
        SERVER_FLAG: "1",
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "true" if args.debug else "false",
    }
    if args.redis:
        env.update(REDIS_URL=args.redis, CHANNEL_LAYER_PREFIX=f"civic-bench-{run}", CACHE_KEY_PREFIX=f"bench-{run}")
    else:
        env.pop("REDIS_URL", None)
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1] if args.redis else "InMemoryChannelLayer"
    print(
        f"civic live comments benchmark: {args.viewers} viewers, {args.posts} comments, {args.workers} worker(s), "
        f"{layer}, database {connection.vendor}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
    )
    log = tempfile.NamedTemporaryFile(prefix="bench-live-", suffix=".log", delete=False)  # noqa: SIM115
    process = None
    try:
        process = start_server(port, args.workers, env, log)
        wait_until_serving(port, process, log.name)
        results = asyncio.run(run_viewers(args, port, content_type, area.pk, session))
    finally:
        if process is not None:
            stop_server(process)
        log.close()
        server_log = _without_warnings(Path(log.name).read_text(errors="replace"))
        os.unlink(log.name)
        delete_thread(area, resident)
        if args.redis:
            forget_redis_keys(args.redis, f"bench-{run}:*")

    print(f"connected: {results['connected']}/{args.viewers} in {results['connect_seconds']:.2f} s")
    if results["connect_failures"]:
        print(f"connection failures (first ones): {results['connect_failures']}")
    if "post_error" in results:
        print(f"posting failed: {results['post_error']}")
    latencies = results.get("latencies") or []
    if latencies:
        expected = len(latencies) + results["missed"]
        within = sum(1 for value in latencies if value <= 1000)
        print(
            f"delivery, from the start of the POST to receipt ({expected} deliveries expected): "
            f"p50 {_percentile(latencies, 50):.1f} ms, p95 {_percentile(latencies, 95):.1f} ms, "
            f"max {max(latencies):.1f} ms; within 1 s: {within}/{expected} ({100 * within / expected:.1f} %), "
            f"never received: {results['missed']}"
        )
        print(f"HTTP POST: median {statistics.median(results['http_ms']):.1f} ms, max {max(results['http_ms']):.1f} ms")
    if server_log:
        print(f"server log (last lines):\n{server_log[-1500:]}")


if __name__ == "__main__":
    main()
