"""The one email path: links built from ``settings.SITE_URL``, messages sent by the task queue.

Every email of the site (notifications, digests, report notices and alerts, account emails from
allauth) is composed with links from ``site_url()`` and handed to ``email_queue``, which sends it
through the ``send_email`` task (django-tasks: at once in development and tests, by the worker in
production). ``email_queue_on_commit`` waits for the current transaction, so a refused write sends
nothing.
"""

import logging
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

logger = logging.getLogger(__name__)


def site_url(path: str = "/") -> str:
    """``path`` made absolute against the site's public address (``SITE_URL``); a full URL is kept."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path or "/")


def _payload(message: EmailMessage) -> dict:
    html = None
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html":
            html = content
    body = message.body
    if message.content_subtype == "html" and html is None:
        html, body = message.body, ""
    return {
        "subject": message.subject,
        "body": body,
        "html": html,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers or {}),
    }


def email_message(*, subject, body, to, html=None, from_email=None, headers=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=" ".join(str(subject).split()),
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def email_queue(message: EmailMessage) -> None:
    """Queue ``message`` now; a failure to queue is logged, never raised (what was stored stays)."""
    from .tasks import send_email

    payload = _payload(message)
    if not [address for address in payload["to"] if address]:
        return
    try:
        send_email.enqueue(**payload)
    except Exception:
        logger.exception("could not queue the email %r to %s", payload["subject"], payload["to"])


def email_queue_on_commit(message: EmailMessage) -> None:
    """Queue ``message`` once the current transaction commits."""
    transaction.on_commit(lambda: email_queue(message))
