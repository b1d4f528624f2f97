from django.urls import path

from .views import NotificationListView, NotificationMarkAllReadView, NotificationOpenView

urlpatterns = [
    path("", NotificationListView.as_view(), name="notification-list"),
    path("read-all/", NotificationMarkAllReadView.as_view(), name="notification-read-all"),
    path("<int:pk>/", NotificationOpenView.as_view(), name="notification-open"),
]
