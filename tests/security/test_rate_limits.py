"""Limits per account, per address and per IP address (civic.core.ratelimit and allauth's login limits)."""

import pytest
from django.core import mail
from django.urls import reverse

from civic.core.ratelimit import RateLimited, rate_limit_hit
from signalements.models import Open311Client, Report, ReportAlert

pytestmark = pytest.mark.django_db

INSIDE = ("4.82", "45.72")
PASSWORD = "correct horse battery"


@pytest.fixture
def pothole(category_factory, service_factory, area_factory):
    area_factory(name="Les Tilleuls")
    return category_factory(name="Nid-de-poule", code="pothole", service=service_factory(code="voirie"))


def report_data(category, n, **changes):
    return {
        "category": category.code,
        "longitude": INSIDE[0],
        "latitude": INSIDE[1],
        "description": f"Pothole number {n} near the school",
        "reporter_name": "Alex Martin",
        "reporter_email": "alex@example.org",
        "idempotency_key": f"key-{n}",
        **changes,
    }


def test_an_account_may_send_only_so_many_reports(settings, english_pages, pothole, resident):
    settings.CIVIC_LIMITS = {"report": {"user": "3/h", "ip": "100/h"}}
    english_pages.force_login(resident)
    for n in range(3):
        assert english_pages.post(reverse("report-create"), report_data(pothole, n)).status_code == 302
    refused = english_pages.post(reverse("report-create"), report_data(pothole, 3))

    assert refused.status_code == 400
    assert "You have sent many reports in a short time. Please wait" in refused.content.decode()
    assert "Pothole number 3 near the school" in refused.content.decode()  # nothing typed is lost
    assert Report.objects.count() == 3


def test_an_address_gets_only_so_many_confirmation_emails(
    settings, english_pages, pothole, django_capture_on_commit_callbacks
):
    settings.CIVIC_LIMITS = {"email": {"address": "2/h", "ip": "100/h"}, "report": {"ip": "100/h"}}
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            assert english_pages.post(reverse("report-create"), report_data(pothole, n)).status_code == 302
        refused = english_pages.post(reverse("report-create"), report_data(pothole, 2))

    assert refused.status_code == 400
    assert "We have already sent several emails to this address" in refused.content.decode()
    assert len(mail.outbox) == 2 and Report.objects.count() == 2
    # Another address, from the same place, is not affected.
    other = report_data(pothole, 3, reporter_email="sam@example.org")
    assert english_pages.post(reverse("report-create"), other).status_code == 302


def test_one_ip_cannot_flood_reports_through_many_accounts(settings, client, pothole, user_factory):
    settings.CIVIC_LIMITS = {"report": {"user": "100/h", "ip": "2/h"}}
    for n in range(2):
        client.force_login(user_factory(roles=["resident"]))
        assert client.post(reverse("report-create"), report_data(pothole, n)).status_code == 302
    client.force_login(user_factory(roles=["resident"]))
    assert client.post(reverse("report-create"), report_data(pothole, 2)).status_code == 400
    assert Report.objects.count() == 2


def test_an_alert_confirmation_is_not_resent_without_limit(
    settings, english_pages, pothole, django_capture_on_commit_callbacks
):
    settings.CIVIC_LIMITS = {"email": {"address": "3/h", "ip": "100/h"}}
    data = {"email": "target@example.org", "where": "point", "longitude": INSIDE[0], "latitude": INSIDE[1]}
    data["radius"] = "500"
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(3):
            assert english_pages.post(reverse("report-alert-create"), data).status_code == 302
        refused = english_pages.post(reverse("report-alert-create"), data)

    assert refused.status_code == 400
    assert "We have already sent several emails to this address" in refused.content.decode()
    assert len(mail.outbox) == 3 and ReportAlert.objects.count() == 1


def test_open311_answers_429_when_the_limit_is_used(settings, client, pothole):
    settings.CIVIC_LIMITS = {"report": {"ip": "1/h"}, "email": {"address": "100/h"}}
    app = Open311Client.objects.create(name="App")
    data = {"api_key": app.api_key, "service_code": "pothole", "lat": INSIDE[1], "long": INSIDE[0]}
    data |= {"email": "lou@example.org", "description": "Big hole"}
    url = reverse("open311-requests", kwargs={"fmt": "json"})
    assert client.post(url, data).status_code == 201
    refused = client.post(url, data)
    assert refused.status_code == 429
    assert refused.json()[0]["code"] == 429 and "minutes" in refused.json()[0]["description"]
    assert Report.objects.count() == 1


def test_an_attacker_cannot_lock_the_owner_out(settings, client, resident):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    attacker = {"REMOTE_ADDR": "203.0.113.9"}
    for _n in range(5):
        response = client.post("/compte/login/", {"login": resident.email, "password": "guess"}, **attacker)
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    blocked = client.post("/compte/login/", {"login": resident.email, "password": PASSWORD}, **attacker)
    assert "_auth_user_id" not in client.session, "the guesser is stopped, even with the right password"
    assert blocked.status_code in (200, 429)

    owner = client.post("/compte/login/", {"login": resident.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.4")
    assert owner.status_code == 302
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_limits_degrade_open_when_the_cache_is_down(settings, monkeypatch, caplog):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("cache server unreachable")

    settings.CIVIC_LIMITS = {"report": {"user": "1/h"}}
    for name in ("get", "add", "incr"):
        monkeypatch.setattr(cache, name, down)
    for _n in range(3):
        rate_limit_hit("report", message="%(wait)s", user=7)  # nothing refused, nothing raised


def test_a_used_limit_says_how_long_to_wait(settings):
    settings.CIVIC_LIMITS = {"report": {"user": "1/h"}}
    rate_limit_hit("report", message="wait %(wait)s", user=7)
    with pytest.raises(RateLimited) as refusal:
        rate_limit_hit("report", message="wait %(wait)s", user=7)
    assert refusal.value.retry_after > 0 and refusal.value.message_text.startswith("wait ")
    assert refusal.value.message_dict == {"__all__": [refusal.value.message_text]}
