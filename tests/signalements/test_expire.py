"""The daily `expire_unconfirmed_reports` command deletes only the reports never confirmed in time."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from signalements.models import Report, ReportPhoto, ReportState
from signalements.services import report_create

from .conftest import INSIDE

pytestmark = pytest.mark.django_db


@pytest.fixture
def unconfirmed(run, territory, pothole):
    def make(*, age_hours, photos=()):
        report = run(
            report_create,
            category=pothole,
            longitude=INSIDE[0],
            latitude=INSIDE[1],
            description="Deep pothole in front of the bakery.",
            reporter_name="Alex",
            reporter_email="alex@example.org",
            extra_answers={"size": "large"},
            photos=photos,
        )
        Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(hours=age_hours))
        return report

    return make


def _expire() -> str:
    out = StringIO()
    call_command("expire_unconfirmed_reports", stdout=out)
    return out.getvalue()


def test_the_command_deletes_stale_unconfirmed_reports_and_their_photo_files(
    unconfirmed, photo, report_factory, pothole, settings
):
    settings.SIGNALEMENTS_CONFIRMATION_HOURS = 72
    stale = unconfirmed(age_hours=80, photos=[photo])
    files = [Path(p.image.path) for p in stale.photos.all()] + [Path(p.thumbnail.path) for p in stale.photos.all()]
    assert files and all(path.exists() for path in files)
    waiting = unconfirmed(age_hours=10)
    published = report_factory(category=pothole)
    Report.objects.filter(pk=published.pk).update(created_at=timezone.now() - timedelta(days=30))

    output = _expire()

    assert "1 unconfirmed report(s)" in output
    assert not Report.objects.filter(pk=stale.pk).exists()
    assert not ReportPhoto.objects.filter(report_id=stale.pk).exists()
    assert not any(path.exists() for path in files), "the photo files are deleted too"
    assert Report.objects.get(pk=waiting.pk).state == ReportState.UNCONFIRMED, "still within its confirmation period"
    assert Report.objects.filter(pk=published.pk).exists(), "an old published report is never expired"


def test_running_it_again_deletes_nothing_more(unconfirmed):
    unconfirmed(age_hours=100)

    assert "1 unconfirmed" in _expire()
    assert "0 unconfirmed" in _expire()


def test_the_command_deletes_alerts_never_confirmed_in_time(territory, settings):
    from signalements.models import ReportAlert
    from signalements.services.alerts import alert_subscribe

    settings.SIGNALEMENTS_CONFIRMATION_HOURS = 72
    stale = alert_subscribe(email="stale@example.org", area=territory)
    recent = alert_subscribe(email="recent@example.org", area=territory)
    confirmed = alert_subscribe(email="kept@example.org", area=territory)
    old = timezone.now() - timedelta(hours=80)
    ReportAlert.objects.filter(pk__in=[stale.pk, confirmed.pk]).update(created_at=old)
    ReportAlert.objects.filter(pk=confirmed.pk).update(confirmed_at=old)

    output = _expire()

    assert "1 unconfirmed alert(s)" in output
    assert set(ReportAlert.objects.values_list("email", flat=True)) == {"recent@example.org", "kept@example.org"}
    assert recent.pk in set(ReportAlert.objects.values_list("pk", flat=True))
