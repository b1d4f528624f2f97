from channels.db import database_sync_to_async

from civic.core.consumers import CLOSE_NOT_FOUND, LiveConsumer, Refused
from civic.core.ids import object_for_key

from .live import thread_group_name


class ThreadConsumer(LiveConsumer):
    """/ws/discussions/<content_type_id>/<object_pk>/: new and changed comments of one thread, live.

    Read-only: anyone who may see the target may listen, logged in or not; comments are posted
    over HTTP, where permissions, moderation and rate limits apply.
    """

    login_required = False

    async def groups_for(self, user) -> list[str]:
        kwargs = self.scope["url_route"]["kwargs"]
        content_type_id, object_pk = kwargs["content_type_id"], kwargs["object_pk"]
        if not await self._may_view(user, content_type_id, object_pk):
            raise Refused(CLOSE_NOT_FOUND)
        return [thread_group_name(content_type_id, object_pk)]

    @database_sync_to_async
    def _may_view(self, user, content_type_id, object_pk) -> bool:
        target = object_for_key(content_type_id, object_pk)
        return target is not None and user.has_perm("civic_discussions.view_thread", target)

    thread_message = LiveConsumer.forward
