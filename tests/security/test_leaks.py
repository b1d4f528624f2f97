"""What a person cannot see is not told to them: unfollow, feeds, display names."""

import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from civic.accounts.forms import ProfileForm, SignupExtraForm
from civic.moderation.models import ModerationState
from civic.notifications.models import Follow
from civic.notifications.selectors import target_key
from signalements.models import ReportUpdate

pytestmark = pytest.mark.django_db

HELD_TITLE = "Appelez-moi au 06 12 34 56 78"
PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "<svg/onload=alert(3)>",
    '<a href="javascript:alert(4)">clic</a>',
    "<iframe src=javascript:alert(5)>",
    "]]><script>alert(6)</script>",
    "&lt;script&gt;alert(7)&lt;/script&gt;",
]


def _form(target, **extra):
    content_type_id, object_pk = target_key(target)
    return {"content_type_id": content_type_id, "object_pk": object_pk, **extra}


@pytest.fixture
def held_idea(idea_factory):
    return idea_factory(title=HELD_TITLE, moderation_state=ModerationState.PENDING)


def test_unfollowing_what_one_cannot_see_is_not_found_and_names_nothing(client, resident, held_idea):
    client.force_login(resident)
    response = client.post(
        reverse("follow-toggle"), _form(held_idea, action="unfollow"), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 404
    assert "06 12 34 56 78" not in response.content.decode()


def test_a_follower_of_what_is_now_held_can_stop_without_being_told_its_title(client, resident, held_idea):
    content_type_id, object_pk = target_key(held_idea)
    Follow.objects.create(user=resident, content_type_id=content_type_id, object_pk=object_pk)
    client.force_login(resident)
    response = client.post(
        reverse("follow-toggle"), _form(held_idea, action="unfollow"), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert "06 12 34 56 78" not in response.content.decode()
    assert not Follow.objects.filter(user=resident).exists()


@pytest.fixture
def hostile_reports(report_factory, category_factory, area_factory):
    area = area_factory()
    category = category_factory(name="Voirie", code="voirie")
    reports = [
        report_factory(category=category, area=area, location=Point(4.82, 45.72, srid=4326), description=payload)
        for payload in PAYLOADS
    ]
    for payload in PAYLOADS:
        ReportUpdate.objects.create(report=reports[0], text=payload + "\x07", by_staff=True)
    return reports


def _texts(xml: bytes, tags) -> list[str]:
    root = ET.fromstring(xml)  # noqa: S314 - our own output
    return [element.text or "" for element in root.iter() if element.tag.rsplit("}", 1)[-1] in tags]


@pytest.mark.parametrize(
    ("name", "tags"),
    [("report-feed-rss", {"description"}), ("report-feed-atom", {"summary"})],
)
def test_feeds_send_residents_text_as_escaped_text(client, hostile_reports, name, tags):
    response = client.get(reverse(name), {"lon": "4.82", "lat": "45.72", "radius": "500"})
    texts = _texts(response.content, tags)
    # A reader decodes these elements as HTML: it must find escaped text, no markup.
    for payload in PAYLOADS:
        assert any(
            text
            == payload.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
            .replace("'", "&#x27;")
            for text in texts
        ), payload
    assert not any("<" in text for text in texts)


def test_the_updates_feed_escapes_and_drops_control_characters(client, hostile_reports):
    response = client.get(reverse("report-feed", args=[hostile_reports[0].pk]))
    assert response.status_code == 200
    texts = _texts(response.content, {"description"})
    assert texts and not any("<" in text or "\x07" in text for text in texts)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Julien Petit (modération)", "pass you off as the council's staff"),
        ("Équipe Mairie", "pass you off as the council's staff"),
        ("L'administrateur", "pass you off as the council's staff"),
        ("Alex 06 12 34 56 78", "leave out email addresses and phone numbers"),
        ("alex@example.org", "leave out email addresses and phone numbers"),
    ],
)
def test_display_names_are_screened_at_signup(name, problem):
    form = SignupExtraForm(data={"display_name": name})
    assert not form.is_valid()
    assert problem in form.errors["display_name"][0]


def test_a_resident_cannot_take_a_moderators_name_but_the_moderator_keeps_it(resident, moderator):
    moderator.display_name = "Julien Petit (modération)"
    moderator.save()
    taken = ProfileForm(data={"display_name": "julien PETIT"}, instance=resident)
    assert not taken.is_valid() and "staff member's" in taken.errors["display_name"][0]
    assert ProfileForm(data={"display_name": "Julien Petit (modération)"}, instance=moderator).is_valid()
    assert ProfileForm(data={"display_name": "Camille des Tilleuls"}, instance=resident).is_valid()


def test_the_profile_page_shows_the_error_and_keeps_the_name(english_pages, resident):
    english_pages.force_login(resident)
    response = english_pages.post(reverse("account-space"), {"display_name": "Modérateur officiel"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "pass you off as the council" in page.replace("&#x27;", "'")
    assert 'value="Modérateur officiel"' in page
    resident.refresh_from_db()
    assert resident.display_name != "Modérateur officiel"
