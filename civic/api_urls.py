"""Everything under /api/v1/. Each app contributes its own paths here."""

from django.urls import include, path

from civic.notifications.api import NotificationListApi, NotificationMarkAllReadApi, NotificationMarkReadApi
from civic.territory.api import AreaDetailApi, AreaListApi

urlpatterns = [
    path("areas/", AreaListApi.as_view(), name="api-area-list"),
    path("areas/<int:pk>/", AreaDetailApi.as_view(), name="api-area-detail"),
    path("notifications/", NotificationListApi.as_view(), name="api-notification-list"),
    path("notifications/read-all/", NotificationMarkAllReadApi.as_view(), name="api-notification-read-all"),
    path("notifications/<int:pk>/read/", NotificationMarkReadApi.as_view(), name="api-notification-read"),
    path("", include("civic.discussions.api_urls")),
    path("", include("signalements.api.urls")),
    path("", include("budget_participatif.api.urls")),
    path("", include("civic.moderation.api_urls")),
]
