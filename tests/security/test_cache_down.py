"""With Redis unreachable the site still serves pages, logs people in and takes reports; /healthz says 503."""

import logging
import socket

import pytest
from django.urls import reverse

from civic.core import cache as core_cache
from signalements.models import Report

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def closed_port() -> int:
    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings, monkeypatch):
    settings.CACHES = {
        "default": {
            "BACKEND": "civic.core.cache.FailSafeRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
    monkeypatch.setattr(core_cache, "_warned", False)


def test_pages_login_and_reports_work_without_the_cache(
    redis_down, client, resident, area_factory, category_factory, caplog
):
    area_factory(name="Les Tilleuls")
    pothole = category_factory(name="Nid-de-poule", code="pothole")
    caplog.set_level(logging.WARNING, logger="civic.cache")

    home = client.get("/")
    assert home.status_code == 200 and "<h1" in home.content.decode()

    login = client.post("/compte/login/", {"login": resident.email, "password": PASSWORD})
    assert login.status_code == 302
    assert client.get(reverse("account-space")).status_code == 200

    report = client.post(
        reverse("report-create"),
        {
            "category": pothole.code,
            "longitude": "4.82",
            "latitude": "45.72",
            "description": "Deep pothole near the school gate",
            "idempotency_key": "k-1",
        },
    )
    assert report.status_code == 302, report.content.decode()[:2000]
    assert Report.objects.get().reporter == resident

    warnings = [record for record in caplog.records if "cache is unreachable" in record.getMessage()]
    assert len(warnings) == 1  # said once per process, not on every request

    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["checks"]["cache"]["status"] == "error"


def test_every_cache_operation_is_a_miss_when_redis_is_unreachable(redis_down):
    from django.core.cache import cache

    assert cache.get("k") is None and cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {} and cache.set_many({"a": 1}) == []
    assert cache.add("k", 1) is True and cache.incr("k") == 1 and cache.incr("k", delta=5) == 5
    assert cache.set("k", 1) is None and cache.delete("k") is False and cache.has_key("k") is False
    assert cache.delete_many(["a"]) is None and cache.touch("k") is False and cache.clear() is None
    with pytest.raises(Exception):  # noqa: B017 - /healthz must still see the failure, whatever its class
        cache.check()


def test_the_page_chrome_is_built_from_the_database_when_its_cache_raises(client, monkeypatch, caplog):
    from wagtail.models import Site

    from civic.cms.models import SiteIdentity

    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.organisation_name = "Ville de Saint-Exemple"
    identity.save()
    monkeypatch.setattr(core_cache, "cache", BrokenCache())
    monkeypatch.setattr(core_cache, "_warned", False)
    caplog.set_level(logging.WARNING, logger="civic.cache")

    for _n in range(2):
        page = client.get("/")
        assert page.status_code == 200 and "Ville de Saint-Exemple" in page.content.decode()
    assert len([r for r in caplog.records if "cache is unreachable" in r.getMessage()]) == 1


class BrokenCache:
    """A cache whose server is gone: every call fails."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache server unreachable")

        return fail
