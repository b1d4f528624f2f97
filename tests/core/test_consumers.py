"""Every WebSocket route is served by a consumer on the core's base (civic.core.consumers.LiveConsumer)."""

from civic.core.consumers import LiveConsumer
from civic.routing import websocket_urlpatterns


def test_every_websocket_consumer_is_a_live_consumer():
    consumers = {route.callback.consumer_class for route in websocket_urlpatterns}

    assert len(consumers) == 4
    assert all(issubclass(consumer, LiveConsumer) for consumer in consumers), consumers
