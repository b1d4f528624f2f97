"""Live threads: everyone viewing a thread joins ``discussions.<content_type_id>.<object_pk>``."""

import hashlib
import logging
import re

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

_SAFE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def thread_group_name(content_type_id: int, object_pk) -> str:
    object_pk = str(object_pk)
    if not _SAFE.match(object_pk):  # channel group names allow only these characters
        object_pk = hashlib.sha256(object_pk.encode()).hexdigest()[:32]
    return f"discussions.{int(content_type_id)}.{object_pk}"


def _send(group: str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "thread.message", "message": message})
    except Exception:  # live delivery is best effort: the thread shows everything on reload
        logger.exception("could not push a discussion event to %s", group)


def thread_push(comment, *, action: str) -> None:
    """Send a comment's public payload to everyone on its thread, once the transaction commits.

    ``action`` is ``created``, ``updated`` or ``removed``. Comments that are not published go
    out as ``removed`` with no text, so a pending or hidden comment never reaches other viewers.
    """
    from .serializers import comment_public_payload

    group = thread_group_name(comment.content_type_id, comment.object_pk)
    if not comment.is_public and not comment.is_deleted:
        message = {"event": "comment", "action": "removed", "comment": {"id": comment.pk}}
    else:
        message = {"event": "comment", "action": action, "comment": comment_public_payload(comment)}
    transaction.on_commit(lambda: _send(group, message))


def support_push(comment) -> None:
    """Tell everyone on the thread the comment's new number of supports."""
    group = thread_group_name(comment.content_type_id, comment.object_pk)
    message = {"event": "support", "comment": {"id": comment.pk, "support_count": comment.support_count}}
    transaction.on_commit(lambda: _send(group, message))
