"""The staff inbox updates live: a report that arrives or changes reaches the open inboxes of its
service's agents (and of administrators), never anyone else's, and never a resident's socket."""

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from signalements.models import ReportState
from signalements.services import report_confirm, report_create, report_update_create
from tests.websockets import run as scenario_run  # "run" is the conftest fixture that calls services
from tests.websockets import socket

from .conftest import INSIDE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("websocket_database")]

PATH = "/ws/signalements/inbox/"


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Call a service from the test's event loop, running what it left for after the commit."""

    def act(service, **kwargs):
        def call():
            with django_capture_on_commit_callbacks(execute=True):
                return service(**kwargs)

        return database_sync_to_async(call)()

    return act


@pytest.fixture
def unconfirmed(run, territory, pothole):
    return run(
        report_create,
        category=pothole,
        longitude=INSIDE[0],
        latitude=INSIDE[1],
        description="Street light out since Monday.",
        reporter=None,
        reporter_name="Alex",
        reporter_email="alex@example.org",
        extra_answers={"size": "large"},
    )


@pytest.mark.parametrize(("who", "code"), [("anonymous", 4401), ("resident", 4403)])
def test_people_who_may_not_see_the_inbox_are_refused(who, code, resident):
    user = AnonymousUser() if who == "anonymous" else resident

    async def scenario():
        page = socket(PATH, user)
        connected, _ = await page.connect()
        assert connected  # accepted, then closed so that the browser receives the code
        closed = await page.receive_output(timeout=3)
        assert closed == {"type": "websocket.close", "code": code}

    scenario_run(scenario)


def test_a_confirmed_report_appears_in_its_services_inboxes_only(
    act, unconfirmed, agent_voirie, administrator, user_factory, service_factory
):
    other_agent = user_factory(roles=["agent"])
    service_factory(name="Espaces verts", agents=[other_agent])

    async def scenario():
        mine, admin, other = socket(PATH, agent_voirie), socket(PATH, administrator), socket(PATH, other_agent)
        for page in (mine, admin, other):
            connected, _ = await page.connect()
            assert connected
        await act(report_confirm, token=unconfirmed.confirmation_token)
        for page in (mine, admin):
            messages = [await page.receive_json_from(timeout=3) for _ in range(2)]
            new = next(message for message in messages if message["event"] == "new")
            assert (new["id"], new["service"], new["category"], new["state"]) == (
                unconfirmed.pk,
                unconfirmed.service_id,
                "pothole",
                "new",
            )
            assert f'data-report="{unconfirmed.pk}"' in new["html"] and "Street light out" in new["html"]
            assert "alex@example.org" not in new["html"]
        assert await other.receive_nothing(timeout=0.3)
        for page in (mine, admin, other):
            await page.disconnect()

    scenario_run(scenario)


def test_a_change_updates_the_row(act, report_factory, pothole, agent_voirie):
    report = report_factory(category=pothole)

    async def scenario():
        page = socket(PATH, agent_voirie)
        await page.connect()
        await act(report_update_create, report=report, author=agent_voirie, new_state="investigating", text="On it")
        message = await page.receive_json_from(timeout=3)
        assert (message["event"], message["id"], message["state"], message["open"]) == (
            "changed",
            report.pk,
            ReportState.INVESTIGATING,
            True,
        )
        assert "Investigating" in message["html"] or "En cours d" in message["html"]
        await page.disconnect()

    scenario_run(scenario)


def test_unconfirmed_reports_are_not_pushed(act, territory, pothole, agent_voirie):
    async def scenario():
        page = socket(PATH, agent_voirie)
        await page.connect()
        await act(
            report_create,
            category=pothole,
            longitude=INSIDE[0],
            latitude=INSIDE[1],
            description="Not confirmed yet.",
            reporter=None,
            reporter_name="Alex",
            reporter_email="alex@example.org",
            extra_answers={"size": "large"},
        )
        assert await page.receive_nothing(timeout=0.3)
        await page.disconnect()

    scenario_run(scenario)


def test_the_inbox_page_has_the_live_announcement_and_the_show_button(
    english_pages, client, agent_voirie, report_factory, pothole
):
    report = report_factory(category=pothole)
    client.force_login(agent_voirie)

    page = client.get(reverse("signalements_staff:inbox")).content.decode()

    assert 'role="status" aria-live="polite"' in page
    assert "data-show-new" in page and "Show them" in page
    assert f'<tr data-report="{report.pk}">' in page
    assert 'data-socket-path="/ws/signalements/inbox/"' in page and "inbox-live.js" in page
