from django.urls import path

from .views import (
    EmailUnsubscribeView,
    FollowListView,
    FollowToggleView,
    NotificationListView,
    NotificationMarkAllReadView,
    NotificationMarkReadView,
    NotificationOpenView,
    NotificationPreferenceView,
)

urlpatterns = [
    path("", NotificationListView.as_view(), name="notification-list"),
    path("read-all/", NotificationMarkAllReadView.as_view(), name="notification-read-all"),
    path("<int:pk>/", NotificationOpenView.as_view(), name="notification-open"),
    path("<int:pk>/read/", NotificationMarkReadView.as_view(), name="notification-read"),
    path("preferences/", NotificationPreferenceView.as_view(), name="notification-preferences"),
    path("suivis/", FollowListView.as_view(), name="follow-list"),
    path("suivre/", FollowToggleView.as_view(), name="follow-toggle"),
    path("desabonnement/<str:token>/", EmailUnsubscribeView.as_view(), name="notification-unsubscribe"),
]
