"""signalements.read_report: everyone on a public report; its reporter and staff whatever its stage."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .rules_cases import CLOSED, HIDDEN, OPEN, ROLES, STAGES, UNCONFIRMED, person  # noqa: F401

pytestmark = pytest.mark.django_db
PERM = "signalements.read_report"


@pytest.mark.parametrize("stage", [OPEN, CLOSED])
@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_a_public_report(report_at, user_factory, role, stage):
    report = report_at(stage)
    assert person(user_factory, role, report, of_service=False).has_perm(PERM, report)
    assert AnonymousUser().has_perm(PERM, report)


@pytest.mark.parametrize("stage", [UNCONFIRMED, HIDDEN])
@pytest.mark.parametrize(
    ("role", "allowed"), [("resident", False), ("moderator", False), ("agent", True), ("administrator", True)]
)
def test_a_report_not_public_is_seen_by_staff_only(report_at, user_factory, role, allowed, stage):
    report = report_at(stage)
    assert person(user_factory, role, report).has_perm(PERM, report) is allowed
    assert not AnonymousUser().has_perm(PERM, report)


@pytest.mark.parametrize("stage", STAGES)
def test_its_reporter_always_sees_it(report_at, stage):
    report = report_at(stage)
    assert report.reporter.has_perm(PERM, report)


@pytest.mark.parametrize("stage", [UNCONFIRMED, HIDDEN])
def test_an_agent_of_another_service_does_not_see_a_report_not_public(report_at, user_factory, stage):
    report = report_at(stage)
    assert not person(user_factory, "agent", report, of_service=False).has_perm(PERM, report)
