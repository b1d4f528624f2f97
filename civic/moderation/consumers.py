from channels.db import database_sync_to_async

from civic.core.consumers import CLOSE_FORBIDDEN, LiveConsumer, Refused

from .live import QUEUE_GROUP


class ModerationQueueConsumer(LiveConsumer):
    """/ws/moderation/queue/: claims, decisions and new items, pushed to moderators' queue pages.

    Anonymous people and people who may not moderate are both closed with 4403.
    """

    login_required = False  # an anonymous socket is refused like any non-moderator: 4403

    async def groups_for(self, user) -> list[str]:
        if not (user.is_authenticated and await self._may_moderate(user)):
            raise Refused(CLOSE_FORBIDDEN)
        return [QUEUE_GROUP]

    @database_sync_to_async
    def _may_moderate(self, user) -> bool:
        return user.has_perm("civic_moderation.view_queue")

    queue_message = LiveConsumer.forward
