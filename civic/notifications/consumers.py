from channels.db import database_sync_to_async

from civic.core.consumers import CLOSE_UNAUTHENTICATED, LiveConsumer  # noqa: F401

from .models import Notification
from .services import user_group_name


class NotificationConsumer(LiveConsumer):
    """/ws/notifications/: live notifications for the logged-in person, on every open page.

    Sends ``{"event": "unread", "unread": n}`` on connection (so a page that reconnects after a
    network loss shows the right count), then ``{"event": "notification", ...}`` for each new
    notification and ``{"event": "unread", ...}`` when notifications are marked read elsewhere.
    """

    login_reason = "Log in to receive notifications."

    async def groups_for(self, user) -> list[str]:
        return [user_group_name(user.pk)]

    async def joined(self, user) -> None:
        await self.send_json({"event": "unread", "unread": await self.unread_count(user)})

    @database_sync_to_async
    def unread_count(self, user) -> int:
        return Notification.objects.for_user(user).unread().count()

    notification_message = LiveConsumer.forward
