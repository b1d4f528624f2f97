from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth.models import AnonymousUser

from civic.core.ids import object_for_key

from .live import thread_group_name

#: Close code when the thread does not exist or the viewer may not see it.
CLOSE_NOT_FOUND = 4404


class ThreadConsumer(AsyncJsonWebsocketConsumer):
    """/ws/discussions/<content_type_id>/<object_pk>/: new and changed comments of one thread, live.

    Read-only: anyone who may see the target may listen, logged in or not; comments are posted
    over HTTP, where permissions, moderation and rate limits apply.
    """

    async def connect(self):
        kwargs = self.scope["url_route"]["kwargs"]
        content_type_id, object_pk = kwargs["content_type_id"], kwargs["object_pk"]
        user = self.scope.get("user") or AnonymousUser()
        if not await self._may_view(user, content_type_id, object_pk):
            await self.accept()
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.group_name = thread_group_name(content_type_id, object_pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    @database_sync_to_async
    def _may_view(self, user, content_type_id, object_pk) -> bool:
        target = object_for_key(content_type_id, object_pk)
        return target is not None and user.has_perm("civic_discussions.view_thread", target)

    async def disconnect(self, code):
        if getattr(self, "group_name", None):
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"event": "pong"})

    async def thread_message(self, event):
        await self.send_json(event["message"])
