from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views import View
from django.views.generic import ListView

from .models import Notification
from .services import notifications_mark_read


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "notifications/notification_list.html"
    paginate_by = 30
    context_object_name = "notifications"

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user)


class NotificationMarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        notifications_mark_read(user=request.user)
        return redirect("notification-list")


class NotificationOpenView(LoginRequiredMixin, View):
    """Follow a notification's link and mark it read on the way."""

    def get(self, request, pk):
        notification = Notification.objects.for_user(request.user).filter(pk=pk).first()
        if notification is None:
            return redirect("notification-list")
        notifications_mark_read(user=request.user, ids=[pk])
        target = (
            notification.url if notification.url.startswith("/") and not notification.url.startswith("//") else None
        )
        return redirect(target or "notification-list")
