"""signalements.support_report: logged in, not blocked, not its reporter, on an open public report."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .rules_cases import CLOSED, HIDDEN, OPEN, ROLES, STAGES, UNCONFIRMED, person  # noqa: F401

pytestmark = pytest.mark.django_db
PERM = "signalements.support_report"


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_supports_an_open_public_report_only(report_at, user_factory, role, stage):
    report = report_at(stage)
    assert person(user_factory, role, report).has_perm(PERM, report) is (stage == OPEN)


@pytest.mark.parametrize("stage", STAGES)
def test_the_reporter_does_not_support_their_own_report(report_at, stage):
    report = report_at(stage)
    assert not report.reporter.has_perm(PERM, report)


def test_anonymous_blocked_and_inactive_people_do_not_support(report_at, user_factory, user_block_factory):
    report = report_at(OPEN)
    blocked = user_factory(roles=["resident"])
    user_block_factory(user=blocked)
    assert not AnonymousUser().has_perm(PERM, report)
    assert not blocked.has_perm(PERM, report)
    assert not user_factory(roles=["resident"], is_active=False).has_perm(PERM, report)
