"""Public moderation URLs (the admin's are in admin_urls.py)."""

from django.urls import path

from .views.public import FlagCreateView

urlpatterns = [
    path("signaler/<int:content_type_id>/<str:object_pk>/", FlagCreateView.as_view(), name="flag-create"),
]
