"""The back office: inbox with bulk changes, indicators and staff exports."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from signalements.models import ReportState

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, user_factory):
    admin = user_factory(roles=["administrator"], is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_inbox_bulk_state_change(admin_client, report_factory, pothole):
    reports = [report_factory(category=pothole) for _ in range(3)]

    listing = admin_client.get(reverse("signalements_staff:inbox"), {"service": pothole.service_id})
    assert listing.status_code == 200
    admin_client.post(
        reverse("signalements_staff:inbox"),
        {"report": [r.pk for r in reports[:2]], "state": "acknowledged", "text": "Seen"},
    )

    states = [type(r).objects.get(pk=r.pk).state for r in reports]
    assert states == [ReportState.ACKNOWLEDGED, ReportState.ACKNOWLEDGED, ReportState.NEW]


def test_indicators_and_exports(english_pages, admin_client, report_factory, pothole, user_factory):
    reporter = user_factory(email="contact.me@example.org")
    report_factory(category=pothole, reporter=reporter)
    report_factory(category=pothole, state=ReportState.FIXED)

    page = admin_client.get(reverse("signalements_staff:indicators")).content.decode()
    assert "Median days to fix" in page and pothole.service.name in page
    csv_text = admin_client.get(reverse("signalements_staff:export", args=["csv"])).content.decode()
    assert "contact.me@example.org" in csv_text  # staff see the contact
    workbook = load_workbook(io.BytesIO(admin_client.get(reverse("signalements_staff:export", args=["xlsx"])).content))
    assert workbook.active.max_row == 3
    geojson = admin_client.get(reverse("signalements_staff:export", args=["geojson"]))
    assert geojson["Content-Type"] == "application/geo+json" and len(geojson.json()["features"]) == 2


def test_residents_cannot_open_the_inbox(client, resident):
    client.force_login(resident)

    assert client.get(reverse("signalements_staff:inbox")).status_code in (302, 403)
