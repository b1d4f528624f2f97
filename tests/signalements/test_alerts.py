"""Email alerts on new reports: subscribe (confirmed by email unless it is one's own address),
one email per matching alert for each published report, one-click unsubscribe, bad input refused."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from signalements.models import ReportAlert, ReportState
from signalements.services import report_confirm, report_create, report_reopen, report_update_create
from signalements.services.alerts import alert_subscribe, alert_unsubscribe_token, report_alerts_send

from .conftest import INSIDE, OUTSIDE

pytestmark = pytest.mark.django_db

# About 440 m east of INSIDE, still inside the territory.
NEAR = (INSIDE[0] + 0.0057, INSIDE[1])


def alert_mails():
    """The alert emails sent (not the service's, the agents' notifications or the confirmations)."""
    return [m for m in mail.outbox if "/alertes/desabonnement/" in m.extra_headers.get("List-Unsubscribe", "")]


@pytest.fixture
def publish(run, pothole):
    """A resident's report, published at once (so service_notify runs and the alerts are queued)."""

    def publish(*, reporter, category=None, at=INSIDE, **extra):
        return run(
            report_create,
            category=category or pothole,
            longitude=at[0],
            latitude=at[1],
            description="Deep pothole in front of the bakery.",
            reporter=reporter,
            reporter_phone="06 12 34 56 78",
            extra_answers={"size": "large"},
            **extra,
        )

    return publish


@pytest.fixture
def confirmed(territory):
    def make(email, **where):
        alert = alert_subscribe(email=email, **where)
        alert.confirmed_at = alert.created_at
        alert.save()
        return alert

    return make


def test_a_visitor_subscribes_then_confirms_by_the_emailed_link(
    client, territory, pothole, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("report-alert-create"),
            {"email": "Riverain@Example.org", "where": "area", "area": territory.pk, "categories": [pothole.pk]},
        )

    assert response.status_code == 302
    alert = ReportAlert.objects.get()
    assert (alert.email, alert.area, alert.is_confirmed) == ("riverain@example.org", territory, False)
    assert list(alert.categories.all()) == [pothole]
    [message] = mail.outbox
    assert message.to == ["riverain@example.org"]
    link = re.search(r"https?://\S+/alertes/confirmer/\S+/", message.body).group(0)
    page = client.get(link[link.index("/signalements/") :])
    assert page.status_code == 200
    alert.refresh_from_db()
    assert alert.is_confirmed
    assert client.get(reverse("report-alert-confirm", args=["not-a-token"])).status_code == 404


def test_logged_in_own_address_is_active_at_once_and_managed_in_my_space(
    client, territory, resident, django_capture_on_commit_callbacks
):
    client.force_login(resident)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("report-alert-create"),
            {"where": "point", "latitude": str(INSIDE[1]), "longitude": str(INSIDE[0]), "radius": "800"},
        )

    assert response.status_code == 302 and response["Location"] == reverse("report-alert-list")
    alert = ReportAlert.objects.get()
    assert alert.is_confirmed and alert.user == resident and alert.email == resident.email
    assert (alert.radius, alert.area) == (800, None)
    assert mail.outbox == []  # nothing to confirm
    listing = client.get(reverse("report-alert-list")).content.decode()
    assert "800" in listing and reverse("report-alert-delete", args=[alert.pk]) in listing
    assert reverse("report-alert-list") in client.get(reverse("account-space")).content.decode()

    client.post(reverse("report-alert-delete", args=[alert.pk]))
    assert not ReportAlert.objects.exists()


def test_another_address_of_a_logged_in_person_is_confirmed_by_email(
    client, territory, resident, django_capture_on_commit_callbacks
):
    client.force_login(resident)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("report-alert-create"), {"email": "other@example.org", "where": "area", "area": territory.pk}
        )

    alert = ReportAlert.objects.get()
    assert alert.email == "other@example.org" and not alert.is_confirmed
    assert mail.outbox[0].to == ["other@example.org"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not-an-email", "where": "area"}, "email", "Give a valid email address"),
        ({"email": "a@example.org", "where": "area"}, "area", "Choose an area"),
        (
            {"email": "a@example.org", "where": "point", "latitude": "45.72", "longitude": "4.82", "radius": "50"},
            "radius",
            "Choose a radius between 100 and 5000 metres.",
        ),
        (
            {"email": "a@example.org", "where": "point", "latitude": "45.72", "longitude": "4.82", "radius": "9000"},
            "radius",
            "Choose a radius between 100 and 5000 metres.",
        ),
        (
            {
                "email": "a@example.org",
                "where": "point",
                "latitude": str(OUTSIDE[1]),
                "longitude": str(OUTSIDE[0]),
                "radius": "500",
            },
            "latitude",
            "This point is outside the territory",
        ),
        (
            {"email": "a@example.org", "where": "point", "latitude": "north", "longitude": "4.82", "radius": "500"},
            "latitude",
            "give a latitude and a longitude",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_stores_nothing(
    english_pages, client, territory, data, field, message
):
    response = client.post(reverse("report-alert-create"), data)

    assert response.status_code == 400
    form = response.context["alert_form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert form["email"].value() == data["email"]  # what was typed is kept
    assert not ReportAlert.objects.exists() and mail.outbox == []


def test_subscribing_twice_returns_the_same_alert(territory):
    first = alert_subscribe(email="a@example.org", area=territory)
    again = alert_subscribe(email="A@example.org ", area=territory)

    assert first.pk == again.pk and ReportAlert.objects.count() == 1


def test_the_service_refuses_without_a_place(territory):
    with pytest.raises(ValidationError) as error:
        alert_subscribe(email="a@example.org")
    assert "location" in error.value.message_dict


def test_each_published_report_emails_each_matching_confirmed_alert_once(
    run, publish, confirmed, territory, pothole, category_factory, resident, user_factory
):
    by_area = confirmed("area@example.org", area=territory)
    near = confirmed("near@example.org", longitude=NEAR[0], latitude=NEAR[1], radius=500)
    confirmed("far@example.org", longitude=NEAR[0], latitude=NEAR[1], radius=100)  # 440 m away: out
    other_category = category_factory(name="Tag")
    confirmed("tags@example.org", area=territory, categories=[other_category])
    confirmed("potholes@example.org", area=territory, categories=[pothole])
    alert_subscribe(email="unconfirmed@example.org", area=territory)
    mail.outbox.clear()
    reporter = user_factory(email="reporter@example.org", display_name="Jeanne Reporter")

    report = publish(reporter=reporter)

    sent = alert_mails()
    assert sorted(address for m in sent for address in m.to) == [
        "area@example.org",
        "near@example.org",
        "potholes@example.org",
    ]
    message = next(m for m in sent if m.to == [by_area.email])
    assert f"#{report.pk}" in message.body and "Deep pothole" in message.body
    html = message.alternatives[0][0]
    for personal in ("Jeanne", "reporter@example.org", "06 12 34 56 78"):
        assert personal not in message.body and personal not in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert "/signalements/alertes/desabonnement/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "A new report in Les Tilleuls" in message.body
    link = re.search(r"https?://[^/\s]+(/signalements/alertes/desabonnement/\S+/)", message.body).group(1)
    assert f"<http://127.0.0.1:8000{link}>" in unsubscribe

    # A reopened report goes back to the service, but the alerts already told are not told twice.
    mail.outbox.clear()
    report_update_create(report=report, author=report.service.agents.first(), new_state=ReportState.FIXED, text="Done")
    report.refresh_from_db()
    run(report_reopen, report=report, user=reporter, text="Still there")
    assert alert_mails() == [] and report_alerts_send(report_id=report.pk) == 0
    assert near.deliveries.count() == 1

    Client().post(link)  # the link in the email stops that alert only
    assert not ReportAlert.objects.filter(pk=by_area.pk).exists() and ReportAlert.objects.filter(pk=near.pk).exists()


def test_the_reporter_is_not_alerted_of_their_own_report(publish, confirmed, resident):
    confirmed(resident.email, area=None, longitude=INSIDE[0], latitude=INSIDE[1], radius=200)
    mail.outbox.clear()

    publish(reporter=resident)

    assert alert_mails() == []


def test_an_unconfirmed_report_is_emailed_only_once_confirmed(run, confirmed, territory, pothole):
    confirmed("area@example.org", area=territory)
    report = run(
        report_create,
        category=pothole,
        longitude=INSIDE[0],
        latitude=INSIDE[1],
        description="Broken kerb.",
        reporter=None,
        reporter_name="Alex",
        reporter_email="alex@example.org",
        extra_answers={"size": "large"},
    )
    assert report.state == ReportState.UNCONFIRMED and alert_mails() == []

    run(report_confirm, token=report.confirmation_token)

    assert [m.to for m in alert_mails()] == [["area@example.org"]]
    assert "alex@example.org" not in alert_mails()[0].body


def test_a_hidden_report_is_not_sent(report_factory, confirmed, territory, pothole):
    confirmed("area@example.org", area=territory)
    hidden = report_factory(category=pothole, state=ReportState.HIDDEN)

    assert report_alerts_send(report_id=hidden.pk) == 0
    assert alert_mails() == []


def test_one_click_unsubscribe(client, confirmed, territory):
    alert = confirmed("area@example.org", area=territory)
    url = reverse("report-alert-unsubscribe", args=[alert_unsubscribe_token(alert)])

    assert client.get(url).status_code == 200 and ReportAlert.objects.filter(pk=alert.pk).exists()
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})  # what a mail client sends (RFC 8058)
    assert response.status_code == 200
    assert not ReportAlert.objects.filter(pk=alert.pk).exists()
    assert client.post(url).status_code == 200  # already gone: said so, no error
    assert client.get(reverse("report-alert-unsubscribe", args=["forged"])).status_code == 400


def test_the_list_page_offers_the_form_next_to_the_feeds(english_pages, client, territory, pothole):
    page = client.get(reverse("report-list"), {"area": territory.pk, "category": pothole.code}).content.decode()

    feeds = page.index("RSS feed of new reports")
    form = page[page.index('action="/signalements/alertes/"') :]
    assert feeds < page.index("Receive new reports by email") < page.index('action="/signalements/alertes/"')
    assert re.search(rf'<option value="{territory.pk}" selected>', form)  # the list's filters carried over
    assert re.search(rf'value="{pothole.pk}"[^>]*checked', form)
