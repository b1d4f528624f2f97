from django.urls import path

from .consumers import InboxConsumer

websocket_urlpatterns = [path("ws/signalements/inbox/", InboxConsumer.as_asgi())]
