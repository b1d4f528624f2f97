"""Live staff inbox: a report that arrives or changes is pushed to the open inbox pages of its service.

Each open inbox joins the group of each service of the agent (``INBOX_ALL_GROUP`` for administrators,
who see every report; none for an agent without a service, who sees none); a push goes to the report's
service group and to ``INBOX_ALL_GROUP``. Best effort: the inbox shows the truth on reload.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import Report, ReportState

logger = logging.getLogger(__name__)

INBOX_ALL_GROUP = "signalements.inbox.all"


def service_group_name(service_id: int) -> str:
    return f"signalements.inbox.service.{service_id}"


def inbox_message(report: Report, *, event: str) -> dict:
    """What an open inbox receives: enough to filter it, and the table row to show."""
    with translation.override(settings.LANGUAGE_CODE):
        row = render_to_string("signalements/admin/_inbox_row.html", {"report": report})
    return {
        "event": event,
        "id": report.pk,
        "service": report.service_id,
        "category": report.category.code,
        "state": report.state,
        "open": report.is_open,
        "html": row,
    }


def _send(report_id: int, event: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    report = Report.objects.select_related("category", "service", "area", "assigned_to").filter(pk=report_id).first()
    if report is None or report.state == ReportState.UNCONFIRMED:
        return
    message = {"type": "inbox.message", "message": inbox_message(report, event=event)}
    groups = [INBOX_ALL_GROUP] + ([service_group_name(report.service_id)] if report.service_id else [])
    try:
        for group in groups:
            async_to_sync(layer.group_send)(group, message)
    except Exception:  # live delivery is best effort: the inbox shows the truth on reload
        logger.exception("could not push report %s to the live inbox", report_id)


def inbox_push(*, report: Report, event: str = "changed") -> None:
    """Push ``report`` to the open inboxes once the current transaction commits.

    ``new``: it just arrived (published, confirmed or reopened): inboxes offer to show it.
    ``changed``: its row is updated in place where it is shown.
    """
    report_id = report.pk
    transaction.on_commit(lambda: _send(report_id, event))
