"""The live channel (/ws/notifications/): in this process, then through real server processes."""

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from civic.asgi import application
from civic.notifications.consumers import CLOSE_UNAUTHENTICATED, NotificationConsumer
from civic.notifications.services import notifications_mark_read, notify

BASE_DIR = Path(__file__).resolve().parents[2]


def _session_cookie(client, user) -> str:
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# --- In this process ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_notify_reaches_the_persons_open_page_with_the_unread_count(client, resident):
    cookie = _session_cookie(client, resident)

    async def scenario():
        communicator = WebsocketCommunicator(
            application,
            "/ws/notifications/",
            headers=[(b"cookie", f"sessionid={cookie}".encode()), (b"origin", b"http://testserver")],
        )
        connected, _subprotocol = await communicator.connect()
        assert connected
        assert await communicator.receive_json_from() == {"event": "unread", "unread": 0}

        await database_sync_to_async(notify)(recipient=resident, title="Bonjour", url="/a/", kind="test")
        message = await communicator.receive_json_from(timeout=2)
        assert message["event"] == "notification"
        assert message["unread"] == 1
        assert message["notification"]["title"] == "Bonjour"
        assert message["notification"]["url"] == "/a/"

        await database_sync_to_async(notifications_mark_read)(user=resident)
        assert await communicator.receive_json_from(timeout=2) == {"event": "unread", "unread": 0}
        await communicator.disconnect()

    async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_someone_else_s_notification_does_not_reach_my_page(user_factory):
    me, other = user_factory(), user_factory()

    async def scenario():
        communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
        communicator.scope["user"] = me
        connected, _subprotocol = await communicator.connect()
        assert connected
        await communicator.receive_json_from()  # the unread count
        await database_sync_to_async(notify)(recipient=other, title="Pas pour moi")
        assert await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()

    async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_anonymous_websocket_is_closed_with_4401():
    async def scenario():
        communicator = WebsocketCommunicator(
            application, "/ws/notifications/", headers=[(b"origin", b"http://testserver")]
        )
        connected, _subprotocol = await communicator.connect()
        assert connected  # accepted so that the browser gets the close code
        closing = await communicator.receive_output()
        assert closing == {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED, "reason": closing.get("reason")}
        await communicator.wait()

    async_to_sync(scenario)()


# --- Real server processes ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    """The URL of the database this test uses, for server processes to share its rows."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("spatialite"):
        return f"spatialite:///{database['NAME']}"
    credentials = quote(database.get("USER") or "")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"])
    host = database.get("HOST") or "localhost"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgis://{credentials}@{host}{port}/{database['NAME']}"


def _wait_until_serving(port: int, process: subprocess.Popen, log_path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server on port {port} stopped:\n{Path(log_path).read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the server on port {port} did not answer /healthz in {timeout} s:\n{Path(log_path).read_text()}")


@contextmanager
def asgi_servers(count: int, **environment):
    """Start ``count`` `uvicorn civic.asgi:application` processes on this test's database; yield their ports."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civic.settings.test",
        "DATABASE_URL": _database_url(),
        **environment,
    }
    servers = []
    try:
        for _index in range(count):
            port = _free_port()
            log = tempfile.NamedTemporaryFile(prefix=f"uvicorn-{port}-", suffix=".log", delete=False)  # noqa: SIM115
            command = [sys.executable, "-m", "uvicorn", "civic.asgi:application", "--host", "127.0.0.1"]
            command += ["--port", str(port), "--ws", "websockets", "--lifespan", "off", "--log-level", "warning"]
            process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
            servers.append((process, port, log))
        for process, port, log in servers:
            _wait_until_serving(port, process, log.name)
        yield [port for _process, port, _log in servers]
    finally:
        for process, _port, _log in servers:
            process.terminate()
        for process, _port, log in servers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
            os.unlink(log.name)


def _listen(ports, cookie, ready: threading.Event, results: dict) -> None:
    """In a thread: open one WebSocket per server, signal ``ready``, then record when each receives."""
    from websockets.asyncio.client import connect

    async def one(port):
        async with connect(
            f"ws://127.0.0.1:{port}/ws/notifications/",
            additional_headers={"Cookie": f"sessionid={cookie}"},
            origin=f"http://127.0.0.1:{port}",
            open_timeout=10,
        ) as websocket:
            await asyncio.wait_for(websocket.recv(), 10)  # the unread count: this socket is in its group
            results[("connected", port)] = True
            if all(results.get(("connected", p)) for p in ports):
                ready.set()
            message = await asyncio.wait_for(websocket.recv(), 15)
            results[port] = (time.monotonic(), message)

    async def all_of_them():
        await asyncio.gather(*(one(port) for port in ports))

    try:
        asyncio.run(all_of_them())
    except BaseException as error:  # reported by the test thread
        results["error"] = error
        ready.set()


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_notify_reaches_pages_open_on_two_server_processes_through_redis(transactional_db, client, resident, settings):
    prefix = f"civic-test-{uuid.uuid4().hex[:8]}"
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [os.environ["REDIS_URL"]], "prefix": prefix},
        }
    }
    cookie = _session_cookie(client, resident)
    with asgi_servers(2, REDIS_URL=os.environ["REDIS_URL"], CHANNEL_LAYER_PREFIX=prefix) as ports:
        ready, results = threading.Event(), {}
        listener = threading.Thread(target=_listen, args=(ports, cookie, ready, results), daemon=True)
        listener.start()
        assert ready.wait(30), "the WebSockets did not open"
        assert "error" not in results, results.get("error")

        sent_at = time.monotonic()
        notify(recipient=resident, title="Nouvelle réponse", url="/discussions/1/", kind="comment")
        listener.join(20)

    assert "error" not in results, results.get("error")
    for port in ports:
        received_at, raw = results[port]
        assert '"Nouvelle r\\u00e9ponse"' in raw or '"Nouvelle réponse"' in raw
        assert received_at - sent_at < 2, f"server on port {port} took {received_at - sent_at:.2f} s"


@pytest.mark.django_db(transaction=True)
def test_anonymous_websocket_on_a_real_server_is_closed_with_4401():
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    async def scenario(port):
        async with connect(
            f"ws://127.0.0.1:{port}/ws/notifications/", origin=f"http://127.0.0.1:{port}", open_timeout=10
        ) as websocket:
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(websocket.recv(), 5)
        return closed.value.rcvd.code

    with asgi_servers(1) as (port,):
        assert asyncio.run(scenario(port)) == CLOSE_UNAUTHENTICATED
