from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .services import user_group_name

#: Close code for a connection without a logged-in session (4000-4999: application codes).
CLOSE_UNAUTHENTICATED = 4401


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """/ws/notifications/: live notifications for the logged-in person, on every open page."""

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

    async def disconnect(self, code):
        if getattr(self, "group_name", None):
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"event": "pong"})

    async def notification_message(self, event):
        await self.send_json(event["message"])
