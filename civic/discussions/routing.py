from django.urls import path

from .consumers import ThreadConsumer

websocket_urlpatterns = [
    path("ws/discussions/<int:content_type_id>/<str:object_pk>/", ThreadConsumer.as_asgi()),
]
