"""notify(): store a notification and push it live to the person's open pages."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


def user_group_name(user_id: int) -> str:
    return f"notifications.user.{user_id}"


def push_to_user(*, user_id: int, message: dict) -> None:
    """Send a message to every WebSocket the person has open, on any server process."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(user_group_name(user_id), {"type": "notification.message", "message": message})
    except Exception:  # live delivery is best effort: the notification is stored either way
        logger.exception("could not push a live message to user %s", user_id)


def notify(*, recipient, title: str, body: str = "", url: str = "", kind: str = "") -> Notification:
    """Store a notification for ``recipient`` and, once committed, push it live with the unread count."""
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient, title=title[:200], body=body, url=url, kind=kind
        )

        def push():
            unread = Notification.objects.for_user(recipient).unread().count()
            push_to_user(
                user_id=recipient.pk,
                message={"event": "notification", "notification": notification.as_message(), "unread": unread},
            )

        transaction.on_commit(push)
    return notification


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark some (or all) of the person's notifications read; returns how many changed."""
    notifications = Notification.objects.for_user(user).unread()
    if ids is not None:
        notifications = notifications.filter(pk__in=ids)
    changed = notifications.update(read_at=timezone.now())
    if changed:
        unread = Notification.objects.for_user(user).unread().count()
        push_to_user(user_id=user.pk, message={"event": "unread", "unread": unread})
    return changed
