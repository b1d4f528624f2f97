"""signalements.view_reporter_contact: administrators, and agents of the report's service (any agent when it has none),
whatever the report's stage."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .rules_cases import CLOSED, HIDDEN, OPEN, ROLES, STAGES, UNCONFIRMED, person  # noqa: F401

pytestmark = pytest.mark.django_db
PERM = "signalements.view_reporter_contact"
ALLOWED = {"resident": False, "moderator": False, "agent": True, "administrator": True}


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("role", ROLES)
def test_staff_of_the_report_at_every_stage(report_at, user_factory, role, stage):
    report = report_at(stage)
    assert person(user_factory, role, report).has_perm(PERM, report) is ALLOWED[role]


def test_an_agent_of_another_service_is_refused(report_at, user_factory):
    report = report_at(OPEN)
    assert not person(user_factory, "agent", report, of_service=False).has_perm(PERM, report)


def test_any_agent_when_the_report_has_no_service(report_at, user_factory):
    report = report_at(OPEN, service=None)
    assert user_factory(roles=["agent"]).has_perm(PERM, report)


def test_the_reporter_anonymous_and_inactive_staff_are_refused(report_at, user_factory):
    report = report_at(OPEN)
    assert not report.reporter.has_perm(PERM, report)
    assert not AnonymousUser().has_perm(PERM, report)
    assert not user_factory(roles=["administrator"], is_active=False).has_perm(PERM, report)
