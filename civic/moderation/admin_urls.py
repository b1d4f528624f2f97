"""/admin/moderation/: registered by wagtail_hooks.py, namespace ``civic_moderation``."""

from django.urls import path

from .views import admin as views

app_name = "civic_moderation"

urlpatterns = [
    path("", views.ModerationQueueView.as_view(), name="queue"),
    path("bulk/", views.ModerationBulkView.as_view(), name="bulk"),
    path("item/<int:content_type_id>/<str:object_pk>/", views.ModerationItemView.as_view(), name="item"),
    path("blocks/", views.UserBlockListView.as_view(), name="blocks"),
    path("people/<int:user_id>/", views.PersonModerationView.as_view(), name="person"),
    path("decisions/", views.DecisionLogView.as_view(), name="decisions"),
    path("decisions/export.csv", views.DecisionExportView.as_view(), name="decisions-export"),
]
