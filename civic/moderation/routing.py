from django.urls import path

from .consumers import ModerationQueueConsumer

websocket_urlpatterns = [path("ws/moderation/queue/", ModerationQueueConsumer.as_asgi())]
