from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .live import QUEUE_GROUP

CLOSE_FORBIDDEN = 4403


class ModerationQueueConsumer(AsyncJsonWebsocketConsumer):
    """/ws/moderation/queue/: claims, decisions and new items, pushed to moderators' queue pages."""

    async def connect(self):
        user = self.scope.get("user")
        allowed = user is not None and user.is_authenticated and await self._may_moderate(user)
        if not allowed:
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.joined = True
        await self.channel_layer.group_add(QUEUE_GROUP, self.channel_name)
        await self.accept()

    @database_sync_to_async
    def _may_moderate(self, user) -> bool:
        return user.has_perm("civic_moderation.view_queue")

    async def disconnect(self, code):
        if getattr(self, "joined", False):
            await self.channel_layer.group_discard(QUEUE_GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"event": "pong"})

    async def queue_message(self, event):
        await self.send_json(event["message"])
