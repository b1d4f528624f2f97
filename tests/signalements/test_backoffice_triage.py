"""Agents' triage in the Wagtail admin: age and overdue marks by each category's expected times, a report's
staff page (history, status changes, notes), "duplicate of #N", and the dashboard panel."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from civic.notifications.models import Notification
from civic.notifications.selectors import is_following
from civic.notifications.services import follow_create
from signalements.models import Report, ReportsPortalPage, ReportState, ReportUpdate
from signalements.services import report_assign

pytestmark = pytest.mark.django_db


def aged(report, days):
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=days, hours=1))
    report.refresh_from_db()
    return report


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def inbox_rows(page) -> dict[int, str]:
    """Each inbox row's visible text, by report number."""
    found = re.findall(r'<tr data-report="(\d+)">(.*?)</tr>', page.content.decode(), flags=re.S)
    return {int(pk): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)) for pk, html in found}


@pytest.fixture
def agent_client(english_pages, client, agent_voirie):
    client.force_login(agent_voirie)
    return client


def test_the_inbox_shows_each_reports_age_and_overdue_mark_by_its_category(
    agent_client, report_factory, pothole, category_factory
):
    pothole.response_days, pothole.fix_days = 2, 10
    pothole.save()
    patient = category_factory(name="Graffiti", code="graffiti", service=pothole.service, response_days=7)
    late_answer = aged(report_factory(category=pothole), 3)
    late_fix = aged(report_factory(category=pothole, state=ReportState.ACKNOWLEDGED), 11)
    in_time = aged(report_factory(category=patient), 3)
    closed = aged(report_factory(category=pothole, state=ReportState.FIXED), 30)

    page = agent_client.get(reverse("signalements_staff:inbox"))
    rows = inbox_rows(page)

    assert "Overdue: no answer" in rows[late_answer.pk] and "3 days ago" in rows[late_answer.pk]
    assert "No answer within 2 days" in page.content.decode()
    assert "Overdue: not fixed" in rows[late_fix.pk] and "1 week" in rows[late_fix.pk]
    assert "Overdue" not in rows[in_time.pk] and "3 days ago" in rows[in_time.pk]
    assert "Overdue" not in rows[closed.pk]
    only_late = agent_client.get(reverse("signalements_staff:inbox"), {"overdue": "1"}).content.decode()
    assert {int(pk) for pk in re.findall(r'data-report="(\d+)"', only_late)} == {late_answer.pk, late_fix.pk}


def test_the_expected_times_are_set_on_the_category_in_the_admin(english_pages, client, administrator, pothole):
    client.force_login(administrator)
    url = reverse("wagtailsnippets_signalements_category:edit", args=[pothole.pk])

    form = client.get(url).content.decode()

    assert "Expected response time (days)" in form and "Expected fix time (days)" in form


def test_the_indicators_count_overdue_reports_by_each_categorys_times(agent_client, report_factory, pothole):
    pothole.response_days = 1
    pothole.save()
    aged(report_factory(category=pothole), 2)

    page = agent_client.get(reverse("signalements_staff:indicators"))

    assert page.context["by_category"][0]["overdue"] == 1


def test_an_inbox_row_opens_the_reports_staff_page_inside_the_admin(agent_client, report_factory, pothole):
    report = report_factory(category=pothole)

    page = agent_client.get(reverse("signalements_staff:inbox")).content.decode()

    assert f'href="{reverse("signalements_staff:report", args=[report.pk])}"' in page
    assert f'href="{report.get_absolute_url()}"' not in page


def test_the_staff_page_shows_the_report_its_contact_and_its_whole_history(
    agent_client, agent_voirie, report_factory, pothole, user_factory
):
    reporter = user_factory(email="lou@example.org", display_name="Lou")
    report = report_factory(category=pothole, reporter=reporter, description="Deep hole by the school.")
    ReportUpdate.objects.create(
        report=report, author=agent_voirie, by_staff=True, internal=True, kind="note", text="Call the contractor."
    )

    page = agent_client.get(reverse("signalements_staff:report", args=[report.pk]))

    text = text_of(page)
    assert page.status_code == 200
    assert "Deep hole by the school." in text and "lou@example.org" in text
    assert "Call the contractor." in text and "internal" in text
    assert "Reports inbox" in text  # the breadcrumb back to the inbox: the agent stays in the admin


def test_staff_change_the_state_and_write_notes_from_the_admin(
    agent_client, agent_voirie, report_factory, pothole, mailoutbox
):
    report = report_factory(category=pothole)
    url = reverse("signalements_staff:report", args=[report.pk])

    changed = agent_client.post(url, {"action": "update", "new_state": "acknowledged", "text": "Seen, thanks."})
    noted = agent_client.post(url, {"action": "update", "text": "Needs a lorry.", "internal": "on"})
    missing = agent_client.post(url, {"action": "update", "new_state": "planned"})

    assert changed.status_code == noted.status_code == 302 and changed["Location"] == url
    report.refresh_from_db()
    assert report.state == ReportState.ACKNOWLEDGED
    assert report.updates.filter(kind="note", internal=True, text="Needs a lorry.").exists()
    assert missing.status_code == 400 and "Give the date by which the repair is planned." in text_of(missing)
    assert Report.objects.get(pk=report.pk).state == ReportState.ACKNOWLEDGED


def test_staff_assign_from_the_admin(agent_client, agent_voirie, report_factory, pothole):
    report = report_factory(category=pothole)

    agent_client.post(
        reverse("signalements_staff:report", args=[report.pk]), {"action": "assign", "agent": agent_voirie.pk}
    )

    report.refresh_from_db()
    assert report.assigned_to == agent_voirie


@pytest.fixture
def portal(db):
    home = Page.objects.get(depth=1)
    return home.add_child(instance=ReportsPortalPage(title="Signalements", slug="signalements-test"))


def test_a_duplicate_is_closed_with_a_link_its_followers_move_and_its_reporter_is_told(
    agent_client, report_factory, pothole, user_factory, portal, mailoutbox, django_capture_on_commit_callbacks
):
    original = report_factory(category=pothole, portal=portal)
    duplicate = report_factory(
        category=pothole, portal=portal, reporter=None, reporter_name="Alex", reporter_email="alex@example.org"
    )
    watcher = user_factory()
    follow_create(user=watcher, target=duplicate)

    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            reverse("signalements_staff:report", args=[duplicate.pk]), {"action": "duplicate", "original": original.pk}
        )

    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.state == ReportState.DUPLICATE and duplicate.duplicate_of == original and duplicate.closed_at
    last = duplicate.updates.last()
    assert last.kind == "duplicate" and not last.internal and original.get_absolute_url() in last.text
    assert is_following(watcher, original) and not is_following(watcher, duplicate)
    told = Notification.objects.get(recipient=watcher)
    assert told.url == original.get_absolute_url()
    [email] = [email for email in mailoutbox if email.to == ["alex@example.org"]]
    assert original.get_absolute_url() in email.body
    page = text_of(agent_client.get(reverse("signalements_staff:report", args=[duplicate.pk])))
    assert f"Duplicate of #{original.pk}" in page
    inbox = text_of(agent_client.get(reverse("signalements_staff:inbox")))
    assert f"duplicate of #{original.pk}" in inbox


def refused(agent_client, report, original_number):
    response = agent_client.post(
        reverse("signalements_staff:report", args=[report.pk]), {"action": "duplicate", "original": original_number}
    )
    report.refresh_from_db()
    assert response.status_code == 400 and report.state == ReportState.NEW and report.duplicate_of is None
    return text_of(response)


def test_a_report_cannot_be_a_duplicate_of_itself_of_a_cycle_or_of_another_portal(
    agent_client, agent_voirie, report_factory, pothole, portal
):
    first = report_factory(category=pothole, portal=portal)
    second = report_factory(category=pothole, portal=portal, state=ReportState.DUPLICATE, duplicate_of=first)
    third = report_factory(category=pothole, portal=portal, state=ReportState.DUPLICATE, duplicate_of=second)
    elsewhere = report_factory(category=pothole, portal=None)

    assert "cannot be a duplicate of itself" in refused(agent_client, first, first.pk)
    assert "would make a cycle" in refused(agent_client, first, third.pk)
    assert "another reports portal" in refused(agent_client, first, elsewhere.pk)
    assert f"There is no report #{elsewhere.pk + 100}" in refused(agent_client, first, elsewhere.pk + 100)


def test_a_duplicate_cannot_point_at_a_duplicate(agent_client, report_factory, pothole, portal):
    first = report_factory(category=pothole, portal=portal)
    second = report_factory(category=pothole, portal=portal, state=ReportState.DUPLICATE, duplicate_of=first)
    fresh = report_factory(category=pothole, portal=portal)

    assert f"is itself a duplicate of #{first.pk}: choose #{first.pk}" in refused(agent_client, fresh, second.pk)


def test_the_dashboard_panel_shows_mine_overdue_and_new_in_my_services(
    agent_client, agent_voirie, report_factory, pothole, category_factory, service_factory
):
    pothole.response_days = 2
    pothole.save()
    assigned = report_factory(category=pothole, state=ReportState.ACKNOWLEDGED)
    report_assign(report=assigned, agent=agent_voirie, by=agent_voirie)
    late = aged(report_factory(category=pothole), 5)
    fresh = report_factory(category=pothole)
    elsewhere = report_factory(category=category_factory(service=service_factory(name="Propreté")))

    page = agent_client.get(reverse("wagtailadmin_home"))

    text = text_of(page)
    assert "Incident reports" in text
    assert "Reports assigned to me: 1" in text and "Overdue: 1" in text and "New in my services: 2" in text
    html = page.content.decode()
    for report in (assigned, late, fresh):
        assert reverse("signalements_staff:report", args=[report.pk]) in html
    assert reverse("signalements_staff:report", args=[elsewhere.pk]) not in html


def test_residents_have_no_panel_and_no_staff_page(client, resident, report_factory, pothole):
    report = report_factory(category=pothole)
    client.force_login(resident)

    assert client.get(reverse("signalements_staff:report", args=[report.pk])).status_code in (302, 403)


def test_agents_are_sent_to_the_staff_page_by_their_notifications(agent_voirie, report_factory, pothole, user_factory):
    report = report_factory(category=pothole)

    report_assign(report=report, agent=agent_voirie, by=user_factory(roles=["administrator"]))

    notification = Notification.objects.get(recipient=agent_voirie)
    assert notification.url == reverse("signalements_staff:report", args=[report.pk])


def test_a_response_template_fills_the_admin_form_without_javascript(agent_client, report_factory, pothole):
    from signalements.models import ResponseTemplate

    report = report_factory(category=pothole)
    template = ResponseTemplate.objects.create(title="Seen", text="Report {number} is seen.", state="acknowledged")
    url = reverse("signalements_staff:report", args=[report.pk])

    page = agent_client.post(
        url, {"action": "update", "use_template": "1", "response_template": template.pk, "text": ""}
    )

    assert page.status_code == 200
    assert f"Report {report.pk} is seen." in page.content.decode()
    assert Report.objects.get(pk=report.pk).state == ReportState.NEW  # nothing published yet


def test_an_agent_without_a_service_receives_no_live_report(agent, report_factory, pothole, websocket_database):
    from tests.websockets import run as scenario_run
    from tests.websockets import socket

    async def scenario():
        page = socket("/ws/signalements/inbox/", agent)
        connected, _ = await page.connect()
        assert connected
        from channels.layers import get_channel_layer

        from signalements.live import INBOX_ALL_GROUP

        await get_channel_layer().group_send(INBOX_ALL_GROUP, {"type": "inbox.message", "message": {"id": 1}})
        assert await page.receive_nothing(timeout=0.3)
        await page.disconnect()

    scenario_run(scenario)


def test_an_empty_update_is_refused_and_says_what_to_do(agent_client, report_factory, pothole):
    report = report_factory(category=pothole)

    response = agent_client.post(
        reverse("signalements_staff:report", args=[report.pk]), {"action": "update", "priority": "normal"}
    )

    assert response.status_code == 400
    assert "Write something, change the state or add a photo." in text_of(response)
    assert report.updates.count() == 0


def test_the_inbox_and_the_dashboard_cost_the_same_queries_for_3_or_30_reports(
    agent_client, agent_voirie, report_factory, pothole
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(url):
        with CaptureQueriesContext(connection) as queries:
            assert agent_client.get(url).status_code == 200
        return len(queries)

    urls = (reverse("signalements_staff:inbox"), reverse("wagtailadmin_home"))
    for url in urls:  # warm what the admin caches for the session (menus, site)
        cost(url)
    for _ in range(3):
        aged(report_factory(category=pothole, assigned_to=agent_voirie), 40)
    few = [cost(url) for url in urls]
    for _ in range(27):
        aged(report_factory(category=pothole, assigned_to=agent_voirie), 40)
    many = [cost(url) for url in urls]

    assert many == few
