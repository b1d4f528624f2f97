"""Who may do what with reports (django-rules). Checked with ``user.has_perm(name, report)``.

signalements.read_report            everyone on a public report; its reporter and staff whatever its state
signalements.comment_report         logged in, not blocked, on a public report
signalements.support_report         logged in, not blocked, not its reporter, on an open public report
signalements.update_report          the same people as comment_report, while the report is open
signalements.reopen_report          its reporter, within SIGNALEMENTS_REOPEN_DAYS of its closing
signalements.manage_report          administrators, and agents of its service (any agent when it has none)
signalements.view_reporter_contact  the same as manage_report
signalements.view_inbox             agents and administrators
"""

from datetime import timedelta

import rules
from django.utils import timezone

from civic.moderation.rules import is_blocked

from . import conf
from .models import REOPENABLE_STATES

is_agent = rules.is_group_member("agent")
is_administrator = rules.is_group_member("administrator")


@rules.predicate
def is_public_report(user, report) -> bool:
    return report is not None and report.is_public


@rules.predicate
def is_open_report(user, report) -> bool:
    return report is not None and report.is_open


@rules.predicate
def is_reporter(user, report) -> bool:
    return report is not None and user.is_authenticated and report.reporter_id == user.pk


@rules.predicate
def is_service_agent(user, report) -> bool:
    if report is None or not user.is_authenticated:
        return False
    if report.service_id is None:
        return is_agent(user)
    return is_agent(user) and report.service.agents.filter(pk=user.pk).exists()


@rules.predicate
def closed_recently(user, report) -> bool:
    if report is None or report.state not in REOPENABLE_STATES or report.closed_at is None:
        return False
    return timezone.now() - report.closed_at <= timedelta(days=conf.get("SIGNALEMENTS_REOPEN_DAYS"))


can_participate = rules.is_authenticated & rules.is_active & ~is_blocked
is_report_staff = rules.is_authenticated & rules.is_active & (rules.is_superuser | is_administrator | is_service_agent)

rules.add_perm("signalements.read_report", is_public_report | is_reporter | is_report_staff)
rules.add_perm("signalements.comment_report", can_participate & is_public_report)
rules.add_perm("signalements.support_report", can_participate & ~is_reporter & is_public_report & is_open_report)
rules.add_perm("signalements.update_report", can_participate & is_public_report & is_open_report)
rules.add_perm("signalements.reopen_report", can_participate & is_reporter & closed_recently)
rules.add_perm("signalements.manage_report", is_report_staff)
rules.add_perm("signalements.view_reporter_contact", is_report_staff)
rules.add_perm(
    "signalements.view_inbox",
    rules.is_authenticated & rules.is_active & (rules.is_superuser | is_administrator | is_agent),
)
