"""Settings an operator relies on: refusals with a clear message, deploy checks, 12-factor URLs.

Each test starts a fresh Python process with a cleaned environment, as a deployment would.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
STRONG_SECRET_KEY = secrets.token_urlsafe(60)

# Set empty (which the settings read as "not set") so that neither the caller's environment nor a
# .env file beside the repository decides the outcome: django-environ's read_env never overwrites.
NEUTRALISED = ("SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL")

PRINT_SETTINGS = """
import importlib, json, sys
module = importlib.import_module(sys.argv[1])
print(json.dumps({name: getattr(module, name) for name in sys.argv[2:]}, default=str))
"""


def clean_env(settings_module, **variables):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONDONTWRITEBYTECODE": "1",
        **dict.fromkeys(NEUTRALISED, ""),
    }
    env.update(variables)
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def settings_of(settings_module, *names, **variables):
    result = run(["-c", PRINT_SETTINGS, settings_module, *names], clean_env(settings_module, **variables))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def manage(*args, settings_module="civic.settings.production", **variables):
    return run(["manage.py", *args], clean_env(settings_module, **variables))


# --- Production refuses to start without what it cannot guess ---------------------------------


@pytest.mark.parametrize(
    ("variables", "named", "not_named"),
    [
        ({}, ["SECRET_KEY", "ALLOWED_HOSTS"], []),
        ({"ALLOWED_HOSTS": "civic.example.org"}, ["SECRET_KEY"], ["ALLOWED_HOSTS"]),
        ({"SECRET_KEY": STRONG_SECRET_KEY}, ["ALLOWED_HOSTS"], ["SECRET_KEY"]),
    ],
)
def test_production_refuses_to_start_naming_the_missing_variable(variables, named, not_named):
    result = manage("check", **variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("django.core.exceptions.ImproperlyConfigured:")
    for name in named:
        assert name in message
    for name in not_named:
        assert name not in message
    assert STRONG_SECRET_KEY not in result.stderr


def test_production_passes_the_deploy_checks():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=STRONG_SECRET_KEY, ALLOWED_HOSTS="civic.example.org"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_checks_catch_a_weak_secret_key():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY="too-short", ALLOWED_HOSTS="civic.example.org"
    )

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_turns_debug_off_and_secures_cookies_whatever_the_environment():
    values = settings_of(
        "civic.settings.production",
        "DEBUG",
        "ALLOWED_HOSTS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        SECRET_KEY=STRONG_SECRET_KEY,
        ALLOWED_HOSTS="civic.example.org,www.civic.example.org",
        DEBUG="true",
    )

    assert values == {
        "DEBUG": False,
        "ALLOWED_HOSTS": ["civic.example.org", "www.civic.example.org"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
    }


# --- 12-factor: DATABASE_URL, REDIS_URL, EMAIL_URL ------------------------------------------------


def test_the_default_database_is_spatialite_under_var():
    database = settings_of("civic.settings.base", "DATABASES")["DATABASES"]["default"]

    assert database["ENGINE"] == "django.contrib.gis.db.backends.spatialite"
    assert Path(database["NAME"]) == BASE_DIR / "var" / "civic.sqlite3"
    # Server, worker and tests share the file: they wait for a lock instead of failing.
    assert database["OPTIONS"]["timeout"] >= 5


def test_a_postgis_database_url_selects_postgis():
    database = settings_of(
        "civic.settings.base", "DATABASES", DATABASE_URL="postgis://civic:s3cret@db.example.org:5433/civic_prod"
    )["DATABASES"]["default"]

    assert database["ENGINE"] == "django.contrib.gis.db.backends.postgis"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("civic_prod", "civic", "s3cret")
    assert (database["HOST"], int(database["PORT"])) == ("db.example.org", 5433)
    # SQLite-only options must not leak into a PostgreSQL connection.
    assert "init_command" not in database.get("OPTIONS", {})
    assert "transaction_mode" not in database.get("OPTIONS", {})


def test_without_redis_cache_and_channel_layer_stay_in_memory():
    values = settings_of("civic.settings.base", "CACHES", "CHANNEL_LAYERS")

    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["CHANNEL_LAYERS"]["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"


def test_redis_url_switches_cache_sessions_and_channel_layer_to_redis():
    values = settings_of(
        "civic.settings.base",
        "CACHES",
        "CHANNEL_LAYERS",
        "SESSION_ENGINE",
        REDIS_URL="redis://cache.example.org:6379/2",
    )
    assert (
        settings_of("civic.settings.base", "SESSION_ENGINE")["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    )
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"

    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "civic.core.cache.FailSafeRedisCache"
    assert cache["LOCATION"] == "redis://cache.example.org:6379/2"
    layer = values["CHANNEL_LAYERS"]["default"]
    assert layer["BACKEND"].startswith("channels_redis.")
    assert layer["CONFIG"]["hosts"] == ["redis://cache.example.org:6379/2"]


def test_email_goes_to_the_console_by_default_and_to_smtp_with_email_url():
    default = settings_of("civic.settings.base", "EMAIL_BACKEND")
    smtp = settings_of(
        "civic.settings.base",
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.example.org:587",
    )

    assert default["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert smtp == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 587,
    }
