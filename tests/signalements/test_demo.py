import pytest
from django.core.management import call_command

from signalements.models import Report, ReportsPortalPage, ReportState

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_public_state_and_runs_twice(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")

    states = set(Report.objects.values_list("state", flat=True))
    assert {
        ReportState.NEW,
        ReportState.ACKNOWLEDGED,
        ReportState.PLANNED,
        ReportState.IN_PROGRESS,
        ReportState.FIXED,
        ReportState.DUPLICATE,
        ReportState.NOT_RESPONSIBLE,
    } <= states
    assert 25 <= Report.objects.count() <= 35
    assert Report.objects.filter(photos__isnull=False).exists()
    assert Report.objects.filter(state=ReportState.PLANNED, expected_fix_date__isnull=True).count() == 0
    portal = ReportsPortalPage.objects.get()
    settings.DEBUG = False
    response = client.get(portal.url)
    assert response.status_code == 200
    assert "Report a problem" in response.content.decode() or "Signaler" in response.content.decode()
