"""Who is told what about a report: its service when it arrives, followers when it changes."""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from civic.core.emails import email_message, email_queue_on_commit
from civic.notifications.emails import absolute_url
from civic.notifications.services import notify, notify_followers

logger = logging.getLogger(__name__)

KIND_NEW = "signalements.new"
KIND_UPDATE = "signalements.update"
KIND_ASSIGNED = "signalements.assigned"


def _send_mail_later(*, subject: str, body: str, to: list[str]) -> None:
    """Queued through the core's email path once the report is committed (a lost email is logged)."""
    to = [address for address in to if address]
    if to:
        email_queue_on_commit(email_message(subject=subject, body=body, to=to))


def staff_path(report) -> str:
    """The report's staff page in the Wagtail admin, where agents work on it."""
    return reverse("signalements_staff:report", args=[report.pk])


def staff_url(report) -> str:
    return absolute_url(staff_path(report))


def service_notify(*, report) -> None:
    """Tell the report's service at once: an email to the team, a notification to each agent, a live
    push to their open inboxes; and queue the emails of the alerts the report matches."""
    from ..live import inbox_push
    from .alerts import report_alerts_queue

    report_alerts_queue(report=report)
    inbox_push(report=report, event="new")
    service = report.service
    if service is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = _("New report #%(id)s: %(category)s") % {"id": report.pk, "category": report.category.name}
        area = report.area.name if report.area_id else ""
        body = "\n".join(
            filter(
                None,
                [
                    title,
                    _("Where: %(area)s (%(lat).5f, %(lon).5f)")
                    % {"area": area, "lat": report.latitude, "lon": report.longitude},
                    report.address,
                    "",
                    report.description,
                    "",
                    _("Reporter: %(name)s %(email)s %(phone)s")
                    % {
                        "name": report.reporter_name or (report.reporter.display_name if report.reporter else ""),
                        "email": report.contact_email,
                        "phone": report.reporter_phone,
                    },
                    staff_url(report),
                ],
            )
        )
        _send_mail_later(subject=title, body=body, to=[service.email])
    for agent in service.agents.filter(is_active=True):
        notify(
            recipient=agent,
            title=title,
            body=report.description[:300],
            url=staff_path(report),
            kind=KIND_NEW,
            target=report,
        )


def followers_notify(*, report, title: str, body: str = "", exclude=None) -> None:
    notify_followers(
        target=report, title=title, body=body, url=report.get_absolute_url(), kind=KIND_UPDATE, exclude=exclude
    )


def confirmation_email(*, report) -> None:
    link = absolute_url(reverse("report-confirm", args=[report.confirmation_token]))
    title = _("Confirm your report: %(category)s") % {"category": report.category.name}
    body = "\n\n".join(
        [
            _("Hello %(name)s,") % {"name": report.reporter_name or ""},
            _("Thank you for your report. To publish it and send it to the council's team, open this link:"),
            link,
            _("Without confirmation the report is deleted after %(hours)s hours.") % {"hours": _confirmation_hours()},
            report.description,
        ]
    )
    _send_mail_later(subject=title, body=body, to=[report.reporter_email])


def reporter_state_email(*, report, title: str, body: str) -> None:
    """A reporter without an account follows by email only."""
    if report.reporter_id is None and report.reporter_email:
        _send_mail_later(
            subject=title, body=f"{body}\n\n{absolute_url(report.get_absolute_url())}", to=[report.reporter_email]
        )


def _confirmation_hours() -> int:
    from .. import conf

    return conf.get("SIGNALEMENTS_CONFIRMATION_HOURS")
