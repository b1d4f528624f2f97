"""The web flow without JavaScript: the form keeps what was typed, errors are clear, nothing half-stored."""

import pytest
from django.urls import reverse

from signalements.models import Report, ReportState

from .conftest import INSIDE, OUTSIDE, jpeg_bytes, upload

pytestmark = pytest.mark.django_db


def form_data(category, /, **changes):
    data = {
        "category": category.code,
        "latitude": str(INSIDE[1]),
        "longitude": str(INSIDE[0]),
        "description": "Deep pothole near the school gate",
        f"q_{category.pk}_size": "large",
        "reporter_name": "Alex Martin",
        "reporter_email": "alex@example.org",
        "idempotency_key": "key-1",
    }
    data.update(changes)
    return data


def test_the_form_page_lists_grouped_categories(client, pothole, territory):
    response = client.get(reverse("report-create"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nid-de-poule" in content and "Size of the pothole" in content
    assert 'name="idempotency_key"' in content


def test_anonymous_report_goes_to_check_your_email(client, pothole, territory, mailoutbox):
    response = client.post(reverse("report-create"), form_data(pothole))

    assert response.status_code == 302 and response.url == reverse("report-sent")
    assert Report.objects.get().state == ReportState.UNCONFIRMED


def test_logged_in_report_with_photo_goes_to_its_page(client, pothole, territory, resident):
    client.force_login(resident)
    data = form_data(pothole, photos=[upload("hole.jpg", jpeg_bytes())])

    response = client.post(reverse("report-create"), data)

    report = Report.objects.get()
    assert response.url == report.get_absolute_url()
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Deep pothole near the school gate" in page.content.decode()
    assert report.photos.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"latitude": "95", "longitude": "4.82"}, "within ±90"),
        ({"latitude": str(OUTSIDE[1]), "longitude": str(OUTSIDE[0])}, "outside our territory"),
        ({"category": "unknown-thing"}, "Choose a category"),
        ({"q_{pk}_size": ""}, "Please answer"),
    ],
)
def test_bad_input_keeps_what_was_typed(english_pages, client, pothole, territory, changes, message):
    changes = {key.replace("{pk}", str(pothole.pk)): value for key, value in changes.items()}
    data = form_data(pothole, **changes)

    response = client.post(reverse("report-create"), data)

    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "Deep pothole near the school gate" in content
    assert 'value="Alex Martin"' in content
    assert f'value="{data["latitude"]}"' in content and f'value="{data["longitude"]}"' in content
    assert not Report.objects.exists()


def test_a_bad_photo_is_named_and_the_rest_is_kept(english_pages, client, pothole, territory, bad_files):
    data = form_data(pothole, photos=[bad_files["cut.jpg"]])

    response = client.post(reverse("report-create"), data)

    assert response.status_code == 400
    content = response.content.decode()
    assert "cut.jpg: the image is damaged or incomplete." in content
    assert "Deep pothole near the school gate" in content
    assert not Report.objects.exists()


def test_the_form_sent_twice_creates_one_report(client, pothole, territory, resident):
    client.force_login(resident)
    first = client.post(reverse("report-create"), form_data(pothole))
    second = client.post(reverse("report-create"), form_data(pothole))

    assert Report.objects.count() == 1
    assert first.url == second.url


def test_the_photo_position_is_used_when_no_place_was_chosen(client, pothole, territory, resident):
    client.force_login(resident)
    data = form_data(pothole, latitude="", longitude="", photos=[upload("gps.jpg", jpeg_bytes(gps=(4.83, 45.73)))])

    client.post(reverse("report-create"), data)

    report = Report.objects.get()
    assert report.longitude == pytest.approx(4.83, abs=1e-4) and report.latitude == pytest.approx(45.73, abs=1e-4)


def test_nearby_open_reports_are_offered_with_a_support_button(client, pothole, territory, report_factory):
    nearby = report_factory(category=pothole, description="Same hole as yours")
    report_factory(
        category=pothole,
        description="Far away hole",
        location=__import__("django.contrib.gis.geos", fromlist=["Point"]).Point(4.845, 45.745, srid=4326),
    )

    response = client.get(
        reverse("report-create"), {"category": "pothole", "latitude": "45.7201", "longitude": "4.8201"}
    )

    content = response.content.decode()
    assert "Same hole as yours" in content and "Far away hole" not in content
    assert reverse("report-support", args=[nearby.pk]) in content
    api = client.get(reverse("api-report-nearby"), {"category": "pothole", "lat": "45.7201", "lon": "4.8201"})
    assert [item["id"] for item in api.json()["results"]] == [nearby.pk]


def test_support_button(client, report_factory, pothole, user_factory):
    report = report_factory(category=pothole)
    neighbour = user_factory()
    client.force_login(neighbour)

    client.post(reverse("report-support", args=[report.pk]))

    report.refresh_from_db()
    assert report.supporter_count == 1


def test_unconfirmed_reports_are_invisible(client, report_factory, pothole):
    report = report_factory(category=pothole, state=ReportState.UNCONFIRMED)

    assert client.get(report.get_absolute_url()).status_code == 404


def test_staff_acknowledge_then_fix_from_the_report_page(client, report_factory, pothole, agent_voirie, mailoutbox):
    report = report_factory(category=pothole)
    client.force_login(agent_voirie)
    page = client.get(report.get_absolute_url()).content.decode()
    assert report.reporter.email in page  # staff see the reporter's contact

    client.post(reverse("report-update", args=[report.pk]), {"new_state": "acknowledged", "text": "On our list."})
    client.post(reverse("report-update", args=[report.pk]), {"new_state": "fixed", "text": "Filled."})

    report.refresh_from_db()
    assert report.state == ReportState.FIXED
    public = client.get(report.get_absolute_url())
    assert "Filled." in public.content.decode()


def test_my_reports(client, report_factory, resident, pothole):
    mine = report_factory(category=pothole, reporter=resident, description="Mine, under the bridge")
    report_factory(category=pothole, description="Someone else's")
    client.force_login(resident)

    content = client.get(reverse("report-mine")).content.decode()

    assert mine.description in content and "Someone else's" not in content


def test_list_alternative_with_filters(client, report_factory, pothole, category_factory):
    report_factory(category=pothole, description="Open pothole")
    report_factory(category=pothole, description="Fixed pothole", state=ReportState.FIXED)
    report_factory(category=category_factory(name="Graffiti"), description="Tag on the wall")

    content = client.get(reverse("report-list"), {"category": "pothole", "state": "open"}).content.decode()

    assert "Open pothole" in content and "Fixed pothole" not in content and "Tag on the wall" not in content
