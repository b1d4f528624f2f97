"""WebSocket consumers of incident reports."""

from channels.db import database_sync_to_async

from civic.core.consumers import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED, LiveConsumer, Refused  # noqa: F401

from .live import INBOX_ALL_GROUP, service_group_name


class InboxConsumer(LiveConsumer):
    """/ws/signalements/inbox/: reports that arrive or change, pushed to the staff inbox pages.

    Sends ``{"event": "new" | "changed", "id", "service", "category", "state", "open", "html"}``.
    Anonymous connections are closed with 4401, people who may not see the inbox with 4403.
    """

    async def groups_for(self, user) -> list[str]:
        groups = await self._groups(user)
        if groups is None:
            raise Refused(CLOSE_FORBIDDEN)
        return groups

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

    inbox_message = LiveConsumer.forward
