"""After publication: support, staff updates and state rules, assignment, duplicates, reopening."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civic.moderation.exceptions import NotAllowed
from civic.notifications.models import Notification
from civic.notifications.selectors import is_following
from civic.notifications.services import follow_create
from signalements.models import ReportState
from signalements.selectors import report_timeline
from signalements.services import (
    report_assign,
    report_mark_duplicate,
    report_reopen,
    report_support,
    report_update_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_report(report_factory, pothole, resident):
    report = report_factory(category=pothole, reporter=resident)
    follow_create(user=resident, target=report)
    return report


def test_this_is_my_problem_too_adds_a_supporter_and_follower(open_report, user_factory):
    neighbour = user_factory()

    report_support(report=open_report, user=neighbour)
    report_support(report=open_report, user=neighbour)

    assert open_report.supporter_count == 1
    assert is_following(neighbour, open_report)
    with pytest.raises(NotAllowed):
        report_support(report=open_report, user=open_report.reporter)


def test_staff_state_changes_reach_the_reporter(run, open_report, agent_voirie, resident):
    run(report_update_create, report=open_report, author=agent_voirie, new_state=ReportState.ACKNOWLEDGED, text="Seen.")
    run(
        report_update_create,
        report=open_report,
        author=agent_voirie,
        new_state=ReportState.PLANNED,
        expected_fix_date=date(2030, 5, 1),
    )
    run(report_update_create, report=open_report, author=agent_voirie, new_state=ReportState.FIXED, text="Filled.")

    open_report.refresh_from_db()
    assert open_report.state == ReportState.FIXED
    assert open_report.acknowledged_at is not None and open_report.closed_at is not None
    assert open_report.expected_fix_date == date(2030, 5, 1)
    titles = list(Notification.objects.filter(recipient=resident).values_list("title", flat=True))
    assert any("Fixed" in title for title in titles) and any("Planned" in title for title in titles)


@pytest.mark.parametrize(
    ("state", "field"), [(ReportState.PLANNED, "expected_fix_date"), (ReportState.NOT_RESPONSIBLE, "responsible_body")]
)
def test_states_that_need_details(open_report, agent_voirie, state, field):
    with pytest.raises(ValidationError) as caught:
        report_update_create(report=open_report, author=agent_voirie, new_state=state)
    assert field in caught.value.message_dict


def test_residents_add_updates_but_cannot_change_the_state(open_report, user_factory):
    neighbour = user_factory()

    with pytest.raises(NotAllowed):
        report_update_create(report=open_report, author=neighbour, new_state=ReportState.FIXED)
    update = report_update_create(report=open_report, author=neighbour, text="Still there this morning.")

    assert not update.by_staff
    assert is_following(neighbour, open_report)


def test_internal_notes_are_for_staff_only(open_report, agent_voirie):
    report_update_create(report=open_report, author=agent_voirie, text="Needs a truck.", internal=True)

    assert not report_timeline(open_report, staff=False).filter(text="Needs a truck.").exists()
    assert report_timeline(open_report, staff=True).filter(text="Needs a truck.").exists()


def test_an_agent_of_another_service_cannot_change_the_report(open_report, user_factory):
    other_agent = user_factory(roles=["agent"])

    with pytest.raises(NotAllowed):
        report_update_create(report=open_report, author=other_agent, new_state=ReportState.FIXED)


def test_assignment_tells_the_agent(open_report, agent_voirie, administrator):
    report_assign(report=open_report, agent=agent_voirie, by=administrator)

    assert open_report.assigned_to == agent_voirie
    assert Notification.objects.filter(recipient=agent_voirie, kind="signalements.assigned").exists()


def test_followers_of_a_duplicate_follow_the_original(open_report, report_factory, pothole, agent_voirie, user_factory):
    duplicate = report_factory(category=pothole)
    watcher = user_factory()
    follow_create(user=watcher, target=duplicate)

    report_mark_duplicate(report=duplicate, original=open_report, by=agent_voirie)

    duplicate.refresh_from_db()
    assert duplicate.state == ReportState.DUPLICATE and duplicate.duplicate_of == open_report
    assert is_following(watcher, open_report)
    with pytest.raises(ValidationError):
        report_mark_duplicate(report=open_report, original=open_report, by=agent_voirie)


def test_the_reporter_reopens_a_fixed_report_within_the_period(run, open_report, agent_voirie, resident, settings):
    report_update_create(report=open_report, author=agent_voirie, new_state=ReportState.FIXED, text="Done.")
    open_report.refresh_from_db()

    reopened = run(report_reopen, report=open_report, user=resident, text="Still a hole.")

    assert reopened.state == ReportState.NEW and reopened.reopened_count == 1
    assert Notification.objects.filter(recipient=agent_voirie, kind="signalements.new").exists()

    report_update_create(report=reopened, author=agent_voirie, new_state=ReportState.FIXED, text="Done again.")
    reopened.refresh_from_db()
    type(reopened).objects.filter(pk=reopened.pk).update(closed_at=timezone.now() - timedelta(days=60))
    reopened.refresh_from_db()
    with pytest.raises(NotAllowed, match="too long ago"):
        report_reopen(report=reopened, user=resident, text="Still a hole.")
