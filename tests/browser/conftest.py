"""Browser tests: Playwright drives Debian's Chromium against a real ASGI server (uvicorn)
running the demo commune on a database of its own, built by `migrate` and `load_demo`.

The tests talk to the site only through the browser and HTTP, as a person would; emails are
written to files by the server (EMAIL_URL=filemail://) and read back from there.
"""

import contextlib
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CIVIC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "civic-demo-2026"  # every demo account's (load_demo)

playwright_sync = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _database_url():
    """A database for the server: a new SpatiaLite file, or a new PostGIS database when
    DATABASE_URL points at PostGIS (then dropped at the end)."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgis://", "postgres://", "postgresql://")):
        import psycopg

        name = f"civic_browser_{uuid.uuid4().hex[:8]}"
        prefix, _slash, _db = base.rpartition("/")
        admin_url = prefix.replace("postgis://", "postgresql://", 1) + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{prefix}/{name}"
        finally:
            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        directory = tempfile.mkdtemp(prefix="civic-browser-db-")
        try:
            yield f"spatialite:///{directory}/civic.sqlite3"
        finally:
            shutil.rmtree(directory, ignore_errors=True)


class DemoServer:
    def __init__(self, url: str, mail_dir: Path, env: dict):
        self.url = url
        self.mail_dir = mail_dir
        self.env = env

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def emails_to(self, address: str) -> list[email.message.Message]:
        messages = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            # The file backend appends messages separated by a line of 79 dashes.
            for chunk in path.read_bytes().split(b"-" * 79):
                if chunk.strip():
                    message = email.message_from_bytes(chunk.strip())
                    if address in (message.get("To") or ""):
                        messages.append(message)
        return messages


@pytest.fixture(scope="session")
def demo_server():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    mail_dir = Path(tempfile.mkdtemp(prefix="civic-browser-mail-"))
    port = _free_port()
    with _database_url() as database_url:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "civic.settings.dev",
            "DATABASE_URL": database_url,
            "EMAIL_URL": "filemail://",
            "EMAIL_FILE_PATH": str(mail_dir),
            "DEBUG": "true",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_ROOT": str(mail_dir / "media"),
            "BASE_URL": f"http://127.0.0.1:{port}",
            # With REDIS_URL set, keep this server's cache (rate-limit counters) and channel
            # groups apart from the unit tests' and from earlier runs, which share the Redis server.
            "CACHE_KEY_PREFIX": f"civic-browser-{uuid.uuid4().hex[:8]}",
            "CHANNEL_LAYER_PREFIX": f"civic-browser-{uuid.uuid4().hex[:8]}",
        }
        env.pop("REDIS_URL", None) if os.environ.get("CIVIC_BROWSER_NO_REDIS") else None
        server = DemoServer(f"http://127.0.0.1:{port}", mail_dir, env)
        server.manage("migrate", "--no-input", "-v", "0")
        server.manage("load_demo")
        log = open(mail_dir / "server.log", "w")  # noqa: SIM115 - closed in finally
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "civic.asgi:application", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError as exc:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log_text = (mail_dir / "server.log").read_text()
                        raise RuntimeError("the server did not start:\n" + log_text) from exc
                    time.sleep(0.3)
            yield server
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
            log.close()
            shutil.rmtree(mail_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _only_local(route):
    host = route.request.url.split("/")[2] if "://" in route.request.url else ""
    if host.startswith(("127.0.0.1", "localhost")) or route.request.url.startswith(("data:", "blob:")):
        route.continue_()
    else:
        route.abort()  # map tiles and anything else outside: nothing may be downloaded in tests


@pytest.fixture
def new_page(browser, demo_server):
    """Factory: a fresh browser context (own cookies) at a given viewport."""
    contexts = []

    def make(viewport=PHONE, **options):
        context = browser.new_context(viewport=viewport, base_url=demo_server.url, **options)
        context.route("**/*", _only_local)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    def check(page, label: str):
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}})
        assert results.violations_count == 0, f"axe-core A/AA violations on {label}:\n" + results.generate_report()

    return check


def text_of(message: email.message.Message) -> str:
    """The plain-text body of an email."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("the email has no text part")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, address: str, next_url: str = "/"):
    """Log in as a demo account through the login form, then go to ``next_url``."""
    page.goto(f"/compte/login/?next={next_url}")
    page.get_by_label("E-mail").fill(address)
    page.get_by_label("Mot de passe", exact=False).first.fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()


def fits(page, viewport=PHONE):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "the page overflows"
