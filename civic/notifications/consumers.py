from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .models import Notification
from .services import user_group_name

#: Close code for a connection without a logged-in session (4000-4999: application codes).
CLOSE_UNAUTHENTICATED = 4401


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """/ws/notifications/: live notifications for the logged-in person, on every open page.

    Sends ``{"event": "unread", "unread": n}`` on connection (so a page that reconnects after a
    network loss shows the right count), then ``{"event": "notification", ...}`` for each new
    notification and ``{"event": "unread", ...}`` when notifications are marked read elsewhere.
    """

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Accept then close so that browsers receive the code and reason.
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED, reason="Log in to receive notifications.")
            return
        self.group_name = user_group_name(user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        await self.send_json({"event": "unread", "unread": await self.unread_count(user)})

    @database_sync_to_async
    def unread_count(self, user) -> int:
        return Notification.objects.for_user(user).unread().count()

    async def disconnect(self, code):
        if getattr(self, "group_name", None):
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"event": "pong"})

    async def notification_message(self, event):
        await self.send_json(event["message"])
