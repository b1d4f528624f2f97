"""signalements.update_report: logged in, not blocked, on a public report while it is open."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .rules_cases import CLOSED, HIDDEN, OPEN, ROLES, STAGES, UNCONFIRMED, person  # noqa: F401

pytestmark = pytest.mark.django_db
PERM = "signalements.update_report"


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_adds_an_update_while_the_public_report_is_open(report_at, user_factory, role, stage):
    report = report_at(stage)
    assert person(user_factory, role, report).has_perm(PERM, report) is (stage == OPEN)


@pytest.mark.parametrize("stage", [OPEN, CLOSED])
def test_its_reporter_follows_the_same_rule(report_at, stage):
    report = report_at(stage)
    assert report.reporter.has_perm(PERM, report) is (stage == OPEN)


def test_anonymous_blocked_and_inactive_people_do_not_add_updates(report_at, user_factory, user_block_factory):
    report = report_at(OPEN)
    blocked = user_factory(roles=["agent"])
    user_block_factory(user=blocked)
    assert not AnonymousUser().has_perm(PERM, report)
    assert not blocked.has_perm(PERM, report)
    assert not user_factory(roles=["resident"], is_active=False).has_perm(PERM, report)
