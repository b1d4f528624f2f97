import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_component(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "channel_layer"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_healthz_answers_503_naming_the_failed_component(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache server unreachable")

    monkeypatch.setattr(cache, "set", broken)
    # With Redis, /healthz asks the fail-safe backend's strict check (its set() hides failures).
    monkeypatch.setattr(cache, "check", broken, raising=False)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"] == {"status": "error", "error": "cache server unreachable"}
    assert body["checks"]["database"]["status"] == "ok"
