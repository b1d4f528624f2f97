"""Agents only ever see their own services' reports in the back office: the inbox, the three exports
(which carry the reporters' emails and phones) and a report's staff page. Another team's service, or one
that does not exist, is a 404 that holds no data."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def espaces_verts(service_factory, user_factory):
    gardener = user_factory(roles=["agent"], display_name="Agent espaces verts")
    return service_factory(name="Espaces verts", code="espaces-verts", agents=[gardener])


@pytest.fixture
def their_report(report_factory, category_factory, espaces_verts, user_factory):
    reporter = user_factory(email="secret.neighbour@example.org", display_name="Secret Neighbour")
    category = category_factory(name="Arbre tombé", code="tree", service=espaces_verts)
    return report_factory(category=category, reporter=reporter, reporter_phone="06 11 22 33 44")


@pytest.fixture
def my_report(report_factory, pothole, user_factory):
    return report_factory(category=pothole, reporter=user_factory(email="my.reporter@example.org"))


def export(client, fmt, **params):
    return client.get(reverse("signalements_staff:export", args=[fmt]), params)


def export_text(response, fmt) -> str:
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(
            ",".join(str(cell) for cell in row if cell is not None) for row in sheet.iter_rows(values_only=True)
        )
    return response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_an_agent_cannot_export_another_services_reporters(client, agent_voirie, their_report, my_report, fmt):
    client.force_login(agent_voirie)

    other = export(client, fmt, service=their_report.service_id)
    unknown = export(client, fmt, service=999999)
    mine = export(client, fmt)

    assert other.status_code == 404 and unknown.status_code == 404
    for refused in (other, unknown):
        assert b"secret.neighbour" not in refused.content and b"06 11 22 33 44" not in refused.content
    assert mine.status_code == 200
    text = export_text(mine, fmt)
    assert "my.reporter@example.org" in text
    assert "secret.neighbour@example.org" not in text and "06 11 22 33 44" not in text


def test_an_agent_cannot_list_another_services_reports_in_the_inbox(
    english_pages, client, agent_voirie, their_report, my_report
):
    client.force_login(agent_voirie)

    other = client.get(reverse("signalements_staff:inbox"), {"service": their_report.service_id})
    page = client.get(reverse("signalements_staff:inbox")).content.decode()

    assert other.status_code == 404 and their_report.description.encode() not in other.content
    assert f'data-report="{my_report.pk}"' in page and f'data-report="{their_report.pk}"' not in page
    # The service list offers their own services only.
    assert "Voirie" in page and "Espaces verts" not in page


def test_an_agent_cannot_open_another_services_report(client, agent_voirie, their_report, my_report):
    client.force_login(agent_voirie)

    refused = client.get(reverse("signalements_staff:report", args=[their_report.pk]))
    posted = client.post(
        reverse("signalements_staff:report", args=[their_report.pk]), {"action": "update", "new_state": "fixed"}
    )

    assert refused.status_code == 404 and b"secret.neighbour" not in refused.content
    assert posted.status_code == 404
    their_report.refresh_from_db()
    assert their_report.state == "new"
    assert client.get(reverse("signalements_staff:report", args=[my_report.pk])).status_code == 200


def test_an_agent_without_a_service_sees_no_report(english_pages, client, agent, my_report, their_report):
    client.force_login(agent)

    page = client.get(reverse("signalements_staff:inbox")).content.decode()
    csv_text = export(client, "csv").content.decode()

    assert "You belong to no service yet" in page and "data-report=" not in page
    assert "my.reporter@example.org" not in csv_text and "secret.neighbour" not in csv_text


def test_an_agent_cannot_change_another_services_reports_in_bulk(client, agent_voirie, their_report):
    client.force_login(agent_voirie)

    client.post(reverse("signalements_staff:inbox"), {"report": [their_report.pk], "state": "fixed", "text": "Done"})

    their_report.refresh_from_db()
    assert their_report.state == "new"


def test_administrators_see_and_export_every_service(client, administrator, their_report, my_report):
    client.force_login(administrator)

    response = export(client, "geojson", service=their_report.service_id)

    assert response.status_code == 200
    [feature] = json.loads(response.content)["features"]
    assert feature["properties"]["reporter_email"] == "secret.neighbour@example.org"
