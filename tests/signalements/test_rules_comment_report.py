"""signalements.comment_report: logged in, active, not blocked, on a public report (open or closed)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .rules_cases import CLOSED, HIDDEN, OPEN, ROLES, STAGES, UNCONFIRMED, person  # noqa: F401

pytestmark = pytest.mark.django_db
PERM = "signalements.comment_report"


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_comments_a_public_report_only(report_at, user_factory, role, stage):
    report = report_at(stage)
    assert person(user_factory, role, report).has_perm(PERM, report) is (stage in (OPEN, CLOSED))


@pytest.mark.parametrize("stage", STAGES)
def test_anonymous_visitors_do_not_comment(report_at, stage):
    assert not AnonymousUser().has_perm(PERM, report_at(stage))


@pytest.mark.parametrize("role", ROLES)
def test_blocked_and_inactive_people_do_not_comment(report_at, user_factory, user_block_factory, role):
    report = report_at(OPEN)
    blocked = person(user_factory, role, report)
    user_block_factory(user=blocked)
    assert not blocked.has_perm(PERM, report)
    assert not user_factory(roles=[role], is_active=False).has_perm(PERM, report)
