import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from civic.notifications.emails import unsubscribe_token
from civic.notifications.models import EmailFrequency, Notification, NotificationPreference
from civic.notifications.services import (
    digests_send,
    follow_create,
    notification_emails_send,
    notification_preference_update,
    notify,
    notify_followers,
)

pytestmark = pytest.mark.django_db

BASE_URL = "https://participer.example.fr"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = BASE_URL
    settings.DEFAULT_FROM_EMAIL = "Ma commune <ne-pas-repondre@example.fr>"


def _unsubscribe_path(message) -> str:
    match = re.search(r"<(https://[^>]+)>", message.extra_headers["List-Unsubscribe"])
    return match.group(1).removeprefix(BASE_URL)


def test_immediate_email_is_multipart_french_with_absolute_links_and_unsubscribe_headers(
    resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=resident, title="Votre idée a été retenue", body="Bravo.", url="/budget/idee/4/"
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [resident.email]
    assert "Votre idée a été retenue" in message.subject
    assert "Bonjour" in message.body
    assert f"{BASE_URL}/budget/idee/4/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'lang="fr"' in html
    assert f'href="{BASE_URL}/budget/idee/4/"' in html

    headers = message.extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        rf"<{re.escape(BASE_URL)}/notifications/desabonnement/[^>]+/>, <mailto:ne-pas-repondre@example\.fr\?subject=[^>]+>",
        headers["List-Unsubscribe"],
    )
    assert f"{BASE_URL}{_unsubscribe_path(message)}" in message.body  # the same link, visible in the text
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_email_follows_the_persons_language(resident, django_capture_on_commit_callbacks):
    notification_preference_update(user=resident, email_frequency=EmailFrequency.IMMEDIATELY, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=resident, title="Your idea was selected", url="/x/")
    message = mail.outbox[0]
    assert message.body.startswith("Hello")
    assert 'lang="en"' in message.alternatives[0][0]


def test_one_click_unsubscribe_link_asks_then_applies_without_logging_in(client, resident):
    notify(recipient=resident, title="Nouveau commentaire", url="/x/")
    notification_emails_send(notification_ids=list(Notification.objects.values_list("pk", flat=True)))
    path = _unsubscribe_path(mail.outbox[0])

    confirm = client.get(path)
    assert confirm.status_code == 200
    assert "<form" in confirm.content.decode()
    assert not NotificationPreference.objects.filter(
        email_frequency=EmailFrequency.NEVER
    ).exists()  # GET changes nothing

    done = client.post(path)
    assert done.status_code == 200
    assert NotificationPreference.objects.get(user=resident).email_frequency == EmailFrequency.NEVER

    mail.outbox.clear()
    notify(recipient=resident, title="Encore", url="/y/")
    notification_emails_send(notification_ids=list(Notification.objects.values_list("pk", flat=True)))
    assert mail.outbox == []


def test_rfc8058_one_click_post_from_a_mail_client_applies(client, resident):
    path = reverse("notification-unsubscribe", args=[unsubscribe_token(user_id=resident.pk)])
    csrf_client = client.__class__(enforce_csrf_checks=True)  # mail clients send no CSRF token nor cookie
    response = csrf_client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=resident).email_frequency == EmailFrequency.NEVER


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # signature altered
        lambda token: token.replace(token.split(":")[0], signing.b64_encode(b'{"u":999,"s":"email"}').decode()),
        lambda token: "not-a-token",
    ],
    ids=["signature", "payload", "garbage"],
)
def test_a_tampered_link_shows_an_error_and_changes_nothing(client, resident, tamper):
    token = tamper(unsubscribe_token(user_id=resident.pk))
    path = reverse("notification-unsubscribe", args=[token])
    for response in (
        client.get(path),
        client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"),
    ):
        assert response.status_code == 400
        assert "Rien n’a été modifié" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_an_expired_link_says_so_and_changes_nothing(client, resident, settings):
    path = reverse("notification-unsubscribe", args=[unsubscribe_token(user_id=resident.pk)])
    settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE = -1
    response = client.post(path)
    assert response.status_code == 400
    assert "Le lien a expiré" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_token_signed_for_another_purpose_is_refused(client, resident):
    token = signing.dumps({"u": resident.pk, "s": "email"}, salt="some.other.salt")
    assert client.post(reverse("notification-unsubscribe", args=[token])).status_code == 400
    assert not NotificationPreference.objects.exists()


def test_never_sends_no_email_at_all(resident, notification_preference_factory, django_capture_on_commit_callbacks):
    notification_preference_factory(user=resident, email_frequency=EmailFrequency.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=resident, title="Rien par courriel", url="/x/")
    assert digests_send(now=timezone.now() + timedelta(days=1)) == 0
    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None  # still listed on the site


def test_daily_digest_groups_the_days_notifications_in_one_email_and_a_second_run_sends_nothing(
    in_french, user_factory, space, area, django_capture_on_commit_callbacks
):
    reader, actor = user_factory(display_name="Camille"), user_factory()
    notification_preference_update(user=reader, email_frequency=EmailFrequency.DAILY)
    follow_create(user=reader, target=space)
    with django_capture_on_commit_callbacks(execute=True):
        notify_followers(target=space, title="Nouveau commentaire de Léa", url="/c/1/", exclude=actor)
        notify_followers(target=space, title="Nouveau commentaire de Hugo", url="/c/2/", exclude=actor)
        notify(recipient=reader, title="Votre compte a été vérifié", url="/compte/")
    assert mail.outbox == []  # nothing at once for digest readers

    assert call_command("send_digests") is None
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [reader.email]
    assert "3 nouvelles notifications" in digest.subject
    text = digest.body
    assert (
        text.index(space.title) < text.index("Nouveau commentaire de Léa") < text.index("Nouveau commentaire de Hugo")
    )
    assert (
        text.index("Nouveau commentaire de Hugo")
        < text.index("Autres nouvelles")
        < text.index("Votre compte a été vérifié")
    )
    assert f"{BASE_URL}/c/1/" in text
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert space.title in digest.alternatives[0][0]
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    mail.outbox.clear()
    assert digests_send(now=timezone.now() + timedelta(days=2)) == 0  # even when due again: nothing new
    assert mail.outbox == []


def test_digest_is_sent_at_most_once_a_day_and_picks_up_what_came_since(resident):
    notification_preference_update(user=resident, email_frequency=EmailFrequency.DAILY)
    notify(recipient=resident, title="Première", url="/1/")
    start = timezone.now()
    assert digests_send(now=start) == 1

    notify(recipient=resident, title="Deuxième", url="/2/")
    assert digests_send(now=start + timedelta(hours=2)) == 0  # run again the same morning: too early
    assert digests_send(now=start + timedelta(days=1)) == 1
    assert [len(re.findall(r"^\* ", m.body, re.MULTILINE)) for m in mail.outbox] == [1, 1]
    assert "Deuxième" in mail.outbox[1].body


def test_switching_to_the_digest_does_not_dredge_up_old_notifications(resident):
    notification_preference_update(user=resident, email_frequency=EmailFrequency.NEVER)
    notify(recipient=resident, title="Ancienne", url="/old/")
    notification_preference_update(user=resident, email_frequency=EmailFrequency.DAILY)
    notify(recipient=resident, title="Récente", url="/new/")
    assert digests_send() == 1
    assert "Récente" in mail.outbox[0].body
    assert "Ancienne" not in mail.outbox[0].body


def test_an_email_that_fails_is_not_marked_sent_and_a_retry_sends_it_once(resident, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    notification = notify(recipient=resident, title="Coupure", url="/x/")
    original = EmailBackend.send_messages

    def broken(self, messages):
        raise ConnectionError("SMTP server unreachable")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    assert notification_emails_send(notification_ids=[notification.pk]) == 0
    notification.refresh_from_db()
    assert notification.emailed_at is None

    monkeypatch.setattr(EmailBackend, "send_messages", original)
    assert notification_emails_send(notification_ids=[notification.pk]) == 1
    assert notification_emails_send(notification_ids=[notification.pk]) == 0  # the retry of a retry
    assert len(mail.outbox) == 1


def test_preferences_page_saves_and_is_linked_from_my_space(client, resident):
    client.force_login(resident)
    assert reverse("notification-preferences") in client.get(reverse("account-space")).content.decode()

    page = client.get(reverse("notification-preferences"))
    assert page.status_code == 200
    assert page.context["form"].initial["email_frequency"] == EmailFrequency.IMMEDIATELY

    response = client.post(reverse("notification-preferences"), {"email_frequency": "daily", "language": "en"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=resident)
    assert (preference.email_frequency, preference.language) == ("daily", "en")
    assert client.get(reverse("notification-preferences")).context["form"].initial["email_frequency"] == "daily"

    invalid = client.post(reverse("notification-preferences"), {"email_frequency": "hourly", "language": "en"})
    assert invalid.status_code == 200
    assert 'role="alert"' in invalid.content.decode()
    assert NotificationPreference.objects.get(user=resident).email_frequency == "daily"


def test_preferences_page_needs_a_login(client):
    response = client.get(reverse("notification-preferences"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
