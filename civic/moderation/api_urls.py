"""Moderation's paths under /api/v1/ (included by civic/api_urls.py)."""

from django.urls import path

from .api import FlagCreateApi

urlpatterns = [path("flags/", FlagCreateApi.as_view(), name="api-flag-create")]
