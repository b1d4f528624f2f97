"""WebSocket consumers of incident reports."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .live import INBOX_ALL_GROUP, service_group_name

#: Close codes (4000-4999: application codes), as civic.notifications and civic.moderation use them.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


class InboxConsumer(AsyncJsonWebsocketConsumer):
    """/ws/signalements/inbox/: reports that arrive or change, pushed to the staff inbox pages.

    Sends ``{"event": "new" | "changed", "id", "service", "category", "state", "open", "html"}``.
    Anonymous connections are closed with 4401, people who may not see the inbox with 4403.
    """

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Accept then close so that browsers receive the code.
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        groups = await self._groups(user)
        if groups is None:
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.groups_joined = groups
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    @database_sync_to_async
    def _groups(self, user) -> list[str] | None:
        """The groups of the person's services (none for an agent without a service: they see no report in
        the inbox either), the group of every report for administrators, or None if not staff."""
        if not user.has_perm("signalements.view_inbox"):
            return None
        if user.is_superuser or user.has_role("administrator"):
            return [INBOX_ALL_GROUP]
        services = list(user.report_services.values_list("pk", flat=True))
        return [service_group_name(pk) for pk in services]

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"event": "pong"})

    async def inbox_message(self, event):
        await self.send_json(event["message"])
