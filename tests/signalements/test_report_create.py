"""Creating a report: validation that stores nothing, routing, confirmation, idempotency."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from civic.notifications.models import Notification
from civic.notifications.selectors import is_following
from signalements.models import Report, ReportPhoto, ReportState, ServiceRoute
from signalements.services import report_confirm, report_create, reports_expire_unconfirmed

from .conftest import INSIDE, OUTSIDE

pytestmark = pytest.mark.django_db


@pytest.fixture
def create(run):
    def create(category, *, reporter=None, lon=INSIDE[0], lat=INSIDE[1], **extra):
        return run(report_create, **_values(category, reporter, lon, lat, extra))

    return create


def _values(category, reporter, lon, lat, extra):
    values = {
        "category": category,
        "longitude": lon,
        "latitude": lat,
        "description": "Deep pothole in front of the bakery.",
        "reporter": reporter,
        "extra_answers": {"size": "large"},
    }
    if reporter is None:
        values.update(reporter_name="Alex", reporter_email="alex@example.org")
    values.update(extra)
    return values


def test_logged_in_report_is_published_and_routed_at_once(create, territory, pothole, resident, agent_voirie):
    report = create(pothole, reporter=resident)

    assert report.state == ReportState.NEW
    assert report.area == territory
    assert report.service.code == "voirie"
    assert report.extra_answers == {"size": "large"}
    assert Report.objects.public().filter(pk=report.pk).exists()
    assert Notification.objects.filter(recipient=agent_voirie, kind="signalements.new").count() == 1
    assert any("voirie@council.example.org" in message.to for message in mail.outbox)
    assert is_following(resident, report)


def test_a_route_sends_the_category_in_that_area_to_another_service(
    create, territory, pothole, resident, service_factory
):
    commune_team = service_factory(name="Commune voisine")
    ServiceRoute.objects.create(category=pothole, area=territory, service=commune_team)

    assert create(pothole, reporter=resident).service == commune_team


def test_anonymous_report_waits_for_its_confirmation_link(create, run, territory, pothole, agent_voirie):
    report = create(pothole)

    assert report.state == ReportState.UNCONFIRMED
    assert not Report.objects.public().filter(pk=report.pk).exists()
    assert not Notification.objects.filter(recipient=agent_voirie).exists()
    [message] = mail.outbox
    assert message.to == ["alex@example.org"]
    assert f"/signalements/confirmer/{report.confirmation_token}/" in message.body

    confirmed = run(report_confirm, token=report.confirmation_token)

    assert confirmed.state == ReportState.NEW
    assert Report.objects.public().filter(pk=report.pk).exists()
    assert Notification.objects.filter(recipient=agent_voirie).count() == 1
    assert report_confirm(token=report.confirmation_token).state == ReportState.NEW  # twice: nothing more
    assert Notification.objects.filter(recipient=agent_voirie).count() == 1


def test_unconfirmed_reports_expire(create, territory, pothole, photo):
    report = create(pothole, photos=[photo])
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=4))

    with pytest.raises(ValidationError, match="expired"):
        report_confirm(token=report.confirmation_token)
    assert reports_expire_unconfirmed() == 1
    assert not Report.objects.exists()
    assert not ReportPhoto.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"lon": 200, "lat": 45.7}, "location", "within ±90"),
        ({"lon": "abc", "lat": 45.7}, "location", "Choose the place"),
        ({"lon": OUTSIDE[0], "lat": OUTSIDE[1]}, "location", "outside our territory"),
        ({"category": None}, "category", "Choose a category"),
        ({"extra_answers": {}}, "question_size", "Size of the pothole"),
        ({"extra_answers": {"size": "enormous"}}, "question_size", "proposed answers"),
        ({"description": "   "}, "description", "Describe the problem"),
        ({"reporter_email": "not-an-email"}, "reporter_email", "email address"),
    ],
)
def test_bad_input_gives_a_clear_error_and_stores_nothing(create, territory, pothole, changes, field, message):
    values = {"category": pothole, **changes}
    category = values.pop("category")
    with pytest.raises(ValidationError) as caught:
        create(category, **values)

    assert field in caught.value.message_dict
    assert message in " ".join(caught.value.message_dict[field])
    assert not Report.objects.exists()
    assert not mail.outbox


def test_same_idempotency_key_twice_creates_one_report(create, territory, pothole, resident, photo):
    first = create(pothole, reporter=resident, idempotency_key="form-123", photos=[photo])
    again = create(pothole, reporter=resident, idempotency_key="form-123", photos=[photo])

    assert again.pk == first.pk
    assert Report.objects.count() == 1
    assert ReportPhoto.objects.count() == 1


def test_a_blocked_person_cannot_report(create, territory, pothole, resident, user_block_factory):
    user_block_factory(user=resident)

    with translation.override("en"), pytest.raises(ValidationError, match="blocked"):
        create(pothole, reporter=resident)
    assert not Report.objects.exists()


def test_personal_data_in_the_description_holds_the_report_for_moderation(create, territory, pothole, resident):
    report = create(pothole, reporter=resident, description="Call me at 06 12 34 56 78 about it.")

    assert report.moderation_state == "pending"
    assert not Report.objects.public().filter(pk=report.pk).exists()


def test_an_idempotency_key_too_long_is_refused_not_cut(create, territory, pothole, resident):
    with pytest.raises(ValidationError) as refused:
        create(pothole, reporter=resident, idempotency_key="k" * 65)

    assert "too long" in refused.value.message_dict["idempotency_key"][0]
    assert not Report.objects.exists()
