"""WebSocket routes of every app."""

from civic.discussions.routing import websocket_urlpatterns as discussion_routes
from civic.moderation.routing import websocket_urlpatterns as moderation_routes
from civic.notifications.routing import websocket_urlpatterns as notification_routes
from signalements.routing import websocket_urlpatterns as report_routes

websocket_urlpatterns = [*notification_routes, *discussion_routes, *moderation_routes, *report_routes]
