"""One email path: every link in an email starts with SITE_URL, whatever host the request came by."""

import re

import pytest
from django.core import mail

from civic.notifications.services import notify
from signalements.services import notices

pytestmark = pytest.mark.django_db

SITE = "https://participer.ville.example"
LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def public_site(settings):
    settings.SITE_URL = SITE
    settings.WAGTAILADMIN_BASE_URL = SITE  # derived from SITE_URL in civic/settings/base.py
    settings.ALLOWED_HOSTS = ["*"]
    return SITE


def links(message) -> list[str]:
    bodies = [message.body, *(content for content, _type in getattr(message, "alternatives", []))]
    found = [link for body in bodies for link in LINK.findall(body)]
    assert found, f"no link in:\n{message.body}"
    return found


def assert_site_links(message):
    wrong = [link for link in links(message) if not link.startswith(SITE + "/")]
    assert not wrong, f"links not on {SITE}: {wrong}"


def test_the_signup_confirmation_links_to_site_url_not_the_requests_host(client, public_site):
    client.post(
        "/compte/signup/",
        {
            "email": "camille@example.org",
            "display_name": "Camille",
            "password1": "Tilleuls en fleur 2027",
            "password2": "Tilleuls en fleur 2027",
        },
        HTTP_HOST="127.0.0.1:8000",
    )

    [message] = mail.outbox
    assert any("/compte/confirm-email/" in link for link in links(message))
    assert_site_links(message)
    assert "127.0.0.1" not in message.body


def test_the_password_reset_links_to_site_url(client, resident, public_site):
    client.post("/compte/password/reset/", {"email": resident.email}, HTTP_HOST="127.0.0.1:8000")

    [message] = mail.outbox
    assert any("/compte/password/reset/key/" in link for link in links(message))
    assert_site_links(message)


def test_a_notification_email_links_to_site_url(resident, public_site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=resident, title="Votre idée a été étudiée", url="/budget/idees/1/", kind="budget.review")

    [message] = mail.outbox
    assert f"{SITE}/budget/idees/1/" in links(message)
    assert_site_links(message)


def test_a_report_notice_goes_through_the_queue_with_site_url_links(
    report_factory, public_site, django_capture_on_commit_callbacks
):
    report = report_factory(reporter=None, reporter_email="dominique@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        notices.reporter_state_email(
            report=report, title="Pris en compte", body="Votre signalement est pris en compte."
        )

    [message] = mail.outbox
    assert message.to == ["dominique@example.org"]
    assert_site_links(message)


def test_the_wagtail_admin_password_reset_links_to_site_url(client, user_factory, public_site):
    agent = user_factory(roles=["agent"], email="agent@example.org")

    response = client.post("/admin/password_reset/", {"email": agent.email}, HTTP_HOST="127.0.0.1:8000")

    assert response.status_code == 302
    [message] = mail.outbox
    assert any("/admin/password_reset/confirm/" in link for link in links(message))
    assert_site_links(message)
