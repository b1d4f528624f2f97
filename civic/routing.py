"""WebSocket routes of every app."""

from civic.notifications.routing import websocket_urlpatterns as notification_routes

websocket_urlpatterns = [*notification_routes]
