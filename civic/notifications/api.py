from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Notification
from .services import notifications_mark_read


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read"]

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class NotificationListApi(generics.ListAPIView):
    """The logged-in person's notifications, newest first; ``?unread=true`` for the unread ones only."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        notifications = Notification.objects.for_user(self.request.user)
        if self.request.query_params.get("unread") in {"1", "true"}:
            notifications = notifications.unread()
        return notifications


class MarkReadSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text="How many notifications were unread and now are read.")


class NotificationMarkReadApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MarkReadSerializer

    def post(self, request, pk):
        changed = notifications_mark_read(user=request.user, ids=[pk])
        return Response({"changed": changed})


class NotificationMarkAllReadApi(APIView):
    """Mark every notification of the logged-in person read; the bell of their open pages follows."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MarkReadSerializer

    def post(self, request):
        changed = notifications_mark_read(user=request.user)
        return Response({"changed": changed})
