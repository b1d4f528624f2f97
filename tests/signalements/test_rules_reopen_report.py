"""signalements.reopen_report: its reporter only, within SIGNALEMENTS_REOPEN_DAYS of its closing."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .rules_cases import CLOSED, HIDDEN, OPEN, ROLES, STAGES, UNCONFIRMED, person  # noqa: F401

pytestmark = pytest.mark.django_db
PERM = "signalements.reopen_report"


@pytest.mark.parametrize("stage", STAGES)
def test_the_reporter_reopens_a_report_closed_recently_only(report_at, stage):
    report = report_at(stage)
    assert report.reporter.has_perm(PERM, report) is (stage == CLOSED)


def test_not_after_the_reopening_delay(report_at, settings):
    settings.SIGNALEMENTS_REOPEN_DAYS = 28
    recent = report_at(CLOSED, closed_days=27)
    late = report_at(CLOSED, closed_days=29)
    assert recent.reporter.has_perm(PERM, recent)
    assert not late.reporter.has_perm(PERM, late)


@pytest.mark.parametrize("state", ["duplicate", "not_responsible"])
def test_a_report_closed_as_duplicate_or_not_ours_is_not_reopened(report_at, state):
    report = report_at(CLOSED, state=state)
    assert not report.reporter.has_perm(PERM, report)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_else_reopens_it(report_at, user_factory, role):
    report = report_at(CLOSED)
    assert not person(user_factory, role, report).has_perm(PERM, report)
    assert not AnonymousUser().has_perm(PERM, report)


def test_a_blocked_reporter_does_not_reopen(report_at, user_block_factory):
    report = report_at(CLOSED)
    user_block_factory(user=report.reporter)
    assert not report.reporter.has_perm(PERM, report)
