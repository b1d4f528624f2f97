"""Testing WebSocket consumers with Channels' communicator, on the test's database connection."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from civic.routing import websocket_urlpatterns


def socket(path, user=None) -> WebsocketCommunicator:
    """A client of the project's WebSocket routes at ``path``, as ``user`` (anonymous by default)."""
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    communicator.scope["user"] = user or AnonymousUser()
    return communicator


def run(scenario):
    """Run the async ``scenario`` on an empty channel layer."""

    async def wrapped():
        await get_channel_layer().flush()
        await scenario()

    async_to_sync(wrapped)()
