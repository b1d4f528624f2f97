"""The one base of the site's WebSocket consumers: who may listen, which groups, and the common protocol.

The Origin header is checked for every socket in ``civic/asgi.py`` (AllowedHostsOriginValidator)
and the session read by AuthMiddlewareStack; a consumer says which groups a person joins
(``groups_for``), or refuses with a close code. A refused socket is accepted then closed, so that
the browser receives the code (4401 log in first, 4403 not allowed, 4404 nothing to follow).
Every consumer answers ``{"type": "ping"}`` with ``{"event": "pong"}`` and forwards each group
event's ``message`` as JSON (``forward``).
"""

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth.models import AnonymousUser

#: Close codes (4000-4999: application codes).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


class Refused(Exception):
    def __init__(self, code: int, reason: str = ""):
        super().__init__(reason)
        self.code = code
        self.reason = reason


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Subclasses implement ``groups_for`` and may set ``login_required`` and ``login_reason``."""

    #: Anonymous sockets are closed with 4401 before ``groups_for`` is asked.
    login_required = True
    login_reason = ""

    async def connect(self):
        user = self.scope.get("user") or AnonymousUser()
        try:
            if self.login_required and not user.is_authenticated:
                raise Refused(CLOSE_UNAUTHENTICATED, self.login_reason)
            groups = await self.groups_for(user)
        except Refused as refused:
            await self.accept()
            await self.close(code=refused.code, reason=refused.reason or None)
            return
        self.groups_joined = list(groups)
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.joined(user)

    async def groups_for(self, user) -> list[str]:
        """The groups ``user`` listens to; raise ``Refused(code)`` to close the socket."""
        raise NotImplementedError

    async def joined(self, user) -> None:
        """Called once the socket is accepted: send what a page that (re)connects needs."""

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"event": "pong"})

    async def forward(self, event):
        await self.send_json(event["message"])
