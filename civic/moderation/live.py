"""Live updates of the moderation queue: every moderator's open queue page joins one group."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

QUEUE_GROUP = "moderation.queue"


def item_key(item) -> str:
    from django.contrib.contenttypes.models import ContentType

    return f"{ContentType.objects.get_for_model(item).pk}:{item.pk}"


def _send(message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(QUEUE_GROUP, {"type": "queue.message", "message": message})
    except Exception:  # live delivery is best effort: the queue page shows the truth on reload
        logger.exception("could not push a moderation queue event")


def queue_push(message: dict) -> None:
    """Push ``message`` to the open queue pages once the current transaction commits."""
    transaction.on_commit(lambda: _send(message))
