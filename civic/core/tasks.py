"""Background work of the core (django-tasks): sending one email."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_email(
    *, subject: str, body: str, to: list[str], html: str | None = None, from_email: str | None = None, headers=None
) -> int:
    """Send one email composed by ``civic.core.emails``; returns how many were sent (0 or 1)."""
    from .emails import email_message

    message = email_message(subject=subject, body=body, to=to, html=html, from_email=from_email, headers=headers)
    try:
        return message.send()
    except Exception:  # logged; the worker's retry policy decides what happens next
        logger.exception("could not send %r to %s", subject, to)
        return 0
